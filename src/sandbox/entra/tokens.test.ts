import { createPublicKey, generateKeyPairSync, verify } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { TokenClaims } from "../context.js";
import { createTokenIssuer } from "./tokens.js";

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();

const claims: TokenClaims = {
  aud: "https://management.azure.com", iss: "https://sts.windows.net/t/", tid: "t", oid: "o", appid: "a", sub: "o",
  iat: 1_700_000_000, nbf: 1_700_000_000, exp: 1_700_003_599, ver: "1.0",
};

function part(token: string, i: number): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split(".")[i] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
}

describe("createTokenIssuer", () => {
  const issuer = createTokenIssuer(pem);

  it("signs an RS256 JWT whose header names the key by its JWKS kid", () => {
    const token = issuer.sign(claims);
    const header = part(token, 0);
    const jwk = issuer.jwks().keys[0];
    expect(header).toEqual({ alg: "RS256", typ: "JWT", kid: jwk?.kid });
    expect(part(token, 1)).toEqual(claims);
  });

  it("publishes a JWKS with which a third party verifies the signature", () => {
    const token = issuer.sign(claims);
    const jwk = issuer.jwks().keys[0] as Record<string, string>;
    expect(jwk).toMatchObject({ kty: "RSA", use: "sig", alg: "RS256", e: "AQAB" });
    const key = createPublicKey({ key: { kty: "RSA", n: jwk.n, e: jwk.e }, format: "jwk" });
    const [h, p, s] = token.split(".") as [string, string, string];
    expect(verify("sha256", Buffer.from(`${h}.${p}`), key, Buffer.from(s, "base64url"))).toBe(true);
  });

  it("keeps the kid stable for one key and different for another", () => {
    const again = createTokenIssuer(pem).jwks().keys[0]?.kid;
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    expect(again).toBe(issuer.jwks().keys[0]?.kid);
    expect(createTokenIssuer(other).jwks().keys[0]?.kid).not.toBe(again);
  });

  it("verifies its own tokens, expired ones included (expiry is the caller's check)", () => {
    expect(issuer.verify(issuer.sign(claims))).toEqual(claims);
    const expired = { ...claims, exp: 1 };
    expect(issuer.verify(issuer.sign(expired))).toEqual(expired);
  });

  it("rejects a token whose payload was altered", () => {
    const [h, , s] = issuer.sign(claims).split(".");
    const forged = Buffer.from(JSON.stringify({ ...claims, aud: "https://vault.azure.net" })).toString("base64url");
    expect(issuer.verify(`${h}.${forged}.${s}`)).toBeUndefined();
  });

  it("rejects a token signed by another key, and an unsigned one", () => {
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    expect(issuer.verify(createTokenIssuer(other).sign(claims))).toBeUndefined();
    const [, p] = issuer.sign(claims).split(".");
    const none = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url");
    expect(issuer.verify(`${none}.${p}.`)).toBeUndefined();
  });

  it("rejects garbage and tokens missing required claims", () => {
    expect(issuer.verify("not-a-jwt")).toBeUndefined();
    expect(issuer.verify("a.b.c")).toBeUndefined();
    const { oid: _oid, ...noOid } = claims;
    expect(issuer.verify(issuer.sign(noOid as TokenClaims))).toBeUndefined();
  });

  it("refuses a non-RSA signing key", () => {
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    expect(() => createTokenIssuer(ec)).toThrow(/RSA/);
  });
});
