// Resume = replay (DESIGN.md "Files the tool owns"): the state of every step of the plan, folded from the
// journal's records in line order. A step started with no terminal record after it is "in-doubt": the engine
// reconciles it by reading Azure (and keeps polling its journaled operation URL), never by repeating it.
// Pure: `status` and the run engine both use it.
import type { JournalRecord, StepState } from "../domain/journal.js";
import type { Plan } from "../domain/plan.js";

export interface LastRun {
  runId: string;
  startedAt: string;
  /** run-started reason ("resume", "lock-taken-over:<pid>@<host>"), null for a first run. */
  startReason: string | null;
  finishedAt: string | null;
  /** run-finished reason ("completed" | "failed-steps" | "interrupted"); null: the run never finished (killed). */
  finishReason: string | null;
}

export interface Replayed {
  /** Every step of the plan, in plan order (Map insertion order). */
  steps: Map<string, StepState>;
  /** Number of run-started records: how many times apply ran this plan. */
  runs: number;
  lastRun: LastRun | null;
  /** Step ids the journal names but the plan does not have (a journal of another plan under the same NAME). */
  unknownStepIds: string[];
  /** Steps two runners journaled disagreeing outcomes for: in doubt (StepState.conflict). */
  conflictingStepIds: string[];
  /** planIds of the journal's run-started records (none in journals of ahds-migrate before issue 8). */
  planIds: string[];
}

/** A step of the plan that nothing has been journaled for yet. */
export function pendingState(stepId: string): StepState {
  return { stepId, status: "pending", attempts: 0, operationUrl: null, operationStartedAt: null, outputs: null, error: null, reason: null, conflict: false };
}

type Terminal = "succeeded" | "failed" | "skipped";

/** Two terminal records of a step that say different things (another outcome, or other outputs). */
function disagree(a: { status: Terminal; outputs: Record<string, string> | null }, b: JournalRecord): boolean {
  const bStatus: Terminal = b.type === "step-succeeded" ? "succeeded" : b.type === "step-failed" ? "failed" : "skipped";
  if (a.status !== bStatus) return true;
  if (bStatus !== "succeeded") return false;
  const x = a.outputs ?? {};
  const y = b.outputs ?? {};
  const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
  return [...keys].some((k) => x[k]?.toLowerCase() !== y[k]?.toLowerCase());
}

export function replay(records: readonly JournalRecord[], plan: Pick<Plan, "steps">): Replayed {
  const steps = new Map<string, StepState>();
  for (const s of plan.steps) steps.set(s.id, pendingState(s.id));
  const unknown = new Set<string>();
  let runs = 0;
  let lastRun: LastRun | null = null;
  // Per step: which run wrote its current terminal record and at which index, and the index of each run's
  // latest step-started of it — a terminal record of run B that disagrees with run A's, where B's attempt
  // started before A's record (B never saw it), is a conflict: two runners at once (issue 8 item 3).
  const terminalBy = new Map<string, { runId: string; index: number }>();
  const startedAt = new Map<string, Map<string, number>>();
  const conflicted = new Set<string>();

  records.forEach((r, index) => {
    if (r.type === "run-started") {
      runs++;
      lastRun = { runId: r.runId, startedAt: r.at, startReason: r.reason ?? null, finishedAt: null, finishReason: null };
      return;
    }
    if (r.type === "run-finished") {
      if (lastRun && lastRun.runId === r.runId) {
        lastRun.finishedAt = r.at;
        lastRun.finishReason = r.reason ?? null;
      }
      return;
    }
    const id = r.stepId;
    if (id === undefined) return;
    const s = steps.get(id);
    if (!s) {
      unknown.add(id);
      return;
    }
    if (r.type === "step-started") {
      // A new attempt: a failure of the previous one no longer describes it. An operation the previous
      // attempt left running is inherited (the new attempt polls it first), with its original start time.
      s.status = "in-doubt";
      s.attempts = Math.max(r.attempt ?? s.attempts + 1, s.attempts);
      s.error = null;
      s.reason = null;
      s.outputs = null;
      s.conflict = false;
      conflicted.delete(id);
      terminalBy.delete(id);
      let byRun = startedAt.get(id);
      if (!byRun) startedAt.set(id, (byRun = new Map()));
      byRun.set(r.runId, index);
      return;
    }
    if (r.type === "step-operation-accepted") {
      if (r.operationUrl !== undefined && r.operationUrl !== s.operationUrl) {
        s.operationUrl = r.operationUrl;
        s.operationStartedAt = r.at;
      }
      return;
    }
    // A terminal record.
    const prev = terminalBy.get(id);
    if (prev && prev.runId !== r.runId && (startedAt.get(id)?.get(r.runId) ?? -1) < prev.index
      && (s.status === "succeeded" || s.status === "failed" || s.status === "skipped") && disagree({ status: s.status, outputs: s.outputs }, r)) {
      conflicted.add(id);
    }
    terminalBy.set(id, { runId: r.runId, index });
    switch (r.type) {
      case "step-succeeded":
        s.status = "succeeded";
        s.outputs = r.outputs ?? {};
        s.reason = r.reason ?? null;
        s.error = null;
        s.operationUrl = null;
        s.operationStartedAt = null;
        break;
      case "step-failed":
        s.status = "failed";
        s.error = r.error ?? null;
        s.reason = r.reason ?? null;
        s.operationUrl = null;
        s.operationStartedAt = null;
        break;
      case "step-skipped":
        s.status = "skipped";
        s.reason = r.reason ?? null;
        break;
    }
  });
  // The latest terminal record stands, unless two runners disagreed: then nobody knows, and the next run
  // reconciles the step by reading Azure (in doubt), as after a crash.
  for (const id of conflicted) {
    const s = steps.get(id)!;
    s.status = "in-doubt";
    s.conflict = true;
    s.outputs = null;
    s.error = null;
    s.reason = "conflicting-records";
  }
  return { steps, runs, lastRun, unknownStepIds: [...unknown], conflictingStepIds: [...conflicted], planIds: planIdsOf(records) };
}

/** The planIds run-started records name, in order of appearance (journals of older versions name none). */
function planIdsOf(records: readonly JournalRecord[]): string[] {
  const out: string[] = [];
  for (const r of records) if (r.type === "run-started" && r.planId !== undefined && !out.includes(r.planId)) out.push(r.planId);
  return out;
}
