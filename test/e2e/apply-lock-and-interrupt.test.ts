// apply as a user runs it (the BUILT CLI against `sandbox start --estate --state` in a child): without
// --yes and no terminal it refuses (exit 2) before writing anything; while one apply runs — held in a FHIR
// create the sandbox leaves stuck in "Provisioning" (fault injection), so the run is alive for as long as
// the test needs, with no timing — a second apply of the same plan exits 3 naming the holder's pid; Ctrl-C
// (SIGINT) then stops the first one: exit 130, the resume command printed, the journal closed with
// run-finished "interrupted" and the lock removed. No run writes to Microsoft.HealthcareApis/services and
// nothing written holds the estate's secret or a token.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JournalRecord } from "../../src/domain/journal.js";
import {
  ACCOUNTS, ESTATE_SECRET, legacyWrites, startCliSandbox, threeAccountEstate, writeEstate, type AdminRequest, type CliSandbox,
} from "./apply-cli-estate.js";
import { runCli, startCli, tempDir, type CliRun } from "./cli-process.js";

const dir = tempDir("ahds-e2e-apply-");
const planPath = join(dir, "wave.plan.json");
const journalPath = join(dir, "wave.journal.jsonl");
const lockPath = join(dir, "wave.lock");
const TOKEN = /eyJ[A-Za-z0-9_-]{8,}\./;
let sb: CliSandbox;
const outputs: { stdout: string; stderr: string }[] = [];

beforeAll(async () => {
  sb = await startCliSandbox(dir, "sandbox", writeEstate(dir, threeAccountEstate()), join(dir, "ca"));
  const planned = await runCli(["plan", ...ACCOUNTS.flatMap((a) => ["--account", a]), "--out", planPath], { env: sb.env });
  outputs.push(planned);
  expect(planned.code, planned.stderr).toBe(0);
});

afterAll(async () => {
  await sb?.stop();
});

describe("apply: confirmation, lock and Ctrl-C", () => {
  it("without --yes and no terminal: exit 2 with one line, nothing written, nothing sent", async () => {
    const before = (await sb.admin<AdminRequest[]>("GET", "/_sandbox/requests")).length;
    const run: CliRun = await runCli(["apply", planPath], { env: sb.env });
    outputs.push(run);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr.split("\n").filter((l) => l.startsWith("error:"))).toEqual([
      "error: apply changes Azure and needs a confirmation: pass --yes when not running in a terminal.",
    ]);
    expect(existsSync(journalPath)).toBe(false);
    expect(existsSync(lockPath)).toBe(false);
    // The admin API logs its own calls: only requests to Azure hosts count.
    expect((await sb.admin<AdminRequest[]>("GET", "/_sandbox/requests")).slice(before).filter((r) => !r.path.startsWith("/_sandbox"))).toEqual([]);
  });

  it("a second apply while one runs exits 3 naming the holder; Ctrl-C stops the first with 130 and the resume command", async () => {
    // Every FHIR create is accepted and then never finishes: the first run stays in its polling loop.
    await sb.admin("POST", "/_sandbox/faults", [{ match: { method: "PUT", pathRegex: "/fhirservices/" }, provisioningState: "Provisioning" }]);
    const first = startCli(["apply", planPath, "--yes"], { env: sb.env });
    try {
      await first.waitForStderr(" created");
      const holder = JSON.parse(readFileSync(lockPath, "utf8")) as { pid: number; host: string };
      expect(holder.pid).toBe(first.process.pid);

      const second = await runCli(["apply", planPath, "--yes"], { env: sb.env });
      outputs.push(second);
      expect(second.code, second.stderr).toBe(3);
      const errors = second.stderr.split("\n").filter((l) => l.startsWith("error:"));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain(String(holder.pid));
      expect(second.stderr).toContain("--force-unlock");

      // A FHIR create was accepted (the line follows its journal record), so Ctrl-C lands mid-operation.
      await first.waitForStderr("customer-managed key: accepted by Azure, in progress");
      expect(records().some((r) => r.type === "step-operation-accepted" && /create-fhir-service$/.test(r.stepId ?? ""))).toBe(true);
      first.process.kill("SIGINT");
      const exit = await first.exited;
      outputs.push({ stdout: first.stdout(), stderr: first.stderr() });
      expect(exit.code, first.stderr()).toBe(130);
      expect(first.stderr()).toContain(`Resume with: ahds-migrate apply ${planPath} --yes`);
      expect(records().at(-1)).toMatchObject({ type: "run-finished", reason: "interrupted" });
      // The FHIR creates were in flight: no terminal record, so the next run reconciles them by reading Azure.
      const fhirSteps = records().filter((r) => r.type === "step-started" && /create-fhir-service$/.test(r.stepId ?? "")).map((r) => r.stepId);
      expect(fhirSteps.length).toBeGreaterThan(0);
      for (const id of fhirSteps) expect(records().some((r) => r.stepId === id && (r.type === "step-succeeded" || r.type === "step-failed"))).toBe(false);
      expect(existsSync(lockPath)).toBe(false);
    } finally {
      if (first.process.exitCode === null && first.process.signalCode === null) first.process.kill("SIGKILL");
      await sb.admin("POST", "/_sandbox/faults", []);
    }
  });

  it("never wrote to an Azure API for FHIR account, nor a secret or token anywhere", async () => {
    expect(legacyWrites(await sb.admin<AdminRequest[]>("GET", "/_sandbox/requests"))).toEqual([]);
    const files = readdirSync(dir).filter((f) => /\.(plan\.json|plan\.md|journal\.jsonl|lock)$/.test(f)).map((f) => join(dir, f));
    expect(files).toContain(journalPath);
    for (const text of [...files.map((f) => readFileSync(f, "utf8")), ...outputs.flatMap((o) => [o.stdout, o.stderr])]) {
      expect(text.includes(ESTATE_SECRET)).toBe(false);
      expect(TOKEN.test(text)).toBe(false);
    }
  });
});

function records(): JournalRecord[] {
  if (!existsSync(journalPath)) return [];
  return readFileSync(journalPath, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as JournalRecord);
}
