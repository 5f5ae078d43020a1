// The executors of an account on an RBAC vault (workspace, identity, key role, FHIR service, data role),
// real SDK pipelines through the sandbox: created, then already-satisfied on a second run with no write
// sent twice; a conflicting target fails naming the field; in-doubt attempts are reconciled by reading
// Azure (or by polling the journaled operation) without a second create.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendArmRequest } from "../../src/azure/arm-request.js";
import { addAccount, addPrincipal, baseEstate } from "../fixtures/estate-builders.js";
import {
  forbiddenRequests, lastSeq, pathOf, requestsSince, runAccount, runStep, startHarness, stepOf, writesTo, type Harness,
} from "./runner-step-harness.js";
import { id } from "./plan-estate.js";

let h: Harness;
let reader = "";

beforeAll(async () => {
  const e = baseEstate({ behaviour: { operationDurationMs: { default: 30_000 } } });
  reader = addPrincipal(e, { displayName: "fhir-reader", type: "User" }).objectId;
  addAccount(e, { name: "fhir-one", accessPolicies: [reader] });
  addAccount(e, { name: "fhir-two" });
  addAccount(e, { name: "fhir-three" });
  h = await startHarness(e, { account: [id("fhir-one"), id("fhir-two"), id("fhir-three")] });
});
afterAll(async () => { await h?.close(); });

describe("executors on an RBAC-vault account", () => {
  it("creates every step, journals the identity's outputs and the accepted operations", async () => {
    const since = lastSeq(h.sandbox);
    const out = await runAccount(h, "fhir-one");
    const reasons = [...out.values()].map((o) => (o.status === "succeeded" ? o.reason : o.error.code));
    expect(reasons).toEqual(["created", "created", "created", "created", "created"]);
    expect([...out.keys()].slice(0, 4)).toEqual(["ensure-workspace", "ensure-identity", "grant-key-role", "create-fhir-service"]);
    const idOut = h.outputs.get(stepOf(h.plan, "fhir-one", "ensure-identity").id)!;
    expect(idOut.principalId).toMatch(/^[0-9a-f-]{36}$/);
    expect(idOut.clientId).toMatch(/^[0-9a-f-]{36}$/);
    // Workspace and FHIR service: their operation URLs were handed to the engine before polling.
    expect(h.accepted.filter((u) => /operationresults/i.test(u))).toHaveLength(2);
    const fhir = h.sandbox.state.getResource(h.plan.accounts.find((a) => a.name === "fhir-one")!.target.fhirServiceId)!;
    expect(fhir.properties!["provisioningState"]).toBe("Succeeded");
    expect(JSON.stringify(fhir.properties!["encryption"])).toContain(h.plan.accounts.find((a) => a.name === "fhir-one")!.keyLinkage!.targetKeyUrl);
    // The key role is scoped to the key and names the identity's principal.
    const keyRole = stepOf(h.plan, "fhir-one", "grant-key-role");
    const assignment = h.sandbox.state.getResource(pathOf(keyRole.request.url))!;
    expect(assignment.properties!["principalId"]).toBe(idOut.principalId);
    expect(forbiddenRequests(requestsSince(h.sandbox, since))).toEqual([]);
  });

  it("finds everything already satisfied on a second run and sends no write", async () => {
    const since = lastSeq(h.sandbox);
    const out = await runAccount(h, "fhir-one");
    expect([...out.values()].map((o) => (o.status === "succeeded" ? o.reason : o.error.code)))
      .toEqual(["already-satisfied", "already-satisfied", "already-satisfied", "already-satisfied", "already-satisfied"]);
    const sent = requestsSince(h.sandbox, since);
    expect(sent.filter((r) => r.method !== "GET")).toEqual([]);
    expect(h.outputs.get(stepOf(h.plan, "fhir-one", "ensure-identity").id)!.principalId).toMatch(/-/);
  });

  it("fails a workspace that exists migrated from another account, naming the field, and writes nothing", async () => {
    const ws = stepOf(h.plan, "fhir-two", "ensure-workspace");
    await runStep(h, ws);
    h.sandbox.patchResource(pathOf(ws.request.url), { tags: { "ahds-migrate-source": id("fhir-one") } });
    const since = lastSeq(h.sandbox);
    const o = await runStep(h, ws);
    expect(o.status).toBe("failed");
    if (o.status !== "failed") return;
    expect(o.error.code).toBe("TargetConflict");
    expect(o.error.message).toContain("tags.ahds-migrate-source is");
    expect(o.error.message).toContain("fhir-one");
    expect(o.error.requestId).toMatch(/-/);
    expect(writesTo(requestsSince(h.sandbox, since), "/workspaces/")).toEqual([]);
  });

  it("fails a key role assignment whose name holds another principal", async () => {
    const identity = stepOf(h.plan, "fhir-two", "ensure-identity");
    await runStep(h, identity);
    const role = stepOf(h.plan, "fhir-two", "grant-key-role");
    expect(await runStep(h, role)).toMatchObject({ status: "succeeded", reason: "created" });
    h.sandbox.patchResource(pathOf(role.request.url), { properties: { principalId: reader } });
    const o = await runStep(h, role);
    expect(o).toMatchObject({ status: "failed", error: { code: "TargetConflict" } });
    if (o.status === "failed") expect(o.error.message).toContain("principalId");
  });

  it("treats 409 RoleAssignmentExists (same principal, role, scope under another name) as already satisfied", async () => {
    const role = stepOf(h.plan, "fhir-three", "grant-key-role");
    await runStep(h, stepOf(h.plan, "fhir-three", "ensure-identity"));
    const principalId = h.outputs.get(stepOf(h.plan, "fhir-three", "ensure-identity").id)!.principalId!;
    // Someone granted the same role to the identity at the key under another assignment name.
    const other = role.request.url.replace(/roleAssignments\/[^?]+/, "roleAssignments/0d6f5c1e-4b9a-4c39-9a4b-0c0c0c0c0c0c");
    const body = { properties: { ...(role.request.body as { properties: Record<string, unknown> }).properties, principalId } };
    expect((await sendArmRequest(h.session, { method: "PUT", url: other, body })).status).toBe(201);
    const since = lastSeq(h.sandbox);
    expect(await runStep(h, role)).toMatchObject({ status: "succeeded", reason: "already-satisfied" });
    expect(requestsSince(h.sandbox, since).filter((r) => r.method === "PUT" && r.status === 409)).toHaveLength(1);
  });

  it("reconciles an in-doubt workspace by polling its journaled operation, without a second PUT", async () => {
    const ws = stepOf(h.plan, "fhir-three", "ensure-workspace");
    // A previous attempt sent the PUT and crashed after journaling the operation URL.
    const first = await sendArmRequest(h.session, { method: "PUT", url: ws.request.url, body: ws.request.body });
    expect(first.status).toBe(201);
    const operationUrl = first.headers["azure-asyncoperation"]!;
    const since = lastSeq(h.sandbox);
    const o = await runStep(h, ws, { inDoubt: { operationUrl } });
    expect(o).toMatchObject({ status: "succeeded", reason: "reconciled" });
    const sent = requestsSince(h.sandbox, since);
    expect(writesTo(sent, "/workspaces/")).toEqual([]);
    expect(sent.some((r) => /operationresults/i.test(r.path))).toBe(true);
    // It waited on the virtual clock as Retry-After said (30 s operation), not a busy loop.
    expect(h.clock.sleeps.some((ms) => ms > 0)).toBe(true);
  });

  it("reconciles an in-doubt identity without an operation URL by reading it (no second PUT), outputs included", async () => {
    const identity = stepOf(h.plan, "fhir-three", "ensure-identity");
    const since = lastSeq(h.sandbox);
    const o = await runStep(h, identity, { inDoubt: { operationUrl: null } });
    expect(o).toMatchObject({ status: "succeeded", reason: "reconciled", outputs: { principalId: expect.any(String) } });
    expect(writesTo(requestsSince(h.sandbox, since), "userAssignedIdentities")).toEqual([]);
  });

  it("creates an in-doubt step whose target is missing (the crash came before the PUT)", async () => {
    const fhir = stepOf(h.plan, "fhir-three", "create-fhir-service");
    const since = lastSeq(h.sandbox);
    const o = await runStep(h, fhir, { inDoubt: { operationUrl: null } });
    expect(o).toMatchObject({ status: "succeeded", reason: "reconciled" });
    expect(writesTo(requestsSince(h.sandbox, since), "/fhirservices/")).toHaveLength(1);
  });
});
