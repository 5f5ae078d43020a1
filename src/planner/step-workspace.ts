// ensure-workspace: Workspaces_CreateOrUpdate (HealthcareApis 2024-03-31), a long-running PUT. The body
// carries no publicNetworkAccess: it is read-only in 2024-03-31 (azure-facts §2.2).
import type { PlanStep } from "../domain/plan.js";
import { API_VERSION, armUrl, stepId } from "./step-common.js";
import type { StepContext } from "./step-common.js";

export function workspaceStep(ctx: StepContext, workspaceId: string, workspaceName: string, resourceGroup: string, dependsOn: string[]): PlanStep {
  return {
    id: stepId(ctx.prefix, "ensure-workspace"), accountId: ctx.accountId, kind: "ensure-workspace",
    title: `Workspace ${workspaceName} in ${resourceGroup} (${ctx.location})`,
    dependsOn,
    request: {
      method: "PUT", url: armUrl(ctx.cloud, workspaceId, API_VERSION.healthcare),
      body: { location: ctx.location, tags: ctx.tags, properties: {} },
    },
    longRunning: true, outputs: [],
  };
}
