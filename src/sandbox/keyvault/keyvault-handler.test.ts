// The handler called directly with the real state, token issuer and authenticate(): pins the exact Key Vault
// wire shapes (challenge, error bodies, paging links). SDK-driven behaviour is in test/integration.
import { generateKeyPairSync } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { SandboxContext, TokenClaims, TokenIssuer } from "../context.js";
import type { Estate } from "../estate-types.js";
import type { SandboxRequest, SandboxResponse } from "../http.js";
import { createTokenIssuer } from "../entra/tokens.js";
import { SandboxState } from "../state.js";
import {
  addKey, addVault, baseEstate, CALLER_APP_ID, CALLER_OBJECT_ID, KEY_NAME, OTHER_TENANT_ID, TENANT_ID, VAULT_NAME,
} from "../../../test/fixtures/estate-builders.js";
import { handleKeyVault } from "./keyvault-handler.js";

const NOW = Date.UTC(2026, 0, 1);
let tokens: TokenIssuer;
beforeAll(() => {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  tokens = createTokenIssuer(privateKey.export({ type: "pkcs8", format: "pem" }).toString());
});

function claims(over: Partial<TokenClaims> = {}): TokenClaims {
  const t = over.tid ?? TENANT_ID;
  return { aud: "https://vault.azure.net", iss: `https://sts.windows.net/${t}/`, tid: t, oid: CALLER_OBJECT_ID,
    appid: CALLER_APP_ID, sub: CALLER_OBJECT_ID, iat: NOW / 1000 - 60, nbf: NOW / 1000 - 60, exp: NOW / 1000 + 3600,
    ver: "1.0", ...over };
}

function setup(estate: Estate = baseEstate()) {
  const state = new SandboxState(estate, () => NOW);
  const call = (path: string, o: { query?: string; token?: string | null; method?: string; host?: string } = {}) => {
    const ctx: SandboxContext = { state, tokens, random: () => 0.5, notes: {}, changed: () => {}, stuckStateFor: () => undefined };
    const token = o.token === undefined ? tokens.sign(claims()) : o.token;
    const req: SandboxRequest = {
      seq: 1, method: o.method ?? "GET", host: o.host ?? `${VAULT_NAME}.vault.azure.net`, path,
      query: new URLSearchParams(o.query ?? "api-version=2025-07-01"),
      headers: token === null ? {} : { authorization: `Bearer ${token}` }, body: Buffer.alloc(0),
    };
    const res = handleKeyVault(req, ctx) as SandboxResponse;
    return { res, ctx, body: res.body as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  return { state, call };
}

const CHALLENGE = `Bearer authorization="https://login.microsoftonline.com/${TENANT_ID}", resource="https://vault.azure.net"`;

describe("challenge and bearer checks", () => {
  it("answers a request without Authorization with 401, the challenge and AKV10000", () => {
    const { res, body } = setup().call(`/keys/${KEY_NAME}/`, { token: null });
    expect(res.status).toBe(401);
    expect(res.headers?.["www-authenticate"]).toBe(CHALLENGE);
    expect(body).toEqual({ error: { code: "Unauthorized", message: "AKV10000: Request is missing a Bearer or PoP token." } });
    expect(res.headers?.["x-ms-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers?.["x-ms-keyvault-service-version"]).toBeTruthy();
    expect(res.headers?.["x-ms-keyvault-network-info"]).toContain("conn_type=");
  });

  it.each([
    ["expired", () => tokens.sign(claims({ exp: NOW / 1000 - 10 })), "[TokenExpired]"],
    ["wrong audience", () => tokens.sign(claims({ aud: "https://management.azure.com" })), "AKV10022: Invalid audience. Expected https://vault.azure.net, found: https://management.azure.com."],
    ["not a JWT", () => "opaque", "AKV10001"],
    ["bad signature", () => tokens.sign(claims()).slice(0, -4) + "AAAA", "AKV10046"],
  ])("refuses an %s token with 401 and the challenge", (_n, token, message) => {
    const { res, body } = setup().call(`/keys/${KEY_NAME}/`, { token: token() });
    expect(res.status).toBe(401);
    expect(res.headers?.["www-authenticate"]).toBe(CHALLENGE);
    expect(body.error.code).toBe("Unauthorized");
    expect(body.error.message).toContain(message);
  });

  it("refuses a token of another tenant with AKV10032 naming both issuers", () => {
    const { res, body } = setup().call(`/keys/${KEY_NAME}/`, { token: tokens.sign(claims({ tid: OTHER_TENANT_ID })) });
    expect(res.status).toBe(401);
    expect(res.headers?.["www-authenticate"]).toBe(CHALLENGE);
    expect(body.error.message).toBe(`AKV10032: Invalid issuer. Expected one of https://sts.windows.net/${TENANT_ID}/, found https://sts.windows.net/${OTHER_TENANT_ID}/.`);
  });

  it("names the vault's own tenant and the US Government hosts in a Gov estate", () => {
    const estate = baseEstate({ cloud: "AzureUSGovernment", noVault: true });
    addForeignVault(estate);
    const { res } = setup(estate).call("/keys/k/", { token: null, host: "kv-foreign.vault.usgovcloudapi.net" });
    expect(res.headers?.["www-authenticate"]).toBe(
      `Bearer authorization="https://login.microsoftonline.us/${OTHER_TENANT_ID}", resource="https://vault.usgovcloudapi.net"`);
  });
});

function addForeignVault(estate: Estate): void {
  addVault(estate, { name: "kv-foreign", tenantId: OTHER_TENANT_ID });
  addKey(estate, { vault: "kv-foreign", name: "k" });
}

describe("api-version", () => {
  it("is required", () => {
    const { res, body } = setup().call(`/keys/${KEY_NAME}`, { query: "" });
    expect(res.status).toBe(400);
    expect(body.error.code).toBe("BadParameter");
  });
  it("refuses unknown versions the way Key Vault words it", () => {
    const { res, body } = setup().call(`/keys/${KEY_NAME}`, { query: "api-version=7.9" });
    expect(res.status).toBe(400);
    expect(body.error.message).toBe("The specified version (7.9) is not recognized. Consider using the latest supported version (2026-04-01).");
  });
  it.each(["7.0", "7.4", "7.6", "2025-07-01", "2026-04-01", "7.6-preview.2"])("accepts %s", (v) => {
    expect(setup().call(`/keys/${KEY_NAME}`, { query: `api-version=${v}` }).res.status).toBe(200);
  });
});

describe("keys", () => {
  it("returns the current version (newest by created) with an RSA JWK and vault-derived attributes", () => {
    const estate = baseEstate({ noVault: true });
    addVault(estate, { purgeProtection: false });
    addRoleAssignmentCryptoOfficer(estate);
    const [, v1] = addKey(estate, { versions: [{ created: 1000 }, { created: 3000, keySize: 2048, exp: 4000, nbf: 500 }, { created: 2000 }] });
    const { res, body, ctx } = setup(estate).call(`/keys/${KEY_NAME}/`);
    expect(res.status).toBe(200);
    expect(ctx.notes.principal).toBe(CALLER_OBJECT_ID);
    expect(body.key.kid).toBe(`https://${VAULT_NAME}.vault.azure.net/keys/${KEY_NAME}/${v1!.version}`);
    expect(body.key.kty).toBe("RSA");
    expect(body.key.key_ops).toEqual(["encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"]);
    expect(Buffer.from(body.key.n, "base64url").length).toBe(256);
    expect(body.key.e).toBe("AQAB");
    expect(body.attributes).toEqual({ enabled: true, nbf: 500, exp: 4000, created: 3000, updated: 3000,
      recoveryLevel: "Recoverable+Purgeable", recoverableDays: 90, exportable: false });
  });

  it("serves EC keys with crv/x/y and no n/e", () => {
    const estate = baseEstate();
    addKey(estate, { name: "ec", versions: [{ kty: "EC", crv: "P-384", keySize: undefined }] });
    const { body } = setup(estate).call("/keys/ec");
    expect(body.key.crv).toBe("P-384");
    expect(Buffer.from(body.key.x, "base64url").length).toBe(48);
    expect(body.key.n).toBeUndefined();
  });

  it("answers 404 KeyNotFound for an unknown key or version", () => {
    const s = setup();
    const a = s.call("/keys/nope/");
    expect(a.res.status).toBe(404);
    expect(a.body.error.code).toBe("KeyNotFound");
    expect(a.body.error.message).toMatch(/^A key with \(name\/id\) nope was not found in this key vault\./);
    const b = s.call(`/keys/${KEY_NAME}/0123456789abcdef0123456789abcdef`);
    expect(b.res.status).toBe(404);
    expect(b.body.error.code).toBe("KeyNotFound");
  });

  it("refuses a disabled version with 403 KeyDisabled but still lists it", () => {
    const estate = baseEstate({ noVault: true });
    addVault(estate);
    addRoleAssignmentCryptoOfficer(estate);
    addKey(estate, { versions: [{ created: 1 }, { created: 2, enabled: false }] });
    const s = setup(estate);
    const cur = s.call(`/keys/${KEY_NAME}/`);
    expect(cur.res.status).toBe(403);
    expect(cur.body).toEqual({ error: { code: "Forbidden", message: "Operation get is not allowed on a disabled key.", innererror: { code: "KeyDisabled" } } });
    const list = s.call(`/keys/${KEY_NAME}/versions`);
    expect(list.res.status).toBe(200);
    expect(list.body.value.map((i: { attributes: { enabled: boolean } }) => i.attributes.enabled).sort()).toEqual([false, true]);
  });

  it("pages versions with maxresults and an absolute nextLink", () => {
    const estate = baseEstate();
    addKey(estate, { name: "many", versions: Array.from({ length: 7 }, (_, i) => ({ created: 100 + i })) });
    const s = setup(estate);
    const p1 = s.call("/keys/many/versions", { query: "api-version=2025-07-01&maxresults=3" });
    expect(p1.body.value).toHaveLength(3);
    const next = new URL(p1.body.nextLink);
    expect(`${next.protocol}//${next.hostname}${next.pathname}`).toBe(`https://${VAULT_NAME}.vault.azure.net/keys/many/versions`);
    expect(next.searchParams.get("maxresults")).toBe("3");
    const p2 = s.call(next.pathname, { query: next.search.slice(1) });
    const p3 = s.call(next.pathname, { query: new URL(p2.body.nextLink).search.slice(1) });
    expect(p3.body.nextLink).toBeUndefined();
    const kids = [...p1.body.value, ...p2.body.value, ...p3.body.value].map((i: { kid: string }) => i.kid);
    expect(new Set(kids).size).toBe(7);
  });

  it("lists keys versionless with the current version's attributes", () => {
    const estate = baseEstate();
    addKey(estate, { name: "other", versions: [{ created: 1, enabled: false }] });
    const { res, body } = setup(estate).call("/keys");
    expect(res.status).toBe(200);
    expect(body.value.map((i: { kid: string }) => i.kid)).toEqual([
      `https://${VAULT_NAME}.vault.azure.net/keys/${KEY_NAME}`, `https://${VAULT_NAME}.vault.azure.net/keys/other`]);
    expect(body.value[1].attributes.enabled).toBe(false);
    expect(body.nextLink).toBeUndefined();
  });

  it("answers 405 to writes and 404 to paths outside /keys", () => {
    const s = setup();
    expect(s.call(`/keys/${KEY_NAME}/create`, { method: "POST" }).res.status).toBe(405);
    expect(s.call("/secrets/x").res.status).toBe(404);
  });
});

describe("caller access", () => {
  it("answers 403 ForbiddenByRbac on an RBAC vault without a data-plane role", () => {
    const { res, body } = setup(baseEstate({ callerCanReadKeys: false })).call(`/keys/${KEY_NAME}/`);
    expect(res.status).toBe(403);
    expect(body.error.code).toBe("Forbidden");
    expect(body.error.innererror).toEqual({ code: "ForbiddenByRbac" });
    expect(body.error.message).toContain("Caller is not authorized to perform action on resource.");
    expect(body.error.message).toContain("Action: 'Microsoft.KeyVault/vaults/keys/read'");
  });

  it("answers 403 AccessDenied on an access-policy vault without key get, and allows with it", () => {
    const estate = baseEstate({ noVault: true });
    addVault(estate, { rbac: false, accessPolicies: [{ tenantId: TENANT_ID, objectId: CALLER_OBJECT_ID, permissions: { keys: ["List"] } }] });
    addKey(estate, {});
    const s = setup(estate);
    const get = s.call(`/keys/${KEY_NAME}/`);
    expect(get.res.status).toBe(403);
    expect(get.body.error.innererror).toEqual({ code: "AccessDenied" });
    expect(get.body.error.message).toBe(`The user, group or application 'appid=${CALLER_APP_ID};oid=${CALLER_OBJECT_ID};`
      + `iss=https://sts.windows.net/${TENANT_ID}/' does not have keys get permission on key vault '${VAULT_NAME};location=westeurope'. `
      + "For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287");
    expect(s.call(`/keys/${KEY_NAME}/versions`).res.status).toBe(200);
  });

  it("checks access before existence (no probing of key names)", () => {
    expect(setup(baseEstate({ callerCanReadKeys: false })).call("/keys/nope").res.status).toBe(403);
  });
});

function addRoleAssignmentCryptoOfficer(estate: Estate): void {
  // baseEstate({noVault}) leaves out the vault-scoped grant; give it back for the vault added by hand.
  const e = baseEstate();
  estate.resources.push(...e.resources.filter((r) => r.type === "Microsoft.Authorization/roleAssignments" && r.id.includes("/vaults/")));
}
