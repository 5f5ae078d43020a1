// The demo estate that ships with the project (`npm run demo`, `ahds-migrate --sandbox`): Contoso Health
// with legacy Azure API for FHIR accounts in three subscriptions, covering ready, needs-action and blocked
// cases (docs/FINDINGS.md) and one vault shared by several accounts. Resources are written as ARM GETs
// return them: services as HealthcareApis 2024-03-31 `ServicesDescription`, vaults as KeyVault 2026-02-01
// `Vault`. Every id is derived from a name by hashing, so the file is byte-for-byte stable.
import { createHash } from "node:crypto";
import { writeFile } from "node:fs/promises";
import type { ArmResource, Estate, EstateKey, EstateKeyVersion, EstatePrincipal } from "./estate-types.js";

/** A GUID derived from `name` (stable across runs; version-4 layout so it looks like Azure's). */
export function demoGuid(name: string): string {
  const h = createHash("sha256").update(`ahds-migrate-demo:${name}`).digest("hex");
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A 32-hex key version derived from `name`. */
function demoVersion(name: string): string {
  return createHash("sha256").update(`ahds-migrate-demo-version:${name}`).digest("hex").slice(0, 32);
}

/** Built-in role definition GUIDs (azure-facts §2.6). */
const ROLE = {
  owner: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
  cryptoOfficer: "14b46e9e-c2b7-41b4-b07b-48a6ebf60603",
  cryptoServiceEncryptionUser: "e147488a-f6f5-4113-8e2d-b22465e65bf6",
  keyVaultReader: "21090545-7ca7-4776-b22c-e363652d74d2",
  storageBlobDataContributor: "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
};

const CONTOSO = demoGuid("tenant:contoso-health");
const FABRIKAM = demoGuid("tenant:fabrikam-partners");
const CALLER_APP = demoGuid("app:ahds-migrate-operator");
const CALLER_OID = demoGuid("sp:ahds-migrate-operator");
/** The demo's fake secret: it only signs in to the sandbox. */
const CALLER_SECRET = "sandbox-demo-secret-not-real";

const SUB_PROD = demoGuid("sub:contoso-health-production");
const SUB_RESEARCH = demoGuid("sub:contoso-health-research");
const SUB_CLINICAL = demoGuid("sub:contoso-health-clinical-ops");
const SUB_FABRIKAM = demoGuid("sub:fabrikam-shared-keys");

const USER_ALICE = demoGuid("user:alice");
const GROUP_CLINICIANS = demoGuid("group:fhir-clinicians");
const SP_INGEST = demoGuid("sp:claims-ingest");
const FOREIGN_AUDITOR = demoGuid("user:fabrikam-auditor");

// 2024-06-01T00:00:00Z, when the demo's keys and grants were made (Unix seconds).
const CREATED = 1717200000;
const CREATED_ISO = "2024-06-01T00:00:00.0000000Z";

const rg = (sub: string, name: string): string => `/subscriptions/${sub}/resourceGroups/${name}`;

interface VaultSpec {
  sub: string; group: string; name: string; location: string; tenant?: string;
  rbac?: boolean; purgeProtection?: boolean; networkAcls?: Record<string, unknown>; accessPolicies?: unknown[];
}

function vault(v: VaultSpec): ArmResource {
  const props: Record<string, unknown> = {
    sku: { family: "A", name: "standard" },
    tenantId: v.tenant ?? CONTOSO,
    accessPolicies: v.accessPolicies ?? [],
    enabledForDeployment: false,
    enabledForDiskEncryption: false,
    enabledForTemplateDeployment: false,
    enableSoftDelete: true,
    softDeleteRetentionInDays: 90,
    enableRbacAuthorization: v.rbac ?? true,
    vaultUri: `https://${v.name}.vault.azure.net/`,
    provisioningState: "Succeeded",
    publicNetworkAccess: "Enabled",
  };
  // ARM omits enablePurgeProtection when it was never turned on (Vault 2026-02-01: no default).
  if (v.purgeProtection ?? true) props.enablePurgeProtection = true;
  if (v.networkAcls) props.networkAcls = v.networkAcls;
  return {
    id: `${rg(v.sub, v.group)}/providers/Microsoft.KeyVault/vaults/${v.name}`,
    name: v.name, type: "Microsoft.KeyVault/vaults", location: v.location, tags: {}, properties: props,
  };
}

interface AccountSpec {
  sub: string; group: string; name: string; location: string;
  kind?: string; state?: string; keyUri?: string | null; authority?: string; smartProxy?: boolean;
  accessPolicies?: string[]; export?: string; acr?: string[]; privateEndpoint?: boolean; throughput?: number;
}

function account(a: AccountSpec): ArmResource {
  const id = `${rg(a.sub, a.group)}/providers/Microsoft.HealthcareApis/services/${a.name}`;
  const cosmos: Record<string, unknown> = { offerThroughput: a.throughput ?? 1000 };
  if (a.keyUri) cosmos.keyVaultKeyUri = a.keyUri;
  return {
    id, name: a.name, type: "Microsoft.HealthcareApis/services",
    kind: a.kind ?? "fhir-R4", location: a.location,
    etag: `"${demoGuid(`etag:${a.name}`).slice(0, 8)}-0000-0100-0000-665a5b000000"`,
    tags: { environment: a.sub === SUB_PROD ? "production" : "non-production" },
    identity: { type: "SystemAssigned", principalId: demoGuid(`mi:${a.name}`), tenantId: CONTOSO },
    properties: {
      provisioningState: a.state ?? "Succeeded",
      accessPolicies: (a.accessPolicies ?? []).map((objectId) => ({ objectId })),
      cosmosDbConfiguration: cosmos,
      authenticationConfiguration: {
        authority: a.authority ?? `https://login.microsoftonline.com/${CONTOSO}`,
        audience: `https://${a.name}.azurehealthcareapis.com`,
        smartProxyEnabled: a.smartProxy ?? false,
      },
      corsConfiguration: { origins: [], headers: [], methods: [], allowCredentials: false },
      exportConfiguration: a.export ? { storageAccountName: a.export } : {},
      acrConfiguration: { loginServers: a.acr ?? [], ociArtifacts: [] },
      privateEndpointConnections: a.privateEndpoint ? [privateEndpoint(id, a.sub, a.group)] : [],
      publicNetworkAccess: a.privateEndpoint ? "Disabled" : "Enabled",
    },
  };
}

function privateEndpoint(serviceId: string, sub: string, group: string): Record<string, unknown> {
  const name = "pe-fhir-cohorts";
  return {
    id: `${serviceId}/privateEndpointConnections/${name}`,
    name, type: "Microsoft.HealthcareApis/services/privateEndpointConnections",
    properties: {
      privateEndpoint: { id: `${rg(sub, group)}/providers/Microsoft.Network/privateEndpoints/${name}` },
      privateLinkServiceConnectionState: { status: "Approved", description: "Auto-approved", actionsRequired: "None" },
      provisioningState: "Succeeded",
    },
  };
}

function roleAssignment(scope: string, role: string, principalId: string, principalType: string, sub: string): ArmResource {
  const name = demoGuid(`ra:${scope}:${role}:${principalId}`);
  return {
    id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`,
    name, type: "Microsoft.Authorization/roleAssignments",
    properties: {
      roleDefinitionId: `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${role}`,
      principalId, principalType, scope, condition: null, conditionVersion: null,
      createdOn: CREATED_ISO, updatedOn: CREATED_ISO, createdBy: CALLER_OID, updatedBy: CALLER_OID,
      delegatedManagedIdentityResourceId: null, description: null,
    },
  };
}

function keyVersion(name: string, overrides: Partial<EstateKeyVersion> = {}): EstateKeyVersion {
  return { version: demoVersion(name), kty: "RSA", keySize: 3072, enabled: true, exp: null, nbf: null, created: CREATED, ...overrides };
}

const keyUri = (vaultName: string, key: string): string => `https://${vaultName}.vault.azure.net/keys/${key}`;

/** The built-in demo estate (fresh copy on every call). */
export function demoEstate(): Estate {
  const resources: ArmResource[] = [];
  const principals: EstatePrincipal[] = [
    { tenantId: CONTOSO, objectId: CALLER_OID, type: "ServicePrincipal", displayName: "ahds-migrate-operator",
      appId: CALLER_APP, clientSecret: CALLER_SECRET },
    { tenantId: CONTOSO, objectId: USER_ALICE, type: "User", displayName: "Dr. Alice Nguyen" },
    { tenantId: CONTOSO, objectId: GROUP_CLINICIANS, type: "Group", displayName: "FHIR Clinicians" },
    { tenantId: CONTOSO, objectId: SP_INGEST, type: "ServicePrincipal", displayName: "claims-ingest",
      appId: demoGuid("app:claims-ingest") },
    { tenantId: FABRIKAM, objectId: FOREIGN_AUDITOR, type: "User", displayName: "Fabrikam Auditor" },
    { tenantId: FABRIKAM, objectId: demoGuid("sp:fabrikam-key-admin"), type: "ServicePrincipal",
      displayName: "fabrikam-key-admin", appId: demoGuid("app:fabrikam-key-admin") },
  ];
  const keys: EstateKey[] = [];

  // --- Production (West Europe): one RBAC vault shared by several accounts ---
  const prodKv = "kv-contoso-fhir-prod";
  resources.push(vault({ sub: SUB_PROD, group: "rg-keys-prod", name: prodKv, location: "westeurope" }));
  keys.push({ vaultName: prodKv, name: "fhir-cmk", versions: [
    keyVersion("fhir-cmk-v1", { created: CREATED - 86400 * 180 }),
    keyVersion("fhir-cmk-v2"),
  ] });
  keys.push({ vaultName: prodKv, name: "fhir-cmk-4096", versions: [keyVersion("fhir-cmk-4096-v1", { keySize: 4096 })] });
  const prod = (name: string, extra: Partial<AccountSpec> = {}): AccountSpec =>
    ({ sub: SUB_PROD, group: "rg-fhir-prod", name, location: "westeurope", keyUri: keyUri(prodKv, "fhir-cmk"), ...extra });
  resources.push(
    // The operator may use these two on the data plane, and they export to contosomigration: ready to sync.
    account(prod("fhir-patients", { accessPolicies: [USER_ALICE, GROUP_CLINICIANS, CALLER_OID], export: MIGRATION_STORAGE })),
    account(prod("fhir-claims", { accessPolicies: [SP_INGEST, CALLER_OID], throughput: 4000, export: MIGRATION_STORAGE })),
    account(prod("fhir-imaging", { kind: "fhir-Stu3" })),
    account(prod("fhir-legacy-r4", { keyUri: keyUri(prodKv, "fhir-cmk-4096") })),
    account(prod("fhir-smart-apps", {
      smartProxy: true, authority: "https://login.contoso-idp.example/oauth2", accessPolicies: [USER_ALICE, FOREIGN_AUDITOR],
    })),
  );

  // --- Research (North Europe): access-policy vault, purge protection off, vault elsewhere, firewall ---
  const apKv = "kv-contoso-research-ap";
  const noPurgeKv = "kv-research-nopurge";
  const weuKv = "kv-research-weu";
  const lockedKv = "kv-research-locked";
  resources.push(
    vault({ sub: SUB_RESEARCH, group: "rg-research", name: apKv, location: "northeurope", rbac: false, accessPolicies: [
      { tenantId: CONTOSO, objectId: CALLER_OID, permissions: { keys: ["Get", "List"], secrets: [], certificates: [] } },
      { tenantId: CONTOSO, objectId: demoGuid("mi:fhir-research"),
        permissions: { keys: ["Get", "WrapKey", "UnwrapKey"], secrets: [], certificates: [] } },
    ] }),
    vault({ sub: SUB_RESEARCH, group: "rg-research", name: noPurgeKv, location: "northeurope", purgeProtection: false }),
    vault({ sub: SUB_RESEARCH, group: "rg-research", name: weuKv, location: "westeurope" }),
    vault({ sub: SUB_RESEARCH, group: "rg-research", name: lockedKv, location: "northeurope",
      networkAcls: { bypass: "None", defaultAction: "Deny", ipRules: [{ value: "203.0.113.0/24" }], virtualNetworkRules: [] } }),
  );
  for (const v of [apKv, noPurgeKv, weuKv, lockedKv]) keys.push({ vaultName: v, name: "fhir-cmk", versions: [keyVersion(`${v}-v1`)] });
  const research = (name: string, vaultName: string, extra: Partial<AccountSpec> = {}): AccountSpec =>
    ({ sub: SUB_RESEARCH, group: "rg-research", name, location: "northeurope", keyUri: keyUri(vaultName, "fhir-cmk"), ...extra });
  resources.push(
    account(research("fhir-research", apKv)),
    account(research("fhir-trials", noPurgeKv)),
    account(research("fhir-genomics", weuKv)),
    account(research("fhir-cohorts", lockedKv, { privateEndpoint: true })),
  );

  // --- Clinical operations (East US): key problems, blocked accounts, export + ACR ---
  const clinicalKv = "kv-contoso-clinical";
  const restrictedKv = "kv-clinical-restricted";
  const fabrikamKv = "kv-fabrikam-shared";
  resources.push(
    vault({ sub: SUB_CLINICAL, group: "rg-clinical", name: clinicalKv, location: "eastus" }),
    vault({ sub: SUB_CLINICAL, group: "rg-clinical", name: restrictedKv, location: "eastus" }),
    vault({ sub: SUB_FABRIKAM, group: "rg-fabrikam-keys", name: fabrikamKv, location: "eastus", tenant: FABRIKAM }),
  );
  keys.push(
    { vaultName: clinicalKv, name: "cmk-clinical", versions: [keyVersion("cmk-clinical-v1")] },
    { vaultName: clinicalKv, name: "cmk-disabled", versions: [
      keyVersion("cmk-disabled-v1", { created: CREATED - 86400 * 30 }),
      keyVersion("cmk-disabled-v2", { enabled: false }),
    ] },
    // Expired 2025-01-01T00:00:00Z.
    { vaultName: clinicalKv, name: "cmk-expired", versions: [keyVersion("cmk-expired-v1", { keySize: 2048, exp: 1735689600 })] },
    { vaultName: restrictedKv, name: "cmk-audit", versions: [keyVersion("cmk-audit-v1")] },
    { vaultName: fabrikamKv, name: "contoso-cmk", versions: [keyVersion("contoso-cmk-v1")] },
  );
  const clinical = (name: string, extra: Partial<AccountSpec> = {}): AccountSpec =>
    ({ sub: SUB_CLINICAL, group: "rg-clinical", name, location: "eastus", keyUri: keyUri(clinicalKv, "cmk-clinical"), ...extra });
  resources.push(
    account(clinical("fhir-exports", { kind: "fhir", export: "contosofhirexport", acr: ["contosofhiracr.azurecr.io"] })),
    account(clinical("fhir-disabled-key", { keyUri: keyUri(clinicalKv, "cmk-disabled") })),
    account(clinical("fhir-expired-key", { keyUri: keyUri(clinicalKv, "cmk-expired") })),
    account(clinical("fhir-audit", { keyUri: keyUri(restrictedKv, "cmk-audit") })),
    account(clinical("fhir-suspended", { state: "Suspended" })),
    account(clinical("fhir-partner", { keyUri: keyUri(fabrikamKv, "contoso-cmk") })),
    account(clinical("fhir-orphan-key", { keyUri: keyUri(clinicalKv, "cmk-deleted") })),
    account(clinical("fhir-no-cmk", { keyUri: null })),
  );
  // The data copy's storage account of production (issue 11): both accounts' identities may write to it.
  const migrationId = `${rg(SUB_PROD, "rg-fhir-prod")}/providers/Microsoft.Storage/storageAccounts/${MIGRATION_STORAGE}`;
  resources.push({
    id: migrationId, name: MIGRATION_STORAGE, type: "Microsoft.Storage/storageAccounts", location: "westeurope", kind: "StorageV2",
    sku: { name: "Standard_LRS", tier: "Standard" }, tags: {},
    properties: { provisioningState: "Succeeded", primaryEndpoints: { blob: `https://${MIGRATION_STORAGE}.blob.core.windows.net/` } },
  });
  for (const name of ["fhir-patients", "fhir-claims"]) {
    resources.push(roleAssignment(migrationId, ROLE.storageBlobDataContributor, demoGuid(`mi:${name}`), "ServicePrincipal", SUB_PROD));
  }
  const clinicalRg = rg(SUB_CLINICAL, "rg-clinical");
  resources.push(
    {
      id: `${clinicalRg}/providers/Microsoft.Storage/storageAccounts/contosofhirexport`, name: "contosofhirexport",
      type: "Microsoft.Storage/storageAccounts", location: "eastus", kind: "StorageV2",
      sku: { name: "Standard_LRS", tier: "Standard" }, tags: {},
      properties: { provisioningState: "Succeeded", primaryEndpoints: { blob: "https://contosofhirexport.blob.core.windows.net/" } },
    },
    {
      id: `${clinicalRg}/providers/Microsoft.ContainerRegistry/registries/contosofhiracr`, name: "contosofhiracr",
      type: "Microsoft.ContainerRegistry/registries", location: "eastus", sku: { name: "Standard", tier: "Standard" }, tags: {},
      properties: { loginServer: "contosofhiracr.azurecr.io", provisioningState: "Succeeded", adminUserEnabled: false },
    },
  );

  // --- Who may do what ---
  // The operator owns the three Contoso subscriptions (control plane; Owner has no data actions) ...
  for (const sub of [SUB_PROD, SUB_RESEARCH, SUB_CLINICAL]) {
    resources.push(roleAssignment(`/subscriptions/${sub}`, ROLE.owner, CALLER_OID, "ServicePrincipal", sub));
  }
  // ... and reads keys on the RBAC vaults, except kv-clinical-restricted (→ key-access-denied).
  const rbacVaults: [string, string, string][] = [
    [SUB_PROD, "rg-keys-prod", prodKv], [SUB_RESEARCH, "rg-research", noPurgeKv], [SUB_RESEARCH, "rg-research", weuKv],
    [SUB_RESEARCH, "rg-research", lockedKv], [SUB_CLINICAL, "rg-clinical", clinicalKv],
  ];
  for (const [sub, group, name] of rbacVaults) {
    const scope = `${rg(sub, group)}/providers/Microsoft.KeyVault/vaults/${name}`;
    resources.push(roleAssignment(scope, name === prodKv ? ROLE.cryptoOfficer : ROLE.keyVaultReader, CALLER_OID, "ServicePrincipal", sub));
  }
  // Each CMK account's own identity can use its key today (as Azure API for FHIR requires, azure-facts §1.3).
  for (const r of resources.filter((x) => x.type === "Microsoft.HealthcareApis/services")) {
    const uri = (r.properties?.cosmosDbConfiguration as { keyVaultKeyUri?: string }).keyVaultKeyUri;
    const principalId = (r.identity as { principalId: string }).principalId;
    principals.push({ tenantId: CONTOSO, objectId: principalId, type: "ServicePrincipal", displayName: r.name });
    if (!uri) continue;
    const vaultName = new URL(uri).hostname.split(".")[0]!;
    const v = resources.find((x) => x.type === "Microsoft.KeyVault/vaults" && x.name === vaultName);
    if (!v || v.properties?.enableRbacAuthorization !== true || v.properties.tenantId !== CONTOSO) continue;
    const keyName = new URL(uri).pathname.split("/")[2]!;
    if (!keys.some((k) => k.vaultName === vaultName && k.name === keyName)) continue;
    const sub = v.id.split("/")[2]!;
    const scope = `${v.id}/keys/${keyName}`;
    resources.push(roleAssignment(scope, ROLE.cryptoServiceEncryptionUser, principalId, "ServicePrincipal", sub));
  }

  return {
    formatVersion: 1,
    cloud: "AzureCloud",
    tenants: [{ tenantId: CONTOSO, displayName: "Contoso Health" }, { tenantId: FABRIKAM, displayName: "Fabrikam Partners" }],
    principals,
    caller: { tenantId: CONTOSO, clientId: CALLER_APP, clientSecret: CALLER_SECRET },
    subscriptions: [
      { subscriptionId: SUB_PROD, tenantId: CONTOSO, displayName: "Contoso Health Production", state: "Enabled" },
      { subscriptionId: SUB_RESEARCH, tenantId: CONTOSO, displayName: "Contoso Health Research", state: "Enabled" },
      { subscriptionId: SUB_CLINICAL, tenantId: CONTOSO, displayName: "Contoso Health Clinical Ops", state: "Enabled" },
      { subscriptionId: SUB_FABRIKAM, tenantId: FABRIKAM, displayName: "Fabrikam Shared Keys", state: "Enabled" },
    ],
    resourceGroups: [
      { id: rg(SUB_PROD, "rg-fhir-prod"), location: "westeurope" },
      { id: rg(SUB_PROD, "rg-keys-prod"), location: "westeurope" },
      { id: rg(SUB_RESEARCH, "rg-research"), location: "northeurope" },
      { id: rg(SUB_CLINICAL, "rg-clinical"), location: "eastus" },
      { id: rg(SUB_FABRIKAM, "rg-fabrikam-keys"), location: "eastus" },
    ],
    resources,
    keys,
    behaviour: {
      latencyMs: 0,
      pageSize: 100,
      // A few seconds so the demo shows provisioning states moving; tests use fixtures with short durations.
      operationDurationMs: {
        "Microsoft.HealthcareApis/workspaces": 2000,
        "Microsoft.HealthcareApis/workspaces/fhirservices": 5000,
        default: 1000,
      },
      rolePropagationMs: 3000,
      fhirJobDurationMs: 3000,
      keyAccessErrorShape: "code",
      throttle: { reads: [250, 25], writes: [200, 10], deletes: [200, 10] },
      faults: [],
      seed: 1,
    },
    // FHIR data on the accounts the example plan migrates as they are (issue 11), so a sync has something to copy.
    fhirData: DATA_ACCOUNTS.map((name, i) => {
      const a = resources.find((r) => r.type === "Microsoft.HealthcareApis/services" && r.name === name);
      if (!a) throw new Error(`demo estate: no account ${name}`);
      return { service: a.id, generate: { patients: 40 + 20 * i, seed: 100 + i, historyRate: 0.2, deleteRate: 0.05 } };
    }),
  };
}

/** The storage account `plan --storage-account` names in the demo (production subscription). */
const MIGRATION_STORAGE = "contosomigration";

/** Demo accounts with generated FHIR data. */
const DATA_ACCOUNTS = ["fhir-patients", "fhir-claims", "fhir-imaging", "fhir-research"];

/** The demo estate as a JSON document (what `--estate` reads). */
export function demoEstateJson(): string {
  return JSON.stringify(demoEstate(), null, 2) + "\n";
}

/** Write the demo estate to `path` (e.g. for `ahds-migrate sandbox demo-estate > FILE` or a starter file to edit). */
export async function writeDemoEstate(path: string): Promise<void> {
  await writeFile(path, demoEstateJson(), { mode: 0o600 });
}
