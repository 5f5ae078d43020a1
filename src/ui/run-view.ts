// What the progress screen needs from outside the UI: `startRun` (src/cli/commands/interactive.ts wires it
// to runPlan with the session, the journal and the lock of the exported plan) and, optionally, `verify`.
// The UI observes the run only through the journaled records it is handed (STYLE.md: the UI and the
// journal observe one event stream) and never runs steps itself.
import type { JournalRecord } from "../domain/journal.js";
import type { Plan } from "../domain/plan.js";

/** How a run ended (the run-finished record's reason; runPlan's RunSummary carries the same). */
export type RunOutcome = "completed" | "failed-steps" | "interrupted";

/** The part of runPlan's RunSummary the UI reads; the step counts it takes from the records. */
export interface RunSummaryLike {
  outcome: RunOutcome;
}

/** Rate seen by the shared limiter (session.limiter.stats(), turned into a rate by the caller). */
export interface RunStats {
  requestsPerSecond: number;
  throttled429: number;
}

export interface RunHandle {
  /** Settles when the run has journaled run-finished; rejects only on a broken run (lock held, I/O). */
  done: Promise<RunSummaryLike>;
  /** Stop starting new steps; those in flight finish and are journaled. */
  pause(): void;
  resume(): void;
  /** Ctrl-C: stop starting steps, let in-flight ones journal, finish "interrupted". */
  abort(): void;
  stats(): RunStats;
}

/** Starts applying `plan` (already exported: the journal lives next to its file). Records arrive journaled. */
export type StartRun = (plan: Plan, onEvent: (record: JournalRecord) => void) => RunHandle;

/** verifyPlan's answer: every difference between Azure and the plan, one line each (empty: as planned). */
export interface VerifyResult {
  differences: string[];
}

export interface RunActions {
  startRun: StartRun;
  verify?: (plan: Plan) => Promise<VerifyResult>;
  /** The command line to show for `apply`/`verify` of a plan file (with the profile it runs on); default bare. */
  commandLine?: CommandLine;
}

export type CommandLine = (verb: "apply" | "verify", planPath: string) => string;

export const bareCommandLine: CommandLine = (verb, planPath) => `ahds-migrate ${verb} ${planPath}`;
