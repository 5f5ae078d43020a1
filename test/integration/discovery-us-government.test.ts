// discover() end to end in Azure US Government: ARM at management.usgovcloudapi.net, vaults under
// .vault.usgovcloudapi.net (challenge resource https://vault.usgovcloudapi.net), registries keyed by their
// .azurecr.us login server; nothing goes to a public-cloud host.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/server.js";
import { createAzureSession } from "../../src/azure/azure-session.js";
import { discover } from "../../src/inventory/discover.js";
import type { Snapshot } from "../../src/domain/snapshot.js";
import { startTestSandbox } from "../helpers/sandbox.js";
import { FAST_RETRY, readsTo, usGovernmentEstate } from "../fixtures/inventory-estates.js";
import { KEY_NAME, TENANT_ID, VAULT_NAME } from "../fixtures/estate-builders.js";

let sandbox: Sandbox;
let snapshot: Snapshot;

beforeAll(async () => {
  sandbox = await startTestSandbox(usGovernmentEstate());
  snapshot = await discover(createAzureSession("AzureUSGovernment", FAST_RETRY));
});
afterAll(async () => { await sandbox?.close(); });

describe("discovery in Azure US Government", () => {
  it("reads accounts, the vault and its key through the US Government hosts", () => {
    expect(snapshot.cloud).toBe("AzureUSGovernment");
    expect(snapshot.tenantId).toBe(TENANT_ID);
    expect(snapshot.accounts.map((a) => a.name)).toEqual(["fhir-gov-1", "fhir-gov-2"]);
    expect(snapshot.vaults[VAULT_NAME]).toMatchObject({ vaultUri: `https://${VAULT_NAME}.vault.usgovcloudapi.net/`, location: "usgovvirginia", armFailure: null });
    expect(snapshot.keys[`${VAULT_NAME}/${KEY_NAME}`]).toMatchObject({ keyType: "RSA", keySize: 3072, getFailure: null, listFailure: null, challengeTenantId: TENANT_ID });
    expect(readsTo(sandbox.requests(), `${VAULT_NAME}.vault.usgovcloudapi.net`)).toHaveLength(2);
  });

  it("keys the registry by its .azurecr.us login server and reads permissions at both grant targets", () => {
    expect(Object.keys(snapshot.registries)).toEqual(["govacr.azurecr.us"]);
    expect(Object.keys(snapshot.storageAccounts)).toEqual(["govexport"]);
    for (const id of [snapshot.registries["govacr.azurecr.us"]!, snapshot.storageAccounts.govexport!]) {
      expect(snapshot.permissions[id.toLowerCase()]?.length).toBeGreaterThan(0);
    }
  });

  it("sends every request to a US Government host", () => {
    const hosts = new Set(sandbox.requests().filter((r) => r.host !== "127.0.0.1").map((r) => r.host));
    for (const h of hosts) expect(h).toMatch(/(\.us|usgovcloudapi\.net)$/);
    expect(hosts).toContain("management.usgovcloudapi.net");
    expect(snapshot.errors).toEqual([]);
  });
});
