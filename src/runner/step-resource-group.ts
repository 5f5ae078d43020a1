// ensure-resource-group (--target-resource-group): `PUT /subscriptions/{s}/resourcegroups/{rg}` with
// `{ location }`; an existing group in another location is a conflict (ARM would answer 409
// InvalidResourceGroupLocation, planner/step-resource-group.ts).
import type { StepExecutor } from "./executor.js";
import { asOutcome, ensureResource } from "./step-common.js";

export const resourceGroupExecutor: StepExecutor = {
  kind: "ensure-resource-group",
  execute: (step, ctx) => asOutcome(() => ensureResource(step, ctx, { what: `Resource group ${lastSegment(step.request.url)}` })),
};

export function lastSegment(url: string): string {
  return new URL(url).pathname.split("/").filter(Boolean).pop() ?? url;
}
