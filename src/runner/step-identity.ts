// ensure-identity: UserAssignedIdentities_CreateOrUpdate (synchronous). Journals principalId (the key
// grant and access policy reference it) and clientId, read back from the identity itself.
import type { StepExecutor } from "./executor.js";
import { asOutcome, ensureResource } from "./step-common.js";
import { lastSegment } from "./step-resource-group.js";

export function identityOutputs(resource: unknown): Record<string, string> {
  const p = (resource as { properties?: { principalId?: unknown; clientId?: unknown } } | undefined)?.properties;
  const out: Record<string, string> = {};
  if (typeof p?.principalId === "string") out["principalId"] = p.principalId;
  if (typeof p?.clientId === "string") out["clientId"] = p.clientId;
  return out;
}

export const identityExecutor: StepExecutor = {
  kind: "ensure-identity",
  execute: (step, ctx) => asOutcome(() => ensureResource(step, ctx, {
    what: `Identity ${lastSegment(step.request.url)}`, outputs: identityOutputs,
  })),
};
