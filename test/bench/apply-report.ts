// The apply benchmark's printed report (issue 5 "Benchmark"): run time against the longest per-account
// critical path, 429s and failed steps, polls per long-running operation, the time to resume after a
// SIGKILL, peak RSS — each goal with PASS/FAIL. It prints; it never asserts.
import type { JournalRecord } from "../../src/domain/journal.js";
import type { Plan } from "../../src/domain/plan.js";
import type { Behaviour, OperationRecord } from "../../src/sandbox/estate-types.js";
import type { RequestLogEntry } from "../../src/sandbox/request-log.js";
import type { ApplyChildResult } from "./apply-protocol.js";
import { armTargetOf, criticalPath, pollsPerOperation, stepDurations } from "./apply-stats.js";
import { countBy } from "./request-stats.js";

export interface ResumeRun {
  killAt: number;
  /** --concurrency of both CLI runs (the run's, capped at the CLI's 64). */
  concurrency: number;
  recordsInFullRun: number;
  killedSignal: NodeJS.Signals | null;
  killedCode: number | null;
  recordsAfterKill: number;
  succeededBeforeKill: number;
  steps: number;
  resumedCode: number | null;
  /** ms from spawning the resuming `apply` to its "Resuming …" line (journal re-read). */
  resumingMs: number | null;
  /** … to the first request the sandbox received after that line. */
  firstNewRequestMs: number | null;
  /** … to its first request of all (sign-in, staleness check). */
  firstRequestMs: number | null;
  finishedMs: number;
  requests: number;
  /** PUTs of the resumed run to a step that had succeeded before the kill (goal 0). */
  resentPuts: number;
  lastRecord: JournalRecord | null;
  stderrTail: string;
}

export interface ApplyBenchRun {
  concurrency: number;
  estate: { accounts: number; subscriptions: number; vaults: number; latencyMs: number; operationDurationMs: Record<string, number> };
  throttle: Behaviour["throttle"];
  child: ApplyChildResult;
  plan: Plan;
  records: JournalRecord[];
  /** Sandbox log of the run (after planning). */
  runLog: RequestLogEntry[];
  operations: OperationRecord[];
  retryAfter: Map<string, number>;
  sandboxMaxRssKiB: number;
  resume: ResumeRun | null;
  resumeError: string | null;
}

const s = (ms: number | null): string => (ms === null ? "—" : `${(ms / 1000).toFixed(2)} s`);
const verdict = (ok: boolean): string => (ok ? "PASS" : "FAIL");
const mib = (kib: number): string => `${(kib / 1024).toFixed(0)} MiB`;
const short = (type: string): string => type.split("/").at(-1)!;

function table(rows: (string | number)[][], indent = "  "): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, String(c).length)));
  return rows.map((r) => indent + r.map((c, i) => (typeof c === "number" ? String(c).padStart(widths[i]!) : String(c).padEnd(widths[i]!)))
    .join("  ").trimEnd()).join("\n");
}

export function printApplyReport(run: ApplyBenchRun): void {
  const out: string[] = [];
  const say = (x = "") => out.push(x);
  const c = run.child;
  const e = run.estate;
  say("ahds-migrate apply benchmark (issue 5)");
  say(`estate: ${e.accounts} accounts in ${e.subscriptions} subscriptions, ${e.vaults} RBAC vaults; operations `
    + Object.entries(e.operationDurationMs).map(([k, v]) => `${short(k)} ${v / 1000} s`).join(", ")
    + `; rolePropagationMs 0; latency ${e.latencyMs} ms; throttle writes ${JSON.stringify(run.throttle.writes)} reads ${JSON.stringify(run.throttle.reads)}; loopback only`);
  say(`plan: ${c.plannedAccounts} accounts planned (${c.notPlannedAccounts} not), ${c.steps} steps `
    + `(${[...countBy(run.plan.steps, (x) => x.kind)].map(([k, n]) => `${k} ${n}`).join(", ")}); planning took ${s(c.planMs)}`);
  say(`runPlan: concurrency ${run.concurrency}, real executors, journal fsynced; outcome ${c.outcome} ${JSON.stringify(c.counts)}`);
  say();

  const durations = stepDurations(run.records);
  const cp = criticalPath(run.plan.steps, durations, run.concurrency);
  const runMs = c.runMs ?? NaN;
  const ratio = runMs / cp.ms;
  const boundMs = Math.max(cp.ms, cp.concurrencyBoundMs);
  const failed = run.records.filter((r) => r.type === "step-failed");
  const throttled = run.runLog.filter((x) => x.status === 429);
  const polls = pollsPerOperation(run.operations, run.runLog, run.retryAfter);
  const overGoal = polls.filter((p) => p.polls > p.goal);
  const maxPolls = Math.max(0, ...polls.map((p) => p.polls));

  say("RUN");
  const byKind = new Map<string, number[]>();
  for (const step of run.plan.steps) {
    const d = durations.get(step.id);
    if (d !== undefined) byKind.set(step.kind, [...(byKind.get(step.kind) ?? []), d]);
  }
  say(table([
    ["run time (runPlan, child)", s(runMs)],
    ["re-derivation before it (apply, plan --check)", `${s(c.rederiveMs)}  (${c.rederiveMs === null ? "—" : `${((c.rederiveMs / runMs) * 100).toFixed(1)}% of the run`}; planning took ${s(c.planMs)})`],
    ["longest per-account critical path", `${s(cp.ms)}  (${cp.accountId.split("/").at(-1)}: ${cp.chain.map((x) => `${x.kind} ${s(x.ms)}`).join(" → ")})`],
    ["Σ step durations ÷ concurrency", `${s(cp.concurrencyBoundMs)}  (Σ ${s(cp.sumMs)} ÷ ${run.concurrency}: no schedule of ${run.concurrency} steps in flight ends sooner)`],
    ["run time ÷ max(critical path, Σ ÷ concurrency)", `${(runMs / boundMs).toFixed(2)}`],
    ["requests during the run (sandbox)", `${run.runLog.length}  (${[...countBy(run.runLog, (x) => `${x.method} ${x.status}`)].map(([k, n]) => `${k} ×${n}`).join(", ")})`],
    ["peak RSS", `child (plan + run) ${mib(c.maxRssKiB)}; sandbox process ${mib(run.sandboxMaxRssKiB)}`],
    ["limiter.stats()", JSON.stringify(c.limiterStats)],
  ]));
  say();
  say("MEASURED STEP DURATIONS by kind (journal step-started → terminal record): min / median / max");
  say(table([["kind", "steps", "min", "median", "max"], ...[...byKind].map(([k, ds]) => {
    const sorted = [...ds].sort((a, b) => a - b);
    return [k, ds.length, s(sorted[0]!), s(sorted[Math.floor(sorted.length / 2)]!), s(sorted.at(-1)!)];
  })]));
  say();

  say("POLLS PER OPERATION (GETs of its operationresults URL; goal ceil(duration ÷ Retry-After) + 2)");
  const dist = countBy(polls, (p) => `${short(p.resourceType)}\t${p.durationMs / 1000} s\tRetry-After ${p.retryAfterS ?? "—"} s\tgoal ≤ ${p.goal}\t${p.polls} polls`);
  say(table([["type", "duration", "first Retry-After", "goal", "polls", "operations"], ...[...dist].map(([k, n]) => [...k.split("\t"), n])]));
  say(`  ${polls.length} operations; max ${maxPolls} polls; ${overGoal.length} over their goal`);
  say();

  say("REQUESTS DURING THE RUN by method, target type and status (sandbox log)");
  const ops = countBy(run.runLog, (x) => `${x.method} ${armTargetOf(x.path)} ${x.status}`);
  say(table([...ops].map(([k, n]) => [k, n])));
  say();

  say(`RESUME AFTER A KILL (fresh sandbox, same estate; the built CLI \`apply PLAN --yes --concurrency ${run.resume?.concurrency ?? "…"}\`)`);
  const r = run.resume;
  if (run.resumeError) say(`  FAILED: ${run.resumeError}`);
  if (r) {
    say(table([
      ["killed run", `AHDS_MIGRATE_TEST_KILL_AFTER_RECORD=${r.killAt} of ${r.recordsInFullRun} records → exit ${r.killedSignal ?? r.killedCode}; journal holds ${r.recordsAfterKill} records, ${r.succeededBeforeKill} of ${r.steps} steps succeeded`],
      ["resumed run: spawn → first request", `${s(r.firstRequestMs)}  (node start, sign-in, staleness check begin)`],
      ["resumed run: spawn → journal re-read", `${s(r.resumingMs)}  ("Resuming …" on stderr: plan loaded, staleness checked, lock taken over, journal replayed)`],
      ["resumed run: spawn → first new request", `${s(r.firstNewRequestMs)}  (first request the sandbox received after that line)`],
      ["resumed run: spawn → finished", `${s(r.finishedMs)}  exit ${r.resumedCode}; last record ${r.lastRecord ? `${r.lastRecord.type} ${r.lastRecord.reason ?? ""}` : "—"}`],
      ["requests of the resumed run", `${r.requests}; PUTs re-sent for steps succeeded before the kill: ${r.resentPuts}`],
    ]));
    if (r.stderrTail) say(`  stderr tail:\n    ${r.stderrTail.split("\n").join("\n    ")}`);
  }
  say();

  say("GOALS");
  say(table([
    ["goal", "target", "measured", "result"],
    ["run time ÷ longest per-account critical path", "≤ 1.3", `${ratio.toFixed(2)}  (${s(runMs)} / ${s(cp.ms)})`, verdict(ratio <= 1.3)],
    ["429s turned into a failure", "none", `${throttled.length} × 429 seen at the sandbox; ${failed.length} step-failed records`
      + (failed.length ? ` (${[...countBy(failed, (x) => x.error?.code ?? "?")].map(([k, n]) => `${k} ×${n}`).join(", ")})` : ""), verdict(failed.length === 0)],
    ["polls per operation", "≤ ceil(duration ÷ Retry-After) + 2", `max ${maxPolls}; ${overGoal.length} of ${polls.length} over`, verdict(polls.length > 0 && overGoal.length === 0)],
    ["resume after a kill completes, no succeeded step re-sent", "exit 0, 0 PUTs", r ? `exit ${r.resumedCode}, ${r.resentPuts} PUTs; ${s(r.firstNewRequestMs)} to first new request, ${s(r.finishedMs)} to finish` : "not measured",
      verdict(r !== null && r.resumedCode === 0 && r.resentPuts === 0)],
  ]));
  console.log(out.join("\n"));
}
