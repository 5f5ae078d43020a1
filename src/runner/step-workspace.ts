// ensure-workspace: Workspaces_CreateOrUpdate (long-running, 201 + Azure-AsyncOperation). An existing
// workspace is fine as long as the fields the plan sets (location, tags) match.
import type { StepExecutor } from "./executor.js";
import { asOutcome, ensureResource } from "./step-common.js";
import { lastSegment } from "./step-resource-group.js";

export const workspaceExecutor: StepExecutor = {
  kind: "ensure-workspace",
  execute: (step, ctx) => asOutcome(() => ensureResource(step, ctx, { what: `Workspace ${lastSegment(step.request.url)}` })),
};
