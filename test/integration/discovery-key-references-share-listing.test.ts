// The references of one key share its versions listing (issue 3: "for every distinct key named by
// keyVaultKeyUri: one getKey (current or pinned version) and one versions listing"): accounts naming the
// key versionless and pinned to two of its versions make three getKeys (one per reference) but a single
// listing, and every reference's facts carry the whole version list.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/server.js";
import { createAzureSession } from "../../src/azure/azure-session.js";
import { discover } from "../../src/inventory/discover.js";
import type { Snapshot } from "../../src/domain/snapshot.js";
import { startTestSandbox } from "../helpers/sandbox.js";
import { FAST_RETRY, readsTo } from "../fixtures/inventory-estates.js";
import { addAccount, addKey, baseEstate, keyUri, VAULT_NAME } from "../fixtures/estate-builders.js";

const KEY = "cmk-shared-versions";
let sandbox: Sandbox;
let snapshot: Snapshot;
let versions: string[];

beforeAll(async () => {
  const estate = baseEstate();
  versions = addKey(estate, { name: KEY, versions: [{}, {}, {}] }).map((v) => v.version);
  addAccount(estate, { name: "fhir-current-1", keyUri: keyUri(VAULT_NAME, KEY) });
  addAccount(estate, { name: "fhir-current-2", keyUri: keyUri(VAULT_NAME, KEY) });
  addAccount(estate, { name: "fhir-pinned-0", keyUri: keyUri(VAULT_NAME, KEY, versions[0]) });
  addAccount(estate, { name: "fhir-pinned-1", keyUri: keyUri(VAULT_NAME, KEY, versions[1]) });
  sandbox = await startTestSandbox(estate);
  snapshot = await discover(createAzureSession("AzureCloud", FAST_RETRY));
});
afterAll(async () => { await sandbox?.close(); });

describe("a key named versionless and pinned to two versions", () => {
  it("is read with one getKey per reference and one versions listing", () => {
    const reads = readsTo(sandbox.requests(), `${VAULT_NAME}.vault.azure.net`).map((r) => `${r.method} ${r.path} ${r.status}`).sort();
    expect(reads).toEqual([
      `GET /keys/${KEY}/ 200`, `GET /keys/${KEY}/${versions[0]} 200`, `GET /keys/${KEY}/${versions[1]} 200`,
      `GET /keys/${KEY}/versions 200`,
    ].sort());
  });

  it("gives every reference the whole version list and its own judged version", () => {
    const refs = Object.keys(snapshot.keys).filter((k) => k.includes(KEY)).sort();
    expect(refs).toHaveLength(3);
    for (const r of refs) expect(snapshot.keys[r]!.versions.map((v) => v.version).sort()).toEqual([...versions].sort());
    const byPin = Object.fromEntries(refs.map((r) => [snapshot.keys[r]!.pinnedVersion ?? "current", snapshot.keys[r]!.version]));
    expect(byPin).toEqual({ current: versions[2], [versions[0]!]: versions[0], [versions[1]!]: versions[1] });
  });
});
