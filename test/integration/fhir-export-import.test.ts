// `$export` from a legacy account and incremental `$import` into an AHDS FHIR service, in the sandbox
// (issue 11; DATA-MIGRATION.md §1, §2), through the product's FHIR client on a clock the test moves: the
// async pattern (202 + Content-Location, 202 while running, 200 with the manifest), the files in the
// built-in Blob storage, round 1 copying every version and delete, round 2 (`_since` = round 1's `_till`)
// only what was written after it, and what import refuses or reports per resource.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAzureSession, type AzureSession } from "../../src/azure/azure-session.js";
import { createFhirClient, type FhirClient, type FhirResponse } from "../../src/azure/clients.js";
import { listBlobNames, readBlobText } from "../../src/azure/blob-files.js";
import { rejectedLines } from "../../src/cli/import-errors.js";
import type { Estate } from "../../src/sandbox/estate-types.js";
import type { Sandbox } from "../../src/sandbox/server.js";
import {
  accountId, addAccount, addFhirService, addIdentity, addRoleAssignment, addStorageAccount, addWorkspace, baseEstate, CALLER_OBJECT_ID, fixtureGuid,
} from "../fixtures/estate-builders.js";
import { FAST_RETRY } from "../fixtures/inventory-estates.js";
import { startTestSandbox } from "../helpers/sandbox.js";

const ROLE = { exporter: "3db33094-8700-4567-8da5-1501d4e7e843", importer: "4465e953-8ced-4406-a58e-0f6e3f3b530b",
  reader: "4c8d0bbc-75d3-4935-991f-5f3c56d81508", blobContributor: "ba92f5b4-2d11-453d-a403-e96b0029c9fe" } as const;
const SOURCE = accountId("fhir-source");
const STORE = "migstore";
const JOB_MS = 2_000;
let clock = Date.parse("2026-12-01T00:00:00.000Z");
let targetId: string;

function estate(): Estate {
  const e = baseEstate({ behaviour: { fhirJobDurationMs: JOB_MS } });
  addAccount(e, { name: "fhir-source", keyUri: null, exportStorageAccount: STORE });
  const storage = addStorageAccount(e, STORE);
  addRoleAssignment(e, { scope: storage, role: ROLE.blobContributor, principalId: fixtureGuid("mi:fhir-source") });
  const identity = addIdentity(e, { name: "id-newws-fhir" });
  targetId = addFhirService(e, addWorkspace(e, "newws"), "fhir");
  const target = e.resources.find((r) => r.id === targetId)!;
  target.identity = { type: "UserAssigned", userAssignedIdentities: { [identity.id]: { principalId: (identity.properties as { principalId: string }).principalId } } };
  target.properties!.importConfiguration = { enabled: true, initialImportMode: false, integrationDataStore: STORE };
  addRoleAssignment(e, { scope: storage, role: ROLE.blobContributor, principalId: (identity.properties as { principalId: string }).principalId });
  addRoleAssignment(e, { scope: SOURCE, role: ROLE.exporter, principalId: CALLER_OBJECT_ID });
  addRoleAssignment(e, { scope: SOURCE, role: ROLE.reader, principalId: CALLER_OBJECT_ID });
  addRoleAssignment(e, { scope: targetId, role: ROLE.importer, principalId: CALLER_OBJECT_ID });
  e.fhirData = [{ service: SOURCE, generate: { patients: 60, seed: 5, historyRate: 0.3, deleteRate: 0.1 } }];
  return e;
}

let sandbox: Sandbox;
let session: AzureSession;
let source: FhirClient;
let target: FhirClient;

beforeAll(async () => {
  sandbox = await startTestSandbox(estate(), { now: () => clock });
  session = createAzureSession("AzureCloud", FAST_RETRY);
  source = createFhirClient(session.credential, { baseUrl: "https://fhir-source.azurehealthcareapis.com", audience: "https://fhir-source.azurehealthcareapis.com" });
  target = createFhirClient(session.credential, { baseUrl: "https://newws-fhir.fhir.azurehealthcareapis.com", audience: "https://newws-fhir.fhir.azurehealthcareapis.com" });
});
afterAll(async () => { await sandbox?.close(); });

const EXPORT_HEADERS = { accept: "application/fhir+json", prefer: "respond-async" };
const pathOf = (url: string) => new URL(url).pathname + new URL(url).search;

/** Polls the Content-Location: one 202 while the job runs, then the clock passes its duration. */
async function finish(client: FhirClient, kickOff: FhirResponse): Promise<FhirResponse> {
  expect(kickOff.status, JSON.stringify(kickOff.body)).toBe(202);
  const location = kickOff.headers.contentLocation!;
  expect((await client.request("GET", pathOf(location))).status).toBe(202);
  clock += JOB_MS;
  return client.request("GET", pathOf(location));
}

interface Manifest { transactionTime: string; output: { type: string; url: string; count: number }[]; error: unknown[] }
interface ImportResult { output: { type: string; count: number; inputUrl: string }[]; error: { type: string; count: number; url: string }[] }

function importBody(files: { type: string; url: string }[]): unknown {
  return { resourceType: "Parameters", parameter: [
    { name: "inputFormat", valueString: "application/fhir+ndjson" }, { name: "mode", valueString: "IncrementalLoad" },
    ...files.map((f) => ({ name: "input", part: [{ name: "type", valueString: f.type }, { name: "url", valueUri: f.url }] })),
  ] };
}
const IMPORT_HEADERS = { prefer: "respond-async" };
const counts = (service: string) => sandbox.state.fhirStore(service).counts();

async function exportSince(since: string | null, till: string): Promise<Manifest> {
  const q = `?includeAssociatedData=_history,_deleted&_till=${encodeURIComponent(till)}${since ? `&_since=${encodeURIComponent(since)}` : ""}&_container=migration`;
  const done = await finish(source, await source.request("GET", `/$export${q}`, undefined, EXPORT_HEADERS));
  expect(done.status, JSON.stringify(done.body)).toBe(200);
  return done.body as Manifest;
}

describe("a round of $export and incremental $import", () => {
  let till1: string;

  it("round 1 copies every resource with its versions and deletes", async () => {
    till1 = new Date(clock).toISOString();
    const manifest = await exportSince(null, till1);
    expect(manifest.error).toEqual([]);
    const versions = Object.values(counts(SOURCE)).reduce((n, c) => n + c.versions, 0);
    expect(manifest.output.reduce((n, o) => n + o.count, 0)).toBe(versions);
    expect(manifest.output.every((o) => o.url.startsWith(`https://${STORE}.blob.core.windows.net/migration/`))).toBe(true);
    const imported = await finish(target, await target.request("POST", "/$import", importBody(manifest.output), IMPORT_HEADERS));
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    expect((imported.body as ImportResult).error).toEqual([]);
    expect(counts(targetId)).toEqual(counts(SOURCE));
    expect(sandbox.state.fhirStore(targetId).toResources()).toEqual(sandbox.state.fhirStore(SOURCE).toResources());
  });

  it("round 2 exports only what was written after round 1's _till, and importing it makes both sides equal again", async () => {
    clock += 60_000;
    const res = await fetch(`${sandbox.adminUrl}/_sandbox/fhir/write`, { method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ service: SOURCE, resources: [{ resourceType: "Patient", id: "pat-5-1", active: false }, { resourceType: "Patient", id: "late-1" }],
        deletes: [{ resourceType: "Encounter", id: "enc-5-2" }] }) });
    expect(await res.json()).toEqual({ written: 2, deleted: 1 });
    clock += 1_000;
    const manifest = await exportSince(till1, new Date(clock).toISOString());
    expect(manifest.output.map((o) => [o.type, o.count])).toEqual([["Encounter", 1], ["Patient", 2]]);
    const body = importBody(manifest.output);
    const kick = await target.request("POST", "/$import", body, IMPORT_HEADERS);
    // Registration is idempotent per payload: the same body again is the same job.
    expect((await target.request("POST", "/$import", body, IMPORT_HEADERS)).headers.contentLocation).toBe(kick.headers.contentLocation);
    const imported = await finish(target, kick);
    expect((imported.body as ImportResult).output.map((o) => o.count)).toEqual([1, 2]);
    expect(counts(targetId)).toEqual(counts(SOURCE));
  });
});

describe("what import and export refuse or report", () => {
  it("refuses SearchParameter inputs, files on another account, duplicates and a second Prefer value, before any job", async () => {
    const on = (name: string) => `https://${STORE}.blob.core.windows.net/migration/${name}`;
    const cases: [unknown, Record<string, string>, RegExp][] = [
      [importBody([{ type: "SearchParameter", url: on("sp.ndjson") }]), IMPORT_HEADERS, /SearchParameter/],
      [importBody([{ type: "Patient", url: "https://otherstore.blob.core.windows.net/c/p.ndjson" }]), IMPORT_HEADERS, /integration storage account endpoint/],
      [importBody([{ type: "Patient", url: on("p.ndjson") }, { type: "Patient", url: on("p.ndjson") }]), IMPORT_HEADERS, /duplicate files/],
      [importBody([{ type: "Patient", url: on("p.ndjson") }]), { prefer: "respond-async, handling=strict" }, /Prefer/],
    ];
    for (const [body, headers, why] of cases) {
      const r = await target.request("POST", "/$import", body, headers);
      expect(r.status).toBe(400);
      expect((r.body as { issue: { diagnostics: string }[] }).issue[0]!.diagnostics).toMatch(why);
    }
  });

  it("reports each rejected line in an error file: a decimal of more than 18 digits, a version conflict", async () => {
    const t = new Date(clock).toISOString();
    const lines = [
      `{"resourceType":"Observation","id":"dec-1","meta":{"versionId":"1","lastUpdated":"${t}"},"valueQuantity":{"value":1.0000000000000000001}}`,
      `{"resourceType":"Observation","id":"ok-1","meta":{"versionId":"1","lastUpdated":"${t}"},"status":"final"}`,
      `{"resourceType":"Observation","id":"ok-1","meta":{"versionId":"1","lastUpdated":"${t}"},"status":"amended"}`,
    ];
    sandbox.state.blobs.put(STORE, "migration", "manual/Observation-1.ndjson", `${lines.join("\n")}\n`, "application/fhir+ndjson", clock);
    const done = await finish(target, await target.request("POST", "/$import",
      importBody([{ type: "Observation", url: `https://${STORE}.blob.core.windows.net/migration/manual/Observation-1.ndjson` }]), IMPORT_HEADERS));
    const result = done.body as ImportResult;
    expect(result.output[0]!.count).toBe(1);
    expect(result.error).toHaveLength(1);
    expect(result.error[0]!.count).toBe(2);
    const file = new URL(result.error[0]!.url);
    const errors = sandbox.state.blobs.get(STORE, "fhirlogs", file.pathname.split("/").pop()!)!.content.trim().split("\n")
      .map((l) => (JSON.parse(l) as { issue: { diagnostics: string }[] }).issue[0]!.diagnostics);
    expect(errors).toEqual([
      "Failed to import resource: a decimal has more than 18 digits of precision, line: 1",
      "Failed to import resource with version conflict, resource id: ok-1, line: 3",
    ]);
  });

  it("fails an export whose service identity holds no Blob role, at its status, with 403", async () => {
    const assignment = [...sandbox.state.resources.values()].find((r) => r.type === "Microsoft.Authorization/roleAssignments"
      && (r.properties as { principalId: string }).principalId === fixtureGuid("mi:fhir-source"))!;
    sandbox.state.deleteResource(assignment.id);
    const done = await finish(source, await source.request("GET", "/$export?_type=Patient", undefined, EXPORT_HEADERS));
    expect(done.status).toBe(403);
    expect((done.body as { issue: { diagnostics: string }[] }).issue[0]!.diagnostics).toMatch(/^export operation failed for reason: The managed identity/);
    sandbox.state.putResource(assignment);
  });

  it("answers a cancelled export with 200 and a partial manifest, as fhir-server does", async () => {
    const kick = await source.request("GET", "/$export?_type=Patient", undefined, EXPORT_HEADERS);
    expect((await source.request("DELETE", pathOf(kick.headers.contentLocation!))).status).toBe(202);
    const status = await source.request("GET", pathOf(kick.headers.contentLocation!));
    expect(status.status).toBe(200);
    expect((status.body as Manifest).output).toEqual([]);
  });

  it("refuses a kick-off without Prefer: respond-async, and a reader without the export role", async () => {
    const r = await source.request("GET", "/$export", undefined, { accept: "application/fhir+json" });
    expect([r.status, (r.body as { issue: { diagnostics: string }[] }).issue[0]!.diagnostics]).toEqual([400, "Missing required header; Prefer"]);
    const r2 = await target.request("GET", "/$export", undefined, EXPORT_HEADERS);
    expect(r2.status).toBe(403);
  });
});

describe("the jobs' files through @azure/storage-blob (src/azure/blob-files.ts)", () => {
  it("refuses a caller without a Blob data role with AuthorizationPermissionMismatch, then lists and reads the files", async () => {
    const container = `https://${STORE}.blob.core.windows.net/fhirlogs`;
    await expect(listBlobNames(session.credential, container)).rejects.toMatchObject({ statusCode: 403, code: "AuthorizationPermissionMismatch" });
    const stub = { resources: [] } as unknown as Estate;
    sandbox.state.putResource(addRoleAssignment(stub, { scope: sandbox.state.listResources("Microsoft.Storage/storageAccounts")[0]!.id, role: ROLE.blobContributor, principalId: CALLER_OBJECT_ID }));
    const names = await listBlobNames(session.credential, container);
    expect(names).toHaveLength(1);
    const text = await readBlobText(session.credential, `${container}/${names[0]}`);
    expect(text.trim().split("\n").map((l) => (JSON.parse(l) as { resourceType: string }).resourceType)).toEqual(["OperationOutcome", "OperationOutcome"]);
    expect(await listBlobNames(session.credential, `https://${STORE}.blob.core.windows.net/migration`, "manual/")).toEqual(["manual/Observation-1.ndjson"]);
    await expect(readBlobText(session.credential, `${container}/nothing.ndjson`)).rejects.toMatchObject({ statusCode: 404 });
    // sync's report of them: per type and reason, without line numbers or ids.
    expect(await rejectedLines(session.credential, { Observation: 2 }, [`${container}/${names[0]}`])).toEqual([
      "  Observation: 2 rejected — a decimal has more than 18 digits of precision (1), version conflict (1)"]);
    expect(await rejectedLines(session.credential, { Patient: 1 }, [`${container}/missing.ndjson`])).toEqual([
      "  Patient: 1 rejected", `  error files not readable (a Blob data role on the storage account lets sync read them): ${container}/missing.ndjson (HTTP 404)`]);
  });
});
