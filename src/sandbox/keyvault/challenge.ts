// Bearer authentication of a Key Vault request and the 401 challenge that drives the SDK's
// keyVaultAuthenticationPolicy (SDK-RECIPE §5 "Challenge", azure-facts §5.2): the tenant comes from the path
// of `authorization`, the token scope from `resource`. Every 401 carries the challenge, as Key Vault's do
// (observed on [TokenExpired] responses in Azure/azure-sdk-for-python#27266).
import type { SandboxRequest, SandboxResponse } from "../http.js";
import type { SandboxContext, TokenClaims } from "../context.js";
import type { ArmResource } from "../estate-types.js";
import { authenticate } from "../entra/authenticate.js";
import { kvError } from "./kv-error.js";

export function vaultTenant(vault: ArmResource): string {
  const t = vault.properties?.tenantId;
  return typeof t === "string" ? t : "";
}

export function challengeHeader(ctx: SandboxContext, vault: ArmResource): string {
  return `Bearer authorization="https://${ctx.state.hosts.login}/${vaultTenant(vault)}", resource="${ctx.state.hosts.vaultAudience}"`;
}

/** Claims of the bearer token without verifying it (for "found …" in messages only). */
function unverifiedClaims(req: SandboxRequest): Record<string, unknown> {
  const auth = String(req.headers.authorization ?? "");
  const part = auth.replace(/^Bearer\s+/i, "").split(".")[1];
  if (!part) return {};
  try {
    const v: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return v && typeof v === "object" ? v as Record<string, unknown> : {};
  } catch {
    return {};
  }
}

/** Key Vault's issuer for a tenant in the token's own style (v1 tokens: https://sts.windows.net/{tid}/). */
function issuerFor(tenant: string, tokenIss: string, tokenTid: string): string {
  if (tokenIss && tokenTid && tokenIss.includes(tokenTid)) return tokenIss.replace(tokenTid, tenant);
  return `https://sts.windows.net/${tenant}/`;
}

export type VaultAuth = { ok: true; claims: TokenClaims } | { ok: false; response: SandboxResponse };

export function authenticateVaultCaller(req: SandboxRequest, ctx: SandboxContext, vault: ArmResource,
  headers: Record<string, string>): VaultAuth {
  const audience = ctx.state.hosts.vaultAudience;
  const fail = (message: string): VaultAuth => ({
    ok: false,
    response: kvError(401, "Unauthorized", message, undefined, { ...headers, "www-authenticate": challengeHeader(ctx, vault) }),
  });
  const r = authenticate(req, ctx, [audience]);
  if (!r.ok) {
    const found = unverifiedClaims(req);
    switch (r.reason) {
      case "missing": return fail("AKV10000: Request is missing a Bearer or PoP token.");
      case "expired": return fail("[TokenExpired] Error validating token: 'S2S12086'.");
      case "audience": return fail(`AKV10022: Invalid audience. Expected ${audience}, found: ${String(found.aud ?? "")}.`);
      case "invalid-signature": return fail("AKV10046: Unable to resolve the key used for signature validation.");
      default: return fail("AKV10001: Unable to parse the bearer token.");
    }
  }
  const tenant = vaultTenant(vault);
  if (r.claims.tid.toLowerCase() !== tenant.toLowerCase()) {
    const expected = issuerFor(tenant, r.claims.iss, r.claims.tid);
    return fail(`AKV10032: Invalid issuer. Expected one of ${expected}, found ${r.claims.iss}.`);
  }
  return { ok: true, claims: r.claims };
}
