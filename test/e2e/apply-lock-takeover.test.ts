// The lock of an apply that is gone, on the BUILT CLI against `sandbox start --estate --state` in a child:
// an apply SIGKILLed right after journaling an accepted operation (AHDS_MIGRATE_TEST_KILL_AFTER_RECORD) leaves its lock
// and an in-doubt step, which `status` shows (with the journaled operation URL, and the lock as left by a
// process that is gone); the next apply takes the lock over and journals it (run-started reason
// "lock-taken-over:PID@HOST"). A lock file of a process that exited on this host is taken over the same
// way; a lock of another host (whose process cannot be checked) refuses with exit 3 naming the host, and
// --force-unlock proceeds. No run writes to Microsoft.HealthcareApis/services.
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JournalRecord } from "../../src/domain/journal.js";
import {
  ACCOUNTS, legacyWrites, startCliSandbox, threeAccountEstate, writeEstate, type AdminRequest, type CliSandbox,
} from "./apply-cli-estate.js";
import { runCli, tempDir } from "./cli-process.js";

const dir = tempDir("ahds-e2e-lock-takeover-");
const planPath = join(dir, "wave.plan.json");
const journalPath = join(dir, "wave.journal.jsonl");
const lockPath = join(dir, "wave.lock");
let sb: CliSandbox;

beforeAll(async () => {
  sb = await startCliSandbox(dir, "sandbox", writeEstate(dir, threeAccountEstate()), join(dir, "ca"));
  const planned = await runCli(["plan", ...ACCOUNTS.flatMap((a) => ["--account", a]), "--out", planPath], { env: sb.env });
  expect(planned.code, planned.stderr).toBe(0);
});

afterAll(async () => {
  await sb?.stop();
});

function records(path: string): JournalRecord[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as JournalRecord);
}

/** The pid of a process that ran on this host and has exited (its exit event seen). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  const pid = child.pid!;
  await new Promise<void>((res, rej) => { child.once("exit", () => res()); child.once("error", rej); });
  return pid;
}

describe("apply: a lock left behind", () => {
  it("status after a SIGKILLed apply shows the in-doubt step and the dead holder; the next apply takes the lock over", async () => {
    const kdir = join(dir, "killed");
    mkdirSync(kdir);
    copyFileSync(planPath, join(kdir, "wave.plan.json"));
    copyFileSync(join(dir, "wave.plan.md"), join(kdir, "wave.plan.md"));
    const kplan = join(kdir, "wave.plan.json");
    const kjournal = join(kdir, "wave.journal.jsonl");
    // One step at a time: record 1 run-started, 2 the first step started, 3 its operation accepted (a
    // workspace create is long-running) — the kill lands while Azure carries the operation out.
    const killed = await runCli(["apply", kplan, "--yes", "--concurrency", "1"],
      { env: { ...sb.env, AHDS_MIGRATE_TEST_KILL_AFTER_RECORD: "3" } });
    expect(killed.signal, killed.stderr).toBe("SIGKILL");
    const before = records(kjournal);
    expect(before.map((r) => r.type)).toEqual(["run-started", "step-started", "step-operation-accepted"]);
    const inDoubt = before[2]!;
    const holder = JSON.parse(readFileSync(join(kdir, "wave.lock"), "utf8")) as { pid: number; host: string; startedAt: string };
    expect(holder.host).toBe(hostname());

    const table = await runCli(["status", kplan], { env: sb.env });
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain(`in doubt, operation ${inDoubt.operationUrl}`);
    expect(table.stdout).toMatch(/Steps: 0 succeeded, 0 failed, 1 in doubt, 0 skipped, \d+ pending/);
    expect(table.stdout).toContain(`Lock: left by process ${holder.pid} on ${holder.host}, since ${holder.startedAt}, which is gone`);
    const json = await runCli(["status", kplan, "--json"], { env: sb.env });
    expect(json.code, json.stderr).toBe(0);
    const doc = JSON.parse(json.stdout) as { steps: { id: string; status: string; attempts: number; operationUrl: string | null }[]; lock: unknown };
    expect(doc.steps.filter((s) => s.status === "in-doubt")).toEqual([
      expect.objectContaining({ id: inDoubt.stepId, attempts: 1, operationUrl: inDoubt.operationUrl }),
    ]);
    expect(doc.lock).toMatchObject({ pid: holder.pid, host: holder.host, alive: false });

    const resumed = await runCli(["apply", kplan, "--yes"], { env: sb.env });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`Took over the lock of process ${holder.pid} on ${holder.host}`);
    const starts = records(kjournal).filter((r) => r.type === "run-started");
    expect(starts).toHaveLength(2);
    expect(starts[1]!.reason).toBe(`resume;lock-taken-over:${holder.pid}@${holder.host}`);
    // The in-doubt step was finished by following its journaled operation, not by a second create.
    expect(records(kjournal).find((r) => r.type === "step-succeeded" && r.stepId === inDoubt.stepId)).toMatchObject({ reason: "reconciled" });
    expect(existsSync(join(kdir, "wave.lock"))).toBe(false);
  });

  it("takes over a lock file of a process that exited on this host, and journals it", async () => {
    const pid = await deadPid();
    writeFileSync(lockPath, JSON.stringify({ pid, host: hostname(), startedAt: "2026-01-02T03:04:05.000Z" }));
    const run = await runCli(["apply", planPath, "--yes"], { env: sb.env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`Took over the lock of process ${pid} on ${hostname()}`);
    const start = records(journalPath).find((r) => r.type === "run-started");
    expect(start?.reason).toContain(`lock-taken-over:${pid}@${hostname()}`);
    expect(records(journalPath).at(-1)).toMatchObject({ type: "run-finished", reason: "completed" });
    expect(existsSync(lockPath)).toBe(false);
  });

  it("refuses a lock of another host with exit 3 naming it; --force-unlock proceeds", async () => {
    const other = { pid: 4242, host: "build-agent-7.example", startedAt: "2026-01-02T03:04:05.000Z" };
    writeFileSync(lockPath, JSON.stringify(other));
    const journaled = records(journalPath).length;
    const refused = await runCli(["apply", planPath, "--yes"], { env: sb.env });
    expect(refused.code, refused.stderr).toBe(3);
    const errors = refused.stderr.split("\n").filter((l) => l.startsWith("error:"));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(other.host);
    expect(errors[0]).toContain(String(other.pid));
    expect(refused.stderr).toContain("--force-unlock");
    expect(records(journalPath)).toHaveLength(journaled);
    expect(JSON.parse(readFileSync(lockPath, "utf8"))).toEqual(other);

    const forced = await runCli(["apply", planPath, "--yes", "--force-unlock"], { env: sb.env });
    expect(forced.code, forced.stderr).toBe(0);
    const starts = records(journalPath).filter((r) => r.type === "run-started");
    expect(starts.at(-1)!.reason).toContain(`lock-taken-over:${other.pid}@${other.host}`);
    expect(records(journalPath).at(-1)).toMatchObject({ type: "run-finished", reason: "completed" });
    expect(existsSync(lockPath)).toBe(false);
  });

  it("never wrote to an Azure API for FHIR account nor deleted anything", async () => {
    const log = await sb.admin<AdminRequest[]>("GET", "/_sandbox/requests");
    expect(log.some((r) => r.method === "PUT")).toBe(true);
    expect(legacyWrites(log)).toEqual([]);
    expect(log.filter((r) => r.method === "DELETE")).toEqual([]);
  });
});
