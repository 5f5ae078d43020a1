// Key-grant propagation on real Azure (issue 9 §4): the error a FHIR create fails with while the new
// identity cannot reach the key is undocumented, so the sandbox can fail it in several shapes
// (behaviour.keyAccessErrorShape) and the executor must retry every one of them until the grant has
// propagated — and, at --propagation-timeout, fail naming the rule that matched and Azure's own message.
// A failure that is not about the key (a 400 the sandbox injects) is not retried: one PUT.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KEY_ACCESS_ERROR_SHAPES, type KeyAccessErrorShape } from "../../src/sandbox/estate-types.js";
import { addAccount, baseEstate } from "../fixtures/estate-builders.js";
import { lastSeq, pathOf, requestsSince, runStep, startHarness, stepOf, stepsOf, writesTo, type Harness } from "./runner-step-harness.js";
import { id } from "./plan-estate.js";

const PROPAGATION_MS = 5 * 60_000;
const ACCOUNTS = ["fhir-heals", "fhir-never", "fhir-quota"];

async function prerequisites(h: Harness, account: string): Promise<void> {
  for (const s of stepsOf(h.plan, account).filter((x) => x.kind !== "create-fhir-service" && x.kind !== "grant-data-role")) {
    expect(await runStep(h, s)).toMatchObject({ status: "succeeded" });
  }
}

describe.each(KEY_ACCESS_ERROR_SHAPES.map((s) => [s] as [KeyAccessErrorShape]))("sandbox keyAccessErrorShape %s", (shape) => {
  let h: Harness;
  beforeAll(async () => {
    const e = baseEstate({ behaviour: {
      rolePropagationMs: PROPAGATION_MS, operationDurationMs: { default: 10_000 }, keyAccessErrorShape: shape,
      faults: [{ match: { method: "PUT", pathRegex: "/workspaces/fhirquota/fhirservices/" }, status: 400 }],
    } });
    for (const n of ACCOUNTS) addAccount(e, { name: n });
    h = await startHarness(e, { account: ACCOUNTS.map((n) => id(n)) });
  });
  afterAll(async () => { await h?.close(); });

  it("is retried until the key role has propagated, then the service is created", async () => {
    await prerequisites(h, "fhir-heals");
    const step = stepOf(h.plan, "fhir-heals", "create-fhir-service");
    const since = lastSeq(h.sandbox);
    expect(await runStep(h, step)).toMatchObject({ status: "succeeded", reason: "created" });
    expect(writesTo(requestsSince(h.sandbox, since), pathOf(step.request.url)).length).toBeGreaterThan(1);
  });

  it("at --propagation-timeout fails naming the rule that matched and Azure's own message", async () => {
    await prerequisites(h, "fhir-never");
    const o = await runStep(h, stepOf(h.plan, "fhir-never", "create-fhir-service"), { propagationTimeoutMs: 60_000 });
    expect(o).toMatchObject({ status: "failed", error: { code: "RolePropagationTimeout" } });
    if (o.status === "failed") {
      expect(o.error.message).toMatch(/retried because the error matched "[^"]+"\)\. Azure said \w+: /);
      expect(o.error.message).toContain(shape === "code" ? "KeyVaultAccessForbidden" : shape === "forbidden" ? "Forbidden" : shape === "unwrap" ? "unwrap" : "cannot access key vault");
    }
  });

  it("a failure that is not about the key is not retried", async () => {
    await prerequisites(h, "fhir-quota");
    const step = stepOf(h.plan, "fhir-quota", "create-fhir-service");
    const since = lastSeq(h.sandbox);
    const o = await runStep(h, step);
    expect(o.status).toBe("failed");
    expect(writesTo(requestsSince(h.sandbox, since), pathOf(step.request.url))).toHaveLength(1);
  });
});
