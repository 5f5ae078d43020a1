// The FHIR data-plane roles (Learn "Azure built-in roles": Integration / FHIR; azure-facts §2.6) and how a
// legacy account's Azure RBAC grant carries over to an AHDS FHIR service (issue 9 §1). Built-in FHIR roles
// list both `Microsoft.HealthcareApis/services/fhir/…` and `…/workspaces/fhirservices/…` data actions, so
// the same role id works at the new service. A custom role works there only if it lists the AHDS actions
// too (a role definition is the user's; the tool never edits one).

/** Built-in FHIR data roles by GUID (identical in every cloud). */
export const FHIR_DATA_ROLES: Readonly<Record<string, string>> = {
  "4c8d0bbc-75d3-4935-991f-5f3c56d81508": "FHIR Data Reader",
  "3f88fce4-5892-4214-ae73-ba5294559913": "FHIR Data Writer",
  "5a1fc7df-4bf1-4951-a576-89034ee01acd": "FHIR Data Contributor",
  "3db33094-8700-4567-8da5-1501d4e7e843": "FHIR Data Exporter",
  "4465e953-8ced-4406-a58e-0f6e3f3b530b": "FHIR Data Importer",
  "a1705bd2-3a8f-45a5-8683-466fcfd5cc24": "FHIR Data Converter",
  "4ba50f17-9666-485c-a643-ff00808643f0": "FHIR SMART User",
};

export const LEGACY_FHIR_DATA_PREFIX = "Microsoft.HealthcareApis/services/fhir/";
export const AHDS_FHIR_DATA_PREFIX = "Microsoft.HealthcareApis/workspaces/fhirservices/";

/**
 * The data actions of the FHIR service (both resource types name the same ones, Learn "Azure permissions
 * for Integration": resources/read … smart/action). A legacy action outside this list has no AHDS twin.
 */
const FHIR_DATA_ACTION_SUFFIXES = [
  "*", "resources/*", "resources/read", "resources/write", "resources/delete", "resources/export/action",
  "resources/import/action", "resources/resourceValidate/action", "resources/reindex/action", "resources/convertData/action",
  "resources/editProfileDefinitions/action", "resources/smart/action",
];

/** The GUID at the end of a role definition id, lower-cased. */
export function roleGuidOf(roleDefinitionId: string): string {
  return (roleDefinitionId.replace(/\/+$/, "").split("/").pop() ?? "").toLowerCase();
}

/** `Microsoft.HealthcareApis/services/fhir/resources/read` → its AHDS twin, or null when there is none. */
export function ahdsDataActionOf(legacy: string): string | null {
  if (!legacy.toLowerCase().startsWith(LEGACY_FHIR_DATA_PREFIX.toLowerCase())) return null;
  const suffix = legacy.slice(LEGACY_FHIR_DATA_PREFIX.length);
  const known = FHIR_DATA_ACTION_SUFFIXES.find((s) => s.toLowerCase() === suffix.toLowerCase());
  return known ? `${AHDS_FHIR_DATA_PREFIX}${known}` : null;
}

/** The permission blocks of a role definition, as ARM returns them. */
export interface RolePermissions { actions: string[]; notActions: string[]; dataActions: string[]; notDataActions: string[] }

/** What a role means for the FHIR data plane. */
export type FhirRoleKind =
  /** A built-in FHIR data role, or a custom role that also names every AHDS twin: assign it at the new service. */
  | { kind: "copyable" }
  /** A custom role whose actions are all legacy FHIR data actions, lacking AHDS ones: `missing` to add, `noTwin` that have none. */
  | { kind: "custom-unmapped"; missing: string[]; noTwin: string[] }
  /** Not a FHIR data role (other actions, or no FHIR data action): not copied. */
  | { kind: "other" };

export function fhirRoleKind(guid: string, permissions: readonly RolePermissions[] | null): FhirRoleKind {
  if (FHIR_DATA_ROLES[guid.toLowerCase()]) return { kind: "copyable" };
  if (!permissions || permissions.length === 0) return { kind: "other" };
  const data = permissions.flatMap((p) => p.dataActions);
  const other = permissions.flatMap((p) => p.actions);
  const legacy = data.filter((a) => a.toLowerCase().startsWith(LEGACY_FHIR_DATA_PREFIX.toLowerCase()));
  const ahds = new Set(data.filter((a) => a.toLowerCase().startsWith(AHDS_FHIR_DATA_PREFIX.toLowerCase())).map((a) => a.toLowerCase()));
  // "Custom roles whose actions are all services/fhir/* data actions" (issue 9): management actions or
  // other data actions make it a role of another purpose.
  if (legacy.length === 0 || other.length > 0 || data.some((a) => !legacy.includes(a) && !ahds.has(a.toLowerCase()))) return { kind: "other" };
  const missing: string[] = [];
  const noTwin: string[] = [];
  for (const a of legacy) {
    const twin = ahdsDataActionOf(a);
    if (!twin) noTwin.push(a);
    else if (!ahds.has(twin.toLowerCase())) missing.push(twin);
  }
  return missing.length === 0 && noTwin.length === 0 ? { kind: "copyable" } : { kind: "custom-unmapped", missing, noTwin };
}

/** Whether a role grants any FHIR data action on the AHDS resource type (an inherited grant then covers a target below it). */
export function grantsAhdsFhirData(guid: string, permissions: readonly RolePermissions[] | null): boolean {
  if (FHIR_DATA_ROLES[guid.toLowerCase()]) return true;
  return (permissions ?? []).some((p) => p.dataActions.some((a) => a === "*" || a.toLowerCase().startsWith(AHDS_FHIR_DATA_PREFIX.toLowerCase())
    || a.toLowerCase() === "microsoft.healthcareapis/*"));
}

/** Whether a role grants any FHIR data action on the legacy resource type (what makes an inherited grant worth reporting). */
export function grantsLegacyFhirData(guid: string, permissions: readonly RolePermissions[] | null): boolean {
  if (FHIR_DATA_ROLES[guid.toLowerCase()]) return true;
  return (permissions ?? []).some((p) => p.dataActions.some((a) => a === "*" || a.toLowerCase().startsWith(LEGACY_FHIR_DATA_PREFIX.toLowerCase())
    || a.toLowerCase() === "microsoft.healthcareapis/*"));
}
