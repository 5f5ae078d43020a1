// Role assignments (grant-key-role at the key scope, grant-data-role at the FHIR service / storage / ACR):
// RoleAssignments_Create with the deterministic name the plan chose. Read first: the same name with the
// same role and principal → already-satisfied; another role or principal under that name → conflict.
// ARM's 409 RoleAssignmentExists means the same principal, role and scope exist under another name
// (Learn "Troubleshoot Azure RBAC") → already-satisfied.
import type { PlanStep } from "../domain/plan.js";
import type { StepContext, StepOutcome } from "./executor.js";
import { armErrorOf } from "./poll-operation.js";
import { asOutcome, conflict, failedWith, get, put, resolvedBody } from "./step-common.js";

interface AssignmentProps { roleDefinitionId?: unknown; principalId?: unknown }

const roleGuid = (id: unknown) => (typeof id === "string" ? id.split("/").pop()!.toLowerCase() : undefined);
const lower = (v: unknown) => (typeof v === "string" ? v.toLowerCase() : undefined);

export async function ensureRoleAssignment(step: PlanStep, ctx: StepContext): Promise<StepOutcome> {
  const url = step.request.url;
  const wire = resolvedBody(step, ctx);
  const planned = (wire as unknown as { properties: AssignmentProps }).properties;
  const satisfied: StepOutcome = { status: "succeeded", reason: ctx.inDoubt ? "reconciled" : "already-satisfied" };
  const what = `Role assignment ${url.split("?")[0]!.split("/").pop()}`;
  const read = await get(ctx, url);
  if (read.status === 200) {
    const actual = ((read.body as { properties?: AssignmentProps } | undefined)?.properties ?? {});
    if (roleGuid(actual.roleDefinitionId) !== roleGuid(planned.roleDefinitionId)) {
      return conflict(step, what, `properties.roleDefinitionId is ${JSON.stringify(actual.roleDefinitionId)} in Azure, the plan sets ${JSON.stringify(planned.roleDefinitionId)}`, read.requestId);
    }
    if (lower(actual.principalId) !== lower(planned.principalId)) {
      return conflict(step, what, `properties.principalId is ${JSON.stringify(actual.principalId)} in Azure, the plan sets ${JSON.stringify(planned.principalId)}`, read.requestId);
    }
    return satisfied;
  }
  if (read.status !== 404) return failedWith(armErrorOf(read));
  const r = await put(ctx, url, wire);
  if (r.status === 200 || r.status === 201) return { status: "succeeded", reason: ctx.inDoubt ? "reconciled" : "created" };
  const error = armErrorOf(r);
  if (r.status === 409 && error.code === "RoleAssignmentExists") return satisfied;
  return failedWith(error);
}

export const keyRoleExecutor = {
  kind: "grant-key-role" as const,
  execute: (step: PlanStep, ctx: StepContext) => asOutcome(() => ensureRoleAssignment(step, ctx)),
};

export const dataRoleExecutor = {
  kind: "grant-data-role" as const,
  execute: (step: PlanStep, ctx: StepContext) => asOutcome(() => ensureRoleAssignment(step, ctx)),
};
