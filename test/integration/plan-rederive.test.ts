// Re-deriving a plan before it is applied (issue 10 §3, src/cli/rederive-plan.ts): the product's planner run
// again from the plan's recorded choices against the sandbox, real SDK clients through the proxy. The plan
// made in the same world agrees; so does the plan after its own steps ran (its workspace, identity, grants
// and FHIR service exist now); a fact the fingerprint does not hold changing (a role assignment on the
// account, a workspace someone else made at the target name) is named as the first difference; so is a
// re-sealed edit the step rules cannot judge (a FHIR data grant to a principal the account never named).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Estate } from "../../src/sandbox/estate-types.js";
import type { Plan } from "../../src/domain/plan.js";
import { refuseUnplannable } from "../../src/cli/rederive-plan.js";
import { sealPlan } from "../../src/planner/digest.js";
import { parsePlan } from "../../src/planner/load-plan.js";
import {
  addAccount, addPrincipal, addRoleAssignment, addSubscription, baseEstate, CALLER_OBJECT_ID, resourceGroupId, ROLE_IDS, SUBSCRIPTION_ID,
} from "../fixtures/estate-builders.js";
import { id } from "./plan-estate.js";
import { runStep, startHarness, type Harness } from "./runner-step-harness.js";

const FHIR_DATA_READER = "4c8d0bbc-75d3-4935-991f-5f3c56d81508";

function estate(): { estate: Estate; reader: string; newcomer: string } {
  const e = baseEstate({ behaviour: { rolePropagationMs: 0, operationDurationMs: { default: 0 } } });
  const reader = addPrincipal(e, { displayName: "Reporting app", type: "ServicePrincipal" }).objectId;
  const newcomer = addPrincipal(e, { displayName: "Newcomer", type: "User" }).objectId;
  const clinician = addPrincipal(e, { displayName: "Clinician", type: "User" }).objectId;
  addAccount(e, { name: "fhir-rbac", properties: { accessPolicies: [{ objectId: clinician }] } });
  addAccount(e, { name: "fhir-named", keyUri: null });
  addRoleAssignment(e, { scope: id("fhir-rbac"), role: FHIR_DATA_READER, principalId: reader });
  return { estate: e, reader, newcomer };
}

let h: Harness;
let fixture: ReturnType<typeof estate>;
const PATH = "t.plan.json";

beforeEach(async () => {
  fixture = estate();
  h = await startHarness(fixture.estate, {
    account: [id("fhir-rbac"), id("fhir-named")], name: [`${id("fhir-named")}=chosenws/records`], targetResourceGroup: "rg-new",
  });
});
afterEach(async () => { await h?.close(); });

/** The refusal's message, or null when the plan agrees with the one made again. */
async function refusal(plan: Plan): Promise<string | null> {
  try {
    await refuseUnplannable(PATH, parsePlan(JSON.stringify(plan), PATH), h.session);
    return null;
  } catch (e) {
    expect((e as Error).name).toBe("PlanFormatError");
    return (e as Error).message;
  }
}

const dataGrants = (p: Plan) => p.steps.filter((s) => s.kind === "grant-data-role" && /\/fhirservices\//i.test(s.request.url));

describe("re-deriving a plan from its recorded choices", () => {
  it("agrees with the plan made in the same world (copied RBAC grant, access-policy grant, chosen names and resource group)", async () => {
    expect(dataGrants(h.plan)).toHaveLength(2);
    expect(h.plan.accounts.map((a) => a.target.workspaceName).sort()).toEqual(["chosenws", "fhirrbac"]);
    expect(await refusal(h.plan)).toBeNull();
  });

  it("still agrees once every step has run: the plan's own workspace, identity, grants and FHIR services do not count against it", async () => {
    for (const step of h.plan.steps) expect((await runStep(h, step)).status, step.id).toBe("succeeded");
    expect(await refusal(h.plan)).toBeNull();
  });

  it("names the copied grant it would add when a role assignment was made on the account after planning", async () => {
    const stub = { resources: [] } as unknown as Estate;
    h.sandbox.state.putResource(addRoleAssignment(stub, { scope: id("fhir-rbac"), role: FHIR_DATA_READER, principalId: fixture.newcomer, principalType: "User" }));
    const why = await refusal(h.plan);
    expect(why).toMatch(new RegExp("^t\\.plan\\.json is refused: it is not what `plan` makes from its recorded choices and Azure's facts now: "
      + `it makes step fhir-rbac-\\w+/grant-data-role/rbac/${FHIR_DATA_READER}/[0-9a-f-]{36} \\(grant-data-role\\), which the plan lacks\\.$`));
  });

  it("names the workspace step when someone else made a workspace at the target name after planning", async () => {
    // The plan's resource group step ran; then someone else made the workspace in it.
    expect((await runStep(h, h.plan.steps.find((s) => s.kind === "ensure-resource-group")!)).status).toBe("succeeded");
    const ws = `${resourceGroupId("rg-new")}/providers/Microsoft.HealthcareApis/workspaces/chosenws`;
    h.sandbox.state.putResource({ id: ws, name: "chosenws", type: "Microsoft.HealthcareApis/workspaces", location: "westeurope",
      tags: {}, properties: { provisioningState: "Succeeded", publicNetworkAccess: "Enabled" } });
    const step = h.plan.steps.find((s) => s.kind === "ensure-workspace" && s.request.url.includes("/workspaces/chosenws?"))!;
    expect(await refusal(h.plan)).toContain(`: step ${step.id} is not one it makes (for that account it makes `);
  });

  it("refuses a re-sealed FHIR data grant to a principal the account never named, naming the field", async () => {
    const edited = structuredClone(h.plan);
    const grant = dataGrants(edited).find((s) => (s.request.body as { properties: { principalId: string } }).properties.principalId === fixture.reader)!;
    (grant.request.body as { properties: { principalId: string } }).properties.principalId = fixture.newcomer;
    expect(await refusal(sealPlan(edited))).toContain(
      `: step ${grant.id}: body.properties.principalId is "${fixture.newcomer}", but it makes "${fixture.reader}".`);
  });

  it("refuses re-sealed choices that select fewer accounts than the plan lists", async () => {
    const edited = structuredClone(h.plan);
    edited.choices.accounts = [id("fhir-rbac")];
    expect(await refusal(sealPlan(edited))).toContain(": account fhir-named is not one it selects.");
  });
});

describe("re-deriving an --all-ready plan made with --subscription", () => {
  it("reads only the recorded subscriptions, so the ready account of another subscription is not added", async () => {
    const e = baseEstate({ behaviour: { rolePropagationMs: 0, operationDurationMs: { default: 0 } } });
    addAccount(e, { name: "fhir-here", keyUri: null });
    const other = addSubscription(e, "Elsewhere");
    addRoleAssignment(e, { scope: `/subscriptions/${other}`, role: ROLE_IDS.owner, principalId: CALLER_OBJECT_ID });
    addAccount(e, { name: "fhir-there", keyUri: null, subscriptionId: other });
    await h.close();
    h = await startHarness(e, { allReady: true, subscription: [SUBSCRIPTION_ID] });
    expect(h.plan.choices.subscriptions).toEqual([SUBSCRIPTION_ID]);
    expect(h.plan.accounts.map((a) => a.name)).toEqual(["fhir-here"]);
    expect(await refusal(h.plan)).toBeNull();
    // Without the recorded subscriptions the plan made again lists every visible one.
    const unscoped = structuredClone(h.plan);
    delete unscoped.choices.subscriptions;
    expect(await refusal(sealPlan(unscoped))).toContain(": it selects account fhir-there (planned), which the plan lacks.");
  });
});
