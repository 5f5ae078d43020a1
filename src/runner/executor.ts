// The contract between the run engine (run-plan.ts) and the step executors (step-*.ts): one executor per
// step kind, each reading before it writes, reconciling an in-doubt attempt by reading Azure, and telling
// the engine about an accepted long-running operation so its URL is journaled before it is polled.
import type { AzureSession } from "../azure/azure-session.js";
import type { Plan, PlanStep, StepKind } from "../domain/plan.js";
import type { JournalError } from "../domain/journal.js";
import type { Clock } from "../azure/limiter-clock.js";

export interface StepContext {
  session: AzureSession;
  plan: Plan;
  /** Outputs journaled by earlier steps (for $fromStep references). */
  outputsOf(stepId: string): Record<string, string> | undefined;
  /**
   * Set when this step was started before and has no terminal record (in doubt): never repeat a create
   * blindly — read Azure first; with an operationUrl, keep polling that operation.
   */
  inDoubt: { operationUrl: string | null; /** Epoch ms the operation was first journaled (the timeout runs from it). */ operationStartedAt: number | null } | null;
  /** Journal (fsynced) the URL of an accepted long-running operation before polling it. */
  operationAccepted(operationUrl: string): Promise<void>;
  clock: Clock;
  abortSignal: AbortSignal;
  operationTimeoutMs: number;
  propagationTimeoutMs: number;
}

export type StepOutcome =
  | { status: "succeeded"; reason: "created" | "already-satisfied" | "reconciled"; outputs?: Record<string, string> }
  | { status: "failed"; error: JournalError };

export interface StepExecutor {
  kind: StepKind;
  execute(step: PlanStep, ctx: StepContext): Promise<StepOutcome>;
}
