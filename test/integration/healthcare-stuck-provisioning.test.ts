// Fault injection `behaviour.faults[].provisioningState`: the matching create never finishes — the
// operation stays Running and the resource stays in the injected state (e.g. Suspended), which core-lro
// treats as non-terminal (azure-facts §4.2, gotcha 13). Deleting the resource cancels the operation.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/server.js";
import { startTestSandbox } from "../helpers/sandbox.js";
import { expectConformingResponses, type ConformanceRecorder } from "../helpers/spec-validator.js";
import { sdkClients } from "../helpers/sdk-clients.js";
import { baseEstate, LOCATION, RESOURCE_GROUP, SUBSCRIPTION_ID } from "../fixtures/estate-builders.js";
import { addWorkspace, asyncOperationUrls, operationOf, assertConformsExceptRpcError } from "./healthcare-estate.js";

let clock = Date.now();
let sandbox: Sandbox;
let conformance: ConformanceRecorder;
let hc: ReturnType<typeof sdkClients>["healthcare"];

beforeAll(async () => {
  const e = baseEstate({ behaviour: {
    operationDurationMs: { default: 1000 },
    faults: [{ match: { method: "PUT", pathRegex: "/fhirservices/stuck$" }, provisioningState: "Suspended" }],
  } });
  addWorkspace(e);
  sandbox = await startTestSandbox(e, { now: () => clock });
  conformance = expectConformingResponses(sandbox);
  hc = sdkClients("AzureCloud", SUBSCRIPTION_ID).healthcare;
});
afterAll(async () => { await sandbox?.close(); });

describe("stuck provisioning state fault", () => {
  it("keeps the operation Running and the FHIR service Suspended however long one polls", async () => {
    const urls = asyncOperationUrls(sandbox);
    const poller = await hc.fhirServices.beginCreateOrUpdate(RESOURCE_GROUP, "ws1", "stuck", { location: LOCATION, kind: "fhir-R4" });
    urls.stop();
    const { location, id } = operationOf(urls[0]!);
    for (let i = 0; i < 3; i++) {
      clock += 5 * 60_000; // far past the 1 s duration (tokens stay valid: they live an hour on this clock)
      const op = await hc.operationResults.get(location, id);
      expect(op.status).toBe("Running");
      expect((await hc.fhirServices.get(RESOURCE_GROUP, "ws1", "stuck")).provisioningState).toBe("Suspended");
      await poller.poll();
      expect(poller.isDone()).toBe(false);
    }
    const polls = sandbox.requests().filter((r) => r.path.includes("/operationresults/")).length;
    expect(polls).toBeGreaterThanOrEqual(6);
  });

  it("does not stick an operation the fault does not match", async () => {
    const f = await hc.fhirServices.beginCreateOrUpdate(RESOURCE_GROUP, "ws1", "fine", { location: LOCATION, kind: "fhir-R4" });
    clock += 2000;
    await f.poll();
    expect(f.isDone()).toBe(true);
    expect(f.getResult()?.provisioningState).toBe("Succeeded");
  });

  it("a DELETE of the stuck service cancels its operation and removes it", async () => {
    const poller = await hc.fhirServices.beginDelete(RESOURCE_GROUP, "stuck", "ws1");
    expect((await hc.fhirServices.get(RESOURCE_GROUP, "ws1", "stuck")).provisioningState).toBe("Deleting");
    clock += 2000;
    await poller.poll();
    expect(poller.isDone()).toBe(true);
    const e = await hc.fhirServices.get(RESOURCE_GROUP, "ws1", "stuck").then(() => undefined, (x: unknown) => x as { statusCode?: number });
    expect(e?.statusCode).toBe(404);
    const ops = [...sandbox.state.operations.values()].filter((o) => o.resourceId.endsWith("/stuck"));
    expect(ops.map((o) => [o.method, o.status])).toEqual([["PUT", "Canceled"], ["DELETE", "Succeeded"]]);
  });
});

it("answers every HealthcareApis request of this file as the 2024-03-31 spec describes", () => {
  assertConformsExceptRpcError(conformance);
});
