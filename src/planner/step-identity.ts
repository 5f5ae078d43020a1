// ensure-identity: UserAssignedIdentities_CreateOrUpdate (ManagedIdentity 2024-11-30), answered 200/201
// without an LRO. Its principalId is what later steps grant to, so the runner journals it as an output.
import type { PlanStep } from "../domain/plan.js";
import { API_VERSION, armUrl, stepId } from "./step-common.js";
import type { StepContext } from "./step-common.js";

export const IDENTITY_OUTPUTS = ["principalId", "clientId"];

/** `id-{workspace}-fhir`: one identity per target FHIR service, named after it. */
export function identityName(workspaceName: string): string {
  return `id-${workspaceName}-fhir`;
}

export function identityStep(ctx: StepContext, identityId: string, name: string, resourceGroup: string, dependsOn: string[]): PlanStep {
  return {
    id: stepId(ctx.prefix, "ensure-identity"), accountId: ctx.accountId, kind: "ensure-identity",
    title: `User-assigned identity ${name} in ${resourceGroup} (${ctx.location})`,
    dependsOn,
    request: { method: "PUT", url: armUrl(ctx.cloud, identityId, API_VERSION.managedIdentity), body: { location: ctx.location, tags: ctx.tags } },
    longRunning: false, outputs: [...IDENTITY_OUTPUTS],
  };
}
