// The sandbox's token service: RS256 JWTs signed with one RSA key (node:crypto only), verified by the
// hosts that take bearer tokens (ARM, Key Vault, Graph), and published as a JWKS for OpenID discovery.
// Entra signs with RS256 and names the key by `kid` (RFC 7515 §4.1.4); here the kid is the RFC 7638 JWK
// thumbprint of the public key, base64url SHA-256, so it is stable for one signing key.
import { createHash, createPrivateKey, createPublicKey, sign as rsaSign, verify as rsaVerify, type KeyObject } from "node:crypto";
import type { TokenClaims, TokenIssuer } from "../context.js";

interface RsaJwk { kty: "RSA"; n: string; e: string }

export function createTokenIssuer(signingKeyPem: string): TokenIssuer {
  const privateKey = createPrivateKey(signingKeyPem);
  if (privateKey.asymmetricKeyType !== "rsa") throw new Error("The token signing key must be an RSA private key.");
  const publicKey = createPublicKey(privateKey);
  const jwk = publicKey.export({ format: "jwk" }) as unknown as RsaJwk;
  const kid = jwkThumbprint(jwk);
  const header = base64urlJson({ alg: "RS256", typ: "JWT", kid });

  const verified = new Map<string, TokenClaims>();
  return {
    sign(claims: TokenClaims): string {
      const input = `${header}.${base64urlJson(claims)}`;
      const signature = rsaSign("sha256", Buffer.from(input), privateKey);
      return `${input}.${signature.toString("base64url")}`;
    },
    verify(token: string): TokenClaims | undefined {
      // A signature check is a pure function of the token: remember the tokens that passed (each caller
      // presents the same one for an hour), so an RSA verify is not on every request. Expiry and audience are
      // still judged per request by the caller of verify().
      const known = verified.get(token);
      if (known) return { ...known };
      const claims = verifyJwt(token, publicKey, kid);
      if (claims) {
        if (verified.size >= VERIFIED_TOKENS_KEPT) verified.clear();
        verified.set(token, claims);
      }
      return claims ? { ...claims } : undefined;
    },
    jwks() {
      return { keys: [{ kty: "RSA", use: "sig", kid, n: jwk.n, e: jwk.e, alg: "RS256" }] };
    },
  };
}

/** Verified tokens remembered per signer; beyond this many the memory starts over. */
const VERIFIED_TOKENS_KEPT = 10_000;

/** RFC 7638 thumbprint: SHA-256 over the required members in lexicographic order, no whitespace. */
function jwkThumbprint(jwk: RsaJwk): string {
  const canonical = JSON.stringify({ e: jwk.e, kty: "RSA", n: jwk.n });
  return createHash("sha256").update(canonical).digest("base64url");
}

function base64urlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

function decodeJson(part: string): unknown {
  if (!/^[A-Za-z0-9_-]*$/.test(part)) return undefined;
  try {
    return JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
}

function verifyJwt(token: string, publicKey: KeyObject, kid: string): TokenClaims | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  const [h, p, s] = parts as [string, string, string];
  const header = decodeJson(h);
  if (!isRecord(header) || header.alg !== "RS256" || header.kid !== kid) return undefined;
  if (!/^[A-Za-z0-9_-]+$/.test(s)) return undefined;
  const ok = rsaVerify("sha256", Buffer.from(`${h}.${p}`), publicKey, Buffer.from(s, "base64url"));
  if (!ok) return undefined;
  const claims = decodeJson(p);
  return isTokenClaims(claims) ? claims : undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isTokenClaims(v: unknown): v is TokenClaims {
  if (!isRecord(v)) return false;
  for (const k of ["aud", "iss", "tid", "oid", "appid", "sub", "ver"]) if (typeof v[k] !== "string") return false;
  for (const k of ["iat", "nbf", "exp"]) if (typeof v[k] !== "number") return false;
  return true;
}
