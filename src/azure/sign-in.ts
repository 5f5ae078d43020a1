// Gets an ARM token once, to prove sign-in works and to tell who the tool is: the tenant, object id and
// application id claims of the access token (Entra access tokens are JWTs). The token itself is never
// returned, printed or stored.
import type { TokenCredential } from "@azure/identity";
import { CLOUDS, type CloudName } from "./cloud.js";
import { toDomainError } from "./errors.js";

export interface SignedInIdentity {
  tenantId: string | undefined;
  objectId: string | undefined;
  appId: string | undefined;
  /** Token expiry, epoch ms. */
  expiresOnMs: number;
}

export async function signIn(credential: TokenCredential, cloud: CloudName): Promise<SignedInIdentity> {
  let token;
  try {
    token = await credential.getToken(CLOUDS[cloud].armScope);
  } catch (err) {
    throw toDomainError(err, "the sign-in");
  }
  if (!token) throw toDomainError({ name: "CredentialUnavailableError", message: "no token was issued" }, "the sign-in");
  const claims = jwtClaims(token.token);
  const str = (v: unknown) => (typeof v === "string" ? v : undefined);
  return { tenantId: str(claims.tid), objectId: str(claims.oid), appId: str(claims.appid ?? claims.azp), expiresOnMs: token.expiresOnTimestamp };
}

/** The claims of a JWT, or {} when the token is opaque (not verified: only for display). */
export function jwtClaims(jwt: string): Record<string, unknown> {
  const payload = jwt.split(".")[1];
  if (!payload) return {};
  try {
    const parsed: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
