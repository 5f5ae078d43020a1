// The access-policy key grant and the resource-group step against the sandbox: created (the vault then
// holds get/wrapKey/unwrapKey for the identity only), already-satisfied without a write on a second run
// or when in doubt, a vault switched to RBAC is a conflict; a resource group is created with the plan's
// location, found as planned next time, and one in another location is a conflict naming `location`.
// With the access policy in place the FHIR service's create succeeds on its first operation.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addAccount, addKey, addVault, baseEstate, CALLER_OBJECT_ID, keyUri, SUBSCRIPTION_ID, TENANT_ID, vaultId,
} from "../fixtures/estate-builders.js";
import {
  forbiddenRequests, lastSeq, pathOf, requestsSince, runStep, startHarness, stepOf, stepsOf, writesTo, type Harness,
} from "./runner-step-harness.js";
import { id } from "./plan-estate.js";

let h: Harness;
const AP_VAULT = "kv-ap";

beforeAll(async () => {
  const e = baseEstate({ behaviour: { operationDurationMs: { default: 20_000 } } });
  addVault(e, { name: AP_VAULT, rbac: false, accessPolicies: [
    { tenantId: TENANT_ID, objectId: CALLER_OBJECT_ID, permissions: { keys: ["Get", "List"] } },
  ] });
  addKey(e, { vault: AP_VAULT, name: "k" });
  addAccount(e, { name: "fhir-ap", keyUri: keyUri(AP_VAULT, "k") });
  h = await startHarness(e, { account: [id("fhir-ap")], targetResourceGroup: "rg-target" });
});
afterAll(async () => { await h?.close(); });

describe("grant-key-access-policy and ensure-resource-group executors", () => {
  it("creates the resource group, then finds it as planned", async () => {
    const rg = stepOf(h.plan, "fhir-ap", "ensure-resource-group");
    expect(await runStep(h, rg)).toMatchObject({ status: "succeeded", reason: "created" });
    const since = lastSeq(h.sandbox);
    expect(await runStep(h, rg)).toMatchObject({ status: "succeeded", reason: "already-satisfied" });
    expect(requestsSince(h.sandbox, since).filter((r) => r.method !== "GET")).toEqual([]);
  });

  it("creates the access policy for the identity with get, wrapKey, unwrapKey", async () => {
    for (const kind of ["ensure-workspace", "ensure-identity"] as const) {
      expect(await runStep(h, stepOf(h.plan, "fhir-ap", kind))).toMatchObject({ status: "succeeded", reason: "created" });
    }
    const principalId = h.outputs.get(stepOf(h.plan, "fhir-ap", "ensure-identity").id)!.principalId!;
    expect(await runStep(h, stepOf(h.plan, "fhir-ap", "grant-key-access-policy"))).toMatchObject({ status: "succeeded", reason: "created" });
    const policies = h.sandbox.state.getResource(vaultId(AP_VAULT))!.properties!["accessPolicies"] as
      { objectId: string; permissions: { keys: string[] } }[];
    const mine = policies.find((p) => p.objectId === principalId)!;
    expect(mine.permissions.keys.map((k) => k.toLowerCase()).sort()).toEqual(["get", "unwrapkey", "wrapkey"]);
    // The caller's own entry is untouched.
    expect(policies.find((p) => p.objectId === CALLER_OBJECT_ID)).toBeDefined();
  });

  it("finds the access policy already in place (second run, and in doubt) without a write", async () => {
    const step = stepOf(h.plan, "fhir-ap", "grant-key-access-policy");
    const since = lastSeq(h.sandbox);
    expect(await runStep(h, step)).toMatchObject({ status: "succeeded", reason: "already-satisfied" });
    expect(await runStep(h, step, { inDoubt: { operationUrl: null } })).toMatchObject({ status: "succeeded", reason: "reconciled" });
    expect(writesTo(requestsSince(h.sandbox, since), "/accessPolicies/")).toEqual([]);
  });

  it("creates the FHIR service on its first operation once the access policy is there", async () => {
    const step = stepOf(h.plan, "fhir-ap", "create-fhir-service");
    const since = lastSeq(h.sandbox);
    expect(await runStep(h, step)).toMatchObject({ status: "succeeded", reason: "created" });
    expect(writesTo(requestsSince(h.sandbox, since), pathOf(step.request.url))).toHaveLength(1);
    expect(stepsOf(h.plan, "fhir-ap").map((s) => s.kind)).toContain("ensure-resource-group");
  });

  it("fails when the vault now uses RBAC (access policies would be ignored)", async () => {
    h.sandbox.patchResource(vaultId(AP_VAULT), { properties: { enableRbacAuthorization: true } });
    const o = await runStep(h, stepOf(h.plan, "fhir-ap", "grant-key-access-policy"));
    expect(o).toMatchObject({ status: "failed", error: { code: "TargetConflict" } });
    if (o.status === "failed") expect(o.error.message).toContain("enableRbacAuthorization");
    h.sandbox.patchResource(vaultId(AP_VAULT), { properties: { enableRbacAuthorization: false } });
  });

  it("fails a resource group that exists in another location, naming `location`", async () => {
    const rg = stepOf(h.plan, "fhir-ap", "ensure-resource-group");
    h.sandbox.patchResource(`/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/rg-target`, { location: "eastus" });
    const o = await runStep(h, rg);
    expect(o).toMatchObject({ status: "failed", error: { code: "TargetConflict" } });
    if (o.status === "failed") expect(o.error.message).toMatch(/location is "eastus" in Azure, the plan sets "westeurope"/);
  });

  it("fails a step ARM refuses (404 vault) with the ARM code, message and request id", async () => {
    const step = stepOf(h.plan, "fhir-ap", "grant-key-access-policy");
    const gone = { ...step, request: { ...step.request, url: step.request.url.replace(`/vaults/${AP_VAULT}/`, "/vaults/kv-missing/") } };
    const o = await runStep(h, gone);
    expect(o).toMatchObject({ status: "failed", error: { code: expect.stringMatching(/NotFound/), requestId: expect.stringMatching(/-/) } });
    expect(forbiddenRequests(h.sandbox.requests())).toEqual([]);
  });
});
