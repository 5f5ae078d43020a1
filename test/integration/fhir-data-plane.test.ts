// The sandbox's FHIR data planes (issue 11) through the product's FHIR client (src/azure/clients.ts
// createFhirClient: core-rest-pipeline with the bearer policy, the credential of the signed-in caller):
// a legacy account on {name}.azurehealthcareapis.com seeded by the estate's `fhirData.generate`, a legacy
// account configured with the bare audience https://azurehealthcareapis.com (a token for its host is the
// 401 users report), and an AHDS FHIR service on {ws}-{fhir}.fhir.azurehealthcareapis.com; tokens checked
// for audience and tenant, data roles checked; counts equal what the admin API reports.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAzureSession, type AzureSession } from "../../src/azure/azure-session.js";
import { createFhirClient, type FhirClient } from "../../src/azure/clients.js";
import type { Estate } from "../../src/sandbox/estate-types.js";
import type { Sandbox } from "../../src/sandbox/server.js";
import { SandboxState } from "../../src/sandbox/state.js";
import { parseEstate } from "../../src/sandbox/estate.js";
import {
  accountId, addAccount, addFhirService, addRoleAssignment, addWorkspace, baseEstate, CALLER_OBJECT_ID,
} from "../fixtures/estate-builders.js";
import { FAST_RETRY } from "../fixtures/inventory-estates.js";
import { startTestSandbox } from "../helpers/sandbox.js";

const READER = "4c8d0bbc-75d3-4935-991f-5f3c56d81508";
const CONTRIBUTOR = "5a1fc7df-4bf1-4951-a576-89034ee01acd";
const SOURCE = accountId("fhir-source");
const BARE = accountId("fhir-bare-audience");
let target: string;

function estate(): Estate {
  const e = baseEstate();
  addAccount(e, { name: "fhir-source", keyUri: null });
  addAccount(e, { name: "fhir-bare-audience", keyUri: null, accessPolicies: [CALLER_OBJECT_ID] });
  const bare = e.resources.find((r) => r.id === BARE)!;
  (bare.properties!.authenticationConfiguration as { audience: string }).audience = "https://azurehealthcareapis.com";
  target = addFhirService(e, addWorkspace(e, "newws"), "fhir");
  addRoleAssignment(e, { scope: SOURCE, role: READER, principalId: CALLER_OBJECT_ID });
  addRoleAssignment(e, { scope: target, role: CONTRIBUTOR, principalId: CALLER_OBJECT_ID });
  e.fhirData = [{ service: SOURCE, generate: { patients: 40, seed: 11, historyRate: 0.25, deleteRate: 0.1 } }];
  return e;
}

let sandbox: Sandbox;
let session: AzureSession;
let source: FhirClient;

beforeAll(async () => {
  sandbox = await startTestSandbox(estate());
  session = createAzureSession("AzureCloud", FAST_RETRY);
  source = createFhirClient(session.credential, { baseUrl: "https://fhir-source.azurehealthcareapis.com", audience: "https://fhir-source.azurehealthcareapis.com" });
});
afterAll(async () => { await sandbox?.close(); });

const total = (r: { body: unknown }) => (r.body as { total: number }).total;
const admin = async (path: string, init?: RequestInit) => (await fetch(`${sandbox.adminUrl}${path}`, init)).json() as Promise<Record<string, { current: number; versions: number; deleted: number }>>;

describe("the FHIR data plane of a legacy account", () => {
  it("counts current resources and every version per type as the admin API does", async () => {
    const counts = await admin(`/_sandbox/fhir/counts?service=${encodeURIComponent(SOURCE)}`);
    expect(Object.keys(counts)).toEqual(["Condition", "Encounter", "Observation", "Patient"]);
    for (const [type, c] of Object.entries(counts)) {
      expect(total(await source.request("GET", `/${type}?_summary=count`)), type).toBe(c.current);
      expect(total(await source.request("GET", `/${type}/_history?_summary=count`)), type).toBe(c.versions);
    }
    const all = Object.values(counts);
    expect(total(await source.request("GET", "/?_summary=count"))).toBe(all.reduce((n, c) => n + c.current, 0));
    expect(total(await source.request("GET", "/_history?_summary=count"))).toBe(all.reduce((n, c) => n + c.versions, 0));
    expect(all.some((c) => c.deleted > 0) && all.some((c) => c.versions > c.current + c.deleted)).toBe(true);
  });

  it("reads a resource, its history and each version; a deleted one is 410 Gone and its delete version too", async () => {
    const page = await source.request("GET", "/Patient?_count=5");
    const entries = (page.body as { entry: { resource: { id: string; meta: { versionId: string } } }[]; link: { relation: string; url: string }[] });
    expect(entries.entry).toHaveLength(5);
    expect(entries.link.find((l) => l.relation === "next")?.url).toBe("https://fhir-source.azurehealthcareapis.com/Patient?_count=5&ct=5");
    const first = entries.entry[0]!.resource;
    const read = await source.request("GET", `/Patient/${first.id}`);
    expect(read.status).toBe(200);
    expect(read.headers.etag).toBe(`W/"${first.meta.versionId}"`);
    const deleted = sandbox.state.fhirStore(SOURCE).counts();
    expect(deleted.Observation!.deleted + deleted.Patient!.deleted).toBeGreaterThan(0);
    const gone = [...sandbox.state.fhirStore(SOURCE).allVersions()].find((v) => v.deleted)!;
    const { resourceType, id } = gone.resource;
    expect((await source.request("GET", `/${resourceType}/${id}`)).status).toBe(410);
    expect((await source.request("GET", `/${resourceType}/${id}/_history/${gone.versionId}`)).status).toBe(410);
    expect((await source.request("GET", `/${resourceType}/${id}/_history/1`)).status).toBe(200);
    const history = (await source.request("GET", `/${resourceType}/${id}/_history`)).body as { total: number; entry: { request: { method: string } }[] };
    expect(history.total).toBe(gone.versionId);
    expect(history.entry[0]!.request.method).toBe("DELETE");
  });

  it("refuses a reader's write with 403, and a token for another audience with 401 naming the audience", async () => {
    const put = await source.request("PUT", "/Patient/new-1", { resourceType: "Patient", id: "new-1" });
    expect(put.status).toBe(403);
    expect(put.body).toMatchObject({ resourceType: "OperationOutcome", issue: [{ code: "forbidden", diagnostics: "Authorization failed." }] });
    // The account is configured with the bare audience: a token for its host name is refused.
    const wrong = createFhirClient(session.credential, { baseUrl: "https://fhir-bare-audience.azurehealthcareapis.com", audience: "https://fhir-bare-audience.azurehealthcareapis.com" });
    const refused = await wrong.request("GET", "/Patient?_summary=count");
    expect(refused.status).toBe(401);
    expect((refused.body as { issue: { diagnostics: string }[] }).issue[0]!.diagnostics).toBe("Authentication failed. The audience is invalid");
    const right = createFhirClient(session.credential, { baseUrl: "https://fhir-bare-audience.azurehealthcareapis.com", audience: "https://azurehealthcareapis.com" });
    // An access-policy object id may do everything on a legacy account.
    expect(total(await right.request("GET", "/Patient?_summary=count"))).toBe(0);
  });
});

describe("the FHIR data plane of an AHDS FHIR service", () => {
  it("takes writes from a FHIR Data Contributor: versions, deletes, counts; the admin API writes too", async () => {
    const fhir = createFhirClient(session.credential, { baseUrl: "https://newws-fhir.fhir.azurehealthcareapis.com", audience: "https://newws-fhir.fhir.azurehealthcareapis.com" });
    expect((await fhir.request("PUT", "/Patient/p1", { resourceType: "Patient", id: "p1", active: true })).status).toBe(201);
    const again = await fhir.request("PUT", "/Patient/p1", { resourceType: "Patient", id: "p1", active: false });
    expect([again.status, again.headers.etag]).toEqual([200, 'W/"2"']);
    expect((await fhir.request("DELETE", "/Patient/p1")).status).toBe(204);
    const written = await (await fetch(`${sandbox.adminUrl}/_sandbox/fhir/write`, {
      method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ service: target, resources: [{ resourceType: "Patient", id: "p2" }], deletes: [{ resourceType: "Patient", id: "p1" }] }),
    })).json();
    expect(written).toEqual({ written: 1, deleted: 0 });
    expect(await admin(`/_sandbox/fhir/counts?service=${encodeURIComponent(target)}`)).toEqual({ Patient: { current: 1, versions: 4, deleted: 1 } });
    expect(total(await fhir.request("GET", "/Patient/_history?_summary=count"))).toBe(4);
    expect(total(await fhir.request("GET", "/Patient?_summary=count"))).toBe(1);
  });

  it("is kept in the state file: a sandbox started from it holds the same versions and deletes", () => {
    const file = JSON.parse(JSON.stringify(sandbox.state.toStateFile())) as unknown;
    const again = new SandboxState(parseEstate(file).estate);
    for (const id of [SOURCE, target]) {
      expect(again.fhirStore(id).counts(), id).toEqual(sandbox.state.fhirStore(id).counts());
      expect(again.fhirStore(id).toResources(), id).toEqual(sandbox.state.fhirStore(id).toResources());
    }
  });
});
