// Resume = replay (DESIGN.md "Files the tool owns"): the state of every step of the plan, folded from the
// journal's records in order. A step started with no terminal record after it is "in-doubt": the engine
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
}

export function replay(records: readonly JournalRecord[], plan: Pick<Plan, "steps">): Replayed {
  const steps = new Map<string, StepState>();
  for (const s of plan.steps) {
    steps.set(s.id, { stepId: s.id, status: "pending", attempts: 0, operationUrl: null, outputs: null, error: null, reason: null });
  }
  const unknown = new Set<string>();
  let runs = 0;
  let lastRun: LastRun | null = null;

  for (const r of records) {
    if (r.type === "run-started") {
      runs++;
      lastRun = { runId: r.runId, startedAt: r.at, startReason: r.reason ?? null, finishedAt: null, finishReason: null };
      continue;
    }
    if (r.type === "run-finished") {
      if (lastRun && lastRun.runId === r.runId) {
        lastRun.finishedAt = r.at;
        lastRun.finishReason = r.reason ?? null;
      }
      continue;
    }
    const id = r.stepId;
    if (id === undefined) continue;
    const s = steps.get(id);
    if (!s) {
      unknown.add(id);
      continue;
    }
    switch (r.type) {
      case "step-started":
        // A new attempt: whatever the previous one left (failure, operation URL) no longer describes it.
        s.status = "in-doubt";
        s.attempts = Math.max(r.attempt ?? s.attempts + 1, s.attempts);
        s.operationUrl = null;
        s.error = null;
        s.reason = null;
        s.outputs = null;
        break;
      case "step-operation-accepted":
        s.operationUrl = r.operationUrl ?? s.operationUrl;
        break;
      case "step-succeeded":
        s.status = "succeeded";
        s.outputs = r.outputs ?? {};
        s.reason = r.reason ?? null;
        s.error = null;
        s.operationUrl = null;
        break;
      case "step-failed":
        s.status = "failed";
        s.error = r.error ?? null;
        s.reason = r.reason ?? null;
        s.operationUrl = null;
        break;
      case "step-skipped":
        s.status = "skipped";
        s.reason = r.reason ?? null;
        break;
    }
  }
  return { steps, runs, lastRun, unknownStepIds: [...unknown] };
}
