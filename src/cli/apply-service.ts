// The one apply sequence (issue 8: it existed twice, and the TUI's copy skipped the foreign-journal check).
// `apply` and the TUI's `a` are thin callers of applyPlanFile (Shopify's thin command over a service): the
// plan FILE (format + digest, step rules) → the caller's preflight (--yes / TTY) → sign-in and staleness →
// the plan made again from its choices (rederive-plan.ts) → NAME.lock →
// the caller's confirmation → NAME.journal.jsonl (every append checks the lock is still ours) → what the
// journal says (torn last line, two writers) → a journal of another plan refused → runPlan.
import { setMaxListeners } from "node:events";
import type { AzureSession } from "../azure/azure-session.js";
import type { Clock } from "../azure/limiter-clock.js";
import { PlanFormatError } from "../domain/errors.js";
import type { JournalRecord } from "../domain/journal.js";
import type { Plan } from "../domain/plan.js";
import type { DiscoveryProgress } from "../inventory/progress.js";
import type { RunSummary } from "../runner/run-plan.js";
import type { CommandContext } from "./command-context.js";
import { loadPlanForRun, refuseStalePlan } from "./apply-preflight.js";
import { refuseUnplannable } from "./rederive-plan.js";
import { journalWarnings } from "./journal-warnings.js";
import { planPaths } from "./plan-files.js";

export interface ApplyServiceOptions {
  planPath: string;
  ctx: CommandContext;
  session: AzureSession;
  clock: Clock;
  abortSignal: AbortSignal;
  concurrency: number;
  operationTimeoutMs: number;
  propagationTimeoutMs: number;
  forceUnlock?: boolean;
  /** Pause (the TUI's `p`), runPlan's gate. */
  gate?: () => Promise<void>;
  onEvent?: (record: JournalRecord) => void;
  /** One line the user must see (a lock taken over, a torn journal line, two writers found): stderr or the UI. */
  notice: (line: string) => void;
  /** Discovery's progress while the plan is made again (apply: a TTY line), and its end. */
  onRederiveProgress?: (p: DiscoveryProgress) => void;
  onRederived?: () => void;
  /** Right after the plan file is loaded, before anything is read from Azure (apply: --yes / TTY). */
  preflight?: (plan: Plan) => void;
  /** Holding the lock, before the journal is opened; false: nothing is applied. */
  confirm?: (plan: Plan) => Promise<boolean>;
  /** Once the journal is read: "Applying …" / "Resuming …". */
  onStart?: (plan: Plan, priorRecords: number) => void;
}

export type ApplyResult = { plan: Plan; summary: RunSummary } | { plan: Plan; summary: null };

export async function applyPlanFile(o: ApplyServiceOptions): Promise<ApplyResult> {
  const paths = planPaths(o.planPath);
  const plan = await loadPlanForRun(o.planPath, o.ctx);
  o.preflight?.(plan);
  const { acquireLock } = await import("../runner/lock.js");
  const { openJournal } = await import("../runner/journal.js");
  const { runPlan } = await import("../runner/run-plan.js");
  const { replay } = await import("../runner/replay.js");
  const { EXECUTORS } = await import("../runner/executors.js");

  // Every in-flight request listens on the one signal (staleness reads, then the steps): not a leak.
  setMaxListeners(0, o.abortSignal);
  await refuseStalePlan(o.planPath, plan, o.session, o.abortSignal);
  await refuseUnplannable(o.planPath, plan, o.session, { abortSignal: o.abortSignal, ...(o.onRederiveProgress ? { onProgress: o.onRederiveProgress } : {}) });
  o.onRederived?.();
  const lock = await acquireLock(paths.lock, { clock: o.clock, forceUnlock: o.forceUnlock === true });
  try {
    if (lock.takenOver) {
      o.notice(`Took over the lock of process ${lock.takenOver.pid} on ${lock.takenOver.host} (started ${lock.takenOver.startedAt})`
        + `${o.forceUnlock ? " (--force-unlock): it stops at its next journal write." : ", which is no longer running."}`);
    }
    if (o.confirm && !(await o.confirm(plan))) return { plan, summary: null };
    const journal = await openJournal(paths.journal, { clock: o.clock, beforeAppend: () => lock.assertHeld() });
    try {
      const opened = journal.opened;
      const replayed = replay(opened.records, plan);
      const warnings = journalWarnings(paths.journal, opened, replayed, "they are checked against Azure now");
      for (const w of warnings.reading) o.notice(w);
      refuseForeignJournal(plan, replayed, paths.journal);
      if (warnings.conflicts) o.notice(warnings.conflicts);
      o.onStart?.(plan, opened.records.length);
      const summary = await runPlan(plan, {
        session: o.session, journal, executors: EXECUTORS, clock: o.clock, abortSignal: o.abortSignal,
        concurrency: o.concurrency, operationTimeoutMs: o.operationTimeoutMs, propagationTimeoutMs: o.propagationTimeoutMs,
        ...(o.gate ? { gate: o.gate } : {}),
        ...(lock.takenOver ? { startReason: `lock-taken-over:${lock.takenOver.pid}@${lock.takenOver.host}` } : {}),
        ...(o.onEvent ? { onEvent: o.onEvent } : {}),
      });
      return { plan, summary };
    } finally {
      await journal.close();
    }
  } finally {
    await lock.release();
  }
}

/**
 * A journal of another plan under the same NAME (the plan file was replaced): its run-started records name
 * another planId, or (journals written before planIds were journaled) it names steps this plan lacks.
 * Resuming it would count steps done with another plan's request bodies as done.
 */
export function refuseForeignJournal(plan: Plan, r: { planIds: string[]; unknownStepIds: string[] }, journalPath: string): void {
  const other = r.planIds.find((id) => id !== plan.planId);
  const archived = journalPath.replace(/\.journal\.jsonl$/, `.journal.${other ?? "old"}.jsonl`);
  const steps = [`Move it aside (mv ${journalPath} ${archived}) to start ${plan.planId} afresh, or apply the plan it belongs to.`];
  if (other !== undefined) {
    throw new PlanFormatError(`${journalPath} is the journal of ${other}, not of ${plan.planId}: the plan file was replaced after it was applied.`, steps);
  }
  if (r.unknownStepIds.length > 0) {
    throw new PlanFormatError(`${journalPath} names step ${r.unknownStepIds[0]}, which ${plan.planId} does not have: it is the journal of another plan.`, steps);
  }
}
