// SIGKILL at every journal boundary (issue 5), on the BUILT CLI against `sandbox start --estate --state`
// children. Slow by design (a fresh sandbox per k): a 3-account plan is applied once without a kill (the
// reference: N journal records, the final targets); then for k = 1..N, on a fresh sandbox, `apply --yes`
// kills itself right after its k-th record (AHDS_MIGRATE_TEST_KILL_AFTER_RECORD) and `apply --yes` again
// must finish (exit 0) with the same final targets as the reference — no duplicate identity, FHIR service
// or role assignment — and, from the sandbox request log, without sending again the PUT of any step whose
// step-succeeded was journaled before the kill. No run ever writes to Microsoft.HealthcareApis/services,
// and nothing the tool wrote (plan, journal, stdout/stderr) holds the estate's secret or a token.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Plan } from "../../src/domain/plan.js";
import {
  ACCOUNTS, copyPlan, ESTATE_SECRET, legacyWrites, startCliSandbox, targetState, threeAccountEstate, writeEstate,
  type AdminRequest, type AdminResource, type CliSandbox,
} from "./apply-cli-estate.js";
import { runCli, tempDir, type CliRun } from "./cli-process.js";
import { journalRecords } from "./journal-file.js";

const dir = tempDir("ahds-e2e-sigkill-");
const caDir = join(dir, "ca");
let estatePath: string;
let plan: Plan;
let reference: ReturnType<typeof targetState>;
let recordsInFullRun = 0;
const outputs: CliRun[] = [];
const sandboxes: CliSandbox[] = [];

const LANES = 3;
const TOKEN = /eyJ[A-Za-z0-9_-]{8,}\./;


const pathKey = (url: string) => decodeURIComponent(new URL(url, "https://x").pathname).toLowerCase().replace(/\/+$/, "");

async function killThenResume(k: number, stepPaths: Map<string, string>): Promise<void> {
  const sb = await startCliSandbox(dir, `k${k}`, estatePath, caDir);
  sandboxes.push(sb);
  const kdir = join(dir, `k${k}`);
  const planPath = copyPlan(dir, kdir);
  const killed = await runCli(["apply", planPath, "--yes"], { env: { ...sb.env, AHDS_MIGRATE_TEST_KILL_AFTER_RECORD: String(k) } });
  outputs.push(killed);
  expect(killed.signal, `k=${k}: ${killed.stderr}`).toBe("SIGKILL");
  const before = journalRecords(join(kdir, "three.journal.jsonl"));
  expect(before.length, `k=${k}`).toBe(k);
  const succeeded = new Set(before.filter((r) => r.type === "step-succeeded").map((r) => r.stepId!));
  const mark = Math.max(0, ...(await sb.admin<AdminRequest[]>("GET", "/_sandbox/requests")).map((r) => r.seq));

  if (k === 1) {
    // Killed before any step: verify names what is missing (exit 4), field by field.
    const v = await runCli(["verify", planPath, "--json"], { env: sb.env });
    outputs.push(v);
    expect(v.code, v.stderr).toBe(4);
    const doc = JSON.parse(v.stdout) as { matches: boolean; differences: { stepId: string; field: string }[] };
    expect(doc.matches).toBe(false);
    expect(doc.differences.map((d) => d.stepId)).toContain(plan.steps.find((s) => s.kind === "create-fhir-service")!.id);
  }

  const resumed = await runCli(["apply", planPath, "--yes"], { env: sb.env });
  outputs.push(resumed);
  expect(resumed.code, `k=${k}: ${resumed.stderr}`).toBe(0);

  const log = await sb.admin<AdminRequest[]>("GET", "/_sandbox/requests");
  const resent = log.filter((r) => r.seq > mark && r.method === "PUT"
    && [...succeeded].some((id) => stepPaths.get(id) === pathKey(r.path)));
  expect(resent, `k=${k}`).toEqual([]);
  expect(targetState(await sb.admin<AdminResource[]>("GET", "/_sandbox/resources")), `k=${k}`).toEqual(reference);
  expect(legacyWrites(log), `k=${k}`).toEqual([]);
  const after = journalRecords(join(kdir, "three.journal.jsonl"));
  expect(after.at(-1), `k=${k}`).toMatchObject({ type: "run-finished", reason: "completed" });
  await sb.stop();
}

beforeAll(async () => {
  estatePath = writeEstate(dir, threeAccountEstate());
  const sb = await startCliSandbox(dir, "reference", estatePath, caDir);
  sandboxes.push(sb);
  const planned = await runCli(["plan", ...ACCOUNTS.flatMap((a) => ["--account", a]), "--out", join(dir, "three.plan.json")], { env: sb.env });
  outputs.push(planned);
  expect(planned.code, planned.stderr).toBe(0);
  plan = JSON.parse(readFileSync(join(dir, "three.plan.json"), "utf8")) as Plan;
  expect(plan.accounts.filter((a) => a.status === "planned")).toHaveLength(3);

  const planPath = copyPlan(dir, join(dir, "reference"));
  const run = await runCli(["apply", planPath, "--yes"], { env: sb.env });
  outputs.push(run);
  expect(run.code, run.stderr).toBe(0);
  recordsInFullRun = journalRecords(join(dir, "reference", "three.journal.jsonl")).length;
  const verified = await runCli(["verify", planPath], { env: sb.env });
  outputs.push(verified);
  expect(verified.code, verified.stderr).toBe(0);
  expect(verified.stdout).toMatch(/verified: all \d+ targets read back as planned/);
  reference = targetState(await sb.admin<AdminResource[]>("GET", "/_sandbox/resources"));
  expect(legacyWrites(await sb.admin<AdminRequest[]>("GET", "/_sandbox/requests"))).toEqual([]);
  await sb.stop();
}, 60_000);

afterAll(async () => {
  for (const s of sandboxes) await s.stop();
});

describe("apply killed (SIGKILL) right after its k-th journal record, then run again", () => {
  it("the reference run made what the plan says: 3 FHIR services, 3 identities, each key grant once", () => {
    expect(reference.fhir).toHaveLength(3);
    expect(reference.identities).toHaveLength(3);
    expect(reference.grants).toHaveLength(1);
    expect(reference.accessPolicies).toHaveLength(1);
    expect(recordsInFullRun).toBe(1 + 2 * plan.steps.length + plan.steps.filter((s) => s.longRunning).length + 1);
  });

  it("for every k: exit by SIGKILL, then exit 0 with the reference's targets, no succeeded step's PUT sent again", async () => {
    const stepPaths = new Map(plan.steps.map((s) => [s.id, pathKey(s.request.url)]));
    // Each k on its own sandbox and directory: a few lanes at once keep the file near a minute.
    const ks = Array.from({ length: recordsInFullRun }, (_, i) => i + 1);
    const lane = async () => {
      for (let k = ks.shift(); k !== undefined; k = ks.shift()) await killThenResume(k, stepPaths);
    };
    await Promise.all(Array.from({ length: LANES }, lane));
  }, 240_000);

  it("nothing the tool wrote holds the estate's client secret or a token", () => {
    const written: string[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, e.name);
        if (e.isDirectory()) { if (e.name !== "ca") walk(p); } else if (/\.(plan\.json|plan\.md|journal\.jsonl|lock)$/.test(e.name)) written.push(p);
      }
    };
    walk(dir);
    expect(written.filter((p) => p.endsWith(".journal.jsonl")).length).toBeGreaterThan(recordsInFullRun);
    for (const p of written) {
      const text = readFileSync(p, "utf8");
      expect(text.includes(ESTATE_SECRET), p).toBe(false);
      expect(TOKEN.test(text), p).toBe(false);
    }
    for (const o of outputs) {
      for (const text of [o.stdout, o.stderr]) {
        expect(text.includes(ESTATE_SECRET)).toBe(false);
        expect(TOKEN.test(text)).toBe(false);
      }
    }
  });
});
