// What every step builder shares: the cloud's ARM endpoint, the api-version each pinned client sends, the
// built-in role GUIDs the plan grants (azure-facts §2.6), step ids, and `$fromStep` references.
import { sha256Hex } from "../domain/canonical-json.js";
import { scopeKey } from "../domain/snapshot.js";
import type { CloudName, LegacyAccount, PrincipalType } from "../domain/snapshot.js";
import type { FromStepRef, JsonValue, PlanStep, StepKind } from "../domain/plan.js";
import { roleAssignmentName } from "./role-assignment-name.js";

/** ARM endpoints (azure-facts §6). */
export const ARM_ENDPOINT: Record<CloudName, string> = {
  AzureCloud: "https://management.azure.com",
  AzureUSGovernment: "https://management.usgovcloudapi.net",
};

/** AHDS FHIR service DNS zones (azure-facts §2.5, §6). */
export const FHIR_DNS_ZONE: Record<CloudName, string> = {
  AzureCloud: "fhir.azurehealthcareapis.com",
  AzureUSGovernment: "fhir.azurehealthcareapis.us",
};

/**
 * The api-version each write goes out with: the one its pinned client (package.json) sends (SDK-RECIPE §5),
 * so the runner's `sendRequest` through that client's pipeline matches what the typed method would send.
 * Resource groups have no pinned client (no @azure/arm-resources); 2021-04-01 is a stable version the
 * sandbox and Azure accept (src/sandbox/arm/api-versions.ts RESOURCES).
 */
export const API_VERSION = {
  healthcare: "2024-03-31",        // @azure/arm-healthcareapis 3.0.0 pinned to the saved spec (DESIGN.md "Plan")
  managedIdentity: "2024-11-30",   // @azure/arm-msi 2.2.0
  authorization: "2022-04-01",     // @azure/arm-authorization 9.0.0 role assignments
  keyVault: "2026-02-01",          // @azure/arm-keyvault 5.0.0 vaults.updateAccessPolicy
  resources: "2021-04-01",
} as const;

/** Built-in role definitions (azure-facts §2.4, §2.6): the same GUID in every cloud. */
export const ROLES = {
  cryptoServiceEncryptionUser: { guid: "e147488a-f6f5-4113-8e2d-b22465e65bf6", name: "Key Vault Crypto Service Encryption User" },
  fhirDataContributor: { guid: "5a1fc7df-4bf1-4951-a576-89034ee01acd", name: "FHIR Data Contributor" },
  storageBlobDataContributor: { guid: "ba92f5b4-2d11-453d-a403-e96b0029c9fe", name: "Storage Blob Data Contributor" },
  acrPull: { guid: "7f951dda-4ed3-4680-a7ca-43fe172d538d", name: "AcrPull" },
} as const;

export type RoleRef = (typeof ROLES)[keyof typeof ROLES] | { guid: string; name: string };

export { SOURCE_TAG } from "../domain/target-names.js";

/** Key permissions the access-policy vault grants the identity (azure-facts §2.4: Get / Wrap Key / Unwrap Key). */
export const ACCESS_POLICY_KEY_PERMISSIONS = ["get", "wrapKey", "unwrapKey"];

export function armUrl(cloud: CloudName, path: string, apiVersion: string): string {
  return `${ARM_ENDPOINT[cloud]}${path}?api-version=${apiVersion}`;
}

/** `{name}-{6 hex of sha256(lower-case id)}`: readable, and unique even for same-named accounts. */
export function stepPrefix(account: Pick<LegacyAccount, "id" | "name">): string {
  return `${account.name}-${sha256Hex(scopeKey(account.id)).slice(0, 6)}`;
}

export function stepId(prefix: string, kind: StepKind, suffix?: string): string {
  return `${prefix}/${kind}${suffix ? `/${suffix}` : ""}`;
}

export function fromStep(step: string, output: string): FromStepRef {
  return { $fromStep: step, output };
}

/** The subscription a scope lives in (role definitions are addressed in the scope's subscription). */
export function subscriptionOf(scope: string): string {
  const m = /^\/subscriptions\/([^/]+)/i.exec(scope);
  if (!m) throw new Error(`not a subscription scope: ${scope}`);
  return m[1]!;
}

export function roleDefinitionId(scope: string, roleGuid: string): string {
  return `/subscriptions/${subscriptionOf(scope)}/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`;
}

/** What every account's step builders know. */
export interface StepContext {
  cloud: CloudName;
  accountId: string;
  prefix: string;
  location: string;
  tags: Record<string, string>;
}

/** The principal of a role assignment: its id (or a $fromStep ref), what its name is derived from, its type. */
export interface Grantee {
  principalId: string | FromStepRef;
  /** The identity's ARM id, or the object id: known at plan time, so the assignment name is too. */
  nameKey: string;
  /** As Graph found it, or as ARM listed it on a copied assignment (e.g. ForeignGroup). */
  principalType: PrincipalType | string;
}

/** A role-assignment PUT (Authorization 2022-04-01 RoleAssignments_Create), shared by key and data grants. */
export function roleAssignmentStep(
  ctx: StepContext, kind: "grant-key-role" | "grant-data-role", suffix: string | undefined, title: string,
  scope: string, role: RoleRef, grantee: Grantee, dependsOn: string[],
): { step: PlanStep; assignmentName: string; roleDefinitionId: string } {
  const assignmentName = roleAssignmentName(scope, grantee.nameKey, role.guid);
  const definitionId = roleDefinitionId(scope, role.guid);
  const body: JsonValue = {
    properties: {
      roleDefinitionId: definitionId,
      principalId: grantee.principalId as unknown as JsonValue,
      principalType: grantee.principalType,
    },
  };
  return {
    assignmentName, roleDefinitionId: definitionId,
    step: {
      id: stepId(ctx.prefix, kind, suffix), accountId: ctx.accountId, kind, title, dependsOn,
      request: { method: "PUT", url: armUrl(ctx.cloud, `${scope}/providers/Microsoft.Authorization/roleAssignments/${assignmentName}`, API_VERSION.authorization), body },
      longRunning: false, outputs: [],
    },
  };
}
