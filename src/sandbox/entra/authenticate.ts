// Bearer-token check shared by the hosts that take Entra tokens (ARM, Key Vault, Graph). It answers a
// reason, not a response: each host words its own error (ARM `InvalidAuthenticationToken` /
// `ExpiredAuthenticationToken` / `InvalidAuthenticationTokenAudience`, Key Vault's challenge, Graph's
// `InvalidAuthenticationToken`). Signature and structure come from ctx.tokens; expiry uses state.now().
import type { SandboxContext, TokenClaims } from "../context.js";
import type { SandboxRequest } from "../http.js";

export type AuthenticateFailure = "missing" | "malformed" | "invalid-signature" | "expired" | "audience";

export type AuthenticateResult =
  | { ok: true; claims: TokenClaims }
  | { ok: false; reason: AuthenticateFailure; message: string };

export function authenticate(req: SandboxRequest, ctx: SandboxContext, audiences: string[]): AuthenticateResult {
  const header = req.headers.authorization;
  if (header === undefined || header.trim() === "") {
    return { ok: false, reason: "missing", message: "The request does not carry an 'Authorization' header." };
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) {
    return { ok: false, reason: "malformed", message: "The 'Authorization' header is not in the form 'Bearer <token>'." };
  }
  const token = match[1];
  if (token.split(".").length !== 3) {
    return { ok: false, reason: "malformed", message: "The access token is not a JWT (header.payload.signature)." };
  }
  const claims = ctx.tokens.verify(token);
  if (!claims) {
    return { ok: false, reason: "invalid-signature", message: "The access token's signature or structure is not valid." };
  }
  const nowMs = ctx.state.now();
  if (claims.exp * 1000 <= nowMs) {
    // ARM's ExpiredAuthenticationToken wording (Azure Resource Manager "Troubleshoot authentication").
    return {
      ok: false, reason: "expired",
      message: `The access token expiry UTC time '${new Date(claims.exp * 1000).toISOString()}' is earlier than current UTC time '${new Date(nowMs).toISOString()}'.`,
    };
  }
  const aud = trimSlash(claims.aud);
  if (!audiences.some((a) => trimSlash(a) === aud)) {
    return {
      ok: false, reason: "audience",
      message: `The access token has been obtained for wrong audience or resource '${claims.aud}'. It should exactly match with one of the allowed audiences ${audiences.map((a) => `'${a}'`).join(",")}.`,
    };
  }
  return { ok: true, claims };
}

function trimSlash(s: string): string {
  return s.replace(/\/+$/, "").toLowerCase();
}
