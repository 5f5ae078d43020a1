// What every handler receives besides the request: the one in-memory Azure, the token service, a
// seeded random source, and a place to note principal/subscription/kind for the request log.
import type { RequestNotes } from "./http.js";
import type { SandboxState } from "./state.js";

/** Claims of a token the sandbox issued (entra/tokens.ts). */
export interface TokenClaims {
  aud: string;
  iss: string;
  tid: string;
  oid: string;
  appid: string;
  sub: string;
  iat: number;
  nbf: number;
  exp: number;
  ver: string;
  [extra: string]: unknown;
}

export interface TokenIssuer {
  /** Sign an RS256 JWT with the sandbox's signing key. */
  sign(claims: TokenClaims): string;
  /** Verify signature (not expiry/audience); the claims or undefined. */
  verify(token: string): TokenClaims | undefined;
  /** The JWKS document (public key). */
  jwks(): { keys: Record<string, unknown>[] };
}

export interface SandboxContext {
  state: SandboxState;
  tokens: TokenIssuer;
  /** Seeded PRNG in [0, 1). */
  random(): number;
  notes: RequestNotes;
  /** Called after every state mutation so persistence can save (debounced by the server). */
  changed(): void;
  /** Fault injection for long-running operations: the provisioning state a matching operation must stick in. */
  stuckStateFor(method: string, host: string, path: string): string | undefined;
}
