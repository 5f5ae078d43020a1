// The FHIR service executor against the sandbox's HealthcareApis RP on a virtual clock shared with the
// limiter: a create whose operation fails KeyVaultAccessForbidden because the key role has not propagated
// is sent again with back-off until it succeeds, or fails naming propagation at --propagation-timeout;
// an operation stuck Suspended ends at --operation-timeout with the state named; a service with another
// key URL is a conflict; an in-doubt create still provisioning is followed by reading, not re-sent.
// Nothing ever DELETEs or writes to the source accounts (Microsoft.HealthcareApis/services).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendArmRequest } from "../../src/azure/arm-request.js";
import { addAccount, baseEstate } from "../fixtures/estate-builders.js";
import {
  forbiddenRequests, lastSeq, pathOf, requestsSince, runStep, startHarness, stepOf, stepsOf, writesTo, type Harness,
} from "./runner-step-harness.js";
import { id } from "./plan-estate.js";

const PROPAGATION_MS = 10 * 60_000;
let h: Harness;

beforeAll(async () => {
  const e = baseEstate({ behaviour: {
    rolePropagationMs: PROPAGATION_MS,
    operationDurationMs: { default: 30_000 },
    faults: [{ match: { method: "PUT", pathRegex: "/workspaces/fhirstuck/fhirservices/" }, provisioningState: "Suspended" }],
  } });
  for (const n of ["fhir-prop", "fhir-slow", "fhir-stuck", "fhir-doubt"]) addAccount(e, { name: n });
  h = await startHarness(e, { account: ["fhir-prop", "fhir-slow", "fhir-stuck", "fhir-doubt"].map((n) => id(n)) });
});
afterAll(async () => { await h?.close(); });

/** Workspace, identity and key role of an account (all created). */
async function prerequisites(account: string): Promise<void> {
  for (const s of stepsOf(h.plan, account).filter((x) => x.kind !== "create-fhir-service" && x.kind !== "grant-data-role")) {
    expect(await runStep(h, s)).toMatchObject({ status: "succeeded", reason: "created" });
  }
}

describe("create-fhir-service executor", () => {
  it("retries a create that fails KeyVaultAccessForbidden until the key role has propagated, then succeeds", async () => {
    await prerequisites("fhir-prop");
    const step = stepOf(h.plan, "fhir-prop", "create-fhir-service");
    const since = lastSeq(h.sandbox);
    const start = h.clock.now();
    const o = await runStep(h, step);
    expect(o).toMatchObject({ status: "succeeded", reason: "created" });
    const puts = writesTo(requestsSince(h.sandbox, since), pathOf(step.request.url));
    expect(puts.length).toBeGreaterThan(1);
    expect(puts.every((r) => r.method === "PUT")).toBe(true);
    // Success came only once the assignment counted (propagation), and well before the 15-min timeout.
    expect(h.clock.now() - start).toBeGreaterThanOrEqual(PROPAGATION_MS - 60_000);
    expect(h.clock.now() - start).toBeLessThan(15 * 60_000);
    expect(h.sandbox.state.getResource(pathOf(step.request.url))!.properties!["provisioningState"]).toBe("Succeeded");
    // Every accepted operation was journaled (one per PUT).
    expect(h.accepted.filter((u) => /operationresults/i.test(u)).length).toBeGreaterThanOrEqual(puts.length);
  });

  it("is already satisfied on a second run", async () => {
    const step = stepOf(h.plan, "fhir-prop", "create-fhir-service");
    const since = lastSeq(h.sandbox);
    expect(await runStep(h, step)).toMatchObject({ status: "succeeded", reason: "already-satisfied" });
    expect(writesTo(requestsSince(h.sandbox, since), "/fhirservices/")).toEqual([]);
  });

  it("fails a service whose key URL differs from the plan, naming the field", async () => {
    const step = stepOf(h.plan, "fhir-prop", "create-fhir-service");
    const other = "https://kv-fixture.vault.azure.net/keys/cmk/0123456789abcdef0123456789abcdef";
    h.sandbox.patchResource(pathOf(step.request.url), { properties: { encryption: { customerManagedKeyEncryption: { keyEncryptionKeyUrl: other } } } });
    const since = lastSeq(h.sandbox);
    const o = await runStep(h, step);
    expect(o).toMatchObject({ status: "failed", error: { code: "TargetConflict" } });
    if (o.status === "failed") {
      expect(o.error.message).toContain("properties.encryption.customerManagedKeyEncryption.keyEncryptionKeyUrl");
      expect(o.error.message).toContain(other);
    }
    expect(writesTo(requestsSince(h.sandbox, since), "/fhirservices/")).toEqual([]);
  });

  it("fails naming propagation when the key is still unusable at --propagation-timeout", async () => {
    await prerequisites("fhir-slow");
    const o = await runStep(h, stepOf(h.plan, "fhir-slow", "create-fhir-service"), { propagationTimeoutMs: 3 * 60_000 });
    expect(o).toMatchObject({ status: "failed", error: { code: "RolePropagationTimeout" } });
    if (o.status === "failed") {
      expect(o.error.message).toMatch(/not propagated/);
      expect(o.error.message).toContain("3 min");
      expect(o.error.message).toContain("KeyVaultAccessForbidden");
    }
  });

  it("times out an operation stuck Suspended with a named reason", async () => {
    await prerequisites("fhir-stuck");
    h.clock.advance(PROPAGATION_MS + 60_000);
    const start = h.clock.now();
    const o = await runStep(h, stepOf(h.plan, "fhir-stuck", "create-fhir-service"), { operationTimeoutMs: 20 * 60_000 });
    expect(o).toMatchObject({ status: "failed", error: { code: "OperationTimeout" } });
    if (o.status === "failed") {
      expect(o.error.message).toContain("20 min");
      expect(o.error.message).toContain("Suspended");
    }
    expect(h.clock.now() - start).toBeGreaterThanOrEqual(20 * 60_000);
    expect(h.clock.now() - start).toBeLessThan(21 * 60_000);
  });

  it("follows an in-doubt create that is still provisioning by reading it, without a second PUT", async () => {
    await prerequisites("fhir-doubt");
    h.clock.advance(PROPAGATION_MS + 60_000);
    const step = stepOf(h.plan, "fhir-doubt", "create-fhir-service");
    // The crashed attempt: PUT sent, the process died before journaling the operation URL.
    const first = await sendArmRequest(h.session, { method: "PUT", url: step.request.url, body: step.request.body });
    expect(first.status).toBe(201);
    const since = lastSeq(h.sandbox);
    const o = await runStep(h, step, { inDoubt: { operationUrl: null } });
    expect(o).toMatchObject({ status: "succeeded", reason: "reconciled" });
    expect(writesTo(requestsSince(h.sandbox, since), "/fhirservices/")).toEqual([]);
    expect(h.sandbox.state.getResource(pathOf(step.request.url))!.properties!["provisioningState"]).toBe("Succeeded");
  });

  it("never deleted anything nor wrote to a source account", () => {
    expect(forbiddenRequests(h.sandbox.requests())).toEqual([]);
    expect(h.sandbox.requests().filter((r) => r.method !== "GET").length).toBeGreaterThan(0);
  });
});
