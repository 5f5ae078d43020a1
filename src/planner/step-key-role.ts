// grant-key-role (RBAC vault): Key Vault Crypto Service Encryption User for the identity, scoped to the key
// itself (`{vaultId}/keys/{keyName}`), the least the FHIR service needs to wrap/unwrap (azure-facts §2.4).
import type { PlanStep } from "../domain/plan.js";
import { fromStep, ROLES, roleAssignmentStep } from "./step-common.js";
import type { StepContext } from "./step-common.js";

export function keyRoleStep(
  ctx: StepContext, vaultId: string, vaultName: string, keyName: string, identityStepId: string, identityId: string, identityName: string,
): { step: PlanStep; scope: string; assignmentName: string; roleDefinitionId: string } {
  const scope = `${vaultId}/keys/${keyName}`;
  const role = ROLES.cryptoServiceEncryptionUser;
  const r = roleAssignmentStep(ctx, "grant-key-role", undefined,
    `${role.name} for ${identityName} on key ${keyName} in vault ${vaultName}`, scope, role,
    { principalId: fromStep(identityStepId, "principalId"), nameKey: identityId, principalType: "ServicePrincipal" },
    [identityStepId]);
  return { ...r, scope };
}
