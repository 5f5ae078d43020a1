import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { SandboxContext, TokenClaims } from "../context.js";
import { DEFAULT_BEHAVIOUR } from "../estate-types.js";
import type { SandboxRequest } from "../http.js";
import { SandboxState } from "../state.js";
import { authenticate } from "./authenticate.js";
import { createTokenIssuer } from "./tokens.js";

const NOW = 1_800_000_000_000;
const keyPem = () => generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const tokens = createTokenIssuer(keyPem());
const state = new SandboxState({
  formatVersion: 1, cloud: "AzureCloud", tenants: [], principals: [], caller: { tenantId: "t", clientId: "c", clientSecret: "s" },
  subscriptions: [], resourceGroups: [], resources: [], keys: [], behaviour: DEFAULT_BEHAVIOUR,
}, () => NOW);
const ctx: SandboxContext = { state, tokens, random: () => 0, notes: {}, changed: () => {}, stuckStateFor: () => undefined };
const claims: TokenClaims = {
  aud: "https://management.azure.com", iss: "https://sts.windows.net/t/", tid: "t", oid: "o", appid: "a", sub: "o",
  iat: NOW / 1000, nbf: NOW / 1000, exp: NOW / 1000 + 3599, ver: "1.0",
};
const ARM = ["https://management.azure.com/", "https://management.core.windows.net/"];

function withAuth(authorization?: string): SandboxRequest {
  return {
    seq: 1, method: "GET", host: "management.azure.com", path: "/subscriptions", query: new URLSearchParams(),
    headers: authorization === undefined ? {} : { authorization }, body: Buffer.alloc(0),
  };
}

describe("authenticate", () => {
  it("accepts a valid token whose aud matches an audience up to a trailing slash", () => {
    const r = authenticate(withAuth(`Bearer ${tokens.sign(claims)}`), ctx, ARM);
    expect(r).toEqual({ ok: true, claims });
    expect(authenticate(withAuth(`bearer ${tokens.sign({ ...claims, aud: "https://management.azure.com/" })}`), ctx, ["https://management.azure.com"]).ok).toBe(true);
  });

  it("reports a missing Authorization header", () => {
    expect(authenticate(withAuth(), ctx, ARM)).toMatchObject({ ok: false, reason: "missing" });
    expect(authenticate(withAuth(""), ctx, ARM)).toMatchObject({ ok: false, reason: "missing" });
  });

  it("reports a header that is not a bearer JWT as malformed", () => {
    expect(authenticate(withAuth("Basic dXNlcjpwYXNz"), ctx, ARM)).toMatchObject({ ok: false, reason: "malformed" });
    expect(authenticate(withAuth("Bearer opaque-token"), ctx, ARM)).toMatchObject({ ok: false, reason: "malformed" });
  });

  it("reports a token from another key or with an altered payload as invalid-signature", () => {
    expect(authenticate(withAuth(`Bearer ${createTokenIssuer(keyPem()).sign(claims)}`), ctx, ARM)).toMatchObject({ ok: false, reason: "invalid-signature" });
    const [h, , s] = tokens.sign(claims).split(".");
    const p = Buffer.from(JSON.stringify({ ...claims, oid: "someone-else" })).toString("base64url");
    expect(authenticate(withAuth(`Bearer ${h}.${p}.${s}`), ctx, ARM)).toMatchObject({ ok: false, reason: "invalid-signature" });
  });

  it("reports an expired token with ARM's wording, before the audience", () => {
    const r = authenticate(withAuth(`Bearer ${tokens.sign({ ...claims, aud: "https://vault.azure.net", exp: NOW / 1000 - 1 })}`), ctx, ARM);
    expect(r).toMatchObject({ ok: false, reason: "expired" });
    expect(r.ok ? "" : r.message).toMatch(/^The access token expiry UTC time '.+' is earlier than current UTC time '.+'\.$/);
  });

  it("reports a token for another resource as audience, naming it", () => {
    const r = authenticate(withAuth(`Bearer ${tokens.sign({ ...claims, aud: "https://vault.azure.net" })}`), ctx, ARM);
    expect(r).toMatchObject({ ok: false, reason: "audience" });
    expect(r.ok ? "" : r.message).toContain("'https://vault.azure.net'");
  });
});
