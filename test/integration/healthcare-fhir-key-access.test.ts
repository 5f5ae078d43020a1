// The FHIR service's identity must be able to use the key (get, wrapKey, unwrapKey) when the create
// completes (azure-facts §2.4, gotcha 3): otherwise the operation ends Failed with KeyVaultAccessForbidden
// naming the key and the identity, and the service is left Failed. Role assignments count only once
// rolePropagationMs has passed since their createdOn; access-policy vaults need the three permissions.
// The sandbox clock is injected, so propagation is observed by moving it, not by waiting.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Estate } from "../../src/sandbox/estate-types.js";
import type { Sandbox } from "../../src/sandbox/server.js";
import { startTestSandbox } from "../helpers/sandbox.js";
import { expectConformingResponses, type ConformanceRecorder } from "../helpers/spec-validator.js";
import { sdkClients } from "../helpers/sdk-clients.js";
import {
  addIdentity, addKey, addRoleAssignment, addVault, baseEstate, KEY_NAME, keyUri, RESOURCE_GROUP, ROLE_IDS, SUBSCRIPTION_ID,
  TENANT_ID, VAULT_NAME, vaultId,
} from "../fixtures/estate-builders.js";
import { addWorkspace, asyncOperationUrls, fhirBody, operationOf, assertConformsExceptRpcError } from "./healthcare-estate.js";

const PROPAGATION_MS = 10 * 60_000;
let clock = Date.now();
let sandbox: Sandbox;
let conformance: ConformanceRecorder;
let clients: ReturnType<typeof sdkClients>;
const mi: Record<string, { id: string; principalId: string }> = {};
let url = "";
let apUrl = "";
let apPartialUrl = "";

function identity(e: Estate, name: string): void {
  const r = addIdentity(e, { name });
  mi[name] = { id: r.id, principalId: String(r.properties!["principalId"]) };
}

beforeAll(async () => {
  const e = baseEstate({ behaviour: { rolePropagationMs: PROPAGATION_MS } });
  addWorkspace(e);
  for (const n of ["mi-none", "mi-recent", "mi-old", "mi-sdk", "mi-ap", "mi-ap-partial"]) identity(e, n);
  const keyScope = `${vaultId()}/keys/${KEY_NAME}`;
  const role = ROLE_IDS.keyVaultCryptoServiceEncryptionUser;
  addRoleAssignment(e, { scope: keyScope, role, principalId: mi["mi-recent"]!.principalId, createdOn: new Date(clock - 60_000).toISOString() });
  addRoleAssignment(e, { scope: vaultId(), role, principalId: mi["mi-old"]!.principalId, createdOn: new Date(clock - 3_600_000).toISOString() });
  url = keyUri(VAULT_NAME, KEY_NAME, e.keys[0]!.versions[0]!.version);
  addVault(e, { name: "kv-ap", rbac: false, accessPolicies: [
    { tenantId: TENANT_ID, objectId: mi["mi-ap"]!.principalId, permissions: { keys: ["Get", "WrapKey", "UnwrapKey"] } },
  ] });
  addVault(e, { name: "kv-ap-partial", rbac: false, accessPolicies: [
    { tenantId: TENANT_ID, objectId: mi["mi-ap-partial"]!.principalId, permissions: { keys: ["Get", "WrapKey"] } },
  ] });
  apUrl = keyUri("kv-ap", "k", addKey(e, { vault: "kv-ap", name: "k" })[0]!.version);
  apPartialUrl = keyUri("kv-ap-partial", "k", addKey(e, { vault: "kv-ap-partial", name: "k" })[0]!.version);
  sandbox = await startTestSandbox(e, { now: () => clock });
  conformance = expectConformingResponses(sandbox);
  clients = sdkClients("AzureCloud", SUBSCRIPTION_ID);
});
afterAll(async () => { await sandbox?.close(); });

/** Create and return the LRO outcome: the error (if any), the polled operation status and the resource state. */
async function create(name: string, identityName: string, keyUrl: string) {
  const hc = clients.healthcare;
  const urls = asyncOperationUrls(sandbox);
  const error = await hc.fhirServices.beginCreateOrUpdateAndWait(RESOURCE_GROUP, "ws1", name, fhirBody(mi[identityName]!.id, keyUrl))
    .then(() => undefined, (x: unknown) => x as Error);
  urls.stop();
  const { location, id } = operationOf(urls[0]!);
  const op = await hc.operationResults.get(location, id) as { status?: string; error?: { code: string; message: string } };
  const resource = await hc.fhirServices.get(RESOURCE_GROUP, "ws1", name);
  return { error, op, state: resource.provisioningState };
}

describe("FHIR CMK key access at the end of the create", () => {
  it("fails the operation with KeyVaultAccessForbidden when the identity holds no key access", async () => {
    const r = await create("fhirnone", "mi-none", url);
    expect(r.error?.message).toMatch(/^The long-running operation has failed/);
    expect(r.error?.message).toContain("KeyVaultAccessForbidden");
    expect(r.op.status).toBe("Failed");
    expect(r.op.error?.code).toBe("KeyVaultAccessForbidden");
    expect(r.op.error?.message).toContain(url);
    expect(r.op.error?.message).toContain(mi["mi-none"]!.id);
    expect(r.state).toBe("Failed");
  });

  it("fails when the role on the key was granted less than rolePropagationMs ago", async () => {
    const r = await create("fhirrecent", "mi-recent", url);
    expect([r.op.status, r.op.error?.code, r.state]).toEqual(["Failed", "KeyVaultAccessForbidden", "Failed"]);
  });

  it("succeeds when the role on the vault was granted long enough before", async () => {
    const r = await create("fhirold", "mi-old", url);
    expect(r.error).toBeUndefined();
    expect([r.op.status, r.state]).toEqual(["Succeeded", "Succeeded"]);
  });

  it("succeeds on an access-policy vault with get/wrapKey/unwrapKey, fails without unwrapKey", async () => {
    const ok = await create("fhirap", "mi-ap", apUrl);
    expect([ok.op.status, ok.state]).toEqual(["Succeeded", "Succeeded"]);
    const partial = await create("fhirappartial", "mi-ap-partial", apPartialUrl);
    expect([partial.op.status, partial.op.error?.code]).toEqual(["Failed", "KeyVaultAccessForbidden"]);
  });

  it("fails a PATCH that swaps the identity for one without key access", async () => {
    const error = await clients.healthcare.fhirServices.beginUpdateAndWait(RESOURCE_GROUP, "fhirold", "ws1",
      { identity: { type: "UserAssigned", userAssignedIdentities: { [mi["mi-none"]!.id]: {} } } })
      .then(() => undefined, (x: unknown) => x as Error);
    expect(error?.message).toContain("KeyVaultAccessForbidden");
    expect((await clients.healthcare.fhirServices.get(RESOURCE_GROUP, "ws1", "fhirold")).provisioningState).toBe("Failed");
  });

  it("after a role assignment PUT through AuthorizationManagementClient: Failed until it propagates, then a re-PUT succeeds", async () => {
    const first = await create("fhirsdk", "mi-sdk", url);
    expect(first.op.status).toBe("Failed");
    await clients.authorization.roleAssignments.create(`subscriptions/${SUBSCRIPTION_ID}/resourceGroups/${RESOURCE_GROUP}/providers/Microsoft.KeyVault/vaults/${VAULT_NAME}/keys/${KEY_NAME}`,
      "77777777-7777-4777-8777-777777777777", {
        roleDefinitionId: `/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Authorization/roleDefinitions/${ROLE_IDS.keyVaultCryptoServiceEncryptionUser}`,
        principalId: mi["mi-sdk"]!.principalId, principalType: "ServicePrincipal",
      });
    const tooSoon = await create("fhirsdk", "mi-sdk", url);
    expect([tooSoon.op.status, tooSoon.state]).toEqual(["Failed", "Failed"]);
    clock += PROPAGATION_MS + 1000;
    const later = await create("fhirsdk", "mi-sdk", url);
    expect(later.error).toBeUndefined();
    expect([later.op.status, later.state]).toEqual(["Succeeded", "Succeeded"]);
  });
});

it("answers every HealthcareApis request of this file as the 2024-03-31 spec describes", () => {
  assertConformsExceptRpcError(conformance);
});
