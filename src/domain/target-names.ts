// Target names (FINDINGS.md "Target names"): one workspace per account, in the account's resource group,
// named the account name lower-cased with every character other than a–z0–9 removed, cut to 24; a result
// shorter than 3 characters gets the suffix "ws". The FHIR service in it is named "fhir". `--name` chooses
// others (recorded in the plan's choices). The assessment (target-name-derived, target-name-conflict,
// target-exists) and the planner use these functions.
//
// Workspace names are unique across subscriptions and the FHIR URL `{workspace}-{fhir}` is global
// (azure-facts §2.2), so two targets conflict when their workspace names are equal, whatever their groups.

export const TARGET_FHIR_SERVICE_NAME = "fhir";

/** Tag on every resource the tool creates, naming the legacy account it was migrated from. */
export const SOURCE_TAG = "ahds-migrate-source";

/** Names the tool gives or accepts: 3–24 lower-case letters and digits (so `{ws}-{fhir}` parses back). */
export const TARGET_NAME = /^[a-z0-9]{3,24}$/;

export interface TargetNames { workspace: string; fhirService: string }

export function targetWorkspaceName(accountName: string): string {
  const base = accountName.toLowerCase().replace(/[^a-z0-9]/g, "").slice(0, 24);
  return base.length < 3 ? `${base}ws` : base;
}

export function defaultTargetNames(accountName: string): TargetNames {
  return { workspace: targetWorkspaceName(accountName), fhirService: TARGET_FHIR_SERVICE_NAME };
}

/** ARM ids of the target workspace and FHIR service in `resourceGroupId` (default names of `accountName`, or `names`). */
export function targetIds(resourceGroupId: string, accountName: string, names: TargetNames = defaultTargetNames(accountName)):
  { workspaceId: string; fhirServiceId: string } {
  const workspaceId = `${resourceGroupId}/providers/Microsoft.HealthcareApis/workspaces/${names.workspace}`;
  return { workspaceId, fhirServiceId: `${workspaceId}/fhirservices/${names.fhirService}` };
}

/** The workspace name of an ARM workspace (or FHIR service) id, lower-cased; null when it names none. */
export function workspaceNameOf(id: string): string | null {
  return /\/providers\/Microsoft\.HealthcareApis\/workspaces\/([^/]+)/i.exec(id)?.[1]?.toLowerCase() ?? null;
}
