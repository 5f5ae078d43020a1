// The run engine (DESIGN.md "Apply"): replays the journal, then runs the plan's steps as a DAG — a step
// starts once every step it depends on has succeeded, at most `concurrency` at a time — and journals every
// transition (fsynced) BEFORE it emits the record to `onEvent`: the UI and stdout observe the journal,
// so whatever they showed survives a crash (STYLE.md "The UI and persistence are both observers").
// Failures are values: a failed step is a record, its dependents are skipped "upstream-failed", other
// accounts carry on. Ctrl-C (abortSignal) stops starting steps; in-flight executors see the signal and
// either finish (journaled) or stop without a terminal record, which replay reads as in doubt and the next
// run reconciles by reading Azure — never by repeating a create blindly. Pause (`gate`) is the same
// "stop starting steps" without ending the run: the gate is awaited before a step is journaled as started.
import { randomUUID } from "node:crypto";
import { setMaxListeners } from "node:events";
import type { AzureSession } from "../azure/azure-session.js";
import type { Clock } from "../azure/limiter-clock.js";
import { BugError, ERROR_NAMES, isErrorNamed } from "../domain/errors.js";
import type { JournalRecord, StepState } from "../domain/journal.js";
import type { Plan, PlanStep, StepKind } from "../domain/plan.js";
import type { StepContext, StepExecutor, StepOutcome } from "./executor.js";
import { pendingState, replay } from "./replay.js";

/** What runPlan needs of the journal (src/runner/journal.ts openJournal). */
export interface RunJournal {
  append(record: Omit<JournalRecord, "v" | "seq" | "at">): Promise<JournalRecord>;
  records(): JournalRecord[];
}

export interface RunPlanOptions {
  session: AzureSession;
  journal: RunJournal;
  executors: Record<StepKind, StepExecutor>;
  /** Steps in flight at once (the limiter bounds requests separately). */
  concurrency: number;
  clock: Clock;
  abortSignal?: AbortSignal;
  operationTimeoutMs: number;
  propagationTimeoutMs: number;
  /** Every journaled record, after it is fsynced. */
  onEvent?: (record: JournalRecord) => void;
  /**
   * Pause (the TUI's `p`): awaited before each new step is journaled as started, so while it is pending
   * nothing new starts and nothing is left in doubt by the pause — steps in flight finish and are journaled.
   * Resolves at once when not paused; an abort ends the wait (runPlan races it with abortSignal).
   */
  gate?: () => Promise<void>;
  /** run-started reason beside "resume", e.g. "lock-taken-over:4242@host" (lock.ts takenOver). */
  startReason?: string;
  /**
   * Test-only (AHDS_MIGRATE_TEST_KILL_AFTER_RECORD): SIGKILL this process right after the k-th record
   * appended by this run, to prove a kill at every journal boundary is survivable. Default: the env var;
   * 0 turns it off.
   */
  killAfterRecord?: number;
}

export type RunOutcome = "completed" | "failed-steps" | "interrupted";

export interface RunSummary {
  runId: string;
  outcome: RunOutcome;
  /** Final state of every step of the plan, in plan order. */
  steps: StepState[];
  counts: { succeeded: number; failed: number; skipped: number; pending: number; inDoubt: number };
  /** Steps run (not replayed) in this run, with how they ended. */
  ranThisRun: string[];
}

export const KILL_AFTER_RECORD_ENV = "AHDS_MIGRATE_TEST_KILL_AFTER_RECORD";

export async function runPlan(plan: Plan, o: RunPlanOptions): Promise<RunSummary> {
  const runId = randomUUID();
  const prior = o.journal.records();
  const states = replayStates(prior, plan);
  const killAfter = o.killAfterRecord ?? killAfterFromEnv();
  let appended = 0;

  const record = async (r: Omit<JournalRecord, "v" | "seq" | "at" | "runId">): Promise<JournalRecord> => {
    const rec = await o.journal.append({ runId, ...r });
    appended++;
    // Right after the fsync and before anyone hears of it: the harshest instant to die at.
    if (killAfter !== null && appended === killAfter) process.kill(process.pid, "SIGKILL");
    o.onEvent?.(rec);
    return rec;
  };

  const reasons = [prior.length > 0 ? "resume" : null, o.startReason ?? null].filter((x): x is string => x !== null);
  // The plan this journal belongs to: a later run of another plan under the same NAME is refused (apply-service.ts).
  await record({ type: "run-started", planId: plan.planId, digest: plan.digest, ...(reasons.length ? { reason: reasons.join(";") } : {}) });

  const byId = new Map(plan.steps.map((s) => [s.id, s]));
  // Steps this run will look at: everything not yet succeeded. Failed and skipped steps of an earlier
  // run get a new attempt (the user fixed the cause and ran the same command again).
  const todo = new Set(plan.steps.filter((s) => states.get(s.id)!.status !== "succeeded").map((s) => s.id));
  const running = new Map<string, Promise<void>>();
  const ranThisRun: string[] = [];
  // The steps' signal: the caller's abort (Ctrl-C), or this run stopping on a bug or an unwritable journal.
  const stop = new AbortController();
  const outer = o.abortSignal;
  const onOuterAbort = () => stop.abort(outer?.reason);
  if (outer?.aborted) stop.abort(outer.reason);
  else outer?.addEventListener("abort", onOuterAbort, { once: true });
  const signal = stop.signal;
  // Every in-flight request listens on this one signal; many at once is the design, not a leak.
  setMaxListeners(0, signal);

  const outputsOf = (stepId: string): Record<string, string> | undefined => states.get(stepId)?.outputs ?? undefined;

  const runStep = async (step: PlanStep): Promise<void> => {
    const before = states.get(step.id)!;
    const attempt = before.attempts + 1;
    const inDoubt = before.status === "in-doubt"
      ? { operationUrl: before.operationUrl, operationStartedAt: before.operationStartedAt === null ? null : Date.parse(before.operationStartedAt) }
      : null;
    await record({ type: "step-started", stepId: step.id, attempt });
    states.set(step.id, { ...before, status: "in-doubt", attempts: attempt, error: null, reason: null });
    ranThisRun.push(step.id);
    const ctx: StepContext = {
      session: o.session, plan, outputsOf, inDoubt,
      operationAccepted: async (operationUrl) => {
        const rec = await record({ type: "step-operation-accepted", stepId: step.id, attempt, operationUrl });
        states.set(step.id, { ...states.get(step.id)!, operationUrl, operationStartedAt: rec.at });
      },
      clock: o.clock, abortSignal: signal,
      operationTimeoutMs: o.operationTimeoutMs, propagationTimeoutMs: o.propagationTimeoutMs,
    };
    let outcome: StepOutcome;
    try {
      outcome = await executorOf(o.executors, step).execute(step, ctx);
    } catch (e) {
      // Interrupted mid-step: no terminal record, so the step stays in doubt and is reconciled next run.
      if (signal.aborted) return;
      // Executors turn Azure's answers into outcomes (step-common.ts asOutcome); what still throws is a
      // journal that cannot be written (a lost lock, a full disk) or a bug of ours — never a step failure
      // (issue 8): the run stops, the step stays in doubt, and the CLI reports it (exit 1, stack with --debug).
      throw isOurError(e) ? e : new BugError(`step ${step.id}: ${describe(e)}`, { cause: e });
    }
    if (outcome.status === "succeeded") {
      await record({ type: "step-succeeded", stepId: step.id, attempt, reason: outcome.reason, ...(outcome.outputs ? { outputs: outcome.outputs } : {}) });
      states.set(step.id, { ...states.get(step.id)!, status: "succeeded", outputs: outcome.outputs ?? null, reason: outcome.reason, operationUrl: null });
    } else {
      await record({ type: "step-failed", stepId: step.id, attempt, error: outcome.error });
      states.set(step.id, { ...states.get(step.id)!, status: "failed", error: outcome.error, operationUrl: null });
    }
  };

  // Steps of this run that ended failed or skipped: their dependents cannot run.
  const blocked = new Set<string>();
  // `woke` is sticky: a step that finishes while this loop awaits (a skip record, a closed gate) makes the
  // next pass scan again instead of waiting for another step to finish.
  let woke = false;
  let wake: () => void = () => { woke = true; };
  let onAborted: () => void = () => undefined;
  const aborted = new Promise<void>((res) => { onAborted = res; });
  const onAbort = () => { onAborted(); wake(); };
  if (signal.aborted) onAborted();
  signal.addEventListener("abort", onAbort);
  try {
    for (;;) {
      woke = false;
      let progressed = false;
      for (const id of [...todo]) {
        // The pass awaits (a skip record, the gate), so a step of this snapshot may have finished meanwhile.
        if (!todo.has(id) || running.has(id)) continue;
        const step = byId.get(id)!;
        const deps = step.dependsOn.map((d) => states.get(d)?.status ?? "pending");
        const upstream = step.dependsOn.find((d) => blocked.has(d));
        if (upstream !== undefined) {
          todo.delete(id);
          blocked.add(id);
          await record({ type: "step-skipped", stepId: id, reason: "upstream-failed" });
          states.set(id, { ...states.get(id)!, status: "skipped", reason: "upstream-failed" });
          progressed = true;
          continue;
        }
        if (signal.aborted || running.size >= Math.max(1, o.concurrency)) continue;
        if (!deps.every((s) => s === "succeeded")) continue;
        if (o.gate) {
          // Only this loop starts steps, so the checks above still hold once the gate opens (dependency
          // states never go back); an abort while paused starts nothing.
          await Promise.race([o.gate(), aborted]);
          if (signal.aborted) continue;
        }
        const p = runStep(step).then(() => {
          const s = states.get(id)!.status;
          if (s === "failed") blocked.add(id);
          if (s !== "in-doubt") todo.delete(id);
          running.delete(id);
          wake();
        }, (e: unknown) => {
          running.delete(id);
          throw e;
        });
        // Marked handled here: the loop may sit at a closed gate for long before it races `running` again,
        // and an unobserved rejection would crash the process instead of ending the run (race below).
        p.catch(() => undefined);
        running.set(id, p);
        progressed = true;
      }
      if (running.size === 0) {
        if (progressed && !signal.aborted) continue;
        break;
      }
      if (woke) continue;
      const woken = new Promise<void>((res) => { wake = () => { woke = true; res(); }; });
      // A rejection here is a journal write failing: nothing can be recorded any more, so it ends the run.
      await Promise.race([woken, ...running.values()]);
    }
  } catch (e) {
    // Nothing more is started or journaled by this run: the steps in flight see the abort and stop
    // without a terminal record (in doubt, reconciled next run); wait for them so none writes after we return.
    stop.abort(e);
    await Promise.allSettled(running.values());
    throw e;
  } finally {
    signal.removeEventListener("abort", onAbort);
    outer?.removeEventListener("abort", onOuterAbort);
  }

  const steps = plan.steps.map((s) => states.get(s.id)!);
  const counts = countOf(steps);
  const outcome: RunOutcome = signal.aborted && (counts.pending > 0 || counts.inDoubt > 0) ? "interrupted"
    : counts.failed > 0 || counts.skipped > 0 ? "failed-steps"
      : counts.pending > 0 || counts.inDoubt > 0 ? "interrupted" : "completed";
  await record({ type: "run-finished", reason: outcome });
  return { runId, outcome, steps, counts, ranThisRun };
}

function replayStates(records: JournalRecord[], plan: Plan): Map<string, StepState> {
  const map = replay(records, plan).steps;
  const out = new Map<string, StepState>();
  for (const s of plan.steps) {
    out.set(s.id, map.get(s.id) ?? pendingState(s.id));
  }
  return out;
}

function countOf(steps: StepState[]): RunSummary["counts"] {
  const c = { succeeded: 0, failed: 0, skipped: 0, pending: 0, inDoubt: 0 };
  for (const s of steps) {
    if (s.status === "in-doubt") c.inDoubt++;
    else c[s.status]++;
  }
  return c;
}

function executorOf(executors: Record<StepKind, StepExecutor>, step: PlanStep): StepExecutor {
  const e = executors[step.kind];
  // loadPlanFile's schema admits only known kinds; a missing executor is our own bug, reported as the step's failure.
  if (!e) return { kind: step.kind, execute: async () => ({ status: "failed", error: { code: "NoExecutor", message: `No executor for step kind ${step.kind}.`, requestId: null } }) };
  return e;
}

function describe(e: unknown): string {
  const err = (typeof e === "object" && e !== null ? e : {}) as { name?: unknown; message?: unknown };
  const message = typeof err.message === "string" ? err.message.split("\n")[0]! : String(e);
  return `${typeof err.name === "string" ? err.name : "Error"}: ${message}`;
}

/** One of our named errors (a lost lock …), or a system call that failed (the journal's disk): not a bug. */
function isOurError(e: unknown): boolean {
  return ERROR_NAMES.some((n) => isErrorNamed(e, n)) || typeof (e as { syscall?: unknown } | null)?.syscall === "string";
}

/** The k of AHDS_MIGRATE_TEST_KILL_AFTER_RECORD, or null (unset, or not a positive integer). */
export function killAfterFromEnv(): number | null {
  const raw = process.env[KILL_AFTER_RECORD_ENV];
  if (raw === undefined || raw === "") return null;
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 ? n : null;
}
