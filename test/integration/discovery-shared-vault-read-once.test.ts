// A vault and key shared by five accounts is read once (issue 3 "What counts as one read"): one getKey and
// one versions listing, no vault GET beyond the subscription's vault listing; Key Vault's 401 challenge is
// not counted.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/server.js";
import { createAzureSession } from "../../src/azure/azure-session.js";
import { discover } from "../../src/inventory/discover.js";
import type { Snapshot } from "../../src/domain/snapshot.js";
import { startTestSandbox } from "../helpers/sandbox.js";
import { FAST_RETRY, readsTo, requestKinds, sharedVaultEstate } from "../fixtures/inventory-estates.js";
import { KEY_NAME, VAULT_NAME } from "../fixtures/estate-builders.js";

let sandbox: Sandbox;
let snapshot: Snapshot;

beforeAll(async () => {
  sandbox = await startTestSandbox(sharedVaultEstate());
  snapshot = await discover(createAzureSession("AzureCloud", FAST_RETRY));
});
afterAll(async () => { await sandbox?.close(); });

describe("a vault shared by five accounts", () => {
  it("is read once: one getKey and one versions listing on the data plane, no ARM vault GET", () => {
    expect(snapshot.accounts).toHaveLength(5);
    const reads = readsTo(sandbox.requests(), `${VAULT_NAME}.vault.azure.net`);
    expect(reads.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      `GET /keys/${KEY_NAME}/ 200`, `GET /keys/${KEY_NAME}/versions 200`,
    ]);
    const kinds = requestKinds(sandbox.requests());
    expect(kinds["arm vault GET"]).toBeUndefined();
    expect(kinds["arm vaults"]).toBe(1);
    expect(Object.keys(snapshot.keys)).toEqual([`${VAULT_NAME}/${KEY_NAME}`]);
    expect(Object.keys(snapshot.vaults)).toEqual([VAULT_NAME]);
  });

  it("reads the caller's permissions once per scope: the vault (its key inherits them, issue 9 §6) and the one target resource group", () => {
    expect(requestKinds(sandbox.requests())["arm permissions"]).toBe(2);
    const vaultScope = `/subscriptions/33333333-3333-4333-8333-333333333333/resourcegroups/rg-fhir/providers/microsoft.keyvault/vaults/${VAULT_NAME}`;
    expect(sandbox.requests().filter((r) => r.path.toLowerCase().endsWith("/microsoft.authorization/permissions"))
      .map((r) => r.path.toLowerCase().replace("/providers/microsoft.authorization/permissions", "")).sort())
      .toEqual(["/subscriptions/33333333-3333-4333-8333-333333333333/resourcegroups/rg-fhir", vaultScope]);
    expect(snapshot.permissions[`${vaultScope}/keys/${KEY_NAME}`]).toEqual(snapshot.permissions[vaultScope]);
    expect(Object.keys(snapshot.permissions).sort()).toEqual([
      `/subscriptions/33333333-3333-4333-8333-333333333333/resourcegroups/rg-fhir`,
      vaultScope,
      `/subscriptions/33333333-3333-4333-8333-333333333333/resourcegroups/rg-fhir/providers/microsoft.keyvault/vaults/${VAULT_NAME}/keys/${KEY_NAME}`,
    ]);
  });

  it("fills the key facts from getKey", () => {
    const k = snapshot.keys[`${VAULT_NAME}/${KEY_NAME}`]!;
    expect(k).toMatchObject({ keyType: "RSA", keySize: 3072, enabled: true, getFailure: null, listFailure: null, pinnedVersion: null });
    expect(k.version).toBe(k.versions[0]!.version);
  });
});
