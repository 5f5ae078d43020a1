// grant-key-access-policy (access-policy vault): Vaults_UpdateAccessPolicy with operationKind `add`
// (KeyVault 2026-02-01), which merges the entry into the vault's policies and leaves every other policy as
// it is. Key permissions get, wrapKey, unwrapKey for the identity only (azure-facts §2.4, UNCONFIRMED for
// AHDS; the documented Cosmos set).
import type { PlanStep } from "../domain/plan.js";
import { ACCESS_POLICY_KEY_PERMISSIONS, API_VERSION, armUrl, stepId } from "./step-common.js";
import type { StepContext } from "./step-common.js";

export function keyAccessPolicyStep(
  ctx: StepContext, vaultId: string, vaultName: string, tenantId: string, identityStepId: string, identityName: string,
): PlanStep {
  return {
    id: stepId(ctx.prefix, "grant-key-access-policy"), accountId: ctx.accountId, kind: "grant-key-access-policy",
    title: `Access policy (keys: ${ACCESS_POLICY_KEY_PERMISSIONS.join(", ")}) for ${identityName} in vault ${vaultName}`,
    dependsOn: [identityStepId],
    request: {
      method: "PUT", url: armUrl(ctx.cloud, `${vaultId}/accessPolicies/add`, API_VERSION.keyVault),
      body: {
        properties: {
          accessPolicies: [{
            tenantId,
            objectId: { $fromStep: identityStepId, output: "principalId" },
            permissions: { keys: [...ACCESS_POLICY_KEY_PERMISSIONS] },
          }],
        },
      },
    },
    longRunning: false, outputs: [],
  };
}
