// The progress screen's state: the plan's steps per account, folded from the journaled records the run
// hands the UI (the same records `status` replays), plus the limiter's rate, pause and the verify result.
// Pure (STYLE.md); App.tsx feeds it records, ticks and the run's end, and runs the effects it asks for.
import type { JournalRecord } from "../../domain/journal.js";
import type { Plan, PlanStep } from "../../domain/plan.js";
import { bareCommandLine, type CommandLine, type RunOutcome, type RunStats, type VerifyResult } from "../run-view.js";
import { stepTitle } from "../../planner/step-title.js";

export type StepView = "pending" | "running" | "succeeded" | "failed" | "skipped";

export interface ProgressStep {
  id: string;
  accountId: string;
  /** Noun phrase for the log: "Workspace fhirpatients". */
  noun: string;
  status: StepView;
  /** Epoch ms of this run's step-started record, while running. */
  startedAt: number | null;
}

export interface ProgressAccount { id: string; name: string; stepIds: string[] }

export interface LogEntry { key: string; tone: "ok" | "failed" | "skipped"; text: string }

export type VerifyStatus =
  | { state: "none" }
  | { state: "verifying" }
  | { state: "verified"; differences: string[] }
  | { state: "failed"; message: string };

export interface ProgressState {
  planId: string;
  /** Where the plan was exported (the resume and verify commands name it). */
  planPath: string;
  /** The plan's data-copy storage account (planned with one, `s` syncs once the run completed), else null. */
  dataCopyStore: string | null;
  /** Identity of the run request: App starts one run per token. */
  request: object;
  accounts: ProgressAccount[];
  steps: Record<string, ProgressStep>;
  /** Finished steps, in journal order; the screen puts them in <Static>. */
  log: LogEntry[];
  /** Durations of steps this run finished (ETA), from the records' `at`. */
  durationsMs: number[];
  /** Most steps seen running at once (the run's effective concurrency, for the ETA). */
  maxInFlight: number;
  alreadySatisfied: number;
  runStartedAt: number | null;
  nowMs: number | null;
  /** running → (Ctrl-C) stopping → finished; "broken" when the run could not run at all. */
  phase: "running" | "stopping" | "finished" | "broken";
  paused: boolean;
  outcome: RunOutcome | null;
  runError: string | null;
  stats: RunStats;
  verify: VerifyStatus;
}

export type ProgressAction =
  | { type: "record"; record: JournalRecord }
  | { type: "tick"; now: number; stats: RunStats }
  | { type: "toggle-pause" }
  | { type: "stop" }
  /** `r` after a run that did not complete: the same plan file again; runPlan replays its journal. */
  | { type: "resume" }
  | { type: "finished"; outcome: RunOutcome }
  | { type: "run-failed"; message: string }
  | { type: "verifying" }
  | { type: "verified"; result: VerifyResult }
  | { type: "verify-failed"; message: string };

/** "Workspace fhirpatients", "Identity fhir02-fhir-id", …: what a log line says was done. */
export function stepNoun(plan: Plan, step: PlanStep): string {
  const t = plan.accounts.find((a) => a.id === step.accountId)?.target;
  if (!t) return stepTitle(plan.steps, step);
  switch (step.kind) {
    case "ensure-resource-group": return `Resource group ${t.resourceGroup}`;
    case "ensure-workspace": return `Workspace ${t.workspaceName}`;
    case "ensure-identity": return `Identity ${t.identityName}`;
    case "grant-key-role": return `Key role assignment for ${t.identityName}`;
    case "grant-key-access-policy": return `Key access policy for ${t.identityName}`;
    case "create-fhir-service": return `FHIR service ${t.workspaceName}/${t.fhirServiceName}`;
    case "grant-data-role": return `Role assignment ${stepTitle(plan.steps, step)}`;
  }
}

/** `succeeded`: steps an earlier run of this plan file finished (its journal); runPlan never re-runs them. */
export function startProgress(plan: Plan, planPath: string, succeeded: readonly string[] = []): ProgressState {
  const steps: Record<string, ProgressStep> = {};
  const done = new Set(succeeded);
  for (const s of plan.steps) steps[s.id] = { id: s.id, accountId: s.accountId, noun: stepNoun(plan, s), status: done.has(s.id) ? "succeeded" : "pending", startedAt: null };
  const accounts = plan.accounts.filter((a) => a.status === "planned")
    .map((a) => ({ id: a.id, name: a.name, stepIds: plan.steps.filter((s) => s.accountId === a.id).map((s) => s.id) }));
  return { planId: plan.planId, planPath, dataCopyStore: plan.choices.storageAccount ?? null, request: {}, accounts, steps, log: [], durationsMs: [], maxInFlight: 0, alreadySatisfied: 0,
    runStartedAt: null, nowMs: null, phase: "running", paused: false, outcome: null, runError: null,
    stats: { requestsPerSecond: 0, throttled429: 0 }, verify: { state: "none" } };
}

const VERB: Record<string, string> = { created: "created", "already-satisfied": "already satisfied", reconciled: "found as planned (reconciled)" };

function foldRecord(s: ProgressState, r: JournalRecord): ProgressState {
  const at = Date.parse(r.at);
  if (r.type === "run-started") return { ...s, runStartedAt: at, nowMs: Math.max(s.nowMs ?? at, at) };
  if (r.type === "run-finished") return { ...s, outcome: (r.reason as RunOutcome | undefined) ?? s.outcome };
  const step = r.stepId === undefined ? undefined : s.steps[r.stepId];
  if (!step) return s;
  const put = (next: Partial<ProgressStep>, more: Partial<ProgressState> = {}): ProgressState =>
    ({ ...s, ...more, steps: { ...s.steps, [step.id]: { ...step, ...next } } });
  const log = (tone: LogEntry["tone"], text: string) => [...s.log, { key: String(r.seq), tone, text }];
  const durations = step.startedAt === null ? s.durationsMs : [...s.durationsMs, Math.max(0, at - step.startedAt)];
  switch (r.type) {
    case "step-started": {
      const running = Object.values(s.steps).filter((x) => x.status === "running" && x.id !== step.id).length + 1;
      return put({ status: "running", startedAt: at }, { maxInFlight: Math.max(s.maxInFlight, running) });
    }
    case "step-operation-accepted": return s;
    case "step-succeeded": {
      const satisfied = r.reason === "already-satisfied" ? 1 : 0;
      return put({ status: "succeeded", startedAt: null }, { durationsMs: durations, alreadySatisfied: s.alreadySatisfied + satisfied,
        log: log("ok", `${step.noun} ${VERB[r.reason ?? "created"] ?? r.reason ?? "done"}`) });
    }
    case "step-failed": {
      const e = r.error;
      const why = e ? `${e.code}: ${e.message}${e.requestId ? ` (request ${e.requestId})` : ""}` : "no reason recorded";
      return put({ status: "failed", startedAt: null }, { durationsMs: durations, log: log("failed", `${step.noun} failed: ${why}`) });
    }
    case "step-skipped":
      // An interrupted step was never started: it is still to do, and the next apply does it.
      if (r.reason === "interrupted") return put({ status: "pending", startedAt: null }, { log: log("skipped", `${step.noun} not started: the run was interrupted`) });
      return put({ status: "skipped", startedAt: null }, { log: log("skipped", `${step.noun} skipped: ${r.reason === "upstream-failed" ? "a step it needs failed" : r.reason ?? "no reason recorded"}`) });
  }
}

export function progressReducer(s: ProgressState, a: ProgressAction): ProgressState {
  switch (a.type) {
    case "record": return foldRecord(s, a.record);
    case "tick": return { ...s, nowMs: a.now, stats: a.stats };
    case "toggle-pause": return s.phase === "running" ? { ...s, paused: !s.paused } : s;
    case "stop": return s.phase === "running" ? { ...s, phase: "stopping" } : s;
    case "resume": return canResume(s) ? { ...s, phase: "running", request: {}, outcome: null, runError: null, verify: { state: "none" } } : s;
    case "finished": return s.phase === "running" || s.phase === "stopping" ? { ...s, phase: "finished", paused: false, outcome: a.outcome } : s;
    case "run-failed": return s.phase === "finished" ? s : { ...s, phase: "broken", paused: false, runError: a.message };
    case "verifying": return s.phase === "finished" && s.verify.state === "none" ? { ...s, verify: { state: "verifying" } } : s;
    case "verified": return s.verify.state === "verifying" ? { ...s, verify: { state: "verified", differences: a.result.differences } } : s;
    case "verify-failed": return s.verify.state === "verifying" ? { ...s, verify: { state: "failed", message: a.message } } : s;
  }
}

export interface Counts { total: number; finished: number; succeeded: number; failed: number; skipped: number; running: number; pending: number }

export function countsOf(steps: ProgressStep[]): Counts {
  const c: Counts = { total: steps.length, finished: 0, succeeded: 0, failed: 0, skipped: 0, running: 0, pending: 0 };
  for (const x of steps) c[x.status === "pending" ? "pending" : x.status]++;
  c.finished = c.succeeded + c.failed + c.skipped;
  return c;
}

export function accountCounts(s: ProgressState, a: ProgressAccount): Counts {
  return countsOf(a.stepIds.map((id) => s.steps[id]!));
}

export function overallCounts(s: ProgressState): Counts {
  return countsOf(Object.values(s.steps));
}

/**
 * Time left: the mean duration of the steps this run finished, times the rounds of `maxInFlight` steps
 * still to go. Null until a step has finished (no basis) and once nothing is left.
 */
export function etaMs(s: ProgressState): number | null {
  const c = overallCounts(s);
  const left = c.total - c.finished;
  if (s.durationsMs.length === 0 || left === 0) return null;
  const mean = s.durationsMs.reduce((x, y) => x + y, 0) / s.durationsMs.length;
  return Math.round(mean * Math.ceil(left / Math.max(1, s.maxInFlight)));
}

/** A run that ended short of completed (interrupted, failed steps, or could not start) can go again. */
export function canResume(s: ProgressState): boolean {
  return s.phase === "broken" || (s.phase === "finished" && s.outcome !== "completed");
}

/** `s` after a run that completed with nothing failed, for a plan made with a data-copy store: the sync screen of the same file. */
export function canSync(s: ProgressState): boolean {
  return s.phase === "finished" && s.outcome === "completed" && overallCounts(s).failed === 0 && s.dataCopyStore !== null;
}

/** Whether Azure should be verified now: a run that completed, when the caller can verify. */
export function wantsVerify(s: ProgressState): boolean {
  return s.phase === "finished" && s.outcome === "completed" && s.verify.state === "none";
}

/**
 * The exit code leaving the UI after this run (DESIGN.md exit codes), or null when the run says nothing:
 * 4 failed steps (or verify found differences), 130 interrupted, 1 a run that could not run at all.
 */
export function runExitCode(s: ProgressState): number | null {
  if (s.phase === "broken") return 1;
  if (s.phase !== "finished") return null;
  if (s.outcome === "interrupted") return 130;
  if (s.outcome === "failed-steps" || overallCounts(s).failed > 0) return 4;
  if (s.verify.state === "verified" && s.verify.differences.length > 0) return 4;
  return null;
}

/** What to do next, after the run: the command that resumes, or the one that verifies. */
export function exitHint(s: ProgressState, command: CommandLine = bareCommandLine): string | null {
  if (s.phase === "broken") return `Fix the cause, then run: ${command("apply", s.planPath)}`;
  if (s.phase !== "finished") return null;
  if (s.outcome === "interrupted") return `Interrupted. Resume with: ${command("apply", s.planPath)}`;
  if (overallCounts(s).failed > 0 || s.outcome === "failed-steps") {
    return `Fix what failed, then resume (done steps are kept): ${command("apply", s.planPath)}`;
  }
  return `Check any time with: ${command("verify", s.planPath)}`;
}
