// Legacy Azure API for FHIR (`services`) through the real HealthcareApisManagementClient: nextLink paging,
// get, 404, and writes answered like Azure (new deployments blocked, update/delete as LROs, counted).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServicesDescription } from "@azure/arm-healthcareapis";
import type { Sandbox } from "../../src/sandbox/server.js";
import { startTestSandbox } from "../helpers/sandbox.js";
import { assertConformsExceptRpcError } from "./healthcare-estate.js";
import { expectConformingResponses, type ConformanceRecorder } from "../helpers/spec-validator.js";
import { sdkClients } from "../helpers/sdk-clients.js";
import { accountId, addAccount, baseEstate, RESOURCE_GROUP, SUBSCRIPTION_ID } from "../fixtures/estate-builders.js";
import { rejection } from "../helpers/sdk-results.js";

let sandbox: Sandbox;
let conformance: ConformanceRecorder;
let hc: ReturnType<typeof sdkClients>["healthcare"];

beforeAll(async () => {
  const estate = baseEstate({ behaviour: { pageSize: 2, operationDurationMs: { default: 200 } } });
  for (const n of ["fhir-a", "fhir-b", "fhir-c", "fhir-d"]) addAccount(estate, { name: n });
  addAccount(estate, { name: "fhir-other", group: "rg-other" });
  sandbox = await startTestSandbox(estate);
  conformance = expectConformingResponses(sandbox);
  hc = sdkClients("AzureCloud", SUBSCRIPTION_ID).healthcare;
});
afterAll(async () => { await sandbox?.close(); });

describe("legacy services listing and get", () => {
  it("lists services by subscription across nextLink pages of 2", async () => {
    const pages: string[][] = [];
    for await (const page of hc.services.list().byPage()) pages.push(page.map((s) => s.name!));
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(pages.flat().sort()).toEqual(["fhir-a", "fhir-b", "fhir-c", "fhir-d", "fhir-other"]);
    const listCalls = sandbox.requests().filter((r) => r.path.endsWith("/providers/Microsoft.HealthcareApis/services"));
    expect(listCalls).toHaveLength(3);
    expect(listCalls.every((r) => r.query["api-version"] === "2024-03-31")).toBe(true);
  });

  it("lists services by resource group", async () => {
    const names: string[] = [];
    for await (const s of hc.services.listByResourceGroup("rg-other")) names.push(s.name!);
    expect(names).toEqual(["fhir-other"]);
  });

  it("gets a service with its CMK configuration", async () => {
    const s = await hc.services.get(RESOURCE_GROUP, "fhir-a");
    expect(s.id).toBe(accountId("fhir-a"));
    expect(s.kind).toBe("fhir-R4");
    expect(s.properties?.cosmosDbConfiguration?.keyVaultKeyUri).toMatch(/\/keys\/cmk$/);
  });

  it("answers 404 ResourceNotFound for an unknown service", async () => {
    const e = await rejection(hc.services.get(RESOURCE_GROUP, "fhir-missing"));
    expect(e.statusCode).toBe(404);
    expect(e.code).toBe("ResourceNotFound");
  });

  it("answers 404 ResourceGroupNotFound for a service in an unknown group", async () => {
    const e = await rejection(hc.services.get("rg-nope", "fhir-a"));
    expect(e.statusCode).toBe(404);
    expect(e.code).toBe("ResourceGroupNotFound");
  });
});

describe("legacy services writes", () => {
  const body: ServicesDescription = { location: "westeurope", kind: "fhir-R4", properties: {} };

  it("refuses to create a new service (new deployments blocked since 1 Apr 2025)", async () => {
    const e = await rejection(hc.services.beginCreateOrUpdateAndWait(RESOURCE_GROUP, "fhir-new", body, { updateIntervalInMs: 10 }));
    expect(e.statusCode).toBe(400);
    expect(e.code).toBe("NewDeploymentsBlocked");
    await rejection(hc.services.get(RESOURCE_GROUP, "fhir-new"));
  });

  it("updates tags of an existing service as an LRO and counts it as a write", async () => {
    const before = sandbox.requests().length;
    const s = await hc.services.beginUpdateAndWait(RESOURCE_GROUP, "fhir-b", { tags: { env: "test" } }, { updateIntervalInMs: 10 });
    expect(s.tags).toEqual({ env: "test" });
    expect(s.properties?.provisioningState).toBe("Succeeded");
    const patch = sandbox.requests().slice(before).filter((r) => r.method === "PATCH");
    expect(patch.map((r) => r.kind)).toEqual(["write"]);
  });

  it("re-PUTs an existing service as an LRO", async () => {
    const current = await hc.services.get(RESOURCE_GROUP, "fhir-c");
    const s = await hc.services.beginCreateOrUpdateAndWait(RESOURCE_GROUP, "fhir-c",
      { location: current.location!, kind: current.kind!, tags: { a: "b" }, properties: { cosmosDbConfiguration: current.properties?.cosmosDbConfiguration } },
      { updateIntervalInMs: 10 });
    expect(s.tags).toEqual({ a: "b" });
    expect(s.properties?.provisioningState).toBe("Succeeded");
    expect(s.etag).not.toBe(current.etag);
  });

  it("deletes a service as an LRO and counts it as a delete", async () => {
    const before = sandbox.requests().length;
    await hc.services.beginDeleteAndWait(RESOURCE_GROUP, "fhir-d", { updateIntervalInMs: 10 });
    const del = sandbox.requests().slice(before).filter((r) => r.method === "DELETE");
    expect(del.map((r) => [r.status, r.kind])).toEqual([[202, "delete"]]);
    const e = await rejection(hc.services.get(RESOURCE_GROUP, "fhir-d"));
    expect(e.statusCode).toBe(404);
  });
});

it("answers every HealthcareApis request of this file as the 2024-03-31 spec describes", () => {
  assertConformsExceptRpcError(conformance);
});
