import { describe, expect, it } from "vitest";
import { buildPlan } from "./build-plan.js";
import { canonicalJson, sha256Hex } from "../domain/canonical-json.js";
import { verifyDigest } from "./digest.js";
import { roleAssignmentName } from "./role-assignment-name.js";
import { SETTING_NAMES } from "./settings-diff.js";
import type { Plan, PlanChoices, PlanStep, PlannedAccount } from "../domain/plan.js";
import type { Snapshot } from "../domain/snapshot.js";
import {
  ACR_ONE_ID, ACR_TWO_ID, APP_OID, FOREIGN_OID, KEY, NEW_VERSION, NOW, OTHER_KEY, OTHER_KEY_URI, OTHER_VAULT_ID, OTHER_VERSION,
  RG_ID, STORAGE_ID, SUB, TENANT, USER_OID, VAULT, VAULT_ID, VERSION, accessPolicySnapshot, assessWithChoices, bareKindSnapshot,
  choices, exportAcrSnapshot, localRbacSnapshot, noCmkSnapshot, otherKeySnapshot, rbacSnapshot, stu3Snapshot, twoAccountSnapshot,
  usGovSnapshot, versionedSnapshot,
} from "../../test/fixtures/plan-snapshots.js";
import {
  addAccountRoleAssignment, addCustomRole, CUSTOM_ROLE, FHIR_DATA_READER, firstAccount, RBAC_PRINCIPAL, readySnapshot, theKey, theVault,
} from "../../test/fixtures/snapshot-builder.js";
import { specsAvailable, validateRequest } from "../../test/helpers/spec-validator.js";

const TOOL = "9.9.9";
const ARM = "https://management.azure.com";
const ACCOUNT_ID = `${RG_ID}/providers/Microsoft.HealthcareApis/services/fhirprod`;
const WS_ID = `${RG_ID}/providers/Microsoft.HealthcareApis/workspaces/fhirprod`;
const FHIR_ID = `${WS_ID}/fhirservices/fhir`;
const IDENTITY_ID = `${RG_ID}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-fhirprod-fhir`;
const PREFIX = `fhirprod-${sha256Hex(ACCOUNT_ID.toLowerCase()).slice(0, 6)}`;
const roleDef = (guid: string, sub = SUB) => `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;

function plan(snapshot: Snapshot, c: PlanChoices = choices()): Plan {
  return buildPlan(snapshot, assessWithChoices(snapshot, c), c, { now: NOW, toolVersion: TOOL });
}

function step(p: Plan, kind: PlanStep["kind"], suffix?: string): PlanStep {
  const id = `${PREFIX}/${kind}${suffix ? `/${suffix}` : ""}`;
  const s = p.steps.find((x) => x.id === id);
  if (!s) throw new Error(`no step ${id} in ${p.steps.map((x) => x.id).join(", ")}`);
  return s;
}

/** Wire JSON, navigable in assertions (`?.` through objects whose shape the test pins). */
type Wire = { [key: string]: Wire | undefined };

function body(s: PlanStep): Wire {
  return s.request.body as unknown as Wire;
}

function only(p: Plan): PlannedAccount {
  expect(p.accounts).toHaveLength(1);
  return p.accounts[0]!;
}

const fromIdentity = { $fromStep: `${PREFIX}/ensure-identity`, output: "principalId" };


interface Scenario {
  name: string;
  snapshot: () => Snapshot;
  choices?: PlanChoices;
  check(p: Plan): void;
}

const scenarios: Scenario[] = [
  {
    name: "RBAC vault, versionless source: current version pinned, role on the key",
    snapshot: rbacSnapshot,
    check(p) {
      const a = only(p);
      expect(a.status).toBe("planned");
      expect(p.steps.map((s) => s.id)).toEqual([
        `${PREFIX}/ensure-workspace`, `${PREFIX}/ensure-identity`, `${PREFIX}/grant-key-role`, `${PREFIX}/create-fhir-service`,
      ]);
      const ws = step(p, "ensure-workspace");
      expect(ws.request).toEqual({
        method: "PUT", url: `${ARM}${WS_ID}?api-version=2024-03-31`,
        body: { location: "westeurope", tags: { "ahds-migrate-source": ACCOUNT_ID }, properties: {} },
      });
      expect(ws.longRunning).toBe(true);
      const id = step(p, "ensure-identity");
      expect(id.request).toEqual({
        method: "PUT", url: `${ARM}${IDENTITY_ID}?api-version=2024-11-30`,
        body: { location: "westeurope", tags: { "ahds-migrate-source": ACCOUNT_ID } },
      });
      expect(id.outputs).toEqual(["principalId", "clientId"]);
      const scope = `${VAULT_ID}/keys/${KEY}`;
      const name = roleAssignmentName(scope, IDENTITY_ID, "e147488a-f6f5-4113-8e2d-b22465e65bf6");
      const role = step(p, "grant-key-role");
      expect(role.request).toEqual({
        method: "PUT", url: `${ARM}${scope}/providers/Microsoft.Authorization/roleAssignments/${name}?api-version=2022-04-01`,
        body: { properties: { roleDefinitionId: roleDef("e147488a-f6f5-4113-8e2d-b22465e65bf6"), principalId: fromIdentity, principalType: "ServicePrincipal" } },
      });
      expect(role.dependsOn).toEqual([`${PREFIX}/ensure-identity`]);
      const fhir = step(p, "create-fhir-service");
      expect(fhir.dependsOn).toEqual([`${PREFIX}/ensure-workspace`, `${PREFIX}/ensure-identity`, `${PREFIX}/grant-key-role`]);
      expect(fhir.longRunning).toBe(true);
      expect(fhir.request.url).toBe(`${ARM}${FHIR_ID}?api-version=2024-03-31`);
      expect(fhir.request.body).toEqual({
        location: "westeurope", kind: "fhir-R4",
        identity: { type: "UserAssigned", userAssignedIdentities: { [IDENTITY_ID]: {} } },
        tags: { "ahds-migrate-source": ACCOUNT_ID },
        properties: {
          authenticationConfiguration: { authority: `https://login.microsoftonline.com/${TENANT}`, audience: "https://fhirprod-fhir.fhir.azurehealthcareapis.com", smartProxyEnabled: false },
          encryption: { customerManagedKeyEncryption: { keyEncryptionKeyUrl: `https://${VAULT}.vault.azure.net/keys/${KEY}/${VERSION}` } },
        },
      });
      expect(a.keyLinkage).toEqual({
        sourceKeyUri: `https://${VAULT}.vault.azure.net/keys/${KEY}`, targetKeyUrl: `https://${VAULT}.vault.azure.net/keys/${KEY}/${VERSION}`,
        chosenKey: false, vaultId: VAULT_ID, permissionModel: "rbac", identityId: IDENTITY_ID,
        role: { roleDefinitionId: roleDef("e147488a-f6f5-4113-8e2d-b22465e65bf6"), roleName: "Key Vault Crypto Service Encryption User", scope, assignmentName: name },
      });
      expect(a.target).toEqual({
        resourceGroup: "rg-fhir", workspaceName: "fhirprod", fhirServiceName: "fhir", workspaceId: WS_ID, fhirServiceId: FHIR_ID,
        identityName: "id-fhirprod-fhir", identityId: IDENTITY_ID, fhirUrl: "https://fhirprod-fhir.fhir.azurehealthcareapis.com", kind: "fhir-R4",
      });
      expect(p.fingerprint.keys).toEqual([{ vaultName: VAULT, keyName: KEY, version: VERSION, currentVersion: VERSION, attributesSha256: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
      expect(a.followUps.some((f) => f.includes("Key rotation is manual"))).toBe(true);
      expect(a.settings.find((r) => r.setting === "cosmosDbConfiguration.keyVaultKeyUri")).toMatchObject({ action: "changed", target: `https://${VAULT}.vault.azure.net/keys/${KEY}/${VERSION}` });
    },
  },
  {
    name: "access-policy vault: add get/wrapKey/unwrapKey for the identity only",
    snapshot: accessPolicySnapshot,
    check(p) {
      const a = only(p);
      expect(p.steps.map((s) => s.kind)).toEqual(["ensure-workspace", "ensure-identity", "grant-key-access-policy", "create-fhir-service"]);
      const s = step(p, "grant-key-access-policy");
      expect(s.request).toEqual({
        method: "PUT", url: `${ARM}${VAULT_ID}/accessPolicies/add?api-version=2026-02-01`,
        body: { properties: { accessPolicies: [{ tenantId: TENANT, objectId: fromIdentity, permissions: { keys: ["get", "wrapKey", "unwrapKey"] } }] } },
      });
      expect(step(p, "create-fhir-service").dependsOn).toContain(s.id);
      expect(a.keyLinkage).toMatchObject({ permissionModel: "accessPolicy", accessPolicy: { keys: ["get", "wrapKey", "unwrapKey"] } });
      expect(a.keyLinkage!.role).toBeUndefined();
      expect(p.fingerprint.vaults).toEqual([expect.objectContaining({ id: VAULT_ID, permissionModel: "accessPolicy", softDelete: true, purgeProtection: true, location: "westeurope" })]);
    },
  },
  {
    name: "no CMK: no key grant, no encryption, Microsoft-managed keys",
    snapshot: noCmkSnapshot,
    check(p) {
      const a = only(p);
      expect(p.steps.map((s) => s.kind)).toEqual(["ensure-workspace", "ensure-identity", "create-fhir-service"]);
      expect(body(step(p, "create-fhir-service"))?.properties?.encryption).toBeUndefined();
      expect(a.keyLinkage).toBeNull();
      expect(p.fingerprint.keys).toEqual([]);
      expect(p.fingerprint.vaults).toEqual([]);
      expect(a.settings.find((r) => r.setting === "cosmosDbConfiguration.keyVaultKeyUri")!.why).toMatch(/Microsoft-managed/);
    },
  },
  {
    name: "STU3 account keeps its kind",
    snapshot: stu3Snapshot,
    check(p) {
      expect(body(step(p, "create-fhir-service")).kind).toBe("fhir-Stu3");
      expect(only(p).target.kind).toBe("fhir-Stu3");
      expect(only(p).settings[0]).toMatchObject({ setting: "kind", action: "copied", target: "fhir-Stu3" });
    },
  },
  {
    name: "versioned source URI: the named version is kept though a newer one is current",
    snapshot: versionedSnapshot,
    check(p) {
      const url = body(step(p, "create-fhir-service"))?.properties?.encryption?.customerManagedKeyEncryption?.keyEncryptionKeyUrl;
      expect(url).toBe(`https://${VAULT}.vault.azure.net/keys/${KEY}/${VERSION}`);
      expect(url).not.toContain(NEW_VERSION);
      expect(p.fingerprint.keys).toEqual([expect.objectContaining({ version: VERSION, currentVersion: VERSION })]);
      expect(only(p).followUps.some((f) => f.includes("Key rotation"))).toBe(false);
    },
  },
  {
    name: "local RBAC: in-tenant object ids → FHIR Data Contributor, the accepted foreign one left out",
    snapshot: localRbacSnapshot,
    choices: choices({ accounts: [ACCOUNT_ID], accept: { [ACCOUNT_ID]: ["access-policy-foreign-principal"] } }),
    check(p) {
      const a = only(p);
      expect(a.status).toBe("planned");
      expect(a.accepted).toEqual(["access-policy-foreign-principal"]);
      const grants = p.steps.filter((s) => s.kind === "grant-data-role");
      expect(grants.map((g) => g.id)).toEqual([
        `${PREFIX}/grant-data-role/fhir-data-contributor/${USER_OID}`, `${PREFIX}/grant-data-role/fhir-data-contributor/${APP_OID}`,
      ]);
      const user = grants[0]!;
      const name = roleAssignmentName(FHIR_ID, USER_OID, "5a1fc7df-4bf1-4951-a576-89034ee01acd");
      expect(user.request).toEqual({
        method: "PUT", url: `${ARM}${FHIR_ID}/providers/Microsoft.Authorization/roleAssignments/${name}?api-version=2022-04-01`,
        body: { properties: { roleDefinitionId: roleDef("5a1fc7df-4bf1-4951-a576-89034ee01acd"), principalId: USER_OID, principalType: "User" } },
      });
      expect(user.dependsOn).toEqual([`${PREFIX}/create-fhir-service`]);
      expect(body(grants[1]!)?.properties?.principalType).toBe("ServicePrincipal");
      expect(JSON.stringify(p.steps)).not.toContain(FOREIGN_OID);
      expect(a.followUps.some((f) => f.includes(FOREIGN_OID))).toBe(true);
      expect(a.settings.find((r) => r.setting === "accessPolicies")).toMatchObject({ action: "manual" });
    },
  },
  {
    name: "export storage and ACR: the identity gets Storage Blob Data Contributor and AcrPull; CORS, export, ACR and tags copied",
    snapshot: exportAcrSnapshot,
    check(p) {
      const storage = step(p, "grant-data-role", "storage-blob-data-contributor/stexportfhir");
      const sName = roleAssignmentName(STORAGE_ID, IDENTITY_ID, "ba92f5b4-2d11-453d-a403-e96b0029c9fe");
      expect(storage.request).toEqual({
        method: "PUT", url: `${ARM}${STORAGE_ID}/providers/Microsoft.Authorization/roleAssignments/${sName}?api-version=2022-04-01`,
        body: { properties: { roleDefinitionId: roleDef("ba92f5b4-2d11-453d-a403-e96b0029c9fe"), principalId: fromIdentity, principalType: "ServicePrincipal" } },
      });
      expect(storage.dependsOn).toEqual([`${PREFIX}/ensure-identity`, `${PREFIX}/create-fhir-service`]);
      for (const [suffix, id] of [["acr-pull/acrone", ACR_ONE_ID], ["acr-pull/acrtwo", ACR_TWO_ID]] as const) {
        const s = step(p, "grant-data-role", suffix);
        expect(s.request.url).toBe(`${ARM}${id}/providers/Microsoft.Authorization/roleAssignments/${roleAssignmentName(id, IDENTITY_ID, "7f951dda-4ed3-4680-a7ca-43fe172d538d")}?api-version=2022-04-01`);
        expect(body(s)?.properties?.roleDefinitionId).toBe(roleDef("7f951dda-4ed3-4680-a7ca-43fe172d538d"));
      }
      const fhir = body(step(p, "create-fhir-service"));
      expect(fhir.properties?.exportConfiguration).toEqual({ storageAccountName: "stexportfhir" });
      expect(fhir.properties?.acrConfiguration).toEqual({
        loginServers: ["acrone.azurecr.io"], ociArtifacts: [{ loginServer: "acrtwo.azurecr.io", imageName: "templates", digest: "sha256:0123" }],
      });
      expect(fhir.properties?.corsConfiguration).toEqual({ origins: ["https://app.contoso.com"], headers: ["*"], methods: ["GET", "POST"], maxAge: 600, allowCredentials: false });
      expect(fhir.properties?.importConfiguration).toBeUndefined();
      expect(fhir.tags).toEqual({ env: "prod", owner: "fhir-team", "ahds-migrate-source": ACCOUNT_ID });
    },
  },
  {
    name: "another key chosen: the chosen key's current version, its access-policy vault",
    snapshot: otherKeySnapshot,
    choices: choices({ accounts: [ACCOUNT_ID], keys: { [ACCOUNT_ID]: OTHER_KEY_URI } }),
    check(p) {
      const a = only(p);
      expect(a.status).toBe("planned");
      expect(a.keyLinkage).toMatchObject({
        sourceKeyUri: `https://${VAULT}.vault.azure.net/keys/${KEY}`, chosenKey: true, vaultId: OTHER_VAULT_ID, permissionModel: "accessPolicy",
        targetKeyUrl: `https://kv-other.vault.azure.net/keys/${OTHER_KEY}/${OTHER_VERSION}`,
      });
      expect(step(p, "grant-key-access-policy").request.url).toBe(`${ARM}${OTHER_VAULT_ID}/accessPolicies/add?api-version=2026-02-01`);
      expect(p.fingerprint.keys).toEqual([expect.objectContaining({ vaultName: "kv-other", keyName: OTHER_KEY, version: OTHER_VERSION })]);
      expect(p.fingerprint.vaults.map((v) => v.id)).toEqual([OTHER_VAULT_ID]);
      expect(p.choices.keys).toEqual({ [ACCOUNT_ID]: OTHER_KEY_URI });
    },
  },
  {
    name: "bare fhir kind with --kind chosen",
    snapshot: bareKindSnapshot,
    choices: choices({ accounts: [ACCOUNT_ID], kinds: { [ACCOUNT_ID]: "fhir-Stu3" } }),
    check(p) {
      expect(only(p).status).toBe("planned");
      expect(body(step(p, "create-fhir-service")).kind).toBe("fhir-Stu3");
      expect(only(p).settings[0]).toMatchObject({ setting: "kind", source: "fhir", target: "fhir-Stu3", action: "changed" });
    },
  },
  {
    name: "--target-resource-group: one ensure-resource-group step per subscription, targets in that group",
    snapshot: twoAccountSnapshot,
    choices: choices({ targetResourceGroup: "rg-ahds" }),
    check(p) {
      expect(p.accounts.map((a) => a.status)).toEqual(["planned", "planned"]);
      const rgSteps = p.steps.filter((s) => s.kind === "ensure-resource-group");
      expect(rgSteps).toHaveLength(1);
      expect(rgSteps[0]!.request).toEqual({ method: "PUT", url: `${ARM}/subscriptions/${SUB}/resourcegroups/rg-ahds?api-version=2021-04-01`, body: { location: "westeurope" } });
      for (const k of ["ensure-workspace", "ensure-identity"] as const) {
        for (const s of p.steps.filter((x) => x.kind === k)) expect(s.dependsOn).toEqual([rgSteps[0]!.id]);
      }
      expect(p.accounts[1]!.target.workspaceId).toBe(`/subscriptions/${SUB}/resourceGroups/rg-ahds/providers/Microsoft.HealthcareApis/workspaces/fhirsecond`);
      expect(p.accounts[0]!.target.resourceGroup).toBe("rg-ahds");
    },
  },
  {
    name: "US Government: its ARM host, login host and FHIR zone",
    snapshot: usGovSnapshot,
    check(p) {
      expect(only(p).status).toBe("planned");
      for (const s of p.steps) expect(s.request.url.startsWith("https://management.usgovcloudapi.net/")).toBe(true);
      const fhir = body(step(p, "create-fhir-service"));
      expect(fhir.properties?.authenticationConfiguration).toEqual({
        authority: `https://login.microsoftonline.us/${TENANT}`, audience: "https://fhirprod-fhir.fhir.azurehealthcareapis.us", smartProxyEnabled: false,
      });
      expect(fhir.properties?.encryption?.customerManagedKeyEncryption?.keyEncryptionKeyUrl).toBe(`https://${VAULT}.vault.usgovcloudapi.net/keys/${KEY}/${VERSION}`);
      expect(only(p).target.fhirUrl).toBe("https://fhirprod-fhir.fhir.azurehealthcareapis.us");
    },
  },
];

describe("buildPlan: planned accounts", () => {
  it.each(scenarios)("$name", ({ snapshot, choices: c, check }) => {
    const p = plan(snapshot(), c);
    check(p);
    expect(verifyDigest(p)).toBe(true);
    expect(p.planId).toMatch(/^plan-[0-9a-f]{12}$/);
    expect(p.createdAt).toBe(NOW.toISOString());
    expect(p.tool).toEqual({ name: "ahds-migrate", version: TOOL });
    for (const a of p.accounts.filter((x) => x.status === "planned")) {
      expect(a.settings.map((r) => r.setting)).toEqual([...SETTING_NAMES]);
      expect(p.fingerprint.accounts.map((f) => f.id)).toContain(a.id);
    }
  });
});

interface NotPlannedCase {
  name: string;
  edit(s: Snapshot): void;
  choices?: Partial<PlanChoices>;
  code: string;
  resolve: RegExp;
}

const notPlannedCases: NotPlannedCase[] = [
  { name: "blocker: source not Succeeded", edit: (s) => { firstAccount(s).properties.provisioningState = "Failed"; }, code: "source-not-succeeded", resolve: /^fix: / },
  { name: "blocker on the key: key not found", edit: (s) => { theKey(s).getFailure = "not-found"; theKey(s).listFailure = "not-found"; }, code: "key-not-found", resolve: new RegExp(`^--key ${ACCOUNT_ID}=KEY_URL, or fix: `) },
  { name: "bare kind without --kind", edit: (s) => { firstAccount(s).kind = "fhir"; }, code: "kind-unversioned", resolve: new RegExp(`^--kind ${ACCOUNT_ID}=fhir-R4\\|fhir-Stu3$`) },
  { name: "private endpoints not accepted", edit: (s) => { firstAccount(s).properties.privateEndpointConnections = [{ id: "pe1" }]; }, code: "private-endpoints", resolve: new RegExp(`^--accept ${ACCOUNT_ID}=private-endpoints, or fix: `) },
  { name: "foreign principal not accepted", edit: (s) => { firstAccount(s).properties.accessPolicies = [{ objectId: FOREIGN_OID }]; }, code: "access-policy-foreign-principal", resolve: new RegExp(`^--accept ${ACCOUNT_ID}=access-policy-foreign-principal`) },
  { name: "vault without purge protection", edit: (s) => { theVault(s).purgeProtection = false; }, code: "vault-purge-protection-off", resolve: new RegExp(`^--key ${ACCOUNT_ID}=KEY_URL, or fix: `) },
  { name: "disabled key", edit: (s) => { theKey(s).enabled = false; }, code: "key-disabled", resolve: /^--key .*, or fix: / },
  { name: "caller cannot grant", edit: (s) => { for (const k of Object.keys(s.permissions)) s.permissions[k] = [{ actions: ["*/read"], notActions: [], dataActions: [], notDataActions: [] }]; }, code: "caller-cannot-grant", resolve: /^fix: / },
  { name: "a non-acceptable code passed to --accept does not resolve it", edit: (s) => { theKey(s).enabled = false; }, choices: { accept: { [ACCOUNT_ID]: ["key-disabled"] } }, code: "key-disabled", resolve: /^--key / },
];

describe("buildPlan: not-planned accounts name the reason and the flag that resolves it", () => {
  it.each(notPlannedCases)("$name", ({ edit, choices: patch, code, resolve }) => {
    const s = readySnapshot();
    edit(s);
    const p = plan(s, choices({ accounts: [ACCOUNT_ID], ...patch }));
    const a = only(p);
    expect(a.status).toBe("not-planned");
    const reason = a.notPlanned.find((r) => r.code === code);
    expect(reason, JSON.stringify(a.notPlanned)).toBeDefined();
    expect(reason!.resolve).toMatch(resolve);
    expect(reason!.message.length).toBeGreaterThan(0);
    expect(p.steps).toEqual([]);
    expect(a.keyLinkage).toBeNull();
    expect(p.fingerprint).toEqual({ accounts: [], keys: [], vaults: [] });
  });

  it("the same account is planned once its finding is accepted", () => {
    const s = readySnapshot();
    firstAccount(s).properties.privateEndpointConnections = [{ id: "pe1" }];
    const p = plan(s, choices({ accounts: [ACCOUNT_ID], accept: { [ACCOUNT_ID]: ["private-endpoints"] } }));
    expect(only(p).status).toBe("planned");
    expect(only(p).followUps[0]).toMatch(/Recreate 1 private endpoint/);
  });

  it("--all-ready leaves out accounts with unresolved findings and plans the rest", () => {
    const s = twoAccountSnapshot();
    firstAccount(s).kind = "fhir";
    const p = plan(s, choices());
    expect(p.accounts.map((a) => a.name)).toEqual(["fhir-second"]);
    const withKind = plan(s, choices({ kinds: { [ACCOUNT_ID.toUpperCase()]: "fhir-R4" } }));
    expect(withKind.accounts.map((a) => a.name)).toEqual(["fhirprod", "fhir-second"]);
  });

  it("refuses an account id that is not in the snapshot", () => {
    expect(() => plan(readySnapshot(), choices({ accounts: [`${RG_ID}/providers/Microsoft.HealthcareApis/services/nope`] })))
      .toThrowError(expect.objectContaining({ name: "UsageError" }) as Error);
  });

  it("two accounts whose targets clash in one resource group: the second is not planned", () => {
    const s = twoAccountSnapshot();
    s.accounts[1]!.name = "fhir-prod";
    s.accounts[1]!.id = `${RG_ID}/providers/Microsoft.HealthcareApis/services/fhir-prod`;
    const p = plan(s, choices({ accounts: s.accounts.map((a) => a.id) }));
    expect(p.accounts.map((a) => a.status)).toEqual(["planned", "not-planned"]);
    expect(p.accounts[1]!.notPlanned[0]).toMatchObject({ code: "target-name-conflict", resolve: `--name ${s.accounts[1]!.id}=WORKSPACE[/FHIR]` });
  });
});

describe("buildPlan: target names are global, and an existing workspace is adopted", () => {
  const OTHER_RG = `/subscriptions/${SUB}/resourceGroups/rg-other`;
  const twoNamesAlike = (): Snapshot => {
    const s = twoAccountSnapshot();
    // fhir-prod in another resource group derives fhirprod too: Azure refuses the second workspace name.
    s.accounts[1]!.name = "fhir-prod";
    s.accounts[1]!.resourceGroup = "rg-other";
    s.accounts[1]!.id = `${OTHER_RG}/providers/Microsoft.HealthcareApis/services/fhir-prod`;
    return s;
  };

  it("two accounts deriving one workspace name in different groups: the exact name keeps it, the other is not planned", () => {
    const s = twoNamesAlike();
    const p = plan(s, choices({ accounts: s.accounts.map((a) => a.id) }));
    expect(p.accounts.map((a) => [a.name, a.status])).toEqual([["fhirprod", "planned"], ["fhir-prod", "not-planned"]]);
    expect(p.accounts[1]!.notPlanned.map((r) => r.code)).toEqual(["target-name-conflict"]);
  });

  it("--name gives the second its own names, recorded in the choices and used in every id and the URL", () => {
    const s = twoNamesAlike();
    const second = s.accounts[1]!.id;
    const p = plan(s, choices({ accounts: s.accounts.map((a) => a.id), names: { [second]: { workspace: "fhirprod2", fhirService: "patients" } } }));
    const a = p.accounts[1]!;
    expect(a.status).toBe("planned");
    expect(a.target).toMatchObject({
      workspaceName: "fhirprod2", fhirServiceName: "patients", fhirUrl: "https://fhirprod2-patients.fhir.azurehealthcareapis.com",
      workspaceId: `${OTHER_RG}/providers/Microsoft.HealthcareApis/workspaces/fhirprod2`,
      fhirServiceId: `${OTHER_RG}/providers/Microsoft.HealthcareApis/workspaces/fhirprod2/fhirservices/patients`,
    });
    expect(p.steps.filter((x) => x.accountId === second && x.kind === "create-fhir-service").map((x) => x.request.url)[0])
      .toContain("/workspaces/fhirprod2/fhirservices/patients?");
    expect(p.choices.names).toEqual({ [second]: { workspace: "fhirprod2", fhirService: "patients" } });
  });

  it("a chosen name that is still taken (by a workspace elsewhere) is not planned, naming the holder", () => {
    const s = readySnapshot();
    const elsewhere = `${OTHER_RG}/providers/Microsoft.HealthcareApis/workspaces/taken`;
    s.workspaces = [elsewhere];
    const p = plan(s, choices({ accounts: [ACCOUNT_ID], names: { [ACCOUNT_ID]: { workspace: "taken", fhirService: "fhir" } } }));
    expect(only(p).notPlanned).toEqual([expect.objectContaining({ code: "target-name-conflict", message: expect.stringContaining(elsewhere) })]);
  });

  const preCreated = (edit: (w: Snapshot["workspaceFacts"][string]) => void = () => undefined): Snapshot => {
    const s = readySnapshot();
    s.workspaces = [WS_ID];
    const facts = { id: WS_ID, location: firstAccount(s).location, tags: {}, createdAt: "2026-11-02T09:00:00.000Z", createdBy: "platform@contoso.com", createdByType: "User" };
    edit(facts);
    s.workspaceFacts = { [WS_ID.toLowerCase()]: facts };
    return s;
  };

  it("a pre-created empty workspace (not made by this tool) is adopted: no workspace PUT, shown as existing", () => {
    const p = plan(preCreated());
    const a = only(p);
    expect(a.status).toBe("planned");
    expect(a.findings.map((f) => f.code)).toContain("target-exists");
    expect(a.target.existingWorkspace).toEqual({ createdAt: "2026-11-02T09:00:00.000Z", createdBy: "platform@contoso.com", createdByType: "User" });
    expect(p.steps.map((x) => x.kind)).not.toContain("ensure-workspace");
    expect(p.steps.some((x) => x.request.url.split("?")[0]!.toLowerCase() === WS_ID.toLowerCase())).toBe(false);
    expect(step(p, "create-fhir-service").dependsOn).not.toContain(`${PREFIX}/ensure-workspace`);
  });

  it("a workspace this tool made for the account (its source tag) keeps its ensure step", () => {
    const p = plan(preCreated((w) => { w.tags = { "ahds-migrate-source": ACCOUNT_ID.toUpperCase() }; }));
    expect(only(p).target.existingWorkspace).toBeUndefined();
    expect(step(p, "ensure-workspace").request.url).toContain("/workspaces/fhirprod?");
  });

  it("an existing workspace in another region, or holding a FHIR service of the planned name, is not planned", () => {
    expect(only(plan(preCreated((w) => { w.location = "northeurope"; }))).notPlanned)
      .toEqual([expect.objectContaining({ code: "target-exists", message: expect.stringContaining("northeurope") })]);
    const s = preCreated();
    s.fhirServices = [FHIR_ID];
    expect(only(plan(s)).notPlanned).toEqual([expect.objectContaining({ code: "target-exists", resolve: `--name ${ACCOUNT_ID}=fhirprod/OTHERNAME` })]);
  });
});

/** Every plan the tables above build, for the cross-cutting checks. */
function allPlans(): { name: string; plan: Plan }[] {
  return [
    ...scenarios.map((sc) => ({ name: sc.name, plan: plan(sc.snapshot(), sc.choices) })),
    ...notPlannedCases.map((c) => {
      const s = readySnapshot();
      c.edit(s);
      return { name: c.name, plan: plan(s, choices({ accounts: [ACCOUNT_ID], ...c.choices })) };
    }),
  ];
}

describe("buildPlan: determinism and safety", () => {
  const built = allPlans();

  it("gives byte-identical canonical JSON for the same snapshot, choices and clock", () => {
    for (const make of [rbacSnapshot, localRbacSnapshot, exportAcrSnapshot, twoAccountSnapshot]) {
      const c = choices({ accept: { [ACCOUNT_ID]: ["access-policy-foreign-principal"] } });
      const a = plan(make(), c);
      const b = plan(make(), structuredClone(c));
      expect(canonicalJson(b)).toBe(canonicalJson(a));
      expect(b.digest).toBe(a.digest);
    }
  });

  it("changes the digest when the clock or a source fact changes", () => {
    const a = plan(rbacSnapshot());
    const later = buildPlan(rbacSnapshot(), assessWithChoices(rbacSnapshot(), choices()), choices(), { now: new Date(NOW.getTime() + 1000), toolVersion: TOOL });
    expect(later.digest).not.toBe(a.digest);
    const s = rbacSnapshot();
    firstAccount(s).etag = "\"changed\"";
    expect(plan(s).fingerprint.accounts[0]!.etag).toBe("\"changed\"");
    expect(plan(s).digest).not.toBe(a.digest);
  });

  it("step ids are unique and every dependency names an earlier step", () => {
    expect(built.length).toBeGreaterThan(10);
    for (const { plan: p } of built) {
      const seen = new Set<string>();
      for (const s of p.steps) {
        expect(seen.has(s.id), s.id).toBe(false);
        for (const d of s.dependsOn) expect(seen.has(d), `${s.id} → ${d}`).toBe(true);
        seen.add(s.id);
      }
    }
  });

  it("no step writes to a Microsoft.HealthcareApis/services resource, deletes, or sends importConfiguration (none chose --storage-account)", () => {
    for (const { plan: p } of built) {
      for (const s of p.steps) {
        expect(s.request.method).toBe("PUT");
        expect(new URL(s.request.url).pathname.toLowerCase()).not.toContain("/microsoft.healthcareapis/services/");
        expect(JSON.stringify(s.request.body)).not.toContain("importConfiguration");
      }
    }
  });

  it("every $fromStep names an earlier step and one of its outputs", () => {
    for (const { plan: p } of built) {
      const outputs = new Map<string, string[]>();
      for (const s of p.steps) {
        for (const m of JSON.stringify(s.request.body).matchAll(/\{"\$fromStep":"([^"]+)","output":"([^"]+)"\}/g)) {
          expect(outputs.get(m[1]!), `${s.id} refers to ${m[1]}`).toContain(m[2]);
          expect(s.dependsOn).toContain(m[1]);
        }
        outputs.set(s.id, s.outputs);
      }
    }
  });

  it.skipIf(!specsAvailable)("every request body of every test plan validates against its operation's request schema", () => {
    const checked = new Set<string>();
    const skipped: string[] = [];
    for (const { plan: p } of built) {
      for (const s of p.steps) {
        const r = validateRequest(s.request.method, s.request.url, s.request.body);
        if (r.skipped) {
          // Microsoft.Resources resources.json (ResourceGroups_CreateOrUpdate) is not among the saved specs.
          expect(s.kind, r.reason).toBe("ensure-resource-group");
          skipped.push(s.id);
          continue;
        }
        expect(r.violations, `${s.id}: ${JSON.stringify(r.violations)}`).toEqual([]);
        checked.add(r.operationId);
      }
    }
    expect([...checked].sort()).toEqual([
      "FhirServices_CreateOrUpdate", "RoleAssignments_Create", "UserAssignedIdentities_CreateOrUpdate",
      "Vaults_UpdateAccessPolicy", "Workspaces_CreateOrUpdate",
    ]);
    expect(skipped.length).toBeGreaterThan(0);
  });

  it.skipIf(!specsAvailable)("the request validator catches a wrong body, a wrong api-version and a missing body", () => {
    const p = plan(rbacSnapshot());
    const fhir = structuredClone(step(p, "create-fhir-service"));
    (fhir.request.body as Record<string, unknown>).kind = 42;
    expect(validateRequest("PUT", fhir.request.url, fhir.request.body).skipped).toBe(false);
    const bad = validateRequest("PUT", fhir.request.url, fhir.request.body);
    expect(!bad.skipped && bad.violations[0]!.errors.join()).toMatch(/kind/);
    const role = step(p, "grant-key-role");
    const unknown = validateRequest("PUT", role.request.url, { properties: { roleDefinitionId: "x", principalId: "y", extra: 1 } });
    expect(!unknown.skipped && unknown.violations[0]!.errors.join()).toMatch(/extra/);
    const version = validateRequest("PUT", role.request.url.replace("2022-04-01", "2020-04-01-preview"), role.request.body);
    expect(!version.skipped && version.violations[0]!.errors.join()).toMatch(/api-version/);
    const none = validateRequest("PUT", step(p, "ensure-identity").request.url, undefined);
    expect(!none.skipped && none.violations[0]!.errors.join()).toMatch(/takes a body/);
  });
});

describe("buildPlan: Azure RBAC on the account moves with it (issue 9 §1)", () => {
  const FHIR_DATA_CONTRIBUTOR = "5a1fc7df-4bf1-4951-a576-89034ee01acd";
  const withGrant = (o: Parameters<typeof addAccountRoleAssignment>[1] = {}, principals: Snapshot["principals"] = { [RBAC_PRINCIPAL]: "User" }): Snapshot => {
    const s = readySnapshot();
    addAccountRoleAssignment(s, o);
    s.principals = principals;
    return s;
  };

  it("a direct FHIR Data Reader becomes the same role for the same principal at the new FHIR service", () => {
    const p = plan(withGrant({ principalType: "Group" }));
    const s = step(p, "grant-data-role", `rbac/${FHIR_DATA_READER}/${RBAC_PRINCIPAL}`);
    expect(s.request.url).toBe(`${ARM}${FHIR_ID}/providers/Microsoft.Authorization/roleAssignments/${roleAssignmentName(FHIR_ID, RBAC_PRINCIPAL, FHIR_DATA_READER)}?api-version=2022-04-01`);
    expect(body(s)).toEqual({ properties: { roleDefinitionId: roleDef(FHIR_DATA_READER), principalId: RBAC_PRINCIPAL, principalType: "Group" } });
    expect(s.dependsOn).toEqual([`${PREFIX}/create-fhir-service`]);
    expect(s.title).toBe(`FHIR Data Reader for Group ${RBAC_PRINCIPAL} on FHIR service fhirprod/fhir (copied from the account)`);
    expect(only(p).settings.find((r) => r.setting === "role assignments on the account")).toMatchObject({ action: "copied", target: "1 copied to the FHIR service" });
  });

  it("the same grant as an access policy's FHIR Data Contributor is made once", () => {
    const s = withGrant({ role: FHIR_DATA_CONTRIBUTOR });
    firstAccount(s).properties.accessPolicies = [{ objectId: RBAC_PRINCIPAL }];
    const p = plan(s);
    const grants = p.steps.filter((x) => x.kind === "grant-data-role" && x.request.url.includes(FHIR_ID));
    expect(grants.map((x) => x.id)).toEqual([`${PREFIX}/grant-data-role/fhir-data-contributor/${RBAC_PRINCIPAL}`]);
  });

  it("an accepted unmapped custom role or conditioned grant is left to the user as a follow-up, with no step", () => {
    const s = withGrant({ role: CUSTOM_ROLE });
    addCustomRole(s, ["Microsoft.HealthcareApis/services/fhir/resources/read"]);
    addAccountRoleAssignment(s, { principalId: USER_OID, condition: "@Resource[x] StringEquals 'y'" });
    s.principals![USER_OID] = "User";
    const p = plan(s, choices({ accounts: [ACCOUNT_ID], accept: { [ACCOUNT_ID]: ["rbac-custom-role-unmapped", "rbac-condition-not-copied"] } }));
    const a = only(p);
    expect(a.status).toBe("planned");
    expect(p.steps.filter((x) => x.id.includes("/rbac/"))).toEqual([]);
    expect(a.followUps.filter((f) => f.startsWith("Grant "))).toEqual([
      `Grant Contoso FHIR Reader on ${FHIR_ID} to ${RBAC_PRINCIPAL} yourself (custom role Contoso FHIR Reader gives no access on workspaces/fhirservices as it is).`,
      `Grant FHIR Data Reader on ${FHIR_ID} to ${USER_OID} yourself (with an equivalent condition; the source's was @Resource[x] StringEquals 'y').`,
    ]);
    expect(a.settings.find((r) => r.setting === "role assignments on the account")).toMatchObject({ action: "manual" });
  });

  it("not accepted, they keep the account out of the plan naming the --accept that resolves them", () => {
    const s = withGrant({ role: CUSTOM_ROLE });
    addCustomRole(s, ["Microsoft.HealthcareApis/services/fhir/resources/read"]);
    const p = plan(s, choices({ accounts: [ACCOUNT_ID] }));
    expect(only(p).notPlanned.map((r) => r.resolve)).toEqual([expect.stringMatching(`^--accept ${ACCOUNT_ID}=rbac-custom-role-unmapped, or fix: Add Microsoft.HealthcareApis/workspaces/fhirservices/resources/read`)]);
  });

  it("a grant inherited from the resource group is not copied, only named in the follow-ups", () => {
    const p = plan(withGrant({ scope: RG_ID }));
    expect(p.steps.filter((x) => x.id.includes("/rbac/"))).toEqual([]);
    expect(only(p).followUps).toContain(`Check FHIR Data Reader for ${RBAC_PRINCIPAL}, inherited from ${RG_ID}: not copied; it covers the new FHIR service if the target is under that scope.`);
  });
});

describe("buildPlan: the data copy's storage account (issue 11, --storage-account)", () => {
  const OTHER_STORAGE_ID = `${RG_ID}/providers/Microsoft.Storage/storageAccounts/migstore`;
  const importConfiguration = (p: Plan) => body(step(p, "create-fhir-service")).properties?.importConfiguration;
  const storageGrants = (p: Plan) => p.steps.filter((s) => s.kind === "grant-data-role" && s.request.url.includes("/Microsoft.Storage/storageAccounts/"))
    .map((s) => s.request.url.replace(/^https:\/\/[^/]+/, "").split("/providers/Microsoft.Authorization/")[0]);

  it("configures incremental import from it and grants the new identity Storage Blob Data Contributor on it", () => {
    const s = rbacSnapshot();
    s.storageAccounts = { migstore: OTHER_STORAGE_ID };
    const p = plan(s, choices({ storageAccount: OTHER_STORAGE_ID }));
    expect(importConfiguration(p)).toEqual({ enabled: true, initialImportMode: false, integrationDataStore: "migstore" });
    expect(storageGrants(p)).toEqual([OTHER_STORAGE_ID]);
    expect(only(p).settings.find((r) => r.setting === "importConfiguration")).toMatchObject({ target: "enabled, incremental, from migstore", action: "changed" });
    // The source does not export there yet: what the user must do on it is a follow-up, never a step.
    expect(only(p).followUps.find((f) => f.startsWith("Before the data copy"))).toBe(
      "Before the data copy, on fhirprod (this tool never writes the source): turn on its system-assigned identity, set its export storage account to migstore, grant its identity Storage Blob Data Contributor on migstore.");
  });

  it("makes one grant when it is also the account's export storage account", () => {
    const p = plan(exportAcrSnapshot(), choices({ storageAccount: STORAGE_ID }));
    expect(storageGrants(p)).toEqual([STORAGE_ID]);
    expect(importConfiguration(p)?.integrationDataStore).toBe(STORAGE_ID.split("/").pop());
  });

  it("names an account of another subscription, whose export cannot go there, in its follow-ups", () => {
    const elsewhere = OTHER_STORAGE_ID.replace(SUB, "0aaaaaaa-0000-4000-8000-000000000000");
    const p = plan(rbacSnapshot(), choices({ storageAccount: elsewhere }));
    expect(only(p).followUps).toContain(`The data copy cannot export fhirprod to migstore: Azure API for FHIR exports only to a storage account of its own subscription (${SUB}); plan it with one there.`);
    expect(only(p).followUps.some((f) => f.startsWith("Before the data copy"))).toBe(false);
  });

  it("plans nothing for the data copy without it", () => {
    const p = plan(exportAcrSnapshot());
    expect(importConfiguration(p)).toBeUndefined();
    expect(only(p).settings.find((r) => r.setting === "importConfiguration")?.action).toBe("dropped");
  });
});
