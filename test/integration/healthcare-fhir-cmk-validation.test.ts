// Azure's validations on create of a FHIR service with a customer-managed key (azure-facts §2.4, §2.9),
// driven through the real HealthcareApisManagementClient: each broken rule fails the PUT with 400 and its
// own code, before any operation starts (no Azure-AsyncOperation handed out, nothing stored).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RestError } from "@azure/core-rest-pipeline";
import type { Estate } from "../../src/sandbox/estate-types.js";
import type { Sandbox } from "../../src/sandbox/server.js";
import { startTestSandbox } from "../helpers/sandbox.js";
import { expectConformingResponses, type ConformanceRecorder } from "../helpers/spec-validator.js";
import { sdkClients } from "../helpers/sdk-clients.js";
import {
  addIdentity, addKey, addRoleAssignment, CALLER_OBJECT_ID, ROLE_IDS, addSubscription, addVault, baseEstate, KEY_NAME, keyUri, RESOURCE_GROUP, resourceGroupId, SUBSCRIPTION_ID,
  VAULT_NAME,
} from "../fixtures/estate-builders.js";
import { addFhirService, addWorkspace, fhirBody, workspaceId, assertConformsExceptRpcError } from "./healthcare-estate.js";

const NOW_S = Math.floor(Date.now() / 1000);
let sandbox: Sandbox;
let conformance: ConformanceRecorder;
let hc: ReturnType<typeof sdkClients>["healthcare"];
let miId = "";
let mi2Id = "";
let fullSub = "";
const v = (e: Estate, vault: string, key: string): string => e.keys.find((k) => k.vaultName === vault && k.name === key)!.versions[0]!.version;
const urls: Record<string, string> = {};

beforeAll(async () => {
  const e = baseEstate({ behaviour: { operationDurationMs: { default: 100 } } });
  addWorkspace(e);
  miId = addIdentity(e, { name: "mi-fhir" }).id;
  mi2Id = addIdentity(e, { name: "mi-two" }).id;
  addKey(e, { name: "disabled", versions: [{ enabled: false }] });
  addKey(e, { name: "expired", versions: [{ exp: NOW_S - 3600 }] });
  addKey(e, { name: "future", versions: [{ nbf: NOW_S + 86_400 }] });
  addKey(e, { name: "ec", versions: [{ kty: "EC", keySize: undefined, crv: "P-256" }] });
  addKey(e, { name: "rsa4096", versions: [{ keySize: 4096 }] });
  addVault(e, { name: "kv-eastus", location: "eastus" }); addKey(e, { vault: "kv-eastus", name: "k" });
  addVault(e, { name: "kv-nosoftdelete", softDelete: false }); addKey(e, { vault: "kv-nosoftdelete", name: "k" });
  addVault(e, { name: "kv-nopurge", purgeProtection: false }); addKey(e, { vault: "kv-nopurge", name: "k" });
  addVault(e, { name: "kv-firewall", networkAcls: { defaultAction: "Deny", bypass: "None" } }); addKey(e, { vault: "kv-firewall", name: "k" });
  const longKey = "k".repeat(95 - VAULT_NAME.length);
  addKey(e, { name: longKey });
  fullSub = addSubscription(e, "Full Subscription");
  addRoleAssignment(e, { scope: `/subscriptions/${fullSub}`, role: ROLE_IDS.owner, principalId: CALLER_OBJECT_ID });
  e.resourceGroups.push({ id: resourceGroupId(RESOURCE_GROUP, fullSub), location: "westeurope" });
  const ws = addWorkspace(e, "fullws");
  ws.id = ws.id.replace(SUBSCRIPTION_ID, fullSub);
  for (let i = 0; i < 10; i++) {
    const f = addFhirService(e, `fhir${i}`, "fullws");
    f.id = f.id.replace(SUBSCRIPTION_ID, fullSub);
  }
  for (const [name, vault, key] of [
    ["ok", VAULT_NAME, KEY_NAME], ["disabled", VAULT_NAME, "disabled"], ["expired", VAULT_NAME, "expired"],
    ["future", VAULT_NAME, "future"], ["ec", VAULT_NAME, "ec"], ["rsa4096", VAULT_NAME, "rsa4096"],
    ["eastus", "kv-eastus", "k"], ["nosoftdelete", "kv-nosoftdelete", "k"], ["nopurge", "kv-nopurge", "k"],
    ["firewall", "kv-firewall", "k"], ["long", VAULT_NAME, longKey],
  ] as const) urls[name] = keyUri(vault, key, v(e, vault, key));
  sandbox = await startTestSandbox(e);
  conformance = expectConformingResponses(sandbox);
  hc = sdkClients("AzureCloud", SUBSCRIPTION_ID).healthcare;
});
afterAll(async () => { await sandbox?.close(); });

async function createError(body: ReturnType<typeof fhirBody>, name = "fhircmk", hcClient = hc, ws = "ws1"): Promise<RestError> {
  const before = sandbox.state.operations.size;
  const e = await hcClient.fhirServices.beginCreateOrUpdateAndWait(RESOURCE_GROUP, ws, name, body).then(() => undefined, (x: unknown) => x);
  expect((e as Error | undefined)?.name).toBe("RestError");
  expect(sandbox.state.operations.size).toBe(before);
  expect(sandbox.state.getResource(`${workspaceId(ws)}/fhirservices/${name}`)).toBeUndefined();
  return e as RestError;
}

describe("FHIR service CMK validations on create", () => {
  it.each([
    ["a versionless key URL", "KeyVaultKeyUrlNotVersioned", () => keyUri()],
    ["a URL that is not a Key Vault key", "KeyVaultKeyUrlInvalid", () => "https://example.com/keys/cmk/0123"],
    ["a vault that does not exist", "KeyVaultNotFound", () => keyUri("kv-nowhere", "cmk", "0".repeat(32))],
    ["a key version that does not exist", "KeyVaultKeyNotFound", () => keyUri(VAULT_NAME, KEY_NAME, "0".repeat(32))],
    ["a disabled key", "KeyVaultKeyDisabled", () => urls["disabled"]!],
    ["an expired key", "KeyVaultKeyExpired", () => urls["expired"]!],
    ["a key not valid yet", "KeyVaultKeyNotYetValid", () => urls["future"]!],
    ["an EC key", "KeyVaultKeyTypeNotSupported", () => urls["ec"]!],
    ["an RSA 4096 key", "KeyVaultKeySizeNotSupported", () => urls["rsa4096"]!],
    ["a vault in another region", "KeyVaultRegionMismatch", () => urls["eastus"]!],
    ["a vault without soft delete", "KeyVaultSoftDeleteDisabled", () => urls["nosoftdelete"]!],
    ["a vault without purge protection", "KeyVaultPurgeProtectionDisabled", () => urls["nopurge"]!],
    ["a firewall without the trusted-services bypass", "KeyVaultFirewallBlocksTrustedServices", () => urls["firewall"]!],
    ["vault + key name over 94 characters", "KeyVaultKeyNameTooLong", () => urls["long"]!],
  ])("refuses %s with 400 %s", async (_label, code, url) => {
    const e = await createError(fhirBody(miId, url()));
    expect([e.statusCode, e.code]).toEqual([400, code]);
  });

  it("refuses a system-assigned identity with CMK at create (UserAssignedIdentityRequired)", async () => {
    const e = await createError({ location: "westeurope", kind: "fhir-R4", identity: { type: "SystemAssigned" },
      encryption: { customerManagedKeyEncryption: { keyEncryptionKeyUrl: urls["ok"] } } });
    expect([e.statusCode, e.code]).toEqual([400, "UserAssignedIdentityRequired"]);
  });

  it("refuses CMK without any identity and with two user-assigned identities", async () => {
    const none = await createError(fhirBody(undefined, urls["ok"]));
    expect([none.statusCode, none.code]).toEqual([400, "UserAssignedIdentityRequired"]);
    const two = await createError({ location: "westeurope", kind: "fhir-R4",
      identity: { type: "UserAssigned", userAssignedIdentities: { [miId]: {}, [mi2Id]: {} } },
      encryption: { customerManagedKeyEncryption: { keyEncryptionKeyUrl: urls["ok"] } } });
    expect([two.statusCode, two.code]).toEqual([400, "UserAssignedIdentityRequired"]);
  });

  it("refuses a user-assigned identity that does not exist (UserAssignedIdentityNotFound)", async () => {
    const e = await createError(fhirBody(miId.replace("mi-fhir", "mi-ghost"), urls["ok"]));
    expect([e.statusCode, e.code]).toEqual([400, "UserAssignedIdentityNotFound"]);
  });

  it("refuses the 11th FHIR service of a subscription (QuotaExceeded)", async () => {
    const full = sdkClients("AzureCloud", fullSub).healthcare;
    const e = await createError({ location: "westeurope", kind: "fhir-R4" }, "fhir10", full, "fullws")
      .catch((x: unknown) => x as RestError);
    expect([e.statusCode, e.code]).toEqual([400, "QuotaExceeded"]);
  });
});

it("answers every HealthcareApis request of this file as the 2024-03-31 spec describes", () => {
  assertConformsExceptRpcError(conformance);
});
