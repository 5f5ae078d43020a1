// What the plans screen (`o` on the account list) needs from outside the UI: the plan files under ./plans
// with their journal's state, and one of them loaded and checked (src/cli/plan-listing.ts builds both from
// loadPlanFile, readJournal and replay — the same functions `apply` and `status` use). The UI reads no files.
import type { Plan } from "../domain/plan.js";

/**
 * The journal replayed, in one word: no journal (or no record) → not-started; every step succeeded →
 * finished; a step started with no terminal record → in-doubt; a failed or skipped step → failed-steps;
 * else steps still to do → interrupted.
 */
export type PlanRunState = "not-started" | "finished" | "interrupted" | "failed-steps" | "in-doubt";

export interface PlanListing {
  /** The plan file (…/NAME.plan.json). */
  path: string;
  /** Null when the file could not be loaded; `error` says why. */
  planId: string | null;
  createdAt: string | null;
  plannedAccounts: number;
  state: PlanRunState | null;
  /** Steps succeeded of all, from the journal (0 of n when not started). */
  succeeded: number;
  steps: number;
  /** One line: why the plan cannot be loaded (format, digest, schema, unreadable), null when it loads. */
  error: string | null;
}

/** A plan file loaded for review and applying, with the steps its journal says already succeeded. */
export interface OpenedPlan {
  path: string;
  plan: Plan;
  succeeded: string[];
}

export interface PlanFiles {
  /** Every *.plan.json under the plans folder, newest name first. */
  listPlans(): Promise<PlanListing[]>;
  /** Loads and checks one (throws with a one-line message when it cannot be applied). */
  openPlan(path: string): Promise<OpenedPlan>;
}
