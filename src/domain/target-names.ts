// Target names (FINDINGS.md "Target names"): one workspace per account, in the account's resource group,
// named the account name lower-cased with every character other than a–z0–9 removed, cut to 24; a result
// shorter than 3 characters gets the suffix "ws". The FHIR service in it is named "fhir". The assessment
// (target-name-derived, target-exists) and the planner use this one function.

export const TARGET_FHIR_SERVICE_NAME = "fhir";

export function targetWorkspaceName(accountName: string): string {
  const base = accountName.toLowerCase().replace(/[^a-z0-9]/g, "").slice(0, 24);
  return base.length < 3 ? `${base}ws` : base;
}

/** ARM ids of the target workspace and FHIR service of an account in `resourceGroupId`. */
export function targetIds(resourceGroupId: string, accountName: string): { workspaceId: string; fhirServiceId: string } {
  const workspaceId = `${resourceGroupId}/providers/Microsoft.HealthcareApis/workspaces/${targetWorkspaceName(accountName)}`;
  return { workspaceId, fhirServiceId: `${workspaceId}/fhirservices/${TARGET_FHIR_SERVICE_NAME}` };
}
