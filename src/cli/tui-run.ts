// The TUI's `a` (src/ui/run-view.ts RunActions): apply-service.ts, the one apply sequence `apply` runs too —
// the exported plan file loaded back (format + digest), staleness, NAME.lock, NAME.journal.jsonl and
// runPlan with the UI as the onEvent observer; verifyPlan of that same file afterwards.
// Pause is runPlan's `gate`: while paused no new step is journaled as started (steps in flight finish and
// are journaled), so a crash while paused leaves nothing in doubt that the pause held back.
import type { AzureSession } from "../azure/azure-session.js";
import type { LimiterStats } from "../azure/limiter.js";
import type { Plan } from "../domain/plan.js";
import { UserError } from "../domain/errors.js";
import type { RunActions, RunStats } from "../ui/run-view.js";
import type { CommandContext } from "./command-context.js";
import { DEFAULT_CONCURRENCY, DEFAULT_OPERATION_TIMEOUT_MIN, DEFAULT_PROPAGATION_TIMEOUT_MIN, resumeCommand } from "./commands/apply.js";

export interface TuiRunOptions {
  ctx: Pick<CommandContext, "cloud" | "debug" | "profile" | "profilePath">;
  /** The session inventory signed in with (one limiter for reads and writes). */
  session: () => AzureSession;
  /** Where the UI exported this plan (the TUI exports before it applies). */
  planPathOf: (plan: Plan) => string | undefined;
  concurrency?: number;
  /** Where the service's notices go (a lock taken over, a torn journal line); default: dropped. */
  notice?: (line: string) => void;
}

export function tuiRunActions(o: TuiRunOptions): RunActions {
  return {
    // With --profile when the UI runs on one (the sandbox's child does), as `apply` prints it.
    commandLine: (verb, planPath) => planCommand(o.ctx, verb, planPath),
    startRun(shown, onEvent) {
      const abort = new AbortController();
      const gate = pauseGate();
      let stats: () => RunStats = () => ({ requestsPerSecond: 0, throttled429: 0 });
      const done = (async () => {
        const planPath = o.planPathOf(shown);
        if (!planPath) throw new UserError(`${shown.planId} is not exported yet.`, ["Press e to export it, then a again."]);
        const { realClock } = await import("../azure/limiter-clock.js");
        const { applyPlanFile } = await import("./apply-service.js");
        const session = o.session();
        const limiter = session.limiter;
        stats = requestRate(() => limiter.stats(), realClock.now);
        // The same service as `apply` (issue 8): the file, not the plan on screen, is what runs.
        const result = await applyPlanFile({
          planPath, ctx: o.ctx as CommandContext, session, clock: realClock, abortSignal: abort.signal, gate: gate.wait,
          concurrency: o.concurrency ?? DEFAULT_CONCURRENCY,
          operationTimeoutMs: DEFAULT_OPERATION_TIMEOUT_MIN * 60_000, propagationTimeoutMs: DEFAULT_PROPAGATION_TIMEOUT_MIN * 60_000,
          notice: o.notice ?? (() => undefined), onEvent,
        });
        return { outcome: result.summary!.outcome };
      })();
      return { done, pause: gate.pause, resume: gate.resume, abort: () => abort.abort(), stats: () => stats() };
    },
    async verify(shown) {
      const { verifyPlan } = await import("../runner/verify.js");
      // The file `a` applied (as `ahds-migrate verify PLAN` reads it), not the plan held in memory.
      const planPath = o.planPathOf(shown);
      if (!planPath) throw new UserError(`${shown.planId} is not exported yet.`, ["Press e to export it, then a again."]);
      const { loadPlanForRun } = await import("./apply-preflight.js");
      const plan = await loadPlanForRun(planPath, o.ctx as CommandContext);
      const diffs = await verifyPlan(plan, o.session());
      return { differences: diffs.map((d) => `${d.target}: ${d.field} is ${d.actual}, the plan says ${d.expected}`) };
    },
  };
}

/** `ahds-migrate [--profile …] VERB PLAN` as apply's resume command names it (with the profile the UI runs on). */
export function planCommand(ctx: Pick<CommandContext, "cloud" | "debug" | "profile" | "profilePath">, verb: "apply" | "verify" | "sync", planPath: string): string {
  const apply = resumeCommand(planPath, ctx as CommandContext, false);
  return verb === "apply" ? apply : apply.replace(/ apply /, ` ${verb} `);
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
