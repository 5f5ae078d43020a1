// The data copy's prerequisites in the plan (issue 11 §1, `--storage-account`), end to end in process: the
// product's planner plans the account with the chosen storage account, the real executors apply every
// step against the sandbox, and the FHIR service they created takes an incremental `$import` of the
// source's `$export` — its importConfiguration names that store and its identity may read it. Without
// --storage-account the same target refuses the import as not enabled.
import { afterEach, describe, expect, it } from "vitest";
import { createFhirClient, type FhirClient, type FhirResponse } from "../../src/azure/clients.js";
import type { Estate } from "../../src/sandbox/estate-types.js";
import {
  addAccount, addRoleAssignment, addStorageAccount, baseEstate, CALLER_OBJECT_ID, fixtureGuid, resourceGroupId,
} from "../fixtures/estate-builders.js";
import { id } from "./plan-estate.js";
import { runStep, startHarness, type Harness } from "./runner-step-harness.js";

const EXPORTER = "3db33094-8700-4567-8da5-1501d4e7e843";
const IMPORTER = "4465e953-8ced-4406-a58e-0f6e3f3b530b";
const BLOB_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";

function estate(): { estate: Estate; storage: string } {
  const e = baseEstate({ behaviour: { rolePropagationMs: 0, operationDurationMs: { default: 0 } } });
  addAccount(e, { name: "fhir-data", keyUri: null, exportStorageAccount: "migstore" });
  const storage = addStorageAccount(e, "migstore");
  addRoleAssignment(e, { scope: storage, role: BLOB_CONTRIBUTOR, principalId: fixtureGuid("mi:fhir-data") });
  addRoleAssignment(e, { scope: id("fhir-data"), role: EXPORTER, principalId: CALLER_OBJECT_ID });
  addRoleAssignment(e, { scope: resourceGroupId(), role: IMPORTER, principalId: CALLER_OBJECT_ID });
  e.fhirData = [{ service: id("fhir-data"), generate: { patients: 25, seed: 9, historyRate: 0.3, deleteRate: 0.1 } }];
  return { estate: e, storage };
}

let h: Harness;
afterEach(async () => { await h?.close(); });

const pathOf = (url: string) => new URL(url).pathname + new URL(url).search;
async function done(client: FhirClient, kick: FhirResponse): Promise<FhirResponse> {
  expect(kick.status, JSON.stringify(kick.body)).toBe(202);
  return client.request("GET", pathOf(kick.headers.contentLocation!));
}

async function applyAll(): Promise<void> {
  for (const step of h.plan.steps) expect((await runStep(h, step)).status, step.id).toBe("succeeded");
}

function importBody(output: { type: string; url: string }[]): unknown {
  return { resourceType: "Parameters", parameter: [{ name: "mode", valueString: "IncrementalLoad" },
    ...output.map((o) => ({ name: "input", part: [{ name: "type", valueString: o.type }, { name: "url", valueUri: o.url }] }))] };
}

describe("plan --storage-account", () => {
  it("gives the target what $import needs: after apply it imports the source's export, every version and delete", async () => {
    const { estate: e, storage } = estate();
    h = await startHarness(e, { account: [id("fhir-data")], storageAccount: storage });
    expect(h.plan.choices.storageAccount).toBe(storage);
    await applyAll();
    const target = h.plan.accounts[0]!.target;
    const service = h.sandbox.state.getResource(target.fhirServiceId)!;
    expect(service.properties!.importConfiguration).toEqual({ enabled: true, initialImportMode: false, integrationDataStore: "migstore" });

    const source = createFhirClient(h.session.credential, { baseUrl: "https://fhir-data.azurehealthcareapis.com", audience: "https://fhir-data.azurehealthcareapis.com" });
    const exported = await done(source, await source.request("GET", "/$export?includeAssociatedData=_history,_deleted", undefined,
      { accept: "application/fhir+json", prefer: "respond-async" }));
    const manifest = exported.body as { output: { type: string; url: string; count: number }[] };
    const fhir = createFhirClient(h.session.credential, { baseUrl: target.fhirUrl, audience: target.fhirUrl });
    const imported = await done(fhir, await fhir.request("POST", "/$import", importBody(manifest.output), { prefer: "respond-async" }));
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    expect((imported.body as { error: unknown[] }).error).toEqual([]);
    expect(h.sandbox.state.fhirStore(target.fhirServiceId).counts()).toEqual(h.sandbox.state.fhirStore(id("fhir-data")).counts());
  });

  it("without it the applied target refuses $import as not enabled", async () => {
    h = await startHarness(estate().estate, { account: [id("fhir-data")] });
    await applyAll();
    const target = h.plan.accounts[0]!.target;
    const fhir = createFhirClient(h.session.credential, { baseUrl: target.fhirUrl, audience: target.fhirUrl });
    const refused = await fhir.request("POST", "/$import", importBody([{ type: "Patient", url: "https://migstore.blob.core.windows.net/c/p.ndjson" }]), { prefer: "respond-async" });
    expect(refused.status).toBe(400);
    expect((refused.body as { issue: { diagnostics: string }[] }).issue[0]!.diagnostics).toBe('The requested "import" operation is not enabled');
  });
});
