// What `apply` and `verify` check before they touch anything (DESIGN.md "Files the tool owns": they refuse a
// plan whose digest does not match, whose format they do not know, or whose source facts changed): the
// plan file (format + digest, load-plan.ts), the cloud and tenant it was planned in, and staleness — every
// fingerprinted source fact read again. The plan's own effects (targets, access policies, role assignments)
// are not in the fingerprint, so a half-applied plan is never stale because of its own work.
import type { AzureSession } from "../azure/azure-session.js";
import type { Plan } from "../domain/plan.js";
import { StalePlanError, UsageError, UserError } from "../domain/errors.js";
import type { CommandContext } from "./command-context.js";
import { loadPlanFile } from "./plan-files.js";
import { replanCommand } from "./plan-choices.js";

export async function loadPlanForRun(path: string, ctx: CommandContext): Promise<Plan> {
  const plan = await loadPlanFile(path);
  if (plan.cloud !== ctx.cloud) {
    throw new UsageError(`${path} was planned in ${plan.cloud}, but this run talks to ${ctx.cloud}.`,
      [`Run it with --cloud ${plan.cloud} (or the profile it was planned with).`]);
  }
  return plan;
}

/** Signs in (same tenant as the plan) and refuses a stale plan with the facts that changed. */
export async function refuseStalePlan(path: string, plan: Plan, session: AzureSession, abortSignal?: AbortSignal): Promise<void> {
  const { readFingerprint } = await import("../inventory/read-fingerprint.js");
  const { staleFacts, stalePlanError } = await import("../planner/stale.js");
  const { signIn } = await import("../azure/sign-in.js");
  const who = await signIn(session.credential, plan.cloud);
  if (who.tenantId && who.tenantId.toLowerCase() !== plan.tenantId.toLowerCase()) {
    throw new UserError(`${path} was planned in tenant ${plan.tenantId}, but you are signed in to tenant ${who.tenantId}.`,
      [`Sign in to tenant ${plan.tenantId} (e.g. 'az login --tenant ${plan.tenantId}'), then run it again.`]);
  }
  const current = await readFingerprint(session, plan, abortSignal ? { abortSignal } : {});
  const changed = staleFacts(plan.fingerprint, current);
  if (changed.length > 0) {
    const stale = stalePlanError(path, changed);
    throw new StalePlanError(stale.message, [...stale.nextSteps, `Re-plan with the same choices: ${replanCommand(plan.choices, path)}`]);
  }
}
