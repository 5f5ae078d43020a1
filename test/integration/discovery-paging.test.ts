// discover() follows every page (behaviour.pageSize 2): legacy services and vault listings through ARM
// nextLinks, key versions through Key Vault nextLinks; HealthcareApis pages keep api-version 2024-03-31.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/server.js";
import { createAzureSession } from "../../src/azure/azure-session.js";
import { discover } from "../../src/inventory/discover.js";
import type { Snapshot } from "../../src/domain/snapshot.js";
import { startTestSandbox } from "../helpers/sandbox.js";
import { FAST_RETRY, pagedEstate, requestKinds } from "../fixtures/inventory-estates.js";

let sandbox: Sandbox;
let snapshot: Snapshot;

beforeAll(async () => {
  sandbox = await startTestSandbox(pagedEstate());
  snapshot = await discover(createAzureSession("AzureCloud", FAST_RETRY));
});
afterAll(async () => { await sandbox?.close(); });

describe("discovery paging", () => {
  it("lists every legacy service across three pages, each with api-version 2024-03-31", () => {
    expect(snapshot.accounts.map((a) => a.name)).toEqual(["fhir-page-1", "fhir-page-2", "fhir-page-3", "fhir-page-4", "fhir-page-5"]);
    const pages = sandbox.requests().filter((r) => /\/providers\/Microsoft\.HealthcareApis\/services$/i.test(r.path));
    expect(pages).toHaveLength(3);
    // Resource reads only: the provider-metadata read (…/providers/Microsoft.HealthcareApis) is Microsoft.Resources' 2021-04-01.
    const healthcare = sandbox.requests().filter((r) => /Microsoft\.HealthcareApis\//i.test(r.path) && !/Microsoft\.Authorization/i.test(r.path));
    expect(healthcare.length).toBeGreaterThan(3);
    for (const r of healthcare) expect(r.query["api-version"]).toBe("2024-03-31");
  });

  it("finds all five vaults through the paged vault listing (three pages, no vault GET)", () => {
    expect(Object.keys(snapshot.vaults).sort()).toEqual(["kv-page-1", "kv-page-2", "kv-page-3", "kv-page-4", "kv-page-5"]);
    for (const v of Object.values(snapshot.vaults)) expect(v.armFailure).toBeNull();
    const kinds = requestKinds(sandbox.requests());
    expect(kinds["arm vaults"]).toBe(3);
    expect(kinds["arm vault GET"]).toBeUndefined();
  });

  it("reads all five versions of a key across three Key Vault pages, and judges the newest", () => {
    const key = snapshot.keys["kv-page-1/cmk"]!;
    expect(key.listFailure).toBeNull();
    expect(key.versions).toHaveLength(5);
    const newest = [...key.versions].sort((a, b) => (a.createdOn! < b.createdOn! ? 1 : -1))[0]!;
    expect(key.version).toBe(newest.version);
    const versionPages = sandbox.requests().filter((r) => r.host === "kv-page-1.vault.azure.net" && r.status === 200 && r.path !== "/keys/cmk/");
    expect(versionPages).toHaveLength(3);
  });
});
