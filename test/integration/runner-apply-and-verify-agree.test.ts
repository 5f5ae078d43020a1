// apply (the executors' read-before-write) and verify judge "as planned" with one comparison
// (compare-planned.ts, issue 8): a FHIR service whose CORS lists Azure returns in another order and case is
// as planned for both; a real difference is a TargetConflict for the executor and the same field for verify.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyPlan } from "../../src/runner/verify.js";
import { addAccount, baseEstate } from "../fixtures/estate-builders.js";
import { lastSeq, pathOf, requestsSince, runStep, startHarness, stepOf, stepsOf, writesTo, type Harness } from "./runner-step-harness.js";
import { id } from "./plan-estate.js";

let h: Harness;

beforeAll(async () => {
  const e = baseEstate({ behaviour: { rolePropagationMs: 0, operationDurationMs: { default: 1_000 } } });
  addAccount(e, { name: "fhir-cors", properties: { corsConfiguration: {
    origins: ["https://a.example", "https://b.example"], headers: ["content-type", "authorization"], methods: ["GET", "POST"], maxAge: 600, allowCredentials: false } } });
  h = await startHarness(e, { account: [id("fhir-cors")] });
});
afterAll(async () => { await h?.close(); });

describe("one comparison for apply and verify", () => {
  it("apply and verify agree on a service whose CORS lists Azure returns in another order and case (one comparison)", async () => {
    for (const s of stepsOf(h.plan, "fhir-cors").filter((x) => x.kind !== "create-fhir-service" && x.kind !== "grant-data-role")) {
      expect(await runStep(h, s)).toMatchObject({ status: "succeeded" });
    }
    const step = stepOf(h.plan, "fhir-cors", "create-fhir-service");
    expect(await runStep(h, step)).toMatchObject({ status: "succeeded", reason: "created" });
    h.sandbox.patchResource(pathOf(step.request.url), { properties: { corsConfiguration: {
      origins: ["https://B.example", "https://a.example"], headers: ["Authorization", "Content-Type"], methods: ["POST", "GET"], maxAge: 600, allowCredentials: false } } });
    const since = lastSeq(h.sandbox);
    expect(await runStep(h, step)).toMatchObject({ status: "succeeded", reason: "already-satisfied" });
    expect(writesTo(requestsSince(h.sandbox, since), "/fhirservices/")).toEqual([]);
    expect(await verifyPlan({ ...h.plan, steps: [step] }, h.session)).toEqual([]);
    // A real difference is one for both: the executor refuses it, verify names the same field.
    h.sandbox.patchResource(pathOf(step.request.url), { properties: { corsConfiguration: { origins: ["https://a.example", "https://c.example"] } } });
    expect(await runStep(h, step)).toMatchObject({ status: "failed", error: { code: "TargetConflict",
      message: expect.stringContaining("properties.corsConfiguration.origins") as unknown } });
    expect((await verifyPlan({ ...h.plan, steps: [step] }, h.session)).map((d) => d.field)).toEqual(["properties.corsConfiguration.origins"]);
  });

});
