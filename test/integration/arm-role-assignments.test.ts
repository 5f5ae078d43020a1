// Role assignments and role definitions through the real AuthorizationManagementClient: PUT/GET/DELETE at a
// key scope (`…/vaults/{v}/keys/{k}`, sent by the SDK as `//subscriptions/…`), list with atScope() and
// principalId filters, paging, 409 RoleAssignmentExists, 400 PrincipalNotFound / RoleDefinitionDoesNotExist,
// createdOn set on PUT, and built-in role definitions by id and by name.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/server.js";
import { expectConformingResponses, type ConformanceRecorder } from "../helpers/spec-validator.js";
import { startTestSandbox } from "../helpers/sandbox.js";
import { sdkClients } from "../helpers/sdk-clients.js";
import {
  addIdentity, addPrincipal, addRoleAssignment, baseEstate, CALLER_OBJECT_ID, fixtureGuid, KEY_NAME, resourceGroupId, ROLE_IDS,
  SUBSCRIPTION_ID, vaultId,
} from "../fixtures/estate-builders.js";
import { rejection, all } from "../helpers/sdk-results.js";

let sandbox: Sandbox;
let conformance: ConformanceRecorder;
let auth: ReturnType<typeof sdkClients>["authorization"];
let identityPrincipal: string;
let userId: string;
const clock = Date.parse("2026-06-01T12:00:00Z");
const keyScope = `${vaultId()}/keys/${KEY_NAME}`;
const roleDef = (guid: string): string => `/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;

beforeAll(async () => {
  const estate = baseEstate({ behaviour: { pageSize: 2 } });
  identityPrincipal = String(addIdentity(estate, { name: "mi-fhir" }).properties!.principalId);
  userId = addPrincipal(estate, { displayName: "alice", type: "User" }).objectId;
  addRoleAssignment(estate, { scope: resourceGroupId(), role: ROLE_IDS.reader, principalId: userId, principalType: "User" });
  sandbox = await startTestSandbox(estate, { now: () => clock });
  conformance = expectConformingResponses(sandbox);
  auth = sdkClients("AzureCloud", SUBSCRIPTION_ID, { retryOptions: { maxRetries: 0 } }).authorization;
});
afterAll(async () => { conformance?.stop(); await sandbox?.close(); });

describe("role assignment at a key scope", () => {
  const name = fixtureGuid("mi-key-wrap");

  it("creates it (201) with createdOn from the sandbox clock, sent as //subscriptions/…", async () => {
    const a = await auth.roleAssignments.create(keyScope, name, {
      roleDefinitionId: roleDef(ROLE_IDS.keyVaultCryptoServiceEncryptionUser), principalId: identityPrincipal, principalType: "ServicePrincipal",
    });
    expect(a.id).toBe(`${keyScope}/providers/Microsoft.Authorization/roleAssignments/${name}`);
    expect(a.scope).toBe(keyScope);
    expect(a.principalId).toBe(identityPrincipal);
    expect(a.createdOn?.getTime()).toBe(clock);
    const put = sandbox.requests().filter((r) => r.method === "PUT").at(-1)!;
    expect(put.status).toBe(201);
    expect(put.query["api-version"]).toBe("2022-04-01");
  });

  it("answers 200 for the same PUT again", async () => {
    const a = await auth.roleAssignments.create(keyScope, name, {
      roleDefinitionId: roleDef(ROLE_IDS.keyVaultCryptoServiceEncryptionUser), principalId: identityPrincipal, principalType: "ServicePrincipal",
    });
    expect(a.name).toBe(name);
    expect(sandbox.requests().filter((r) => r.method === "PUT").at(-1)!.status).toBe(200);
  });

  it("answers 409 RoleAssignmentExists for the same principal, role and scope under another name", async () => {
    const e = await rejection(auth.roleAssignments.create(keyScope, fixtureGuid("dup"), {
      roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${ROLE_IDS.keyVaultCryptoServiceEncryptionUser}`,
      principalId: identityPrincipal, principalType: "ServicePrincipal",
    }));
    expect(e.statusCode).toBe(409);
    expect(e.code).toBe("RoleAssignmentExists");
    expect(e.message).toBe("The role assignment already exists.");
  });

  it("gets it back", async () => {
    const a = await auth.roleAssignments.get(keyScope, name);
    expect(a.roleDefinitionId).toBe(roleDef(ROLE_IDS.keyVaultCryptoServiceEncryptionUser));
  });

  it("lists it at the key with atScope() and with principalId eq", async () => {
    const atScope = await all(auth.roleAssignments.listForScope(keyScope, { filter: "atScope()" }));
    // At or above the key, anyone's: Owner (subscription), alice's Reader (group), Crypto Officer (vault), the new one.
    expect(atScope.map((a) => a.scope).sort()).toEqual([`/subscriptions/${SUBSCRIPTION_ID}`, resourceGroupId(), keyScope, vaultId()].sort());
    const mine = await all(auth.roleAssignments.listForScope(keyScope, { filter: `principalId eq '${identityPrincipal}'` }));
    expect(mine.map((a) => a.name)).toEqual([name]);
    const atVault = await all(auth.roleAssignments.listForScope(vaultId(), { filter: "atScope()" }));
    expect(atVault.map((a) => a.name)).not.toContain(name);
    const belowVault = await all(auth.roleAssignments.listForScope(vaultId()));
    expect(belowVault.map((a) => a.name)).toContain(name);
  });

  it("pages the subscription-wide list by nextLink (page size 2)", async () => {
    const pages: number[] = [];
    for await (const p of auth.roleAssignments.listForSubscription().byPage()) pages.push(p.length);
    expect(pages).toEqual([2, 2]);
    const byPrincipal = await all(auth.roleAssignments.listForSubscription({ filter: `assignedTo('${userId}')` }));
    expect(byPrincipal.map((a) => a.scope)).toEqual([resourceGroupId()]);
    const forGroup = await all(auth.roleAssignments.listForResourceGroup("rg-fhir", { filter: `principalId eq '${CALLER_OBJECT_ID}'` }));
    expect(forGroup.map((a) => a.scope).sort()).toEqual([`/subscriptions/${SUBSCRIPTION_ID}`, vaultId()].sort());
  });

  it("deletes it (200 with body), then GET is 404 and DELETE is 204", async () => {
    const d = await auth.roleAssignments.delete(keyScope, name);
    expect(d.name).toBe(name);
    const e = await rejection(auth.roleAssignments.get(keyScope, name));
    expect(e.statusCode).toBe(404);
    expect(e.code).toBe("RoleAssignmentNotFound");
    await auth.roleAssignments.delete(keyScope, name);
    expect(sandbox.requests().filter((r) => r.method === "DELETE").map((r) => r.status)).toEqual([200, 204]);
  });
});

describe("role assignment validation", () => {
  it("answers 400 PrincipalNotFound for a principal the tenant does not know", async () => {
    const e = await rejection(auth.roleAssignments.create(keyScope, fixtureGuid("ghost"), {
      roleDefinitionId: roleDef(ROLE_IDS.keyVaultCryptoUser), principalId: "12345678-1234-4234-8234-123456789abc",
    }));
    expect(e.statusCode).toBe(400);
    expect(e.code).toBe("PrincipalNotFound");
    expect(e.message).toMatch(/^Principal 12345678123442348234123456789abc does not exist in the directory /);
  });

  it("answers 400 RoleDefinitionDoesNotExist for an unknown role", async () => {
    const e = await rejection(auth.roleAssignments.create(keyScope, fixtureGuid("norole"), {
      roleDefinitionId: roleDef("00000000-0000-4000-8000-000000000000"), principalId: identityPrincipal,
    }));
    expect(e.statusCode).toBe(400);
    expect(e.code).toBe("RoleDefinitionDoesNotExist");
  });
});

describe("role definitions", () => {
  it("gets a built-in role by id at a scope and at the root", async () => {
    const d = await auth.roleDefinitions.get(`/subscriptions/${SUBSCRIPTION_ID}`, ROLE_IDS.keyVaultCryptoServiceEncryptionUser);
    expect(d.roleName).toBe("Key Vault Crypto Service Encryption User");
    expect(d.roleType).toBe("BuiltInRole");
    expect(d.permissions?.[0]?.dataActions).toContain("Microsoft.KeyVault/vaults/keys/wrap/action");
    const root = await auth.roleDefinitions.getById(`/providers/Microsoft.Authorization/roleDefinitions/${ROLE_IDS.fhirDataContributor}`);
    expect(root.roleName).toBe("FHIR Data Contributor");
    expect(root.id).toBe(`/providers/Microsoft.Authorization/roleDefinitions/${ROLE_IDS.fhirDataContributor}`);
  });

  it("lists by roleName filter", async () => {
    const found = await all(auth.roleDefinitions.list(`/subscriptions/${SUBSCRIPTION_ID}`, { filter: "roleName eq 'Key Vault Crypto User'" }));
    expect(found.map((d) => d.name)).toEqual([ROLE_IDS.keyVaultCryptoUser]);
  });

  it("every response conforms to the Swagger", () => {
    conformance.assertNone();
    expect([...conformance.checked.keys()]).toEqual(expect.arrayContaining([
      "RoleAssignments_Create", "RoleAssignments_Get", "RoleAssignments_Delete", "RoleAssignments_ListForResource", "RoleAssignments_ListForSubscription",
      "RoleAssignments_ListForResourceGroup", "RoleDefinitions_Get", "RoleDefinitions_List",
    ]));
  });
});
