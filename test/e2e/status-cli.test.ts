// `ahds-migrate status PLAN` as a user runs it: the BUILT CLI on plans/example.plan.json (+ its .plan.md)
// copied to a temp dir, next to a hand-written journal (two runs, a succeeded, a failed, a skipped and an
// in-doubt step, a torn last line) and the lock of a process that has exited. No network and no session:
// the process loads no @azure/* module. An edited plan → exit 3; a journal corrupt before its last line → exit 1.
import { spawn } from "node:child_process";
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { JournalRecord } from "../../src/domain/journal.js";
import type { Plan } from "../../src/domain/plan.js";
import { cleanEnv, isUiOrSdk, moduleRecorder, readModuleLog, ROOT, runCli, tempDir, type CliRun } from "./cli-process.js";

const example = JSON.parse(readFileSync(join(ROOT, "plans", "example.plan.json"), "utf8")) as Plan;
const stepOf = (account: string, kind: string) => example.steps.find((s) => s.kind === kind && s.accountId.endsWith(`/${account}`))!;
const research = { ws: stepOf("fhir-research", "ensure-workspace"), id: stepOf("fhir-research", "ensure-identity"),
  ap: stepOf("fhir-research", "grant-key-access-policy"), fhir: stepOf("fhir-research", "create-fhir-service") };
const claimsWs = stepOf("fhir-claims", "ensure-workspace");
const OP = "https://management.azure.com/subscriptions/ebafe99f-000e-4ab8-aa64-e797f5948c3c/providers/Microsoft.HealthcareApis/locations/westeurope/operationresults/op-1?api-version=2024-03-31";

function journalText(): string {
  const rs: Omit<JournalRecord, "v" | "seq" | "at">[] = [
    { runId: "run-1", type: "run-started" },
    { runId: "run-1", type: "step-started", stepId: research.ws.id, attempt: 1 },
    { runId: "run-1", type: "step-succeeded", stepId: research.ws.id, reason: "created" },
    { runId: "run-1", type: "run-finished", reason: "interrupted" },
    { runId: "run-2", type: "run-started", reason: "resume" },
    { runId: "run-2", type: "step-started", stepId: research.id.id, attempt: 1 },
    { runId: "run-2", type: "step-succeeded", stepId: research.id.id, reason: "created", outputs: { principalId: "11111111-2222-3333-4444-555555555555", clientId: "66666666-7777-8888-9999-000000000000" } },
    { runId: "run-2", type: "step-started", stepId: research.ap.id, attempt: 1 },
    { runId: "run-2", type: "step-failed", stepId: research.ap.id, error: { code: "AuthorizationFailed", message: "The client cannot perform action accessPolicies/write", requestId: "req-42" } },
    { runId: "run-2", type: "step-skipped", stepId: research.fhir.id, reason: "upstream-failed" },
    { runId: "run-2", type: "step-started", stepId: claimsWs.id, attempt: 2 },
    { runId: "run-2", type: "step-operation-accepted", stepId: claimsWs.id, operationUrl: OP },
  ];
  const lines = rs.map((r, i) => JSON.stringify({ v: 1, seq: i + 1, at: new Date(Date.UTC(2026, 0, 2, 3, 4, i)).toISOString(), ...r }));
  // Killed while writing record 13.
  return `${lines.join("\n")}\n{"v":1,"seq":13,"at":"2026-01-02T03:05:00.000Z","runId":"run-2","ty`;
}

const errorLines = (stderr: string) => stderr.split("\n").filter((l) => l.startsWith("error:"));

describe("status on the built CLI", () => {
  const dir = tempDir("ahds-e2e-status-");
  const planPath = join(dir, "wave.plan.json");
  let deadPid = 0;

  beforeAll(async () => {
    copyFileSync(join(ROOT, "plans", "example.plan.json"), planPath);
    copyFileSync(join(ROOT, "plans", "example.plan.md"), join(dir, "wave.plan.md"));
    writeFileSync(join(dir, "wave.journal.jsonl"), journalText());
    const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
    deadPid = child.pid!;
    await new Promise<void>((res) => child.once("exit", () => res()));
    writeFileSync(join(dir, "wave.lock"), JSON.stringify({ pid: deadPid, host: hostname(), startedAt: "2026-01-02T03:04:00.000Z" }));
  });

  const status = (args: string[], extra: { nodeArgs?: string[]; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> =>
    runCli(["status", ...args], { cwd: dir, nodeArgs: extra.nodeArgs ?? [], env: cleanEnv(extra.env ?? {}) });

  it("prints a table per account: status, attempts and reason of each step; the torn last line on stderr", async () => {
    const rec = moduleRecorder(tempDir());
    const run = await status(["wave.plan.json"], { nodeArgs: rec.nodeArgs, env: rec.env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe("warning: wave.journal.jsonl line 13: an incomplete last record (a run was killed while writing it) — ignored.\n");
    const out = run.stdout.split("\n");
    expect(out[0]).toBe(`${example.planId} (${example.digest}): 2 runs, the last did not finish (killed or still running).`);
    expect(out[1]).toBe(`Steps: 2 succeeded, 1 failed, 1 in doubt, 1 skipped, ${example.steps.length - 5} pending (of ${example.steps.length}).`);
    expect(out[2]).toBe(`Lock: left by process ${deadPid} on ${hostname()}, since 2026-01-02T03:04:00.000Z, which is gone (the next apply takes it over).`);
    const row = (title: string) => out.find((l) => l.includes(`  ${title}`))?.trim().replace(/\s+/g, " ");
    expect(row(research.ws.title)).toBe(`succeeded 1 ${research.ws.title} — created`);
    expect(row(research.id.title)).toBe(`succeeded 1 ${research.id.title} — created`);
    expect(row(research.ap.title)).toBe(`failed 1 ${research.ap.title} — AuthorizationFailed: The client cannot perform action accessPolicies/write (request id req-42)`);
    expect(row(research.fhir.title)).toBe(`skipped 0 ${research.fhir.title} — upstream-failed`);
    expect(row(claimsWs.title)).toBe(`in-doubt 2 ${claimsWs.title} — in doubt, operation ${OP}`);
    expect(out).toContain("fhir-legacy-r4 (/subscriptions/ebafe99f-000e-4ab8-aa64-e797f5948c3c/resourceGroups/rg-fhir-prod/providers/Microsoft.HealthcareApis/services/fhir-legacy-r4)");
    // No network, no session: nothing of the SDKs is even loaded (and the recorder did see the CLI load).
    const loaded = readModuleLog(rec.log);
    expect(loaded.some((m) => m.url.endsWith("/dist/src/cli/commands/status.js"))).toBe(true);
    expect(loaded.filter(isUiOrSdk)).toEqual([]);
  });

  it("--json prints one document {planId, digest, runs, steps, lock}", async () => {
    const run = await status(["wave.plan.json", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^warning: wave\.journal\.jsonl line 13: an incomplete last record/);
    const doc = JSON.parse(run.stdout) as {
      planId: string; digest: string; runs: number; journal: { tornLastLine: boolean; records: number };
      steps: { id: string; status: string; attempts: number; reason: string | null; operationUrl: string | null; outputs: unknown; error: unknown }[];
      lock: unknown };
    expect(doc).toMatchObject({ planId: example.planId, digest: example.digest, runs: 2, journal: { tornLastLine: true, records: 12 } });
    expect(doc.steps.map((s) => s.id)).toEqual(example.steps.map((s) => s.id));
    const byId = new Map(doc.steps.map((s) => [s.id, s]));
    expect(byId.get(research.id.id)).toMatchObject({ status: "succeeded", attempts: 1, reason: "created",
      outputs: { principalId: "11111111-2222-3333-4444-555555555555", clientId: "66666666-7777-8888-9999-000000000000" } });
    expect(byId.get(research.ap.id)).toMatchObject({ status: "failed", error: { code: "AuthorizationFailed", requestId: "req-42" } });
    expect(byId.get(research.fhir.id)).toMatchObject({ status: "skipped", reason: "upstream-failed", attempts: 0 });
    expect(byId.get(claimsWs.id)).toMatchObject({ status: "in-doubt", attempts: 2, operationUrl: OP });
    expect(doc.steps.filter((s) => s.status === "pending")).toHaveLength(example.steps.length - 5);
    expect(doc.lock).toEqual({ pid: deadPid, host: hostname(), startedAt: "2026-01-02T03:04:00.000Z", alive: false });
  });

  it("a plan without journal or lock: every step pending, no lock in the JSON", async () => {
    const other = tempDir("ahds-e2e-status-");
    copyFileSync(join(ROOT, "plans", "example.plan.json"), join(other, "fresh.plan.json"));
    const run = await runCli(["status", join(other, "fresh.plan.json"), "--json"], { env: cleanEnv() });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe("");
    const doc = JSON.parse(run.stdout) as { runs: number; steps: { status: string }[]; lock?: unknown };
    expect(doc.runs).toBe(0);
    expect(doc.steps.every((s) => s.status === "pending")).toBe(true);
    expect(doc).not.toHaveProperty("lock");
  });

  it("an edited plan exits 3 with one line and prints no status", async () => {
    const edited = tempDir("ahds-e2e-status-");
    const plan = JSON.parse(readFileSync(planPath, "utf8")) as Plan;
    plan.steps[0]!.title = "Workspace somewhere-else";
    writeFileSync(join(edited, "wave.plan.json"), JSON.stringify(plan, null, 2));
    writeFileSync(join(edited, "wave.journal.jsonl"), journalText());
    const run = await runCli(["status", join(edited, "wave.plan.json")], { env: cleanEnv() });
    expect(run.code, run.stderr).toBe(3);
    expect(run.stdout).toBe("");
    expect(errorLines(run.stderr)).toEqual([`error: ${join(edited, "wave.plan.json")} was edited after planning (digest mismatch): run \`ahds-migrate plan\` again.`]);
  });

  it("a journal corrupt before its last line exits 1 (a user error, not a refused plan) naming the line", async () => {
    const corrupt = tempDir("ahds-e2e-status-");
    copyFileSync(planPath, join(corrupt, "wave.plan.json"));
    const lines = journalText().split("\n");
    lines[4] = lines[4]!.replace('"type":"run-started"', '"type":"run-restarted"');
    writeFileSync(join(corrupt, "wave.journal.jsonl"), lines.join("\n"));
    const run = await runCli(["status", "wave.plan.json"], { cwd: corrupt, env: cleanEnv() });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toBe("");
    expect(errorLines(run.stderr)).toEqual([
      'error: wave.journal.jsonl line 5 is not a valid journal record ("type" "run-restarted" is not a journal record type): the journal was edited or is corrupt.']);
  });
});
