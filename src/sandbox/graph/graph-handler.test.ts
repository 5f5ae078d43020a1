import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { SandboxContext, TokenClaims } from "../context.js";
import { DEFAULT_BEHAVIOUR, type Cloud } from "../estate-types.js";
import type { SandboxRequest } from "../http.js";
import { SandboxState } from "../state.js";
import { createTokenIssuer } from "../entra/tokens.js";
import { handleGraph } from "./graph-handler.js";

const T1 = "11111111-1111-1111-1111-111111111111";
const T2 = "22222222-2222-2222-2222-222222222222";
const SP = "b0000000-0000-0000-0000-000000000001";
const USER = "c0000000-0000-0000-0000-000000000001";
const GROUP = "d0000000-0000-0000-0000-000000000001";
const FOREIGN = "e0000000-0000-0000-0000-000000000001";
const NOW = Date.UTC(2026, 10, 1, 12, 0, 0);
const tokens = createTokenIssuer(generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString());

function context(cloud: Cloud = "AzureCloud"): SandboxContext {
  const state = new SandboxState({
    formatVersion: 1, cloud,
    tenants: [{ tenantId: T1, displayName: "Contoso" }, { tenantId: T2, displayName: "Fabrikam" }],
    principals: [
      { tenantId: T1, objectId: SP, type: "ServicePrincipal", displayName: "migrator", appId: "a1", clientSecret: "fake" },
      { tenantId: T1, objectId: USER, type: "User", displayName: "Alex" },
      { tenantId: T1, objectId: GROUP, type: "Group", displayName: "FHIR admins" },
      { tenantId: T2, objectId: FOREIGN, type: "ServicePrincipal", displayName: "partner app", appId: "a2" },
    ],
    caller: { tenantId: T1, clientId: "a1", clientSecret: "fake" },
    subscriptions: [], resourceGroups: [], resources: [], keys: [], behaviour: DEFAULT_BEHAVIOUR,
  }, () => NOW);
  return { state, tokens, random: () => 0, notes: {}, changed: () => {}, stuckStateFor: () => undefined };
}

function token(over: Partial<TokenClaims> = {}): string {
  return tokens.sign({
    aud: "https://graph.microsoft.com", iss: `https://sts.windows.net/${T1}/`, tid: T1, oid: SP, appid: "a1", sub: SP,
    iat: NOW / 1000, nbf: NOW / 1000, exp: NOW / 1000 + 3599, ver: "1.0", ...over,
  });
}

/** `bearer` null = no Authorization header. */
function post(path: string, body: unknown, bearer: string | null = token(), host = "graph.microsoft.com"): SandboxRequest {
  return {
    seq: 1, method: "POST", host, path, query: new URLSearchParams(),
    headers: { "content-type": "application/json", "x-ms-client-request-id": "req-1", ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body: Buffer.from(body === undefined ? "" : JSON.stringify(body)),
  };
}

type Obj = Record<string, unknown>;
const value = (b: unknown) => (b as { value: Obj[] }).value;
const error = (b: unknown) => (b as { error: Obj }).error;

describe("Graph directoryObjects/getByIds", () => {
  it("returns the caller tenant's principals with @odata.type, leaving out unknown and foreign ids", () => {
    const ctx = context();
    const res = handleGraph(post("/v1.0/directoryObjects/getByIds", { ids: [SP, USER, GROUP, FOREIGN, "f0000000-0000-0000-0000-000000000000"] }), ctx);
    expect(res.status).toBe(200);
    expect((res.body as Obj)["@odata.context"]).toBe("https://graph.microsoft.com/v1.0/$metadata#directoryObjects");
    expect(value(res.body)).toEqual([
      { "@odata.type": "#microsoft.graph.servicePrincipal", id: SP, displayName: "migrator", appId: "a1", servicePrincipalType: "Application", accountEnabled: true },
      { "@odata.type": "#microsoft.graph.user", id: USER, displayName: "Alex" },
      { "@odata.type": "#microsoft.graph.group", id: GROUP, displayName: "FHIR admins" },
    ]);
    expect(ctx.notes.principal).toBe(SP);
    expect(JSON.stringify(res.body)).not.toContain("fake");
  });

  it("answers from the token's tenant: a caller signed in to the second tenant sees its principals", () => {
    const res = handleGraph(post("/v1.0/directoryObjects/getByIds", { ids: [SP, FOREIGN] }, token({ tid: T2, oid: "x" })), context());
    expect(value(res.body).map((o) => o.id)).toEqual([FOREIGN]);
  });

  it("narrows by types", () => {
    const res = handleGraph(post("/v1.0/directoryObjects/getByIds", { ids: [SP, USER, GROUP], types: ["user", "group"] }), context());
    expect(value(res.body).map((o) => o.id)).toEqual([USER, GROUP]);
  });

  it("serves graph.microsoft.us with the US Government audience", () => {
    const ctx = context("AzureUSGovernment");
    const ok = handleGraph(post("/v1.0/directoryObjects/getByIds", { ids: [SP] }, token({ aud: "https://graph.microsoft.us" }), "graph.microsoft.us"), ctx);
    expect(ok.status).toBe(200);
    expect((ok.body as Obj)["@odata.context"]).toBe("https://graph.microsoft.us/v1.0/$metadata#directoryObjects");
    const publicToken = handleGraph(post("/v1.0/directoryObjects/getByIds", { ids: [SP] }, token(), "graph.microsoft.us"), ctx);
    expect(publicToken.status).toBe(401);
  });

  it("answers 401 InvalidAuthenticationToken in Graph's shape without a token, for another audience, or expired", () => {
    for (const bearer of [null, token({ aud: "https://management.azure.com" }), token({ exp: NOW / 1000 - 10 })]) {
      const res = handleGraph(post("/v1.0/directoryObjects/getByIds", { ids: [SP] }, bearer), context());
      expect(res.status).toBe(401);
      const e = error(res.body);
      expect(e.code).toBe("InvalidAuthenticationToken");
      expect(e.innerError).toMatchObject({ date: "2026-11-01T12:00:00", "client-request-id": "req-1" });
      expect((e.innerError as Obj)["request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it("refuses more than 1000 ids and a body without ids with 400", () => {
    const ids = Array.from({ length: 1001 }, (_, i) => `00000000-0000-0000-0000-${String(i).padStart(12, "0")}`);
    const tooMany = handleGraph(post("/v1.0/directoryObjects/getByIds", { ids }), context());
    expect(tooMany.status).toBe(400);
    expect(error(tooMany.body).code).toBe("Request_BadRequest");
    expect(handleGraph(post("/v1.0/directoryObjects/getByIds", { ids: ids.slice(0, 1000) }), context()).status).toBe(200);
    expect(handleGraph(post("/v1.0/directoryObjects/getByIds", {}), context()).status).toBe(400);
  });

  it("answers other paths in Graph's error shape", () => {
    const segment = handleGraph(post("/v1.0/users", {}), context());
    expect(segment.status).toBe(400);
    expect(error(segment.body)).toMatchObject({ code: "BadRequest", message: "Resource not found for the segment 'users'." });
    const object = handleGraph({ ...post("/v1.0/directoryObjects/123", undefined), method: "GET" }, context());
    expect(object.status).toBe(404);
    expect(error(object.body).code).toBe("Request_ResourceNotFound");
    const get = handleGraph({ ...post("/v1.0/directoryObjects/getByIds", undefined), method: "GET" }, context());
    expect(get.status).toBe(405);
  });
});
