// The snapshot: what discovery (src/inventory) read of the world, as plain data, before any judgement.
// src/assess judges it; the planner (issue 4) builds from it. Facts that could not be read are null and
// the reason is kept next to them, so a rule can be skipped and the finding that explains the gap raised
// instead (FINDINGS.md "Definitions": "Every rule is evaluated on its own").

export type CloudName = "AzureCloud" | "AzureUSGovernment";

export interface SubscriptionFacts {
  subscriptionId: string;
  displayName: string;
  tenantId: string;
  /** Why the subscription's accounts could not be listed, or null. */
  error: string | null;
}

/** A legacy Azure API for FHIR account as ARM returns it (2024-03-31 ServicesDescription, REST shape). */
export interface LegacyAccount {
  id: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  kind: string;
  etag?: string;
  tags?: Record<string, string>;
  identity?: { type?: string; principalId?: string; tenantId?: string };
  properties: {
    provisioningState?: string;
    accessPolicies?: { objectId: string }[];
    cosmosDbConfiguration?: { offerThroughput?: number; keyVaultKeyUri?: string; crossTenantCmkApplicationId?: string | null };
    authenticationConfiguration?: { authority?: string; audience?: string; smartProxyEnabled?: boolean };
    corsConfiguration?: { origins?: string[]; headers?: string[]; methods?: string[]; maxAge?: number; allowCredentials?: boolean };
    exportConfiguration?: { storageAccountName?: string };
    acrConfiguration?: { loginServers?: string[]; ociArtifacts?: { loginServer?: string; imageName?: string; digest?: string }[] };
    importConfiguration?: Record<string, unknown>;
    privateEndpointConnections?: unknown[];
    publicNetworkAccess?: string;
    [other: string]: unknown;
  };
}

/** How a read went, when it did not simply succeed. */
export type ReadFailure =
  | "not-found"      // 404, or the vault host does not resolve (proxy 502) after a bounded retry
  | "forbidden"      // ARM 403 / Key Vault 403 (no role, no access policy)
  | "firewall"       // Key Vault 403 ForbiddenByFirewall
  | "cross-tenant"   // the vault's challenge names another tenant than the signed-in one
  | "error";         // anything else (5xx, network): reported in `errors`

/** A key vault, from ARM (vaults.listBySubscription / get) and, for its tenant, the Key Vault challenge. */
export interface VaultFacts {
  /** Vault name as written in the key URI (case kept). */
  name: string;
  /** As ARM returns it (trailing slash), or `https://{vault host}/` from the key URI when not visible. */
  vaultUri: string;
  /** ARM id, or null when the vault resource is not visible to the caller. */
  id: string | null;
  location: string | null;
  /** properties.tenantId, or the tenant named by the Key Vault 401 challenge, or null. */
  tenantId: string | null;
  softDelete: boolean | null;
  purgeProtection: boolean | null;
  permissionModel: "rbac" | "accessPolicy" | null;
  /** ARM defaults when the vault has no networkAcls: Allow / AzureServices (FINDINGS.md "Facts in cmk"). */
  networkDefaultAction: "Allow" | "Deny" | null;
  networkBypass: "AzureServices" | "None" | null;
  /** Why the ARM vault resource was not read; null when it was. */
  armFailure: ReadFailure | null;
}

/** One version as the versions listing shows it (attributes only). */
export interface KeyVersionFacts {
  version: string;
  enabled: boolean | null;
  /** ISO-8601 or null. */
  expiresOn: string | null;
  notBefore: string | null;
  createdOn: string | null;
}

/**
 * A key named by one or more accounts' keyVaultKeyUri: read once however many accounts share it
 * (one getKey for the judged version + one versions listing).
 */
export interface KeyFacts {
  vaultName: string;
  keyName: string;
  /** The version the source URI names, or null for a versionless URI. */
  pinnedVersion: string | null;
  /** The version judged: the pinned one, or the current one (newest by created). Null when unknown. */
  version: string | null;
  keyType: string | null;
  /** RSA modulus length in bits; null for non-RSA keys or when unknown. */
  keySize: number | null;
  enabled: boolean | null;
  expiresOn: string | null;
  notBefore: string | null;
  recoveryLevel: string | null;
  /** Tenant named by the vault's 401 challenge, when seen. */
  challengeTenantId: string | null;
  /** Why the judged version could not be read with getKey; "disabled" = 403 KeyDisabled. Null when read. */
  getFailure: ReadFailure | "disabled" | null;
  /** Why the versions listing could not be read. Null when read. */
  listFailure: ReadFailure | null;
  versions: KeyVersionFacts[];
}

/** The caller's effective ARM permissions at a scope (Microsoft.Authorization/permissions). */
export interface PermissionSet {
  actions: string[];
  notActions: string[];
  dataActions: string[];
  notDataActions: string[];
}

export type PrincipalType = "User" | "Group" | "ServicePrincipal";

/** A role assignment at or above an account's scope (RoleAssignments_ListForScope with `atScope()`). */
export interface RoleAssignmentFacts {
  id: string;
  /** As ARM returns it: the account's own id for a direct assignment, else the group, subscription or management group. */
  scope: string;
  roleDefinitionId: string;
  principalId: string;
  /** As read ("User", "Group", "ServicePrincipal", "ForeignGroup", …), or null. */
  principalType: string | null;
  /** An ABAC condition, or null: a conditioned grant is not copied (its attributes name the source). */
  condition: string | null;
}

/** A role definition the assignments refer to (RoleDefinitions_GetById), null when it could not be read. */
export interface RoleDefinitionFacts {
  id: string;
  roleName: string;
  /** "BuiltInRole" or "CustomRole". */
  roleType: string;
  permissions: { actions: string[]; notActions: string[]; dataActions: string[]; notDataActions: string[] }[];
  assignableScopes: string[];
}

/** An existing AHDS workspace as its listing shows it (2024-03-31 Workspace: location, tags, systemData). */
export interface WorkspaceFacts {
  id: string;
  location: string;
  tags: Record<string, string>;
  /** systemData.createdAt / createdBy / createdByType, or null when ARM did not say. */
  createdAt: string | null;
  createdBy: string | null;
  createdByType: string | null;
}

export interface Snapshot {
  cloud: CloudName;
  /** The signed-in tenant (only its subscriptions are listed). */
  tenantId: string;
  /** ISO-8601, from the injected clock. */
  generatedAt: string;
  subscriptions: SubscriptionFacts[];
  accounts: LegacyAccount[];
  /** Keyed by vaultKey(name). */
  vaults: Record<string, VaultFacts>;
  /** Keyed by keyRef(vault, key, pinnedVersion). */
  keys: Record<string, KeyFacts>;
  /**
   * Microsoft Graph getByIds over every accessPolicies objectId and every principal of a direct FHIR data
   * role assignment: the ones found in the signed-in tenant.
   * null when Graph could not be read (401/403/…): `principals-unverified`.
   */
  principals: Record<string, PrincipalType> | null;
  /** Keyed by scopeKey(scope); null = could not be read (an `errors` entry says why). */
  permissions: Record<string, PermissionSet[] | null>;
  /**
   * Role assignments at each account's scope and above, keyed by scopeKey(account id); null = could not be
   * read (`rbac-assignments-unreadable`). Absent key = not read (an older snapshot): no RBAC rule runs.
   */
  roleAssignments: Record<string, RoleAssignmentFacts[] | null>;
  /** The definitions those assignments name that are not built-in FHIR data roles, by GUID (lower); null = unreadable. */
  roleDefinitions: Record<string, RoleDefinitionFacts | null>;
  /** Storage accounts of the listed subscriptions, keyed by lower-case name → ARM id. */
  storageAccounts: Record<string, string>;
  /** Container registries keyed by lower-case login server (`{name}.azurecr.io` / `.azurecr.us`) → ARM id. */
  registries: Record<string, string>;
  /** ARM ids (as returned) of existing AHDS workspaces and FHIR services in the listed subscriptions. */
  workspaces: string[];
  /** What the workspace listing says of each of `workspaces`, keyed by scopeKey(id) (an adopted target shows it). */
  workspaceFacts: Record<string, WorkspaceFacts>;
  fhirServices: string[];
  /**
   * Regions ARM's provider metadata lists for `Microsoft.HealthcareApis/workspaces/fhirservices`
   * (`GET /subscriptions/{id}/providers/Microsoft.HealthcareApis`, `resourceTypes[].locations`), normalised
   * ("West US 2" → westus2), keyed by lower-case subscription id: read once per subscription that has
   * accounts. null = could not be read (an `errors` entry says why); absent = not read. Either way the rules
   * fall back to the built-in list (src/assess/clouds.ts).
   */
  fhirRegions: Record<string, string[] | null>;
  errors: { scope: string; message: string }[];
}

export function vaultKey(vaultName: string): string {
  return vaultName.toLowerCase();
}

export function keyRef(vaultName: string, keyName: string, pinnedVersion: string | null): string {
  return `${vaultName}/${keyName}${pinnedVersion ? `/${pinnedVersion}` : ""}`.toLowerCase();
}

/** ARM ids and scopes compare case-insensitively, without a trailing slash. */
export function scopeKey(scope: string): string {
  return scope.replace(/\/+$/, "").toLowerCase();
}

/** `https://{vault}.vault.azure.net/keys/{name}[/{version}]` → its parts, or null when it is not a key URI. */
export function parseKeyUri(uri: string): { vaultUrl: string; vaultHost: string; vaultName: string; keyName: string; version: string | null } | null {
  let u: URL;
  try { u = new URL(uri); } catch { return null; }
  if (u.protocol !== "https:") return null;
  const parts = u.pathname.split("/").filter((p) => p.length > 0);
  if (parts.length < 2 || parts.length > 3 || parts[0]!.toLowerCase() !== "keys") return null;
  const vaultName = u.hostname.split(".")[0] ?? "";
  return {
    vaultUrl: `https://${u.host}`, vaultHost: u.hostname.toLowerCase(), vaultName,
    keyName: parts[1]!, version: parts[2] ?? null,
  };
}
