// Failures are values: an operation that ends Canceled/Failed fails the step with the operation's code;
// a non-retryable ARM answer (400) fails it with ARM's code, message and request id, sent once; a 503
// the limiter retries within its budget still ends created; an aborted poll leaves the step in doubt
// (the executor throws the AbortError, no terminal outcome).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addAccount, baseEstate } from "../fixtures/estate-builders.js";
import {
  lastSeq, pathOf, requestsSince, runStep, startHarness, stepOf, writesTo, type Harness,
} from "./runner-step-harness.js";
import { id } from "./plan-estate.js";

let h: Harness;

beforeAll(async () => {
  const e = baseEstate({ behaviour: { operationDurationMs: { default: 30_000 } } });
  for (const n of ["fhir-cancel", "fhir-bad", "fhir-flaky", "fhir-abort"]) addAccount(e, { name: n });
  h = await startHarness(e, { account: ["fhir-cancel", "fhir-bad", "fhir-flaky", "fhir-abort"].map((n) => id(n)) });
});
afterAll(async () => { await h?.close(); });

describe("executor failures", () => {
  it("fails with the operation's error when the operation ends Canceled", async () => {
    const ws = stepOf(h.plan, "fhir-cancel", "ensure-workspace");
    // Meanwhile someone removes the workspace in Azure: the RP ends the operation Canceled.
    const o = await runStep(h, ws, { onAccepted: () => { h.sandbox.state.deleteResource(pathOf(ws.request.url)); } });
    expect(o).toMatchObject({ status: "failed", error: { code: "Canceled" } });
  });

  it("fails a 400 with ARM's code, message and request id, sending the PUT once", async () => {
    const step = stepOf(h.plan, "fhir-bad", "ensure-identity");
    h.sandbox.setFaults([{ match: { method: "PUT", pathRegex: "userAssignedIdentities/id-fhirbad" }, status: 400 }]);
    const since = lastSeq(h.sandbox);
    const o = await runStep(h, step);
    h.sandbox.setFaults([]);
    expect(o).toMatchObject({ status: "failed", error: { code: "BadRequest", message: expect.stringContaining("Injected fault"), requestId: expect.stringMatching(/-/) } });
    expect(writesTo(requestsSince(h.sandbox, since), "id-fhirbad")).toHaveLength(1);
  });

  it("succeeds through 503s the limiter retries within its budget", async () => {
    const step = stepOf(h.plan, "fhir-flaky", "ensure-identity");
    h.sandbox.setFaults([{ match: { method: "PUT", pathRegex: "userAssignedIdentities/id-fhirflaky" }, status: 503, count: 2 }]);
    const since = lastSeq(h.sandbox);
    const o = await runStep(h, step);
    h.sandbox.setFaults([]);
    expect(o).toMatchObject({ status: "succeeded", reason: "created" });
    expect(writesTo(requestsSince(h.sandbox, since), "id-fhirflaky")).toHaveLength(3);
  });

  it("throws the AbortError when aborted while polling (the step stays in doubt), then reconciles on resume", async () => {
    const ws = stepOf(h.plan, "fhir-abort", "ensure-workspace");
    const ac = new AbortController();
    let operationUrl = "";
    const run = runStep(h, ws, { abortSignal: ac.signal, onAccepted: (url) => { operationUrl = url; ac.abort(); } });
    await expect(run).rejects.toMatchObject({ name: "AbortError" });
    expect(operationUrl).toMatch(/operationresults/i);
    const since = lastSeq(h.sandbox);
    expect(await runStep(h, ws, { inDoubt: { operationUrl } })).toMatchObject({ status: "succeeded", reason: "reconciled" });
    expect(writesTo(requestsSince(h.sandbox, since), "/workspaces/")).toEqual([]);
  });
});
