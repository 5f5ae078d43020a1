// Entra's client-credentials token endpoint, discovery and JWKS, driven by the real @azure/identity
// credentials (MSAL) through the sandbox proxy.
import { createPublicKey, verify } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClientSecretCredential, DefaultAzureCredential } from "@azure/identity";
import { createDefaultHttpClient, createPipelineFromOptions, createPipelineRequest } from "@azure/core-rest-pipeline";
import type { Sandbox } from "../../src/sandbox/server.js";
import { startTestSandbox } from "../helpers/sandbox.js";
import {
  CALLER_APP_ID, CALLER_OBJECT_ID, CALLER_SECRET, OTHER_TENANT_ID, TENANT_ID, addForeignTenant, addPrincipal, baseEstate,
} from "../fixtures/estate-builders.js";

const NOW = Date.UTC(2026, 10, 1, 12, 0, 0);
const ARM_SCOPE = "https://management.azure.com/.default";
const OTHER_OBJECT_ID = "66666666-6666-4666-8666-666666666666";
let sandbox: Sandbox;

beforeAll(async () => {
  const estate = baseEstate({ noVault: true });
  addForeignTenant(estate);
  // The caller's multi-tenant app, as a principal of the second tenant (no secret of its own).
  addPrincipal(estate, { tenantId: OTHER_TENANT_ID, objectId: OTHER_OBJECT_ID, type: "ServicePrincipal", displayName: "caller-in-other", appId: CALLER_APP_ID });
  sandbox = await startTestSandbox(estate, { now: () => NOW });
});
afterAll(async () => { await sandbox.close(); });

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
}

async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const pipeline = createPipelineFromOptions({});
  const res = await pipeline.sendRequest(createDefaultHttpClient(), createPipelineRequest({ url, method: "GET" }));
  return { status: res.status, body: JSON.parse(res.bodyAsText ?? "null") as Record<string, unknown> };
}

async function failureOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected the token request to fail");
}

describe("Entra token endpoint through the real credentials", () => {
  it("ClientSecretCredential gets a signed ARM token with aud, tid, oid, appid and exp", async () => {
    const credential = new ClientSecretCredential(TENANT_ID, CALLER_APP_ID, CALLER_SECRET);
    const token = await credential.getToken(ARM_SCOPE);
    const [h] = token.token.split(".");
    expect(JSON.parse(Buffer.from(h ?? "", "base64url").toString("utf8"))).toMatchObject({ alg: "RS256", typ: "JWT" });
    expect(claimsOf(token.token)).toMatchObject({
      aud: "https://management.azure.com", tid: TENANT_ID, oid: CALLER_OBJECT_ID, sub: CALLER_OBJECT_ID,
      appid: CALLER_APP_ID, ver: "1.0", exp: NOW / 1000 + 3599,
    });
    const log = sandbox.requests().filter((r) => r.host === "login.microsoftonline.com");
    expect(log.at(-1)).toMatchObject({ method: "POST", path: `/${TENANT_ID}/oauth2/v2.0/token`, status: 200, principal: CALLER_OBJECT_ID });
    expect(JSON.stringify(sandbox.requests())).not.toContain(CALLER_SECRET);
  });

  it("DefaultAzureCredential (environment) gets ARM and Key Vault tokens, CAE claims included", async () => {
    const credential = new DefaultAzureCredential();
    const arm = await credential.getToken(ARM_SCOPE);
    expect(claimsOf(arm.token)).toMatchObject({ aud: "https://management.azure.com", tid: TENANT_ID, oid: CALLER_OBJECT_ID });
    const vault = await credential.getToken("https://vault.azure.net/.default", { enableCae: true });
    expect(claimsOf(vault.token)).toMatchObject({ aud: "https://vault.azure.net", appid: CALLER_APP_ID });
  });

  it("a multi-tenant app signs in to its second tenant as that tenant's principal", async () => {
    const token = await new ClientSecretCredential(OTHER_TENANT_ID, CALLER_APP_ID, CALLER_SECRET).getToken(ARM_SCOPE);
    expect(claimsOf(token.token)).toMatchObject({ tid: OTHER_TENANT_ID, oid: OTHER_OBJECT_ID, appid: CALLER_APP_ID });
  });

  it("a wrong secret fails with AADSTS7000215", async () => {
    const message = await failureOf(new ClientSecretCredential(TENANT_ID, CALLER_APP_ID, "wrong-secret").getToken(ARM_SCOPE));
    expect(message).toContain("AADSTS7000215");
    expect(message).toContain("invalid_client");
    expect(message).not.toContain(CALLER_SECRET);
  });

  it("an unknown client fails with AADSTS700016", async () => {
    const message = await failureOf(new ClientSecretCredential(TENANT_ID, "77777777-7777-4777-8777-777777777777", CALLER_SECRET).getToken(ARM_SCOPE));
    expect(message).toContain("AADSTS700016");
  });

  it("an unknown tenant fails with AADSTS90002", async () => {
    const message = await failureOf(new ClientSecretCredential("88888888-8888-4888-8888-888888888888", CALLER_APP_ID, CALLER_SECRET).getToken(ARM_SCOPE));
    expect(message).toContain("AADSTS90002");
  });

  it("an unknown resource fails with AADSTS500011", async () => {
    const message = await failureOf(new ClientSecretCredential(TENANT_ID, CALLER_APP_ID, CALLER_SECRET).getToken("https://example.org/.default"));
    expect(message).toContain("AADSTS500011");
  });
});

describe("Entra OpenID discovery and JWKS", () => {
  it("publishes discovery whose jwks_uri verifies the tokens the credential got", async () => {
    const discovery = await getJson(`https://login.microsoftonline.com/${TENANT_ID}/v2.0/.well-known/openid-configuration`);
    expect(discovery.status).toBe(200);
    expect(discovery.body).toMatchObject({
      issuer: `https://login.microsoftonline.com/${TENANT_ID}/v2.0`,
      token_endpoint: `https://login.microsoftonline.com/${TENANT_ID}/oauth2/v2.0/token`,
      jwks_uri: `https://login.microsoftonline.com/${TENANT_ID}/discovery/v2.0/keys`,
    });
    const jwks = await getJson(String(discovery.body.jwks_uri));
    const keys = jwks.body.keys as Record<string, string>[];
    const token = (await new ClientSecretCredential(TENANT_ID, CALLER_APP_ID, CALLER_SECRET).getToken(ARM_SCOPE)).token;
    const [h, p, s] = token.split(".") as [string, string, string];
    const kid = (JSON.parse(Buffer.from(h, "base64url").toString("utf8")) as { kid: string }).kid;
    const jwk = keys.find((k) => k.kid === kid);
    expect(jwk).toMatchObject({ kty: "RSA", use: "sig", alg: "RS256" });
    const key = createPublicKey({ key: { kty: "RSA", n: jwk?.n, e: jwk?.e }, format: "jwk" });
    expect(verify("sha256", Buffer.from(`${h}.${p}`), key, Buffer.from(s, "base64url"))).toBe(true);
  });

  it("answers the v1 discovery and the common keys", async () => {
    const v1 = await getJson(`https://login.microsoftonline.com/${TENANT_ID}/.well-known/openid-configuration`);
    expect(v1.body.issuer).toBe(`https://sts.windows.net/${TENANT_ID}/`);
    const common = await getJson("https://login.microsoftonline.com/common/discovery/keys");
    expect((common.body.keys as unknown[]).length).toBe(1);
  });
});
