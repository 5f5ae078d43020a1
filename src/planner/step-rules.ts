// What a step may ask of Azure (issue 10 §1): a plan file is untrusted input — its digest is a checksum, not
// a signature — so before anything is sent every step is checked against what the planner writes for its
// kind: the exact URL (host, resource type, the planned resource), the api-version the tool pins, and the
// body fields. Role assignments only with the roles the planner uses, at the scopes it uses them; access
// policies only get/wrapKey/unwrapKey for the planned identity; workspace and FHIR service PUTs only at the
// planned ids; nothing on a `services` resource (no rule accepts one). Pure: the plan is all it reads.
//
// Not judged here (issue 10 §3, re-derived from Azure's facts at apply): which principals the FHIR data
// roles at the new FHIR service name, and which custom role a copied grant carries — the plan does not
// record the account facts they come from. Built-in roles other than the ones the planner uses are refused
// at every scope.
import { isJsonObject, type JsonObject, type JsonValue, type Plan, type PlannedAccount, type PlanStep, type StepKind } from "../domain/plan.js";
import { sameLocation } from "../domain/location.js";
import { ACCESS_POLICY_KEY_PERMISSIONS, API_VERSION, ARM_ENDPOINT, ROLES } from "./step-common.js";
import { importConfigurationFor } from "./step-fhir-service.js";
import { canonicalJson } from "../domain/canonical-json.js";

export interface StepViolation {
  stepId: string;
  /** The rule, in a few words: "role", "scope", "url", "api-version", "body", "principal". */
  rule: string;
  detail: string;
}

const PINNED: Record<StepKind, string> = {
  "ensure-resource-group": API_VERSION.resources,
  "ensure-workspace": API_VERSION.healthcare,
  "ensure-identity": API_VERSION.managedIdentity,
  "grant-key-role": API_VERSION.authorization,
  "grant-key-access-policy": API_VERSION.keyVault,
  "create-fhir-service": API_VERSION.healthcare,
  "grant-data-role": API_VERSION.authorization,
};

const ROLE_ASSIGNMENT = /^(\/subscriptions\/[^/]+(?:\/.+)?)\/providers\/microsoft\.authorization\/roleassignments\/[0-9a-f-]{36}$/;
const ROLE_DEFINITION = /^\/subscriptions\/([^/]+)\/providers\/microsoft\.authorization\/roledefinitions\/([0-9a-f-]{36})$/;
const STORAGE = /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.storage\/storageaccounts\/([^/]+)$/;
const REGISTRY = /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.containerregistry\/registries\/([^/]+)$/;

/** Role GUIDs of built-in roles that are never in a plan (issue 10: an Owner grant re-sealed into a plan). */
const FORBIDDEN_BUILT_IN = new Set([
  "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", // Owner
  "b24988ac-6180-42a0-ab88-20f7382dd24c", // Contributor
  "acdd72a7-3385-48ef-bd42-f606fba81ae7", // Reader
  "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", // User Access Administrator
  "f58310d9-a9f6-439a-9e8d-f62e7b41a168", // Role Based Access Control Administrator
  "00482a5a-887f-4fb3-b363-3b7fe8e74483", // Key Vault Administrator
  "14b46e9e-c2b7-41b4-b07b-48a6ebf60603", // Key Vault Crypto Officer
  "12338af0-0e69-4776-bea7-57ae8d297424", // Key Vault Crypto User
  "b86a8fe4-44ce-4948-aee5-eccb2c155cd7", // Key Vault Secrets Officer
  "4633458b-17de-408a-b874-0445c86b69e6", // Key Vault Secrets User
  "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", // Storage Blob Data Owner
  "17d1049b-9a84-46fb-8f53-869881c3d3ab", // Storage Account Contributor
]);

const lower = (s: string) => s.toLowerCase();

/** The first step that asks for more than the planner would, or null. */
export function firstStepViolation(plan: Plan): StepViolation | null {
  const planned = plan.accounts.filter((a) => a.status === "planned");
  for (const step of plan.steps) {
    const v = stepViolation(plan, planned, step) ?? dependencyViolation(plan, step);
    if (v) return { stepId: step.id, ...v };
  }
  return null;
}

/**
 * The dependencies the planner always writes, directly (build-plan.ts): a step may wait for more, never
 * for less — without them a FHIR service would be created before its key is granted, or a grant made on a
 * scope that does not exist yet.
 */
function dependencyViolation(plan: Plan, step: PlanStep): Omit<StepViolation, "stepId"> | null {
  const mine = (...kinds: StepKind[]) => plan.steps.filter((s) => s.accountId === step.accountId && kinds.includes(s.kind));
  let required: PlanStep[] = [];
  switch (step.kind) {
    case "ensure-workspace":
    case "ensure-identity": {
      const group = lower(new URL(step.request.url).pathname).replace(/\/providers\/.*$/, "");
      required = plan.steps.filter((s) => s.kind === "ensure-resource-group" && lower(new URL(s.request.url).pathname) === group);
      break;
    }
    case "grant-key-role":
    case "grant-key-access-policy": required = mine("ensure-identity"); break;
    case "create-fhir-service": required = mine("ensure-identity", "ensure-workspace", "grant-key-role", "grant-key-access-policy"); break;
    case "grant-data-role": {
      const p = isJsonObject(step.request.body) && isJsonObject(step.request.body.properties) ? step.request.body.properties : {};
      // A grant to the planned identity waits for it too (its principalId is known only then).
      required = [...mine("create-fhir-service"), ...(isJsonObject(p.principalId) ? mine("ensure-identity") : [])];
      break;
    }
  }
  const missing = required.filter((r) => r.id !== step.id && !step.dependsOn.includes(r.id));
  return missing.length > 0 ? { rule: "dependency", detail: `does not wait for ${missing.map((m) => m.id).join(", ")}` } : null;
}

function stepViolation(plan: Plan, planned: PlannedAccount[], step: PlanStep): Omit<StepViolation, "stepId"> | null {
  let url: URL;
  try {
    url = new URL(step.request.url);
  } catch {
    return { rule: "url", detail: "has no URL" };
  }
  if (url.origin !== ARM_ENDPOINT[plan.cloud]) return { rule: "url", detail: `goes to ${url.origin}, not ${ARM_ENDPOINT[plan.cloud]}` };
  const params = [...url.searchParams.keys()];
  if (params.length !== 1 || params[0] !== "api-version" || url.searchParams.get("api-version") !== PINNED[step.kind]) {
    return { rule: "api-version", detail: `is not sent with api-version=${PINNED[step.kind]} alone (the version the tool pins for ${step.kind})` };
  }
  if (url.hash) return { rule: "url", detail: "has a fragment" };
  const path = lower(decodeURIComponent(url.pathname));
  const account = planned.find((a) => a.id === step.accountId);
  if (!account) return { rule: "account", detail: "belongs to no planned account" };
  const body = step.request.body;
  if (!isJsonObject(body)) return { rule: "body", detail: "has a body that is not a JSON object" };
  const t = account.target;
  // Everything the plan creates sits in the account's region (azure-facts §2.4: the key vault too).
  if ("location" in body && !sameLocation(String(body.location), account.location)) {
    return { rule: "body", detail: `puts it in ${String(body.location)}, not the account's region ${account.location}` };
  }

  switch (step.kind) {
    case "ensure-resource-group": {
      const ok = planned.some((a) => path === lower(`/subscriptions/${subscriptionOf(a.target.workspaceId)}/resourcegroups/${a.target.resourceGroup}`));
      if (!ok) return { rule: "url", detail: "is not the target resource group of a planned account" };
      return onlyFields(body, ["location"]);
    }
    case "ensure-identity":
      if (path !== lower(t.identityId)) return { rule: "url", detail: `is not the planned identity ${t.identityId}` };
      return onlyFields(body, ["location", "tags"]);
    case "ensure-workspace":
      if (path !== lower(t.workspaceId)) return { rule: "url", detail: `is not the planned workspace ${t.workspaceId}` };
      if (isJsonObject(body.properties) && Object.keys(body.properties).length > 0) return { rule: "body", detail: "sets workspace properties the planner never sets" };
      return onlyFields(body, ["location", "tags", "properties"]);
    case "create-fhir-service": return fhirServiceViolation(plan, account, path, body);
    case "grant-key-access-policy": return accessPolicyViolation(plan, account, path, body);
    case "grant-key-role": {
      const role = account.keyLinkage?.permissionModel === "rbac" ? account.keyLinkage.role : undefined;
      if (!role) return { rule: "scope", detail: "grants on a key, but the account's key is not in an RBAC vault" };
      if (path !== lower(`${role.scope}/providers/Microsoft.Authorization/roleAssignments/${role.assignmentName}`)) {
        return { rule: "scope", detail: `is not the planned role assignment at the key ${role.scope}` };
      }
      return roleBodyViolation(plan, account, body, role.scope, [ROLES.cryptoServiceEncryptionUser.guid], true);
    }
    case "grant-data-role": return dataRoleViolation(plan, account, path, body);
  }
}

function dataCopyStoreOf(plan: Plan): string | null {
  return plan.choices.storageAccount ? lower(plan.choices.storageAccount.split("/").pop()!) : null;
}

function fhirServiceViolation(plan: Plan, account: PlannedAccount, path: string, body: JsonObject): Omit<StepViolation, "stepId"> | null {
  const t = account.target;
  if (path !== lower(t.fhirServiceId) || !path.startsWith(`${lower(t.workspaceId)}/fhirservices/`)) {
    return { rule: "url", detail: `is not the planned FHIR service ${t.fhirServiceId}` };
  }
  const fields = onlyFields(body, ["location", "kind", "identity", "tags", "properties"]);
  if (fields) return fields;
  if (body.kind !== t.kind) return { rule: "body", detail: `sets a kind other than the planned ${t.kind}` };
  const identity = body.identity;
  const assigned = isJsonObject(identity) && isJsonObject(identity.userAssignedIdentities) ? Object.keys(identity.userAssignedIdentities) : [];
  if (!isJsonObject(identity) || identity.type !== "UserAssigned" || assigned.length !== 1 || lower(assigned[0]!) !== lower(t.identityId)) {
    return { rule: "body", detail: `names an identity other than the planned ${t.identityId} alone` };
  }
  const properties = isJsonObject(body.properties) ? body.properties : {};
  // The settings copyFhirSettings writes (step-fhir-service.ts) and the key; their values are the
  // account's (§3 compares them with Azure's).
  const props = onlyFields(properties, ["authenticationConfiguration", "corsConfiguration", "exportConfiguration", "acrConfiguration", "encryption", "importConfiguration"]);
  if (props) return props;
  // The data copy's import configuration, exactly, and only when the plan chose its storage account (issue 11).
  const store = dataCopyStoreOf(plan);
  if (properties.importConfiguration !== undefined
    && (store === null || canonicalJson(properties.importConfiguration) !== canonicalJson(importConfigurationFor(store)))) {
    return { rule: "body", detail: store === null ? "sets an importConfiguration, but the plan chose no --storage-account" : `sets an importConfiguration other than incremental import from ${store}` };
  }
  const auth = properties.authenticationConfiguration;
  if (isJsonObject(auth) && auth.smartProxyEnabled !== false) return { rule: "body", detail: "turns the SMART proxy on, which the planner never does" };
  if (isJsonObject(auth) && typeof auth.audience === "string" && auth.audience.replace(/\/+$/, "") !== t.fhirUrl.replace(/\/+$/, "")) {
    return { rule: "body", detail: `sets an audience other than the new service's URL ${t.fhirUrl}` };
  }
  const encryption = properties.encryption;
  const cmk = isJsonObject(encryption) && isJsonObject(encryption.customerManagedKeyEncryption) ? encryption.customerManagedKeyEncryption.keyEncryptionKeyUrl : undefined;
  if ((cmk ?? null) !== (account.keyLinkage?.targetKeyUrl ?? null)) return { rule: "body", detail: "names an encryption key other than the planned key URL" };
  return null;
}

function accessPolicyViolation(plan: Plan, account: PlannedAccount, path: string, body: JsonObject): Omit<StepViolation, "stepId"> | null {
  const k = account.keyLinkage;
  if (!k || k.permissionModel !== "accessPolicy") return { rule: "scope", detail: "adds an access policy, but the account's key is not in an access-policy vault" };
  if (path !== lower(`${k.vaultId}/accessPolicies/add`)) return { rule: "url", detail: `is not the planned vault's accessPolicies/add (${k.vaultId})` };
  const properties = body.properties;
  const policies = isJsonObject(properties) && Array.isArray(properties.accessPolicies) ? properties.accessPolicies : [];
  const fields = onlyFields(body, ["properties"]) ?? (isJsonObject(properties) ? onlyFields(properties, ["accessPolicies"]) : null);
  if (fields) return fields;
  const only = policies.length === 1 && isJsonObject(policies[0]) ? policies[0] : null;
  if (!only) return { rule: "body", detail: "does not add exactly one access policy" };
  const entry = onlyFields(only, ["tenantId", "objectId", "permissions"]);
  if (entry) return entry;
  if (only.tenantId !== plan.tenantId) return { rule: "principal", detail: `adds a policy for a tenant other than the plan's ${plan.tenantId}` };
  if (!isIdentityRef(plan, account, only.objectId)) return { rule: "principal", detail: "adds a policy for someone other than the planned identity ($fromStep of its ensure-identity)" };
  const permissions = only.permissions;
  const keys = isJsonObject(permissions) && Array.isArray(permissions.keys) ? permissions.keys : null;
  const others = isJsonObject(permissions) ? Object.entries(permissions).filter(([name, v]) => name !== "keys" && !(Array.isArray(v) && v.length === 0)) : [];
  const want = [...ACCESS_POLICY_KEY_PERMISSIONS].map(lower).sort();
  if (!keys || others.length > 0 || JSON.stringify(keys.map((x) => lower(String(x))).sort()) !== JSON.stringify(want)) {
    return { rule: "body", detail: `asks for permissions other than exactly keys ${ACCESS_POLICY_KEY_PERMISSIONS.join(", ")}` };
  }
  return null;
}

function dataRoleViolation(plan: Plan, account: PlannedAccount, path: string, body: JsonObject): Omit<StepViolation, "stepId"> | null {
  const m = ROLE_ASSIGNMENT.exec(path);
  if (!m) return { rule: "url", detail: "is not a role assignment" };
  const scope = m[1]!;
  if (scope === lower(account.target.fhirServiceId)) {
    // The FHIR data roles, or a custom role copied from the account (checked against Azure at apply, §3).
    return roleBodyViolation(plan, account, body, scope, null, false);
  }
  const storage = STORAGE.exec(scope);
  if (storage) {
    const planned = account.settings.find((s) => s.setting === "exportConfiguration.storageAccountName")?.source;
    const dataCopy = plan.choices.storageAccount ? lower(plan.choices.storageAccount) : null;
    if ((!planned || lower(planned) !== storage[1]) && scope !== dataCopy) {
      return { rule: "scope", detail: "grants on a storage account other than the account's export storage account and the plan's --storage-account" };
    }
    return roleBodyViolation(plan, account, body, scope, [ROLES.storageBlobDataContributor.guid], true);
  }
  const registry = REGISTRY.exec(scope);
  if (registry) {
    if (!loginServersOf(plan, account).some((s) => s.split(".")[0] === registry[1])) return { rule: "scope", detail: "grants on a registry the FHIR service does not name" };
    return roleBodyViolation(plan, account, body, scope, [ROLES.acrPull.guid], true);
  }
  return { rule: "scope", detail: "grants outside the planned FHIR service, export storage account and registries" };
}

/**
 * The role-assignment body: roleDefinitionId in the scope's subscription and one of `roles` (null: not a
 * built-in role the planner never grants), the principal the planned identity when `identityOnly`.
 */
function roleBodyViolation(plan: Plan, account: PlannedAccount, body: JsonObject, scope: string, roles: string[] | null,
  identityOnly: boolean): Omit<StepViolation, "stepId"> | null {
  const fields = onlyFields(body, ["properties"]);
  if (fields) return fields;
  const p = isJsonObject(body.properties) ? body.properties : {};
  const pf = onlyFields(p, ["roleDefinitionId", "principalId", "principalType"]);
  if (pf) return pf;
  const def = typeof p.roleDefinitionId === "string" ? ROLE_DEFINITION.exec(lower(p.roleDefinitionId)) : null;
  if (!def || def[1] !== lower(subscriptionOf(scope))) return { rule: "role", detail: "names a roleDefinitionId that is not a role definition of the scope's subscription" };
  const guid = def[2]!;
  if (roles ? !roles.includes(guid) : FORBIDDEN_BUILT_IN.has(guid) || isPlannerRole(guid)) {
    return { rule: "role", detail: `grants role ${guid}, which the planner never grants at ${roles ? "this scope" : "the FHIR service"}` };
  }
  if (identityOnly) {
    if (!isIdentityRef(plan, account, p.principalId)) return { rule: "principal", detail: "grants to someone other than the planned identity ($fromStep of its ensure-identity)" };
    if (p.principalType !== "ServicePrincipal") return { rule: "principal", detail: "gives a principalType other than ServicePrincipal for the planned identity" };
  } else if (typeof p.principalId !== "string" || !["User", "Group", "ServicePrincipal", "ForeignGroup", "Device"].includes(String(p.principalType))) {
    return { rule: "principal", detail: "names no principal id and type" };
  }
  return null;
}

/** The identity-only roles the planner grants elsewhere (key, storage, registry) are never FHIR data roles. */
function isPlannerRole(guid: string): boolean {
  return ([ROLES.cryptoServiceEncryptionUser.guid, ROLES.storageBlobDataContributor.guid, ROLES.acrPull.guid] as string[]).includes(guid);
}

function isIdentityRef(plan: Plan, account: PlannedAccount, v: JsonValue | undefined): boolean {
  if (!isJsonObject(v) || Object.keys(v).length !== 2 || v.output !== "principalId" || typeof v.$fromStep !== "string") return false;
  const ref = plan.steps.find((s) => s.id === v.$fromStep);
  return ref !== undefined && ref.kind === "ensure-identity" && ref.accountId === account.id;
}

function loginServersOf(plan: Plan, account: PlannedAccount): string[] {
  const fhir = plan.steps.find((s) => s.accountId === account.id && s.kind === "create-fhir-service")?.request.body;
  const acr = isJsonObject(fhir) && isJsonObject(fhir.properties) && isJsonObject(fhir.properties.acrConfiguration) ? fhir.properties.acrConfiguration : {};
  const servers = Array.isArray(acr.loginServers) ? acr.loginServers : [];
  const oci = Array.isArray(acr.ociArtifacts) ? acr.ociArtifacts.map((o) => (isJsonObject(o) ? o.loginServer : null)) : [];
  return [...servers, ...oci].filter((s): s is string => typeof s === "string").map(lower);
}

function onlyFields(o: JsonObject, allowed: string[]): Omit<StepViolation, "stepId"> | null {
  const extra = Object.keys(o).filter((k) => !allowed.includes(k));
  if (extra.length === 0) return null;
  // A one-line refusal whatever the file holds: at most three field names, each cut short.
  const shown = extra.slice(0, 3).map((k) => JSON.stringify(k.length > 40 ? `${k.slice(0, 40)}…` : k));
  const more = extra.length > 3 ? ` and ${extra.length - 3} more` : "";
  return { rule: "body", detail: `sets ${shown.join(", ")}${more}, which the planner never writes here` };
}

function subscriptionOf(id: string): string {
  return /^\/subscriptions\/([^/]+)/i.exec(id)?.[1] ?? "";
}
