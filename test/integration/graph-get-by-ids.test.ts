// Microsoft Graph `POST /v1.0/directoryObjects/getByIds` through an @azure/core-rest-pipeline pipeline
// with bearerTokenAuthenticationPolicy (the way the product calls Graph: node's fetch ignores HTTPS_PROXY).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClientSecretCredential } from "@azure/identity";
import {
  bearerTokenAuthenticationPolicy, createDefaultHttpClient, createHttpHeaders, createPipelineFromOptions, createPipelineRequest,
  type Pipeline,
} from "@azure/core-rest-pipeline";
import type { Sandbox } from "../../src/sandbox/server.js";
import { startTestSandbox } from "../helpers/sandbox.js";
import {
  CALLER_APP_ID, CALLER_OBJECT_ID, CALLER_SECRET, OTHER_TENANT_ID, TENANT_ID, addForeignTenant, addPrincipal, baseEstate,
} from "../fixtures/estate-builders.js";

const GRAPH = "https://graph.microsoft.com";
let sandbox: Sandbox;
let user: string;
let group: string;
let foreign: string;

beforeAll(async () => {
  const estate = baseEstate({ noVault: true });
  addForeignTenant(estate);
  user = addPrincipal(estate, { type: "User", displayName: "Alex Admin" }).objectId;
  group = addPrincipal(estate, { type: "Group", displayName: "FHIR Admins" }).objectId;
  foreign = addPrincipal(estate, { tenantId: OTHER_TENANT_ID, type: "ServicePrincipal", displayName: "partner-app", appId: "99999999-9999-4999-8999-999999999999" }).objectId;
  sandbox = await startTestSandbox(estate);
});
afterAll(async () => { await sandbox.close(); });

function graphPipeline(withToken: boolean): Pipeline {
  const pipeline = createPipelineFromOptions({ retryOptions: { maxRetries: 0 } });
  if (withToken) {
    const credential = new ClientSecretCredential(TENANT_ID, CALLER_APP_ID, CALLER_SECRET);
    pipeline.addPolicy(bearerTokenAuthenticationPolicy({ credential, scopes: `${GRAPH}/.default` }));
  }
  return pipeline;
}

async function getByIds(pipeline: Pipeline, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const req = createPipelineRequest({
    url: `${GRAPH}/v1.0/directoryObjects/getByIds`, method: "POST", body: JSON.stringify(body),
    headers: createHttpHeaders({ "content-type": "application/json", accept: "application/json" }),
  });
  const res = await pipeline.sendRequest(createDefaultHttpClient(), req);
  return { status: res.status, body: JSON.parse(res.bodyAsText ?? "null") as Record<string, unknown> };
}

describe("Graph directoryObjects/getByIds", () => {
  it("returns the caller tenant's principals with @odata.type and leaves out unknown and foreign ids", async () => {
    const res = await getByIds(graphPipeline(true), { ids: [CALLER_OBJECT_ID, user, group, foreign, "00000000-0000-4000-8000-000000000000"] });
    expect(res.status).toBe(200);
    expect(res.body["@odata.context"]).toBe(`${GRAPH}/v1.0/$metadata#directoryObjects`);
    const value = res.body.value as Record<string, unknown>[];
    expect(value.map((o) => [o["@odata.type"], o.id])).toEqual([
      ["#microsoft.graph.servicePrincipal", CALLER_OBJECT_ID],
      ["#microsoft.graph.user", user],
      ["#microsoft.graph.group", group],
    ]);
    expect(value[0]).toMatchObject({ appId: CALLER_APP_ID, displayName: "fixture-caller" });
    const entry = sandbox.requests().filter((r) => r.host === "graph.microsoft.com").at(-1);
    expect(entry).toMatchObject({ method: "POST", path: "/v1.0/directoryObjects/getByIds", status: 200, principal: CALLER_OBJECT_ID });
  });

  it("narrows by types", async () => {
    const res = await getByIds(graphPipeline(true), { ids: [CALLER_OBJECT_ID, user, group], types: ["servicePrincipal"] });
    expect((res.body.value as { id: string }[]).map((o) => o.id)).toEqual([CALLER_OBJECT_ID]);
  });

  it("answers 401 InvalidAuthenticationToken without a bearer token", async () => {
    const res = await getByIds(graphPipeline(false), { ids: [CALLER_OBJECT_ID] });
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: "InvalidAuthenticationToken", message: "Access token is empty." });
  });

  it("refuses more than 1000 ids with 400", async () => {
    const ids = Array.from({ length: 1001 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`);
    const res = await getByIds(graphPipeline(true), { ids });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: "Request_BadRequest" });
  });
});
