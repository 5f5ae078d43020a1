// Re-derivation (issue 10 §3; plans/README.md "What apply guarantees"): the plan file is untrusted input,
// so before anything is sent `apply` (and `plan --check`) makes the plan again — the same discovery, chosen
// keys, assessment and buildPlan as `plan`, from the plan's recorded choices, at its createdAt — and
// refuses a plan whose steps, planned accounts, targets or key linkage differ, naming the first difference.
// A re-sealed edit therefore runs only if `plan` would have written it from those choices and Azure's facts
// now. The plan's own effects do not count against it: the planner keeps the ensure step of a workspace
// this tool tagged for the account, and the quota leaves out the FHIR services of such workspaces.
import type { AzureSession } from "../azure/azure-session.js";
import type { Plan } from "../domain/plan.js";
import type { DiscoveryProgress } from "../inventory/progress.js";
import { isErrorNamed, PlanFormatError } from "../domain/errors.js";
import { replanCommand } from "./plan-choices.js";
import { toolVersion } from "./version.js";

export interface RederiveOptions {
  abortSignal?: AbortSignal;
  /** Discovery's progress (a TTY line in `apply` and `plan --check`: it reads what `plan` read). */
  onProgress?: (p: DiscoveryProgress) => void;
}

export async function refuseUnplannable(path: string, plan: Plan, session: AzureSession, o: RederiveOptions = {}): Promise<void> {
  const { planFromAzure } = await import("./plan-run.js");
  const { firstPlanDifference } = await import("../planner/plan-difference.js");
  const replan = `Re-plan with the same choices and review the new plan: ${replanCommand(plan.choices, path)}`;
  let rebuilt: Plan;
  try {
    ({ plan: rebuilt } = await planFromAzure(session, plan.choices, {
      toolVersion: plan.tool.version, now: () => new Date(plan.createdAt),
      ...(o.abortSignal ? { abortSignal: o.abortSignal } : {}), ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    }));
  } catch (e) {
    // A choice naming an account discovery does not find (the flag wording is for `plan`; here it is the file's).
    if (!isErrorNamed(e, "UsageError")) throw e;
    throw new PlanFormatError(`${path} is refused: its recorded choices cannot be planned now (${(e as Error).message.replace(/\.$/, "")}).`, [replan]);
  }
  const difference = firstPlanDifference(plan, rebuilt);
  if (difference === null) return;
  const version = toolVersion();
  throw new PlanFormatError(`${path} is refused: it is not what \`plan\` makes from its recorded choices and Azure's facts now: ${difference}.`, [
    "Either the file was edited after planning, or a fact it relies on that is not fingerprinted changed"
      + " (a role assignment on the account, a principal, a storage account, a registry, a workspace).",
    ...(plan.tool.version !== version ? [`It was planned by ahds-migrate ${plan.tool.version}; this is ${version}, whose planner may make other steps.`] : []),
    replan,
  ]);
}
