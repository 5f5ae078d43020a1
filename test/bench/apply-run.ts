// The apply benchmark (issue 5 "Benchmark"), run by run.ts after the inventory one: 100 accounts in 10
// subscriptions (generated estate, RBAC vaults) with short but scaled operation durations. Part 1: a child
// plans every ready account and applies the plan with runPlan (real executors, real journal); the figures
// come from its journal and this process's sandbox log. Part 2, on a fresh sandbox with the same estate:
// the built CLI's `apply --yes` kills itself (AHDS_MIGRATE_TEST_KILL_AFTER_RECORD) at about half the
// records, then the same command resumes it and is timed. Only loopback; every child has a timeout.
import { fork, spawn, type ChildProcess } from "node:child_process";
import { MAX_CONCURRENCY } from "../../src/cli/commands/apply.js";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { sandboxEnv } from "../../src/azure/profile.js";
import type { JournalRecord } from "../../src/domain/journal.js";
import type { Plan } from "../../src/domain/plan.js";
import type { Estate } from "../../src/sandbox/estate-types.js";
import { startSandbox, type Sandbox } from "../../src/sandbox/server.js";
import { generatedEstate } from "../fixtures/generated-estate.js";
import type { ApplyChildArgs, ApplyChildMessage, ApplyChildResult, ApplyParentMessage } from "./apply-protocol.js";
import { printApplyReport, type ApplyBenchRun, type ResumeRun } from "./apply-report.js";
import { operationIdOf } from "./apply-stats.js";

const CHILD_TIMEOUT_MS = 10 * 60_000;
/** program.ts parseConcurrency: the CLI takes 1..MAX_CONCURRENCY steps in flight. */
const CLI_MAX_CONCURRENCY = MAX_CONCURRENCY;
const HERE = path.dirname(fileURLToPath(import.meta.url));
const CLI = path.join(HERE, "..", "..", "src", "cli", "main.js");

export const APPLY_BENCH = {
  accounts: 100, subscriptions: 10, vaults: 20, latencyMs: 20,
  operationDurationMs: { "Microsoft.HealthcareApis/workspaces": 2_000, "Microsoft.HealthcareApis/workspaces/fhirservices": 4_000 },
} as const;

export function applyBenchEstate(): Estate {
  return generatedEstate({
    accounts: APPLY_BENCH.accounts, subscriptions: APPLY_BENCH.subscriptions, vaults: APPLY_BENCH.vaults,
    // Access-policy object ids on the source make an account need a choice; the bench plans --all-ready.
    accessPolicyEvery: 0,
    behaviour: { latencyMs: APPLY_BENCH.latencyMs, rolePropagationMs: 0, operationDurationMs: { ...APPLY_BENCH.operationDurationMs } },
  });
}

function withTimeout(child: ChildProcess, what: string): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      console.error(`bench: ${what} ran longer than ${CHILD_TIMEOUT_MS / 60_000} min; stopping it.`);
      child.kill("SIGKILL");
    }, CHILD_TIMEOUT_MS);
    child.once("exit", (code, signal) => { clearTimeout(timer); resolve({ code, signal }); });
  });
}

/** Runs apply-bench.js in `mode`; returns its result and the sandbox log seq at the "planned" mark. */
async function runChild(sandbox: Sandbox, args: ApplyChildArgs): Promise<{ result: ApplyChildResult; plannedSeq: number }> {
  const child = fork(path.join(HERE, "apply-bench.js"), [JSON.stringify(args)], {
    env: sandboxEnv(sandbox.profile()), stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  let plannedSeq = 0;
  let result: ApplyChildResult | null = null;
  let error: string | null = null;
  child.on("message", (m: ApplyChildMessage) => {
    if (m.type === "mark") {
      plannedSeq = sandbox.requests().reduce((x, e) => Math.max(x, e.seq), 0);
      child.send({ type: "ack", name: m.name } satisfies ApplyParentMessage);
    } else {
      result = m.result;
      error = m.error;
    }
  });
  const exit = await withTimeout(child, `the apply bench child (${args.mode})`);
  if (!result) throw new Error(`the apply bench child (${args.mode}) exited (${exit.code ?? exit.signal}) without a result: ${error ?? ""}`);
  return { result, plannedSeq };
}

export function readRecords(file: string): JournalRecord[] {
  const out: JournalRecord[] = [];
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (!line.trim()) continue;
    try { out.push(JSON.parse(line) as JournalRecord); } catch { /* a torn last line (the kill came mid-write) */ }
  }
  return out;
}

interface CliTimes { code: number | null; signal: NodeJS.Signals | null; exitMs: number; resumingMs: number | null; stderr: string }

/** The built CLI's `apply PLAN --yes` as a user runs it; times (from spawn) its "Resuming" line and its exit. */
async function cliApply(sandbox: Sandbox, planPath: string, concurrency: number, extraEnv: NodeJS.ProcessEnv, t0: number): Promise<CliTimes> {
  const env = sandboxEnv(sandbox.profile());
  for (const k of Object.keys(env)) if (k.startsWith("AHDS_MIGRATE_")) delete env[k];
  const child = spawn(process.execPath, [CLI, "apply", planPath, "--yes", "--concurrency", String(concurrency)], {
    env: { ...env, ...extraEnv, NO_COLOR: "1" }, stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  let resumingMs: number | null = null;
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
    // "Resuming <plan>: …" is printed once the journal has been re-read (apply.ts), right before runPlan.
    if (resumingMs === null && /(^|\n)Resuming /.test(stderr + chunk)) resumingMs = performance.now() - t0;
    stderr += chunk;
  });
  const exit = await withTimeout(child, "the CLI apply");
  return { ...exit, exitMs: performance.now() - t0, resumingMs, stderr };
}

async function resumeAfterKill(estate: Estate, caDir: string, dir: string, concurrency: number, recordsInFullRun: number): Promise<ResumeRun> {
  const sandbox = await startSandbox({ estate, caDir });
  try {
    // Arrival of each request: its answer less the sandbox's fixed latency.
    const arrivals: { t: number }[] = [];
    sandbox.onResponse(() => { arrivals.push({ t: performance.now() - estate.behaviour.latencyMs }); });
    const { result } = await runChild(sandbox, { mode: "plan", dir, concurrency });
    const killAt = Math.max(1, Math.round(recordsInFullRun / 2));
    const cliConcurrency = Math.min(concurrency, CLI_MAX_CONCURRENCY);
    const killed = await cliApply(sandbox, result.planPath, cliConcurrency, { AHDS_MIGRATE_TEST_KILL_AFTER_RECORD: String(killAt) }, performance.now());
    if (killed.signal !== "SIGKILL") {
      throw new Error(`the killed apply exited ${killed.code ?? killed.signal} instead of SIGKILL: ${killed.stderr.split("\n").slice(-6).join(" | ")}`);
    }
    const journalPath = result.planPath.replace(/\.plan\.json$/, ".journal.jsonl");
    const afterKill = readRecords(journalPath);
    const plan = JSON.parse(readFileSync(result.planPath, "utf8")) as Plan;
    const stepUrls = new Map(plan.steps.map((s) => [s.id, new URL(s.request.url).pathname.toLowerCase()]));
    const succeededBefore = new Set(afterKill.filter((r) => r.type === "step-succeeded").map((r) => r.stepId!));
    const seqBefore = sandbox.requests().reduce((x, e) => Math.max(x, e.seq), 0);

    arrivals.length = 0;
    const t0 = performance.now();
    const resumed = await cliApply(sandbox, result.planPath, cliConcurrency, {}, t0);
    const firstNew = resumed.resumingMs === null ? null
      : arrivals.map((a) => a.t - t0).filter((ms) => ms >= resumed.resumingMs!).sort((a, b) => a - b)[0] ?? null;
    const all = readRecords(journalPath);
    const log = sandbox.requests().filter((e) => e.seq > seqBefore);
    const resentPuts = log.filter((e) => e.method === "PUT"
      && [...succeededBefore].some((id) => stepUrls.get(id) === decodeURIComponent(e.path).toLowerCase().replace(/\/+$/, ""))).length;
    return {
      killAt, recordsInFullRun, concurrency: cliConcurrency, killedSignal: killed.signal, killedCode: killed.code, recordsAfterKill: afterKill.length,
      succeededBeforeKill: succeededBefore.size, steps: plan.steps.length,
      resumedCode: resumed.code, resumingMs: resumed.resumingMs, firstNewRequestMs: firstNew, finishedMs: resumed.exitMs,
      firstRequestMs: arrivals.length ? Math.min(...arrivals.map((a) => a.t - t0)) : null,
      requests: log.length, resentPuts, lastRecord: all.at(-1) ?? null,
      stderrTail: resumed.code === 0 ? "" : resumed.stderr.split("\n").slice(-8).join("\n"),
    };
  } finally {
    await sandbox.close();
  }
}

export async function runApplyBench(o: { concurrency: number }): Promise<void> {
  const estate = applyBenchEstate();
  const root = mkdtempSync(path.join(tmpdir(), "ahds-bench-apply-"));
  const caDir = path.join(root, "ca");
  try {
    const sandbox = await startSandbox({ estate, caDir });
    let run: ApplyBenchRun;
    try {
      // Retry-After of each operation's accepting answer, as the sandbox sent it.
      const retryAfter = new Map<string, number>();
      sandbox.onResponse((e) => {
        if (e.method !== "PUT" && e.method !== "PATCH") return;
        const h = Object.fromEntries(Object.entries(e.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
        const id = operationIdOf(h["azure-asyncoperation"] ?? h["location"] ?? "");
        if (id && h["retry-after"] !== undefined) retryAfter.set(id, Number(h["retry-after"]));
      });
      const dir = mkdtempSync(path.join(root, "run-"));
      const { result, plannedSeq } = await runChild(sandbox, { mode: "run", dir, concurrency: o.concurrency });
      const plan = JSON.parse(readFileSync(result.planPath, "utf8")) as Plan;
      run = {
        concurrency: o.concurrency, estate: APPLY_BENCH, throttle: estate.behaviour.throttle, child: result, plan,
        records: result.journalPath ? readRecords(result.journalPath) : [],
        runLog: sandbox.requests().filter((e) => e.seq > plannedSeq && e.host !== "127.0.0.1"),
        operations: [...sandbox.state.operations.values()], retryAfter,
        sandboxMaxRssKiB: 0, resume: null, resumeError: null,
      };
    } finally {
      await sandbox.close();
    }
    try {
      run.resume = await resumeAfterKill(estate, caDir, mkdtempSync(path.join(root, "resume-")), o.concurrency, run.records.length);
    } catch (e) {
      run.resumeError = e instanceof Error ? e.message : String(e);
    }
    run.sandboxMaxRssKiB = process.resourceUsage().maxRSS;
    printApplyReport(run);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
