import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { SandboxContext } from "../context.js";
import { DEFAULT_BEHAVIOUR, type Cloud, type Estate } from "../estate-types.js";
import type { SandboxRequest } from "../http.js";
import { SandboxState } from "../state.js";
import { authenticate } from "./authenticate.js";
import { handleEntra } from "./entra-handler.js";
import { createTokenIssuer } from "./tokens.js";

const T1 = "11111111-1111-1111-1111-111111111111";
const T2 = "22222222-2222-2222-2222-222222222222";
const APP = "a0000000-0000-0000-0000-000000000001";
const SP1 = "b0000000-0000-0000-0000-000000000001";
const SP2 = "b0000000-0000-0000-0000-000000000002";
const NOW = Date.UTC(2026, 10, 1, 12, 0, 0);
const pem = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const tokens = createTokenIssuer(pem);

function context(cloud: Cloud = "AzureCloud"): SandboxContext {
  const estate: Estate = {
    formatVersion: 1, cloud,
    tenants: [{ tenantId: T1, displayName: "Contoso" }, { tenantId: T2, displayName: "Fabrikam" }],
    principals: [
      { tenantId: T1, objectId: SP1, type: "ServicePrincipal", displayName: "migrator", appId: APP, clientSecret: "fake-secret-1" },
      // the same multi-tenant app's principal in the second tenant: no secret of its own
      { tenantId: T2, objectId: SP2, type: "ServicePrincipal", displayName: "migrator", appId: APP },
    ],
    caller: { tenantId: T1, clientId: APP, clientSecret: "fake-secret-1" },
    subscriptions: [], resourceGroups: [], resources: [], keys: [], behaviour: DEFAULT_BEHAVIOUR,
  };
  const state = new SandboxState(estate, () => NOW);
  return { state, tokens, random: () => 0.5, notes: {}, changed: () => {}, stuckStateFor: () => undefined };
}

function request(method: string, path: string, form?: Record<string, string>, host = "login.microsoftonline.com"): SandboxRequest {
  const [p, q] = path.split("?");
  return {
    seq: 1, method, host, path: p ?? "", query: new URLSearchParams(q ?? ""),
    headers: form ? { "content-type": "application/x-www-form-urlencoded;charset=utf-8" } : {},
    body: Buffer.from(form ? new URLSearchParams(form).toString() : ""),
  };
}

const goodForm = {
  client_id: APP, client_secret: "fake-secret-1", grant_type: "client_credentials",
  scope: "https://management.azure.com/.default",
  claims: JSON.stringify({ access_token: { xms_cc: { values: ["cp1"] } } }),
  "x-client-SKU": "msal.js.node", "x-client-VER": "5.6.0", "x-client-current-telemetry": "5|771,2,,,|,",
};

function body(r: { body?: unknown }): Record<string, unknown> {
  return r.body as Record<string, unknown>;
}

function claimsOf(accessToken: unknown): Record<string, unknown> {
  return JSON.parse(Buffer.from(String(accessToken).split(".")[1] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
}

describe("Entra token endpoint (client credentials)", () => {
  it("issues a signed v1 token for the ARM scope with the principal's claims", () => {
    const ctx = context();
    const res = handleEntra(request("POST", `/${T1}/oauth2/v2.0/token?client-request-id=c-1`, goodForm), ctx);
    expect(res.status).toBe(200);
    expect(body(res)).toMatchObject({ token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599 });
    const claims = claimsOf(body(res).access_token);
    expect(claims).toMatchObject({
      aud: "https://management.azure.com", tid: T1, oid: SP1, sub: SP1, appid: APP, ver: "1.0",
      iss: `https://sts.windows.net/${T1}/`, iat: NOW / 1000, nbf: NOW / 1000, exp: NOW / 1000 + 3599,
    });
    expect(tokens.verify(String(body(res).access_token))).toBeDefined();
    expect(ctx.notes.principal).toBe(SP1);
    expect(res.headers?.["client-request-id"]).toBe("c-1");
  });

  it("gives the Key Vault and Graph audiences, also with a trailing slash before /.default", () => {
    for (const [scope, aud] of [
      ["https://vault.azure.net/.default", "https://vault.azure.net"],
      ["https://graph.microsoft.com//.default", "https://graph.microsoft.com"],
      ["https://management.azure.com//.default", "https://management.azure.com"],
    ]) {
      const res = handleEntra(request("POST", `/${T1}/oauth2/v2.0/token`, { ...goodForm, scope: scope ?? "" }), context());
      expect(res.status).toBe(200);
      expect(claimsOf(body(res).access_token).aud).toBe(aud);
    }
  });

  it("signs a multi-tenant app in to its second tenant with that tenant's object id and the home secret", () => {
    const res = handleEntra(request("POST", `/${T2}/oauth2/v2.0/token`, goodForm), context());
    expect(res.status).toBe(200);
    expect(claimsOf(body(res).access_token)).toMatchObject({ tid: T2, oid: SP2, appid: APP });
  });

  it("answers the US Government audiences on the .us login host", () => {
    const res = handleEntra(request("POST", `/${T1}/oauth2/v2.0/token`,
      { ...goodForm, scope: "https://management.usgovcloudapi.net/.default" }, "login.microsoftonline.us"), context("AzureUSGovernment"));
    expect(res.status).toBe(200);
    expect(claimsOf(body(res).access_token).aud).toBe("https://management.usgovcloudapi.net");
    const wrongCloud = handleEntra(request("POST", `/${T1}/oauth2/v2.0/token`, goodForm, "login.microsoftonline.us"), context("AzureUSGovernment"));
    expect(body(wrongCloud)).toMatchObject({ error: "invalid_resource", error_codes: [500011] });
  });

  it("rejects a wrong secret with 401 invalid_client AADSTS7000215 in Entra's error shape", () => {
    const res = handleEntra(request("POST", `/${T1}/oauth2/v2.0/token?client-request-id=c-2`, { ...goodForm, client_secret: "nope" }), context());
    expect(res.status).toBe(401);
    const b = body(res);
    expect(b).toMatchObject({ error: "invalid_client", error_codes: [7000215], correlation_id: "c-2" });
    expect(String(b.error_description)).toMatch(/^AADSTS7000215: Invalid client secret provided\..*\r\nTrace ID: [0-9a-f-]{36}\r\nCorrelation ID: c-2\r\nTimestamp: 2026-11-01 12:00:00Z$/s);
    expect(b.timestamp).toBe("2026-11-01 12:00:00Z");
    expect(b.trace_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(b.error_uri).toBe("https://login.microsoftonline.com/error?code=7000215");
    expect(JSON.stringify(b)).not.toContain("fake-secret-1");
  });

  it("rejects an unknown client with 400 unauthorized_client AADSTS700016 naming the directory", () => {
    const res = handleEntra(request("POST", `/${T1}/oauth2/v2.0/token`, { ...goodForm, client_id: "c0000000-0000-0000-0000-000000000009" }), context());
    expect(res.status).toBe(400);
    expect(body(res)).toMatchObject({ error: "unauthorized_client", error_codes: [700016] });
    expect(String(body(res).error_description)).toContain("Application with identifier 'c0000000-0000-0000-0000-000000000009' was not found in the directory 'Contoso'");
  });

  it("rejects an unknown tenant with 400 invalid_request AADSTS90002", () => {
    const res = handleEntra(request("POST", "/99999999-9999-9999-9999-999999999999/oauth2/v2.0/token", goodForm), context());
    expect(res.status).toBe(400);
    expect(body(res)).toMatchObject({ error: "invalid_request", error_codes: [90002] });
    expect(String(body(res).error_description)).toContain("Tenant '99999999-9999-9999-9999-999999999999' not found");
  });

  it("rejects other grants, missing parameters, bad scopes and GETs", () => {
    const ctx = context();
    const post = (form: Record<string, string>) => body(handleEntra(request("POST", `/${T1}/oauth2/v2.0/token`, form), ctx));
    expect(post({ ...goodForm, grant_type: "password" })).toMatchObject({ error: "unsupported_grant_type", error_codes: [70003] });
    const { client_secret: _s, ...noSecret } = goodForm;
    expect(post(noSecret)).toMatchObject({ error: "invalid_client", error_codes: [7000218] });
    const { client_id: _c, ...noClient } = goodForm;
    expect(post(noClient)).toMatchObject({ error: "invalid_request", error_codes: [900144] });
    expect(post({ ...goodForm, scope: "https://management.azure.com/user_impersonation" })).toMatchObject({ error: "invalid_scope", error_codes: [70011] });
    expect(post({ ...goodForm, scope: "https://example.org/.default" })).toMatchObject({ error: "invalid_resource", error_codes: [500011] });
    const get = handleEntra(request("GET", `/${T1}/oauth2/v2.0/token`), ctx);
    expect(get.status).toBe(400);
    expect(body(get)).toMatchObject({ error_codes: [900561] });
    expect(ctx.notes.principal).toBeUndefined();
  });

  it("issues tokens that authenticate() accepts for their audience only, until they expire", () => {
    const ctx = context();
    const res = handleEntra(request("POST", `/${T1}/oauth2/v2.0/token`, goodForm), ctx);
    const bearer = (host: string): SandboxRequest => ({ ...request("GET", "/subscriptions", undefined, host), headers: { authorization: `Bearer ${String(body(res).access_token)}` } });
    expect(authenticate(bearer("management.azure.com"), ctx, ["https://management.azure.com/"])).toMatchObject({ ok: true, claims: { oid: SP1 } });
    expect(authenticate(bearer("x.vault.azure.net"), ctx, ["https://vault.azure.net"])).toMatchObject({ ok: false, reason: "audience" });
    ctx.state.now = () => NOW + 3599 * 1000;
    expect(authenticate(bearer("management.azure.com"), ctx, ["https://management.azure.com"])).toMatchObject({ ok: false, reason: "expired" });
  });
});

describe("Entra discovery and keys", () => {
  it("serves the v2.0 OpenID configuration of a tenant", () => {
    const res = handleEntra(request("GET", `/${T1}/v2.0/.well-known/openid-configuration`), context());
    expect(res.status).toBe(200);
    expect(body(res)).toMatchObject({
      issuer: `https://login.microsoftonline.com/${T1}/v2.0`,
      token_endpoint: `https://login.microsoftonline.com/${T1}/oauth2/v2.0/token`,
      authorization_endpoint: `https://login.microsoftonline.com/${T1}/oauth2/v2.0/authorize`,
      jwks_uri: `https://login.microsoftonline.com/${T1}/discovery/v2.0/keys`,
    });
  });

  it("serves the v1 OpenID configuration whose issuer is the tokens' iss", () => {
    const res = handleEntra(request("GET", `/${T1}/.well-known/openid-configuration`, undefined, "login.microsoftonline.us"), context("AzureUSGovernment"));
    expect(body(res)).toMatchObject({
      issuer: `https://sts.windows.net/${T1}/`,
      token_endpoint: `https://login.microsoftonline.us/${T1}/oauth2/token`,
      jwks_uri: "https://login.microsoftonline.us/common/discovery/keys",
    });
  });

  it("serves the JWKS under the tenant and common paths", () => {
    for (const path of [`/${T1}/discovery/v2.0/keys`, "/common/discovery/keys", "/common/discovery/v2.0/keys"]) {
      const res = handleEntra(request("GET", path), context());
      expect(res.status).toBe(200);
      expect(body(res)).toEqual(tokens.jwks());
    }
  });

  it("answers an unknown tenant's discovery with invalid_tenant AADSTS90002, other paths with 404", () => {
    const unknown = handleEntra(request("GET", "/nobody.onmicrosoft.com/v2.0/.well-known/openid-configuration"), context());
    expect(unknown.status).toBe(400);
    expect(body(unknown)).toMatchObject({ error: "invalid_tenant", error_codes: [90002] });
    const other = handleEntra(request("GET", `/${T1}/oauth2/v2.0/authorize`), context());
    expect(other.status).toBe(404);
    expect(body(other)).toMatchObject({ error: "not_found" });
    expect(String(body(other).error_description)).toMatch(/^AADSTS\d+: /);
  });
});
