// The caller's rights at an RBAC vault's key are asked at the vault first (issue 9 §6): its keys inherit
// every assignment at or above it (azure-facts §2.6). Only when the vault's permissions do not already allow
// roleAssignments/write is the key's own scope read — a User Access Administrator granted at the key alone
// must not be reported as unable to grant there.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/server.js";
import { createAzureSession } from "../../src/azure/azure-session.js";
import { discover } from "../../src/inventory/discover.js";
import { assess } from "../../src/assess/assess.js";
import { scopeKey, type Snapshot } from "../../src/domain/snapshot.js";
import { startTestSandbox } from "../helpers/sandbox.js";
import { FAST_RETRY } from "../fixtures/inventory-estates.js";
import {
  addAccount, addKey, addRoleAssignment, addVault, baseEstate, CALLER_OBJECT_ID, keyUri, ROLE_IDS, SUBSCRIPTION_ID, vaultId,
} from "../fixtures/estate-builders.js";

let sandbox: Sandbox;
let snapshot: Snapshot;
const permissionScopes = () => sandbox.requests().filter((r) => r.path.toLowerCase().endsWith("/providers/microsoft.authorization/permissions"))
  .map((r) => r.path.replace(/\/providers\/Microsoft\.Authorization\/permissions$/i, "").toLowerCase()).sort();

beforeAll(async () => {
  // Contributor on the subscription: no roleAssignments/write anywhere but where granted below.
  const e = baseEstate({ callerRole: ROLE_IDS.contributor });
  addVault(e, { name: "kv-keyonly" });
  addKey(e, { vault: "kv-keyonly", name: "granted" });
  addKey(e, { vault: "kv-keyonly", name: "denied" });
  addRoleAssignment(e, { scope: vaultId("kv-keyonly"), role: ROLE_IDS.keyVaultCryptoOfficer, principalId: CALLER_OBJECT_ID });
  addRoleAssignment(e, { scope: `${vaultId("kv-keyonly")}/keys/granted`, role: ROLE_IDS.userAccessAdministrator, principalId: CALLER_OBJECT_ID });
  addRoleAssignment(e, { scope: vaultId(), role: ROLE_IDS.userAccessAdministrator, principalId: CALLER_OBJECT_ID });
  addAccount(e, { name: "fhir-vault-grant" });
  addAccount(e, { name: "fhir-key-grant", keyUri: keyUri("kv-keyonly", "granted") });
  addAccount(e, { name: "fhir-no-grant", keyUri: keyUri("kv-keyonly", "denied") });
  sandbox = await startTestSandbox(e);
  snapshot = await discover(createAzureSession("AzureCloud", FAST_RETRY));
});
afterAll(async () => { await sandbox?.close(); });

describe("permissions at an RBAC vault's key: the vault first", () => {
  it("asks the vault that allows role assignments once for its key, and the key scopes of the vault that does not", () => {
    const kv = vaultId().toLowerCase();
    const keyOnly = vaultId("kv-keyonly").toLowerCase();
    expect(permissionScopes()).toEqual([
      `/subscriptions/${SUBSCRIPTION_ID}/resourcegroups/rg-fhir`, kv, keyOnly, `${keyOnly}/keys/denied`, `${keyOnly}/keys/granted`,
    ].sort());
    expect(snapshot.permissions[scopeKey(`${vaultId()}/keys/cmk`)]).toEqual(snapshot.permissions[scopeKey(vaultId())]);
  });

  it("judges each key by what applies there: only the key without a grant is caller-cannot-grant at the key", () => {
    const atKey = (name: string) => assess(snapshot).find((a) => a.account.name === name)!.findings
      .filter((f) => f.code === "caller-cannot-grant" && /at key /.test(f.message));
    expect(atKey("fhir-vault-grant")).toEqual([]);
    expect(atKey("fhir-key-grant")).toEqual([]);
    expect(atKey("fhir-no-grant")).toHaveLength(1);
  });
});
