// create-fhir-service: FhirServices_CreateOrUpdate with the customer-managed key set at creation
// (azure-facts §2.4, user-assigned identity). The RP checks that the identity can use the key; a fresh
// role assignment may not have propagated yet, so a create that fails (the PUT itself or its operation)
// with an error about access to the planned key or vault (key-access-errors.ts; Azure's shape is
// UNCONFIRMED) is sent again with back-off until --propagation-timeout (DESIGN.md "Steps for one account"
// 4). Only ever writes workspaces/fhirservices — never the source Microsoft.HealthcareApis/services.
import type { PlanStep } from "../domain/plan.js";
import { parseKeyUri } from "../domain/snapshot.js";
import type { StepExecutor } from "./executor.js";
import { keyAccessRule, type PlannedKey } from "./key-access-errors.js";
import { asOutcome, ensureResource } from "./step-common.js";

/** The key the step's body names (encryption.customerManagedKeyEncryption.keyEncryptionKeyUrl), or no key. */
function plannedKey(step: PlanStep): PlannedKey | null {
  const url = (step.request.body as { properties?: { encryption?: { customerManagedKeyEncryption?: { keyEncryptionKeyUrl?: unknown } } } } | null)
    ?.properties?.encryption?.customerManagedKeyEncryption?.keyEncryptionKeyUrl;
  const parsed = typeof url === "string" ? parseKeyUri(url) : null;
  return parsed ? { vaultName: parsed.vaultName, keyName: parsed.keyName } : null;
}

function fhirName(url: string): string {
  const m = /\/workspaces\/([^/]+)\/fhirservices\/([^/?]+)/i.exec(new URL(url).pathname);
  return m ? `${m[1]}/${m[2]}` : url;
}

export const fhirServiceExecutor: StepExecutor = {
  kind: "create-fhir-service",
  execute: (step, ctx) => asOutcome(() => ensureResource(step, ctx, {
    what: `FHIR service ${fhirName(step.request.url)}`,
    transient: {
      // Without a customer-managed key there is no grant to wait for: nothing is retried.
      match: (error) => { const key = plannedKey(step); return key ? keyAccessRule(error, key) : null; },
      timeoutCode: "RolePropagationTimeout",
      explain: `The FHIR service's identity still cannot use the key (role assignment or access policy not propagated)`,
    },
  })),
};
