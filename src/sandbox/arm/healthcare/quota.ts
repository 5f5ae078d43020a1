// Default limit of 10 FHIR services per subscription (azure-facts §2.9 [S19]). The error code is the
// sandbox's choice (UNCONFIRMED). Services being created or failed count; deleted ones do not.
import type { SandboxState } from "../../state.js";
import { FHIR_TYPE } from "./lro.js";
import type { RuleFailure } from "./names.js";

export const FHIR_SERVICES_PER_SUBSCRIPTION = 10;

export function fhirQuotaFailure(state: SandboxState, subscriptionId: string): RuleFailure | undefined {
  const count = state.listResources(FHIR_TYPE, `/subscriptions/${subscriptionId}`).length;
  if (count < FHIR_SERVICES_PER_SUBSCRIPTION) return undefined;
  return {
    status: 400, code: "QuotaExceeded",
    message: `The subscription '${subscriptionId}' already has ${count} FHIR services; the limit is ${FHIR_SERVICES_PER_SUBSCRIPTION} per subscription.`,
  };
}
