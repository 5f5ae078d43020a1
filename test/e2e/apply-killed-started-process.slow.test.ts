// Killing the process a user started (issue 8): `ahds-migrate --profile P apply PLAN --yes` on the BUILT CLI,
// SIGKILLed from outside at three journal points (after its 2nd record, once an operation is accepted,
// while a FHIR create is in flight). There is no child process to orphan (the profile applies in-process):
// after the kill nothing of ours is left (by pid), and for 2 s neither the journal nor the sandbox's
// request log grows. The same command then finishes — without --force-unlock — with the reference run's
// targets (no duplicate identity, FHIR service or role assignment) and verify exit 0. A forced unlock
// while the first runner is alive makes the first stop at its next journal append (exit 3), never both
// writing. Slow by design: a fresh sandbox per kill point, and the 2 s of watching that nothing moves.
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JournalRecord } from "../../src/domain/journal.js";
import type { Plan } from "../../src/domain/plan.js";
import {
  ACCOUNTS, copyPlan, legacyWrites, startCliSandbox, targetState, threeAccountEstate, writeEstate,
  type AdminRequest, type AdminResource, type CliSandbox,
} from "./apply-cli-estate.js";
import { cleanEnv, processAlive, runCli, startCli, tempDir } from "./cli-process.js";
import { journalReaches, journalRecords } from "./journal-file.js";
import { descendantsOf } from "./process-tree.js";

const dir = tempDir("ahds-e2e-kill-started-");
const caDir = join(dir, "ca");
const FHIR = "Microsoft.HealthcareApis/workspaces/fhirservices";
let estatePath: string;
let reference: ReturnType<typeof targetState>;
const sandboxes: CliSandbox[] = [];
/** Kill → last Azure request the sandbox saw, per kill point (ms), for the closing note. */
const lastRequestAfterKillMs: Record<string, number> = {};

const env = cleanEnv(); // no HTTPS_PROXY, no NODE_EXTRA_CA_CERTS: only --profile reaches the sandbox
const azureRequests = (log: AdminRequest[]) => log.filter((r) => !r.path.startsWith("/_sandbox"));

beforeAll(async () => {
  // FHIR creates take 1.5 s, so steps are in flight when the kill lands.
  estatePath = writeEstate(dir, threeAccountEstate({ operationDurationMs: { [FHIR]: 1500, default: 100 } }));
  const sb = await startCliSandbox(dir, "reference", estatePath, caDir);
  sandboxes.push(sb);
  const planned = await runCli(["--profile", sb.profilePath, "plan", ...ACCOUNTS.flatMap((a) => ["--account", a]),
    "--out", join(dir, "three.plan.json")], { env });
  expect(planned.code, planned.stderr).toBe(0);
  const planPath = copyPlan(dir, join(dir, "reference"));
  const run = await runCli(["--profile", sb.profilePath, "apply", planPath, "--yes"], { env });
  expect(run.code, run.stderr).toBe(0);
  reference = targetState(await sb.admin<AdminResource[]>("GET", "/_sandbox/resources"));
  await sb.stop();
}, 60_000);

afterAll(async () => {
  for (const s of sandboxes) await s.stop();
});

const KILL_POINTS: [string, (rs: JournalRecord[]) => boolean][] = [
  ["after its 2nd journal record", (rs) => rs.length >= 2],
  ["once an operation is accepted", (rs) => rs.some((r) => r.type === "step-operation-accepted")],
  ["while a FHIR create is in flight", (rs) => rs.some((r) => r.type === "step-operation-accepted" && r.stepId!.endsWith("/create-fhir-service"))],
];

describe("kill -9 of the started `apply --profile` process", () => {
  it("the reference run made 3 FHIR services, 3 identities, one key role assignment and one access policy", () => {
    expect(reference.fhir).toHaveLength(3);
    expect(reference.identities).toHaveLength(3);
    expect(reference.grants).toHaveLength(1);
    expect(reference.accessPolicies).toHaveLength(1);
  });

  for (const [i, [point, reached]] of KILL_POINTS.entries()) {
    it(`${point}: nothing of ours goes on; the same command then finishes with the reference's targets`, async () => {
      const sb = await startCliSandbox(dir, `k${i}`, estatePath, caDir);
      sandboxes.push(sb);
      const planPath = copyPlan(dir, join(dir, `k${i}`));
      const journal = join(dir, `k${i}`, "three.journal.jsonl");
      const cmd = ["--profile", sb.profilePath, "apply", planPath, "--yes"];
      const first = startCli(cmd, { env });
      const pid = first.process.pid!;
      await journalReaches(journal, reached);
      // One process: the started one has no child that could outlive it.
      expect(descendantsOf(pid)).toEqual([]);
      const killedAt = Date.now();
      first.process.kill("SIGKILL");
      expect(await first.exited).toEqual({ code: null, signal: "SIGKILL" });
      expect(processAlive(pid)).toBe(false);

      const journalAtKill = readFileSync(journal, "utf8");
      const requestsAtKill = azureRequests(await sb.admin<AdminRequest[]>("GET", "/_sandbox/requests")).length;
      await new Promise((r) => setTimeout(r, 2000)); // the "wait at least 2 s": proving nothing happens
      expect(readFileSync(journal, "utf8")).toBe(journalAtKill);
      const log = azureRequests(await sb.admin<AdminRequest[]>("GET", "/_sandbox/requests"));
      expect(log.length).toBe(requestsAtKill);
      const last = Math.max(...log.map((r) => Date.parse((r as AdminRequest & { time: string }).time)));
      lastRequestAfterKillMs[point] = last - killedAt;

      const resumed = await runCli(cmd, { env });
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resumed.stderr).toContain(`Took over the lock of process ${pid}`);
      const verified = await runCli(["--profile", sb.profilePath, "verify", planPath], { env });
      expect(verified.code, verified.stderr).toBe(0);
      expect(targetState(await sb.admin<AdminResource[]>("GET", "/_sandbox/resources"))).toEqual(reference);
      expect(legacyWrites(await sb.admin<AdminRequest[]>("GET", "/_sandbox/requests"))).toEqual([]);
      expect(journalRecords(journal).at(-1)).toMatchObject({ type: "run-finished", reason: "completed" });
      await sb.stop();
    }, 60_000);
  }

  it("the last request the sandbox saw came no later than the kill (every point)", () => {
    expect(Object.keys(lastRequestAfterKillMs)).toHaveLength(KILL_POINTS.length);
    // Requests are logged when answered; one in flight at the kill may be logged a moment after it.
    for (const [point, ms] of Object.entries(lastRequestAfterKillMs)) expect(ms, point).toBeLessThan(1000);
    console.log(`kill → last request seen by the sandbox (ms): ${JSON.stringify(lastRequestAfterKillMs)}`);
  });
});

describe("--force-unlock while the first runner is alive", () => {
  it("the first stops at its next journal append (exit 3), the second finishes; the journal replays; verify exit 0", async () => {
    // FHIR creates of 5 s: the first runner is surely still polling when the second takes the lock.
    mkdirSync(join(dir, "force-estate"), { recursive: true });
    const slow = writeEstate(join(dir, "force-estate"), threeAccountEstate({ operationDurationMs: { [FHIR]: 5000, default: 100 } }));
    const sb = await startCliSandbox(dir, "force", slow, caDir);
    sandboxes.push(sb);
    const planPath = copyPlan(dir, join(dir, "force"));
    const journal = join(dir, "force", "three.journal.jsonl");
    const cmd = ["--profile", sb.profilePath, "apply", planPath, "--yes"];
    const first = startCli(cmd, { env });
    await journalReaches(journal, KILL_POINTS[2]![1]);
    const second = await runCli([...cmd, "--force-unlock"], { env });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain(`Took over the lock of process ${first.process.pid}`);
    const exit = await first.exited;
    expect(exit, first.stderr()).toEqual({ code: 3, signal: null });
    // Taken over, or already released by the second when the first came to write: either way it stops.
    expect(first.stderr()).toMatch(/error: This run no longer holds the lock .*: (process \d+ on .* took it over[^;]*|the lock file was removed); this run stops and writes nothing more to the journal\./);

    const records = journalRecords(journal);
    const firstRun = records[0]!.runId;
    const secondStart = records.findIndex((r) => r.type === "run-started" && r.runId !== firstRun);
    // Nothing of the first run after the second finished.
    const secondEnd = records.findIndex((r) => r.type === "run-finished" && r.runId !== firstRun);
    expect(secondStart).toBeGreaterThan(0);
    expect(records.slice(secondEnd + 1)).toEqual([]);

    const status = await runCli(["status", planPath, "--json"], { env });
    expect(status.code, status.stderr).toBe(0);
    const doc = JSON.parse(status.stdout) as { counts: Record<string, number> };
    expect(doc.counts.succeeded).toBe((JSON.parse(readFileSync(planPath, "utf8")) as Plan).steps.length);
    const verified = await runCli(["--profile", sb.profilePath, "verify", planPath], { env });
    expect(verified.code, verified.stderr).toBe(0);
    expect(targetState(await sb.admin<AdminResource[]>("GET", "/_sandbox/resources"))).toEqual(reference);
    await sb.stop();
  }, 60_000);
});
