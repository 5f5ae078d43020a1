// The TUI's `a` (src/ui/run-view.ts RunActions), built from what `apply` and `verify` use: the exported plan
// file loaded back (format + digest: the run works only from the file, as `apply` would), staleness,
// NAME.lock, NAME.journal.jsonl and runPlan with the UI as the onEvent observer; verifyPlan afterwards.
// Pause is runPlan's `gate`: while paused no new step is journaled as started (steps in flight finish and
// are journaled), so a crash while paused leaves nothing in doubt that the pause held back.
import type { AzureSession } from "../azure/azure-session.js";
import type { LimiterStats } from "../azure/limiter.js";
import type { Plan } from "../domain/plan.js";
import { UserError } from "../domain/errors.js";
import type { RunActions, RunStats } from "../ui/run-view.js";
import type { CommandContext } from "./command-context.js";
import { DEFAULT_CONCURRENCY, DEFAULT_OPERATION_TIMEOUT_MIN, DEFAULT_PROPAGATION_TIMEOUT_MIN, resumeCommand } from "./commands/apply.js";
import { planPaths } from "./plan-files.js";

export interface TuiRunOptions {
  ctx: Pick<CommandContext, "cloud" | "debug" | "profile" | "profilePath">;
  /** The session inventory signed in with (one limiter for reads and writes). */
  session: () => AzureSession;
  /** Where the UI exported this plan (the TUI exports before it applies). */
  planPathOf: (plan: Plan) => string | undefined;
  concurrency?: number;
}

export function tuiRunActions(o: TuiRunOptions): RunActions {
  return {
    // With --profile when the UI runs on one (the sandbox's child does), as `apply` prints it.
    commandLine: (verb, planPath) => {
      const apply = resumeCommand(planPath, o.ctx as CommandContext, false);
      return verb === "apply" ? apply : apply.replace(/ apply /, " verify ");
    },
    startRun(shown, onEvent) {
      const abort = new AbortController();
      const gate = pauseGate();
      let stats: () => RunStats = () => ({ requestsPerSecond: 0, throttled429: 0 });
      const done = (async () => {
        const planPath = o.planPathOf(shown);
        if (!planPath) throw new UserError(`${shown.planId} is not exported yet.`, ["Press e to export it, then a again."]);
        const { loadPlanForRun, refuseStalePlan } = await import("./apply-preflight.js");
        const { realClock } = await import("../azure/limiter-clock.js");
        const { acquireLock } = await import("../runner/lock.js");
        const { openJournal } = await import("../runner/journal.js");
        const { runPlan } = await import("../runner/run-plan.js");
        const { EXECUTORS } = await import("../runner/executors.js");
        const plan = await loadPlanForRun(planPath, o.ctx as CommandContext);
        const session = o.session();
        const limiter = session.limiter;
        stats = requestRate(() => limiter.stats(), realClock.now);
        await refuseStalePlan(planPath, plan, session, abort.signal);
        const paths = planPaths(planPath);
        const lock = await acquireLock(paths.lock, { clock: realClock });
        try {
          const journal = await openJournal(paths.journal, { clock: realClock });
          try {
            const summary = await runPlan(plan, {
              session, journal, executors: EXECUTORS, gate: gate.wait, clock: realClock, abortSignal: abort.signal,
              concurrency: o.concurrency ?? DEFAULT_CONCURRENCY,
              operationTimeoutMs: DEFAULT_OPERATION_TIMEOUT_MIN * 60_000, propagationTimeoutMs: DEFAULT_PROPAGATION_TIMEOUT_MIN * 60_000,
              ...(lock.takenOver ? { startReason: `lock-taken-over:${lock.takenOver.pid}@${lock.takenOver.host}` } : {}),
              onEvent,
            });
            return { outcome: summary.outcome };
          } finally {
            await journal.close();
          }
        } finally {
          await lock.release();
        }
      })();
      return { done, pause: gate.pause, resume: gate.resume, abort: () => abort.abort(), stats: () => stats() };
    },
    async verify(shown) {
      const { verifyPlan } = await import("../runner/verify.js");
      const diffs = await verifyPlan(shown, o.session());
      return { differences: diffs.map((d) => `${d.target}: ${d.field} is ${d.actual}, the plan says ${d.expected}`) };
    },
  };
}

/** runPlan's pause gate: wait() resolves at once while open, and on resume() while paused. */
export function pauseGate() {
  let opened: Promise<void> = Promise.resolve();
  let open: (() => void) | null = null;
  return {
    pause() { if (!open) opened = new Promise<void>((res) => { open = res; }); },
    resume() { const o = open; open = null; o?.(); },
    wait: (): Promise<void> => opened,
  };
}

/** Requests per second since the previous call (the UI asks about once a second), and the 429s so far. */
export function requestRate(read: () => Pick<LimiterStats, "requests" | "throttled429">, now: () => number): () => RunStats {
  let last = { at: now(), requests: read().requests };
  return () => {
    const s = read();
    const at = now();
    const seconds = (at - last.at) / 1000;
    const requestsPerSecond = seconds > 0 ? (s.requests - last.requests) / seconds : 0;
    last = { at, requests: s.requests };
    return { requestsPerSecond, throttled429: s.throttled429 };
  };
}
