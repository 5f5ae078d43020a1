// User-assigned identities (arm-msi), Key Vault vaults (arm-keyvault 5: get, listBySubscription paged,
// listByResourceGroup, the generic vaults.list(), accessPolicies add/remove), resource groups, and the
// storage / ACR lists by subscription, all through the real clients or pipeline and checked against the Swagger.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/server.js";
import { expectConformingResponses, type ConformanceRecorder } from "../helpers/spec-validator.js";
import { startTestSandbox } from "../helpers/sandbox.js";
import { sdkClients } from "../helpers/sdk-clients.js";
import {
  addVault, baseEstate, fixtureGuid, LOCATION, RESOURCE_GROUP, resourceGroupId, ROLE_IDS, SUBSCRIPTION_ID, TENANT_ID, VAULT_NAME,
} from "../fixtures/estate-builders.js";
import { armRaw, armToken } from "./arm-raw.js";
import { all } from "../helpers/sdk-results.js";

const ARM = "https://management.azure.com";
let sandbox: Sandbox;
let conformance: ConformanceRecorder;
let c: ReturnType<typeof sdkClients>;

beforeAll(async () => {
  const estate = baseEstate({ behaviour: { pageSize: 2 } });
  for (const n of ["kv-b", "kv-c", "kv-d"]) addVault(estate, { name: n, group: "rg-vaults", rbac: false });
  estate.resources.push(
    { id: `${resourceGroupId()}/providers/Microsoft.Storage/storageAccounts/stexport`, name: "stexport", type: "Microsoft.Storage/storageAccounts",
      location: LOCATION, kind: "StorageV2", sku: { name: "Standard_LRS", tier: "Standard" }, properties: { provisioningState: "Succeeded" } },
    { id: `${resourceGroupId()}/providers/Microsoft.ContainerRegistry/registries/acrfhir`, name: "acrfhir", type: "Microsoft.ContainerRegistry/registries",
      location: LOCATION, sku: { name: "Basic", tier: "Basic" }, properties: { loginServer: "acrfhir.azurecr.io", provisioningState: "Succeeded" } },
  );
  sandbox = await startTestSandbox(estate);
  conformance = expectConformingResponses(sandbox);
  c = sdkClients("AzureCloud", SUBSCRIPTION_ID, { retryOptions: { maxRetries: 0 } });
});
afterAll(async () => { conformance?.stop(); await sandbox?.close(); });

describe("user-assigned identities", () => {
  let principalId = "";

  it("creates one (201) with principalId, clientId and tenantId, then updates it (200)", async () => {
    const mi = await c.msi.userAssignedIdentities.createOrUpdate(RESOURCE_GROUP, "mi-fhir", { location: LOCATION, tags: { app: "fhir" } });
    expect(mi.principalId).toMatch(/^[0-9a-f-]{36}$/);
    expect(mi.clientId).toMatch(/^[0-9a-f-]{36}$/);
    expect(mi.clientId).not.toBe(mi.principalId);
    expect(mi.tenantId).toBe(TENANT_ID);
    principalId = mi.principalId!;
    const again = await c.msi.userAssignedIdentities.createOrUpdate(RESOURCE_GROUP, "mi-fhir", { location: LOCATION, tags: { app: "fhir2" } });
    expect(again.principalId).toBe(principalId);
    expect(sandbox.requests().filter((r) => r.method === "PUT").map((r) => r.status)).toEqual([201, 200]);
  });

  it("gets and lists it, and its principal can be given a role", async () => {
    const mi = await c.msi.userAssignedIdentities.get(RESOURCE_GROUP, "mi-fhir");
    expect(mi.tags).toEqual({ app: "fhir2" });
    expect((await all(c.msi.userAssignedIdentities.listByResourceGroup(RESOURCE_GROUP))).map((x) => x.name)).toEqual(["mi-fhir"]);
    expect((await all(c.msi.userAssignedIdentities.listBySubscription())).map((x) => x.name)).toEqual(["mi-fhir"]);
    const a = await c.authorization.roleAssignments.create(`/subscriptions/${SUBSCRIPTION_ID}`, fixtureGuid("mi-reader"), {
      roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${ROLE_IDS.reader}`, principalId, principalType: "ServicePrincipal",
    });
    expect(a.principalId).toBe(principalId);
  });

  it("answers 404 ResourceGroupNotFound for an identity in a group that does not exist", async () => {
    const e = await c.msi.userAssignedIdentities.createOrUpdate("rg-missing", "mi-x", { location: LOCATION }).then(() => undefined, (x: unknown) => x);
    expect((e as { statusCode?: number }).statusCode).toBe(404);
    expect((e as { code?: string }).code).toBe("ResourceGroupNotFound");
  });
});

describe("key vaults", () => {
  it("gets a vault", async () => {
    const v = await c.keyVaultMgmt.vaults.get(RESOURCE_GROUP, VAULT_NAME);
    expect(v.properties.enableRbacAuthorization).toBe(true);
    expect(v.properties.vaultUri).toBe(`https://${VAULT_NAME}.vault.azure.net/`);
  });

  it("lists vaults by subscription across nextLink pages of 2, keeping api-version", async () => {
    const pages: string[][] = [];
    for await (const p of c.keyVaultMgmt.vaults.listBySubscription().byPage()) pages.push(p.map((v) => v.name!));
    expect(pages.map((p) => p.length)).toEqual([2, 2]);
    expect(pages.flat().sort()).toEqual(["kv-b", "kv-c", "kv-d", VAULT_NAME].sort());
    const calls = sandbox.requests().filter((r) => r.path.endsWith("/providers/Microsoft.KeyVault/vaults"));
    expect(calls.map((r) => r.query["api-version"])).toEqual(["2026-02-01", "2026-02-01"]);
    expect(calls[1]!.query.$skiptoken).toBe("2");
  });

  it("takes $top as the page size when smaller", async () => {
    const first = await c.keyVaultMgmt.vaults.listBySubscription({ top: 1 }).byPage().next();
    expect(first.value).toHaveLength(1);
  });

  it("lists by resource group and through the generic resources list (2015-11-01)", async () => {
    expect((await all(c.keyVaultMgmt.vaults.listByResourceGroup("rg-vaults"))).map((v) => v.name).sort()).toEqual(["kv-b", "kv-c", "kv-d"]);
    const generic = await all(c.keyVaultMgmt.vaults.list());
    expect(generic.map((r) => r.name).sort()).toEqual(["kv-b", "kv-c", "kv-d", VAULT_NAME].sort());
    const call = sandbox.requests().filter((r) => r.path.endsWith("/resources")).at(-1)!;
    expect(call.query["api-version"]).toBe("2015-11-01");
    expect(call.query.$filter).toBe("resourceType eq 'Microsoft.KeyVault/vaults'");
  });

  it("adds an access policy, merging permissions of the same principal, then removes some", async () => {
    const objectId = fixtureGuid("ap-principal");
    await c.keyVaultMgmt.vaults.updateAccessPolicy("rg-vaults", "kv-b", "add", {
      properties: { accessPolicies: [{ tenantId: TENANT_ID, objectId, permissions: { keys: ["get", "wrapKey"] } }] },
    });
    const r = await c.keyVaultMgmt.vaults.updateAccessPolicy("rg-vaults", "kv-b", "add", {
      properties: { accessPolicies: [{ tenantId: TENANT_ID, objectId, permissions: { keys: ["unwrapKey", "get"], secrets: ["get"] } }] },
    });
    const entry = r.properties.accessPolicies.find((p) => p.objectId === objectId)!;
    expect(entry.permissions.keys).toEqual(["get", "wrapKey", "unwrapKey"]);
    expect(entry.permissions.secrets).toEqual(["get"]);
    const stored = await c.keyVaultMgmt.vaults.get("rg-vaults", "kv-b");
    expect(stored.properties.accessPolicies?.filter((p) => p.objectId === objectId)).toHaveLength(1);
    await c.keyVaultMgmt.vaults.updateAccessPolicy("rg-vaults", "kv-b", "remove", {
      properties: { accessPolicies: [{ tenantId: TENANT_ID, objectId, permissions: { keys: ["get", "wrapKey", "unwrapKey"], secrets: ["get"] } }] },
    });
    expect((await c.keyVaultMgmt.vaults.get("rg-vaults", "kv-b")).properties.accessPolicies?.some((p) => p.objectId === objectId)).toBe(false);
  });

  it("answers 404 ResourceNotFound for a vault that does not exist", async () => {
    const e = await c.keyVaultMgmt.vaults.get(RESOURCE_GROUP, "kv-none").then(() => undefined, (x: unknown) => x);
    expect((e as { statusCode?: number }).statusCode).toBe(404);
    expect((e as { code?: string }).code).toBe("ResourceNotFound");
  });
});

describe("resource groups, storage accounts and registries", () => {
  it("creates a resource group (201), updates it (200), refuses a move (409)", async () => {
    const token = await armToken(c.credential);
    const url = `${ARM}/subscriptions/${SUBSCRIPTION_ID}/resourcegroups/rg-new?api-version=2021-04-01`;
    const created = await armRaw("PUT", url, { token, body: { location: LOCATION } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "rg-new", type: "Microsoft.Resources/resourceGroups", location: LOCATION,
      properties: { provisioningState: "Succeeded" } });
    expect((await armRaw("PUT", url, { token, body: { location: LOCATION, tags: { a: "b" } } })).status).toBe(200);
    const moved = await armRaw("PUT", url, { token, body: { location: "eastus" } });
    expect(moved.status).toBe(409);
    expect(moved.body.error.code).toBe("InvalidResourceGroupLocation");
    expect((await armRaw("GET", url, { token })).body.tags).toEqual({ a: "b" });
    expect((await armRaw("GET", url.replace("rg-new", "rg-none"), { token })).body.error.code).toBe("ResourceGroupNotFound");
  });

  it("lists storage accounts and container registries by subscription", async () => {
    const token = await armToken(c.credential);
    const st = await armRaw("GET", `${ARM}/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Storage/storageAccounts?api-version=2023-05-01`, { token });
    expect(st.status).toBe(200);
    expect(st.body.value.map((x: { name: string }) => x.name)).toEqual(["stexport"]);
    const acr = await armRaw("GET", `${ARM}/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.ContainerRegistry/registries?api-version=2023-07-01`, { token });
    expect(acr.status).toBe(200);
    expect(acr.body.value[0].properties.loginServer).toBe("acrfhir.azurecr.io");
  });

  it("every response conforms to the Swagger", () => {
    conformance.assertNone();
    expect([...conformance.checked.keys()]).toEqual(expect.arrayContaining([
      "UserAssignedIdentities_CreateOrUpdate", "UserAssignedIdentities_Get", "Vaults_Get", "Vaults_ListBySubscription", "Vaults_UpdateAccessPolicy",
    ]));
  });
});
