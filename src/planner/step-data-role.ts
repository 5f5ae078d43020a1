// grant-data-role: the data-plane grants that replace what the legacy account did itself (azure-facts §2.6,
// §2.7, §3.4): each in-tenant accessPolicies object id → FHIR Data Contributor at the new FHIR service (with
// its Graph principalType); the identity → Storage Blob Data Contributor on the export storage account and
// AcrPull on each registry. All wait for the FHIR service (its scope must exist; grants to storage/ACR are
// only useful once the service uses them).
import type { PlanStep } from "../domain/plan.js";
import type { PrincipalType } from "../domain/snapshot.js";
import { fromStep, ROLES, roleAssignmentStep } from "./step-common.js";
import type { StepContext } from "./step-common.js";

export function fhirContributorStep(
  ctx: StepContext, fhirServiceId: string, fhirLabel: string, objectId: string, principalType: PrincipalType, fhirStepId: string,
): PlanStep {
  const role = ROLES.fhirDataContributor;
  return roleAssignmentStep(ctx, "grant-data-role", `fhir-data-contributor/${objectId.toLowerCase()}`,
    `${role.name} for ${principalType} ${objectId} on ${fhirLabel}`, fhirServiceId, role,
    { principalId: objectId, nameKey: objectId, principalType }, [fhirStepId]).step;
}

/**
 * A direct Azure RBAC grant on the legacy account, copied to the new FHIR service (issue 9 §1): the same role
 * (built-in FHIR data role, or a custom role that names the AHDS actions) for the same principal, its
 * principalType as ARM listed it. Named like every grant (UUIDv5 of scope, principal, role).
 */
export function copiedRoleStep(
  ctx: StepContext, fhirServiceId: string, fhirLabel: string, grant: { roleGuid: string; roleName: string; principalId: string; principalType: string },
  fhirStepId: string,
): PlanStep {
  return roleAssignmentStep(ctx, "grant-data-role", `rbac/${grant.roleGuid}/${grant.principalId.toLowerCase()}`,
    `${grant.roleName} for ${grant.principalType} ${grant.principalId} on ${fhirLabel} (copied from the account)`, fhirServiceId,
    { guid: grant.roleGuid, name: grant.roleName }, { principalId: grant.principalId, nameKey: grant.principalId, principalType: grant.principalType },
    [fhirStepId]).step;
}

export function identityGrantStep(
  ctx: StepContext, target: { kind: "storage" | "registry"; id: string; label: string },
  identity: { stepId: string; id: string; name: string }, fhirStepId: string,
): PlanStep {
  const role = target.kind === "storage" ? ROLES.storageBlobDataContributor : ROLES.acrPull;
  const name = target.id.split("/").pop()!.toLowerCase();
  const suffix = `${target.kind === "storage" ? "storage-blob-data-contributor" : "acr-pull"}/${name}`;
  return roleAssignmentStep(ctx, "grant-data-role", suffix, `${role.name} for ${identity.name} on ${target.label}`, target.id, role,
    { principalId: fromStep(identity.stepId, "principalId"), nameKey: identity.id, principalType: "ServicePrincipal" },
    [identity.stepId, fhirStepId]).step;
}
