// ensure-resource-group (only with --target-resource-group): ResourceGroups_CreateOrUpdate,
// `PUT /subscriptions/{s}/resourcegroups/{rg}` with `{ location }`. ARM refuses to move an existing group
// to another location (409 InvalidResourceGroupLocation), so the plan writes one step per subscription.
import type { CloudName } from "../domain/snapshot.js";
import type { PlanStep } from "../domain/plan.js";
import { API_VERSION, armUrl, stepId } from "./step-common.js";

export function resourceGroupStep(
  cloud: CloudName, accountId: string, prefix: string, subscriptionId: string, resourceGroup: string, location: string,
): PlanStep {
  return {
    id: stepId(prefix, "ensure-resource-group"), accountId, kind: "ensure-resource-group",
    title: `Resource group ${resourceGroup} in subscription ${subscriptionId} (${location})`,
    dependsOn: [],
    request: {
      method: "PUT",
      url: armUrl(cloud, `/subscriptions/${subscriptionId}/resourcegroups/${resourceGroup}`, API_VERSION.resources),
      body: { location },
    },
    longRunning: false, outputs: [],
  };
}
