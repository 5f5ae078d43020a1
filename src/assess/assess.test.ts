// Table-driven: each case breaks one fact of a ready snapshot and pins the exact codes of its findings.
import { describe, expect, it } from "vitest";
import { assess } from "./assess.js";
import { FINDING_CODES } from "../domain/findings.js";
import { keyRef, scopeKey, vaultKey } from "../domain/snapshot.js";
import { SOURCE_TAG, targetIds } from "../domain/target-names.js";
import {
  ACCOUNT, ALL_ACTIONS, KEY, NOW, OTHER_TENANT, RG, RG_ID, SUB, TENANT, VAULT, VAULT_ID, VERSION,
  firstAccount, keyFacts, keyUri, legacyAccount, makeVersionless, readySnapshot, theKey, theVault, vaultFacts,
  addAccountRoleAssignment, addCustomRole, CUSTOM_ROLE, RBAC_PRINCIPAL,
} from "../../test/fixtures/snapshot-builder.js";
import type { FindingCode } from "../domain/findings.js";
import type { PermissionSet, Snapshot } from "../domain/snapshot.js";

type Case = [name: string, edit: (s: Snapshot) => void, codes: FindingCode[]];

const at = (ms: number) => new Date(NOW.getTime() + ms).toISOString();
const perms = (actions: string[], notActions: string[] = []): PermissionSet[] =>
  [{ actions, notActions, dataActions: [], notDataActions: [] }];
const CONTRIBUTOR = perms(["*"], ["Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write", "Microsoft.Authorization/elevateAccess/Action"]);
const KEY_SCOPE = scopeKey(`${VAULT_ID}/keys/${KEY}`);

/** Point the account at `vault`/`key` (pinned), moving the fixture facts there. */
function renameKey(s: Snapshot, vault: string, key: string): void {
  const facts = theKey(s);
  delete s.keys[keyRef(VAULT, KEY, VERSION)];
  s.keys[keyRef(vault, key, VERSION)] = { ...facts, vaultName: vault, keyName: key };
  if (vault !== VAULT) s.vaults[vaultKey(vault)] = vaultFacts(vault);
  firstAccount(s).properties.cosmosDbConfiguration!.keyVaultKeyUri = keyUri(vault, key);
}

function vaultUnreadable(s: Snapshot, armFailure: "forbidden" | "not-found" | "error"): void {
  s.vaults[vaultKey(VAULT)] = {
    name: VAULT, vaultUri: `https://${VAULT}.vault.azure.net/`, id: null, location: null, tenantId: null, softDelete: null,
    purgeProtection: null, permissionModel: null, networkDefaultAction: null, networkBypass: null, armFailure,
  };
}

function unreadKey(s: Snapshot, getFailure: "forbidden" | "firewall" | "not-found" | "cross-tenant" | "error" | "disabled"): void {
  Object.assign(theKey(s), { version: null, keyType: null, keySize: null, enabled: null, recoveryLevel: null, getFailure });
}

function run(s: Snapshot) {
  return assess(s, { now: NOW })[0]!;
}

const codesOf = (s: Snapshot) => run(s).findings.map((f) => f.code);

const CASES: Case[] = [
  ["a ready account", () => {}, []],
  // source
  ["provisioning state Failed", (s) => { firstAccount(s).properties.provisioningState = "Failed"; }, ["source-not-succeeded"]],
  ["provisioning state Suspended", (s) => { firstAccount(s).properties.provisioningState = "Suspended"; }, ["source-not-succeeded"]],
  ["region without FHIR service", (s) => { firstAccount(s).location = "brazilsouth"; theVault(s).location = "brazilsouth"; }, ["region-unsupported"]],
  ["Qatar Central is excluded", (s) => { firstAccount(s).location = "qatarcentral"; theVault(s).location = "qatarcentral"; }, ["region-unsupported"]],
  ["South Africa North without provider metadata (built-in list)", (s) => {
    firstAccount(s).location = "southafricanorth"; theVault(s).location = "southafricanorth";
  }, ["region-unsupported"]],
  ["South Africa North when ARM's provider metadata lists it", (s) => {
    firstAccount(s).location = "South Africa North"; theVault(s).location = "southafricanorth";
    s.fhirRegions[firstAccount(s).subscriptionId.toLowerCase()] = ["southafricanorth", "eastus"];
  }, []],
  ["a built-in region the subscription's provider metadata omits", (s) => {
    s.fhirRegions[firstAccount(s).subscriptionId.toLowerCase()] = ["westus3"];
  }, ["region-unsupported"]],
  ["unreadable provider metadata falls back to the built-in list", (s) => {
    s.fhirRegions[firstAccount(s).subscriptionId.toLowerCase()] = null;
  }, []],
  ["region as display name", (s) => { firstAccount(s).location = "West Europe"; }, []],
  ["vault region as display name", (s) => { theVault(s).location = "West  Europe"; }, []],
  ["US Gov region in the public cloud", (s) => { firstAccount(s).location = "usgovvirginia"; theVault(s).location = "usgovvirginia"; }, ["region-unsupported"]],
  ["US Gov region in Azure US Government", (s) => {
    s.cloud = "AzureUSGovernment";
    firstAccount(s).location = "USGov Virginia"; theVault(s).location = "usgovvirginia";
    firstAccount(s).properties.authenticationConfiguration!.authority = `https://login.microsoftonline.us/${TENANT}`;
  }, []],
  ["US Gov Texas in Azure US Government", (s) => {
    s.cloud = "AzureUSGovernment";
    firstAccount(s).location = "usgovtexas"; theVault(s).location = "usgovtexas";
    firstAccount(s).properties.authenticationConfiguration!.authority = `https://login.microsoftonline.us/${TENANT}`;
  }, ["region-unsupported"]],
  ["kind fhir", (s) => { firstAccount(s).kind = "fhir"; }, ["kind-unversioned"]],
  ["kind fhir-Stu3", (s) => { firstAccount(s).kind = "fhir-Stu3"; }, ["kind-stu3"]],
  ["private endpoints", (s) => { firstAccount(s).properties.privateEndpointConnections = [{ id: "pe1" }]; }, ["private-endpoints"]],
  ["empty private endpoint list", (s) => { firstAccount(s).properties.privateEndpointConnections = []; }, []],
  ["SMART proxy", (s) => { firstAccount(s).properties.authenticationConfiguration!.smartProxyEnabled = true; }, ["smart-proxy-enabled"]],
  ["own authority with trailing slash", (s) => {
    firstAccount(s).properties.authenticationConfiguration!.authority = `https://login.microsoftonline.com/${TENANT}/`;
  }, []],
  ["own authority in other case", (s) => {
    firstAccount(s).properties.authenticationConfiguration!.authority = `HTTPS://Login.MicrosoftOnline.com/${TENANT.toUpperCase()}`;
  }, []],
  ["authority of another tenant", (s) => {
    firstAccount(s).properties.authenticationConfiguration!.authority = `https://login.microsoftonline.com/${OTHER_TENANT}`;
  }, ["custom-authority"]],
  ["authority of another cloud's login host", (s) => {
    firstAccount(s).properties.authenticationConfiguration!.authority = `https://login.microsoftonline.us/${TENANT}`;
  }, ["custom-authority"]],
  ["authority with a path after the tenant", (s) => {
    firstAccount(s).properties.authenticationConfiguration!.authority = `https://login.microsoftonline.com/${TENANT}/v2.0`;
  }, ["custom-authority"]],
  ["no keyVaultKeyUri", (s) => { firstAccount(s).properties.cosmosDbConfiguration = { offerThroughput: 400 }; }, ["cmk-not-configured"]],
  ["data-residency CMK application", (s) => {
    firstAccount(s).properties.cosmosDbConfiguration!.crossTenantCmkApplicationId = "99999999-9999-4999-8999-999999999999";
  }, ["cmk-residency-app"]],
  // key type and size
  ["RSA 2048", (s) => { theKey(s).keySize = 2048; }, []],
  ["RSA 3072", (s) => { theKey(s).keySize = 3072; }, []],
  ["RSA 4096", (s) => { theKey(s).keySize = 4096; }, ["key-type-unsupported"]],
  ["RSA 1024", (s) => { theKey(s).keySize = 1024; }, ["key-type-unsupported"]],
  ["RSA-HSM 3072", (s) => { theKey(s).keyType = "RSA-HSM"; }, []],
  ["RSA-HSM 4096", (s) => { Object.assign(theKey(s), { keyType: "RSA-HSM", keySize: 4096 }); }, ["key-type-unsupported"]],
  ["EC", (s) => { Object.assign(theKey(s), { keyType: "EC", keySize: null }); }, ["key-type-unsupported"]],
  ["oct-HSM", (s) => { Object.assign(theKey(s), { keyType: "oct-HSM", keySize: null }); }, ["key-type-unsupported"]],
  // key state
  ["key version disabled", (s) => { theKey(s).enabled = false; }, ["key-disabled"]],
  ["GET answers KeyDisabled", (s) => { unreadKey(s, "disabled"); theKey(s).versions[0]!.enabled = false; }, ["key-disabled"]],
  ["expired 1 s ago", (s) => { theKey(s).expiresOn = at(-1000); }, ["key-expired"]],
  ["expires in 1 s", (s) => { theKey(s).expiresOn = at(1000); }, []],
  ["valid from in 1 s", (s) => { theKey(s).notBefore = at(1000); }, ["key-not-yet-valid"]],
  ["valid from 1 s ago", (s) => { theKey(s).notBefore = at(-1000); }, []],
  ["disabled and expired (from the listing)", (s) => {
    unreadKey(s, "disabled");
    Object.assign(theKey(s).versions[0]!, { enabled: false, expiresOn: at(-1000) });
  }, ["key-disabled", "key-expired"]],
  ["vault + key name 94 characters", (s) => { renameKey(s, VAULT, "k".repeat(94 - VAULT.length)); }, []],
  ["vault + key name 95 characters", (s) => { renameKey(s, VAULT, "k".repeat(95 - VAULT.length)); }, ["key-name-too-long"]],
  ["versionless URI, current version read", (s) => { makeVersionless(s); }, ["key-version-pinned"]],
  ["versionless URI, current version disabled", (s) => {
    const k = makeVersionless(s); k.versions[0]!.enabled = false;
    Object.assign(k, { version: null, keyType: null, keySize: null, enabled: null, getFailure: "disabled" });
  }, ["key-disabled", "key-version-pinned"]],
  ["versionless URI, key unreadable", (s) => {
    const k = makeVersionless(s);
    Object.assign(k, { version: null, keyType: null, keySize: null, enabled: null, getFailure: "forbidden", listFailure: "forbidden", versions: [] });
  }, ["key-access-denied"]],
  // not found, cross-tenant, access
  ["key deleted", (s) => { unreadKey(s, "not-found"); theKey(s).listFailure = "not-found"; }, ["key-not-found"]],
  ["pinned version missing", (s) => { unreadKey(s, "not-found"); }, ["key-not-found"]],
  ["vault gone", (s) => { vaultUnreadable(s, "not-found"); unreadKey(s, "not-found"); theKey(s).listFailure = "not-found"; theKey(s).challengeTenantId = null; }, ["key-not-found"]],
  ["vault of another tenant (properties.tenantId)", (s) => { theVault(s).tenantId = OTHER_TENANT; }, ["key-cross-tenant"]],
  ["vault of another tenant seen only in the challenge, key 404", (s) => {
    vaultUnreadable(s, "not-found"); unreadKey(s, "not-found"); theKey(s).challengeTenantId = OTHER_TENANT; theKey(s).listFailure = "not-found";
  }, ["key-cross-tenant"]],
  ["challenge names another tenant", (s) => {
    vaultUnreadable(s, "not-found"); unreadKey(s, "cross-tenant"); Object.assign(theKey(s), { challengeTenantId: OTHER_TENANT, listFailure: "cross-tenant" });
  }, ["key-cross-tenant"]],
  ["key GET 403", (s) => { unreadKey(s, "forbidden"); theKey(s).listFailure = "forbidden"; }, ["key-access-denied"]],
  ["key GET 403 by firewall", (s) => { unreadKey(s, "firewall"); theKey(s).listFailure = "firewall"; }, ["key-access-denied"]],
  ["versions listing 403 only", (s) => { theKey(s).listFailure = "forbidden"; }, ["key-access-denied"]],
  ["key read failed (5xx)", (s) => { unreadKey(s, "error"); }, ["key-access-denied"]],
  ["vault resource 403", (s) => { vaultUnreadable(s, "forbidden"); }, ["key-access-denied"]],
  ["vault resource not visible, key readable", (s) => { vaultUnreadable(s, "not-found"); }, ["key-access-denied"]],
  ["no facts recorded for the key", (s) => { delete s.keys[keyRef(VAULT, KEY, VERSION)]; }, ["key-access-denied"]],
  ["URI that is not a key URI", (s) => { firstAccount(s).properties.cosmosDbConfiguration!.keyVaultKeyUri = "https://kv.vault.azure.net/secrets/x"; }, ["key-not-found"]],
  // vault
  ["soft delete off", (s) => { Object.assign(theVault(s), { softDelete: false, purgeProtection: false }); }, ["vault-soft-delete-off", "vault-purge-protection-off"]],
  ["purge protection off", (s) => { theVault(s).purgeProtection = false; }, ["vault-purge-protection-off"]],
  ["vault in another region", (s) => { theVault(s).location = "northeurope"; }, ["vault-region-mismatch"]],
  ["firewall Deny without bypass", (s) => { Object.assign(theVault(s), { networkDefaultAction: "Deny", networkBypass: "None" }); }, ["vault-firewall-blocks-trusted-services"]],
  ["firewall Deny with trusted services", (s) => { Object.assign(theVault(s), { networkDefaultAction: "Deny", networkBypass: "AzureServices" }); }, []],
  ["firewall Allow without bypass", (s) => { Object.assign(theVault(s), { networkDefaultAction: "Allow", networkBypass: "None" }); }, []],
  ["no networkAcls (ARM defaults)", (s) => { Object.assign(theVault(s), { networkDefaultAction: null, networkBypass: null }); }, []],
  ["access-policy vault", (s) => { theVault(s).permissionModel = "accessPolicy"; }, ["vault-access-policy-model"]],
  // caller's rights
  ["Contributor at the key", (s) => { s.permissions[KEY_SCOPE] = CONTRIBUTOR; }, ["caller-cannot-grant"]],
  ["Reader at the target resource group", (s) => { s.permissions[scopeKey(RG_ID)] = perms(["*/read"]); }, ["caller-cannot-grant"]],
  ["User Access Administrator at the key", (s) => { s.permissions[KEY_SCOPE] = perms(["*/read", "Microsoft.Authorization/*"]); }, []],
  ["Contributor + RBAC Administrator at the resource group", (s) => {
    s.permissions[scopeKey(RG_ID)] = [...CONTRIBUTOR, ...perms(["Microsoft.Authorization/roleAssignments/*"])];
  }, []],
  ["access-policy vault, no accessPolicies/write", (s) => {
    theVault(s).permissionModel = "accessPolicy"; s.permissions[scopeKey(VAULT_ID)] = perms(["*/read"]);
  }, ["caller-cannot-grant", "vault-access-policy-model"]],
  ["access-policy vault, Key Vault Contributor", (s) => {
    theVault(s).permissionModel = "accessPolicy"; s.permissions[scopeKey(VAULT_ID)] = perms(["Microsoft.KeyVault/*"]);
    s.permissions[KEY_SCOPE] = perms(["*/read"]); // the key scope is not judged for an access-policy vault
  }, ["vault-access-policy-model"]],
  ["permissions not readable", (s) => { s.permissions[KEY_SCOPE] = null; s.permissions[scopeKey(RG_ID)] = null; }, []],
  ["key scope not judged when the vault is not visible", (s) => { vaultUnreadable(s, "forbidden"); s.permissions[KEY_SCOPE] = perms(["*/read"]); }, ["key-access-denied"]],
  // principals
  ["accessPolicies all in the tenant", (s) => {
    firstAccount(s).properties.accessPolicies = [{ objectId: "AAAAAAAA-0000-4000-8000-000000000001" }];
    s.principals = { "aaaaaaaa-0000-4000-8000-000000000001": "User" };
  }, ["local-rbac-mapped"]],
  ["accessPolicies with a foreign principal", (s) => {
    firstAccount(s).properties.accessPolicies = [{ objectId: "aaaaaaaa-0000-4000-8000-000000000001" }, { objectId: "bbbbbbbb-0000-4000-8000-000000000002" }];
    s.principals = { "aaaaaaaa-0000-4000-8000-000000000001": "ServicePrincipal" };
  }, ["access-policy-foreign-principal", "local-rbac-mapped"]],
  ["accessPolicies all foreign", (s) => {
    firstAccount(s).properties.accessPolicies = [{ objectId: "bbbbbbbb-0000-4000-8000-000000000002" }];
  }, ["access-policy-foreign-principal"]],
  ["Graph not readable", (s) => {
    firstAccount(s).properties.accessPolicies = [{ objectId: "aaaaaaaa-0000-4000-8000-000000000001" }];
    s.principals = null;
  }, ["principals-unverified"]],
  ["Graph not readable, no accessPolicies", (s) => { s.principals = null; }, []],
  // grant targets
  ["export storage found", (s) => {
    firstAccount(s).properties.exportConfiguration = { storageAccountName: "StExport" };
    s.storageAccounts = { stexport: `${RG_ID}/providers/Microsoft.Storage/storageAccounts/stexport` };
  }, ["export-storage"]],
  ["export storage missing", (s) => { firstAccount(s).properties.exportConfiguration = { storageAccountName: "stgone" }; }, ["grant-target-not-found", "export-storage"]],
  ["ACR found", (s) => {
    firstAccount(s).properties.acrConfiguration = { loginServers: ["Acr1.azurecr.io"] };
    s.registries = { "acr1.azurecr.io": `${RG_ID}/providers/Microsoft.ContainerRegistry/registries/acr1` };
  }, ["acr-configured"]],
  ["cannot grant on the export storage account", (s) => {
    const id = `${RG_ID}/providers/Microsoft.Storage/storageAccounts/stexport`;
    firstAccount(s).properties.exportConfiguration = { storageAccountName: "stexport" };
    s.storageAccounts = { stexport: id };
    s.permissions[scopeKey(id)] = CONTRIBUTOR;
  }, ["caller-cannot-grant", "export-storage"]],
  // targets
  ["account name with hyphens", (s) => { renameAccount(s, "fhir-prod"); }, ["target-name-derived"]],
  ["account name with capitals", (s) => { renameAccount(s, "FhirProd"); }, ["target-name-derived"]],
  ["target workspace exists", (s) => { s.workspaces = [targetIds(RG_ID, ACCOUNT).workspaceId.toUpperCase()]; }, ["target-exists"]],
  ["target FHIR service exists", (s) => { s.fhirServices = [targetIds(RG_ID, ACCOUNT).fhirServiceId]; }, ["target-exists"]],
  ["workspace of another name exists", (s) => { s.workspaces = [targetIds(RG_ID, "other").workspaceId]; }, []],
  ["public network access disabled", (s) => { firstAccount(s).properties.publicNetworkAccess = "Disabled"; }, ["source-private-network"]],
  // Azure RBAC on the account (issue 9 §1)
  ["a direct FHIR Data Reader for a principal of the tenant", (s) => { addAccountRoleAssignment(s); s.principals = { [RBAC_PRINCIPAL]: "User" }; }, ["rbac-data-roles-copied"]],
  ["a direct FHIR data role for a principal gone from the directory", (s) => { addAccountRoleAssignment(s); }, ["rbac-principal-not-found"]],
  ["a direct FHIR data role, Graph unreadable", (s) => { addAccountRoleAssignment(s); s.principals = null; }, ["principals-unverified"]],
  ["the account's role assignments unreadable", (s) => { s.roleAssignments[scopeKey(firstAccount(s).id)] = null; }, ["rbac-assignments-unreadable"]],
  ["a custom role of legacy FHIR actions only", (s) => {
    addCustomRole(s, ["Microsoft.HealthcareApis/services/fhir/resources/read"]);
    addAccountRoleAssignment(s, { role: CUSTOM_ROLE }); s.principals = { [RBAC_PRINCIPAL]: "User" };
  }, ["rbac-custom-role-unmapped"]],
  ["a custom role naming the AHDS twins too", (s) => {
    addCustomRole(s, ["Microsoft.HealthcareApis/services/fhir/resources/read", "Microsoft.HealthcareApis/workspaces/fhirservices/resources/read"]);
    addAccountRoleAssignment(s, { role: CUSTOM_ROLE }); s.principals = { [RBAC_PRINCIPAL]: "User" };
  }, ["rbac-data-roles-copied"]],
  ["a custom role with management actions is not a FHIR data role", (s) => {
    addCustomRole(s, ["Microsoft.HealthcareApis/services/fhir/resources/read"]);
    s.roleDefinitions[CUSTOM_ROLE]!.permissions[0]!.actions = ["Microsoft.HealthcareApis/services/read"];
    addAccountRoleAssignment(s, { role: CUSTOM_ROLE });
  }, []],
  ["a conditioned FHIR data role", (s) => {
    addAccountRoleAssignment(s, { condition: "@Resource[x] StringEquals 'y'" }); s.principals = { [RBAC_PRINCIPAL]: "User" };
  }, ["rbac-condition-not-copied"]],
  ["a FHIR data role inherited from the resource group", (s) => { addAccountRoleAssignment(s, { scope: RG_ID }); }, ["rbac-inherited-data-access"]],
  ["Owner inherited from the subscription grants no FHIR data access", (s) => {
    addAccountRoleAssignment(s, { scope: `/subscriptions/${SUB}`, role: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635" });
  }, []],
  ["a workspace of the target name exists in another group (names are global)", (s) => {
    s.workspaces = [targetIds(`/subscriptions/${SUB}/resourceGroups/rg-elsewhere`, ACCOUNT).workspaceId];
  }, ["target-name-conflict"]],
  ["that workspace carries this account's source tag (an earlier run elsewhere)", (s) => {
    const id = targetIds(`/subscriptions/${SUB}/resourceGroups/rg-elsewhere`, ACCOUNT).workspaceId;
    s.workspaces = [id];
    s.workspaceFacts = { [scopeKey(id)]: { id, location: "westeurope", tags: { "ahds-migrate-source": firstAccount(s).id }, createdAt: null, createdBy: null, createdByType: null } };
  }, []],
  ["a second listed account, elsewhere, is named what this one derives (it keeps the name)", (s) => {
    const other = structuredClone(firstAccount(s));
    renameAccount(s, `${ACCOUNT.slice(0, 4)}-${ACCOUNT.slice(4)}`);
    other.id = `/subscriptions/${SUB}/resourceGroups/rg-elsewhere/providers/Microsoft.HealthcareApis/services/${ACCOUNT}`;
    s.accounts.push(other);
  }, ["target-name-conflict", "target-name-derived"]],
];

function renameAccount(s: Snapshot, name: string): void {
  const a = firstAccount(s);
  a.name = name;
  a.id = `${RG_ID}/providers/Microsoft.HealthcareApis/services/${name}`;
}

describe("assess: one fact at a time", () => {
  it.each(CASES)("%s", (_name, edit, codes) => {
    const s = readySnapshot();
    edit(s);
    expect(codesOf(s)).toEqual(codes);
  });

  it("covers every code of FINDINGS.md", () => {
    const covered = new Set(CASES.flatMap(([, , codes]) => codes));
    covered.add("fhir-service-quota"); // pinned below, per subscription
    expect(Object.keys(FINDING_CODES).filter((c) => !covered.has(c as FindingCode))).toEqual([]);
  });
});

describe("assess: severities, fixes and verdicts", () => {
  it("gives every finding the severity of FINDING_CODES and a fix exactly when it is not info", () => {
    for (const [, edit] of CASES) {
      const s = readySnapshot();
      edit(s);
      for (const f of run(s).findings) {
        expect(f.severity).toBe(FINDING_CODES[f.code]);
        expect(f.fix !== undefined).toBe(f.severity !== "info");
        expect(f.message.length).toBeGreaterThan(10);
      }
    }
  });

  it.each([
    ["no findings", () => {}, "ready"],
    ["info only", (s: Snapshot) => { firstAccount(s).kind = "fhir-Stu3"; }, "ready"],
    ["action and info", (s: Snapshot) => { firstAccount(s).kind = "fhir-Stu3"; theVault(s).purgeProtection = false; }, "needs-action"],
    ["blocker, action and info", (s: Snapshot) => {
      firstAccount(s).kind = "fhir-Stu3"; theVault(s).purgeProtection = false; firstAccount(s).properties.provisioningState = "Failed";
    }, "blocked"],
    ["blocker only", (s: Snapshot) => { theVault(s).tenantId = OTHER_TENANT; }, "blocked"],
  ] as const)("verdict with %s: %s", (_n, edit, verdict) => {
    const s = readySnapshot();
    edit(s);
    expect(run(s).verdict).toBe(verdict);
  });

  it("lists every other applicable finding of a blocked account, blockers first, then FINDINGS.md order", () => {
    const s = readySnapshot();
    const a = firstAccount(s);
    a.properties.provisioningState = "Failed";
    a.location = "brazilsouth";
    a.kind = "fhir";
    a.properties.authenticationConfiguration!.smartProxyEnabled = true;
    a.properties.accessPolicies = [{ objectId: "aaaaaaaa-0000-4000-8000-000000000001" }];
    s.principals = { "aaaaaaaa-0000-4000-8000-000000000001": "Group" };
    Object.assign(theKey(s), { keySize: 4096, expiresOn: at(-1000) });
    Object.assign(theVault(s), { purgeProtection: false, permissionModel: "accessPolicy" });
    renameAccount(s, "Fhir-Prod");
    s.permissions[scopeKey(`${RG_ID}`)] = perms(["*/read"]);
    const result = run(s);
    expect(result.findings.map((f) => f.code)).toEqual([
      "source-not-succeeded", "region-unsupported",
      "caller-cannot-grant", "key-type-unsupported", "key-expired", "vault-purge-protection-off", "vault-region-mismatch",
      "smart-proxy-enabled", "kind-unversioned",
      "vault-access-policy-model", "local-rbac-mapped", "target-name-derived",
    ]);
    expect(result.verdict).toBe("blocked");
    expect(assess(s, { now: NOW })).toEqual(assess(s, { now: NOW }));
  });

  it("never reports key-not-found or key-access-denied for a cross-tenant key", () => {
    for (const failure of ["not-found", "forbidden", "error"] as const) {
      const s = readySnapshot();
      vaultUnreadable(s, "not-found");
      unreadKey(s, failure);
      theKey(s).challengeTenantId = OTHER_TENANT;
      expect(codesOf(s)).toEqual(["key-cross-tenant"]);
    }
  });

  it("judges expiry at the snapshot's generatedAt when no clock is given", () => {
    const s = readySnapshot();
    theKey(s).expiresOn = at(-1000);
    expect(assess(s)[0]!.findings.map((f) => f.code)).toEqual(["key-expired"]);
    expect(assess(s, { now: new Date(NOW.getTime() - 2000) })[0]!.findings).toEqual([]);
  });
});

describe("assess: messages and fixes name the thing", () => {
  const one = (edit: (s: Snapshot) => void) => { const s = readySnapshot(); edit(s); return run(s).findings[0]!; };

  it("key-access-denied names the role, the access policy, or the firewall rule", () => {
    expect(one((s) => { unreadKey(s, "forbidden"); }).fix).toMatch(/Key Vault Reader.*kv-fixture/);
    expect(one((s) => { theVault(s).permissionModel = "accessPolicy"; unreadKey(s, "forbidden"); }).fix)
      .toMatch(/access policy .* key permissions Get and List/);
    expect(one((s) => { unreadKey(s, "firewall"); }).fix).toMatch(/firewall rule to kv-fixture allowing your client IP/);
    expect(one((s) => { vaultUnreadable(s, "forbidden"); }).fix).toMatch(/Reader on vault kv-fixture/);
  });

  it("key-disabled from KeyDisabled is not an access problem", () => {
    const f = one((s) => { unreadKey(s, "disabled"); });
    expect(f.code).toBe("key-disabled");
    expect(f.message).toBe(`Version ${VERSION} of key cmk in vault kv-fixture is disabled.`);
  });

  it("key-type-unsupported names the bits", () => {
    expect(one((s) => { theKey(s).keySize = 4096; }).message).toContain("RSA 4096-bit");
    expect(one((s) => { Object.assign(theKey(s), { keyType: "EC", keySize: null }); }).message).toContain("is EC;");
  });

  it("caller-cannot-grant names each scope and missing action", () => {
    const f = one((s) => { s.permissions[scopeKey(RG_ID)] = CONTRIBUTOR; s.permissions[KEY_SCOPE] = perms(["*/read"]); });
    expect(f.message).toContain("at key cmk in vault kv-fixture you lack Microsoft.Authorization/roleAssignments/write");
    expect(f.message).toContain(`at resource group ${RG} you lack Microsoft.Authorization/roleAssignments/write`);
    expect(f.message).not.toContain("Microsoft.HealthcareApis/workspaces/write");
    expect(f.fix).toContain("Role Based Access Control Administrator on resource group");
  });

  it("grant-target-not-found is one finding naming every missing target", () => {
    const s = readySnapshot();
    firstAccount(s).properties.exportConfiguration = { storageAccountName: "stgone" };
    firstAccount(s).properties.acrConfiguration = { loginServers: ["a.azurecr.io", "b.azurecr.io"] };
    s.registries = { "a.azurecr.io": `${RG_ID}/providers/Microsoft.ContainerRegistry/registries/a` };
    const found = run(s).findings.filter((f) => f.code === "grant-target-not-found");
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toMatch(/stgone.*b\.azurecr\.io/);
    expect(found[0]!.message).not.toContain("a.azurecr.io");
  });

  it("access-policy-foreign-principal is one finding naming each foreign object id", () => {
    const s = readySnapshot();
    firstAccount(s).properties.accessPolicies = [{ objectId: "b1" }, { objectId: "b2" }];
    const found = run(s).findings.filter((f) => f.code === "access-policy-foreign-principal");
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toContain("b1 and b2");
  });

  it("vault-purge-protection-off says it is irreversible", () => {
    expect(one((s) => { theVault(s).purgeProtection = false; }).fix)
      .toBe("Enable purge protection on kv-fixture (irreversible) or choose a key in a vault that has it.");
  });

  it("key-name-too-long counts the characters", () => {
    expect(one((s) => { renameKey(s, VAULT, "k".repeat(85)); }).message).toContain("is 95 characters");
  });
});

describe("assess: FHIR service quota per subscription", () => {
  const OTHER_SUB = "44444444-4444-4444-8444-444444444444";
  function withAccounts(count: number, existing: string[] = [], sub = SUB): Snapshot {
    const s = readySnapshot();
    for (let i = 1; i < count; i++) s.accounts.push(legacyAccount(`fhir${i}`, {}, sub));
    s.fhirServices = existing;
    return s;
  }
  const s0 = () => withAccounts(1);
  const quotaHits = (s: Snapshot) => assess(s, { now: NOW }).filter((a) => a.findings.some((f) => f.code === "fhir-service-quota")).length;
  const service = (ws: string, sub = SUB) => `/subscriptions/${sub}/resourceGroups/other/providers/Microsoft.HealthcareApis/workspaces/${ws}/fhirservices/fhir`;

  it.each([
    ["10 accounts", withAccounts(10), 0],
    ["11 accounts", withAccounts(11), 11],
    ["9 accounts + 1 existing service", withAccounts(9, [service("ws1")]), 0],
    ["9 accounts + 2 existing services", withAccounts(9, [service("ws1"), service("ws2")]), 9],
    ["10 accounts + an existing service that is a listed account's target", withAccounts(10, [targetIds(RG_ID, "fhir3").fhirServiceId]), 0],
    ["10 accounts + 5 services in another subscription", withAccounts(10, [1, 2, 3, 4, 5].map((i) => service(`ws${i}`, OTHER_SUB))), 0],
  ])("%s → %i accounts flagged", (_n, s, hits) => {
    expect(quotaHits(s)).toBe(hits);
  });

  it("does not count a FHIR service in a workspace this tool tagged for a listed account (a half-applied plan with --name)", () => {
    const tagged = (tag: string) => {
      const s = withAccounts(10, [service("chosenws")]);
      const ws = service("chosenws").replace(/\/fhirservices\/fhir$/, "");
      s.workspaces = [ws];
      s.workspaceFacts = { [scopeKey(ws)]: { id: ws, location: "westeurope", tags: { [SOURCE_TAG]: tag }, createdAt: null, createdBy: null, createdByType: null } };
      return s;
    };
    expect(quotaHits(tagged(s0().accounts[0]!.id.toUpperCase()))).toBe(0);
    // Tagged for an account that is not listed: someone else's service, counted.
    expect(quotaHits(tagged(`/subscriptions/${SUB}/resourceGroups/x/providers/Microsoft.HealthcareApis/services/gone`))).toBe(10);
  });

  it("flags only the accounts of the full subscription", () => {
    const s = withAccounts(11);
    s.subscriptions.push({ subscriptionId: OTHER_SUB, displayName: "Other", tenantId: TENANT, error: null });
    s.accounts.push(legacyAccount("elsewhere", {}, OTHER_SUB));
    const flagged = assess(s, { now: NOW }).filter((a) => a.findings.some((f) => f.code === "fhir-service-quota")).map((a) => a.account.subscriptionId);
    expect(flagged).toHaveLength(11);
    expect(new Set(flagged)).toEqual(new Set([SUB]));
  });
});

describe("assess: cmk facts", () => {
  it("reports the judged version and its vault", () => {
    const s = readySnapshot();
    theKey(s).expiresOn = "2030-01-01T00:00:00.000Z";
    expect(run(s).cmk).toEqual({
      keyUri: keyUri(), vaultUri: "https://kv-fixture.vault.azure.net/", vaultName: VAULT, keyName: KEY, vaultId: VAULT_ID,
      vaultLocation: "westeurope", vaultTenantId: TENANT, currentVersion: VERSION, keyType: "RSA", keySize: 3072, enabled: true,
      expiresOn: "2030-01-01T00:00:00.000Z", recoveryLevel: "Recoverable", softDelete: true, purgeProtection: true,
      permissionModel: "rbac", networkDefaultAction: "Allow", networkBypass: "AzureServices",
    });
  });

  it("is null without a keyVaultKeyUri", () => {
    const s = readySnapshot();
    firstAccount(s).properties.cosmosDbConfiguration = {};
    expect(run(s).cmk).toBeNull();
  });

  it("takes vaultUri from the key URI and nulls what was not read when the vault is not visible", () => {
    const s = readySnapshot();
    vaultUnreadable(s, "forbidden");
    s.vaults[vaultKey(VAULT)]!.vaultUri = "";
    theKey(s).challengeTenantId = null;
    unreadKey(s, "forbidden");
    const cmk = run(s).cmk!;
    expect(cmk).toMatchObject({
      vaultUri: "https://kv-fixture.vault.azure.net/", vaultId: null, vaultLocation: null, vaultTenantId: null,
      currentVersion: null, keyType: null, keySize: null, enabled: null, recoveryLevel: null, softDelete: null,
      purgeProtection: null, permissionModel: null, networkDefaultAction: null, networkBypass: null,
    });
  });

  it("applies ARM's networkAcls defaults and the challenge tenant", () => {
    const s = readySnapshot();
    Object.assign(theVault(s), { networkDefaultAction: null, networkBypass: null, tenantId: null });
    expect(run(s).cmk).toMatchObject({ networkDefaultAction: "Allow", networkBypass: "AzureServices", vaultTenantId: TENANT });
  });

  it("reports the current version from the listing when the GET answers KeyDisabled", () => {
    const s = readySnapshot();
    const k = makeVersionless(s);
    Object.assign(k, { version: null, keyType: null, keySize: null, enabled: null, getFailure: "disabled" });
    k.versions = [
      { version: "old", enabled: true, expiresOn: null, notBefore: null, createdOn: "2024-01-01T00:00:00Z" },
      { version: "new", enabled: false, expiresOn: null, notBefore: null, createdOn: "2025-01-01T00:00:00Z" },
    ];
    const result = run(s);
    expect(result.cmk).toMatchObject({ currentVersion: "new", enabled: false, keyType: null });
    expect(result.findings.map((f) => f.code)).toEqual(["key-disabled", "key-version-pinned"]);
    expect(result.findings[1]!.message).toContain("current version new");
  });
});

it("builds its fixtures from a ready account (guards the builder)", () => {
  const s = readySnapshot();
  expect(s.permissions[scopeKey(RG_ID)]).toBe(ALL_ACTIONS);
  expect(keyFacts().version).toBe(VERSION);
});
