// create-fhir-service: FhirServices_CreateOrUpdate with the customer-managed key set at creation
// (azure-facts §2.4, user-assigned identity). The RP checks at the END of the operation that the identity
// can use the key; a fresh role assignment may not have propagated yet, so an operation that fails with
// KeyVaultAccessForbidden (DESIGN.md "The sandbox"; the code is UNCONFIRMED in Azure) is sent again with
// back-off until --propagation-timeout (DESIGN.md "Steps for one account" 4). Only ever writes
// workspaces/fhirservices — never the source Microsoft.HealthcareApis/services.
import type { StepExecutor } from "./executor.js";
import { asOutcome, ensureResource } from "./step-common.js";

export const KEY_ACCESS_FORBIDDEN = "KeyVaultAccessForbidden";

function fhirName(url: string): string {
  const m = /\/workspaces\/([^/]+)\/fhirservices\/([^/?]+)/i.exec(new URL(url).pathname);
  return m ? `${m[1]}/${m[2]}` : url;
}

export const fhirServiceExecutor: StepExecutor = {
  kind: "create-fhir-service",
  execute: (step, ctx) => asOutcome(() => ensureResource(step, ctx, {
    what: `FHIR service ${fhirName(step.request.url)}`,
    transient: {
      code: KEY_ACCESS_FORBIDDEN,
      timeoutCode: "RolePropagationTimeout",
      explain: `The FHIR service's identity still cannot use the key (role assignment or access policy not propagated)`,
    },
  })),
};
