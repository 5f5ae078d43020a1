// POST /{tenant}/oauth2/v2.0/token — the client-credentials grant as Entra answers it (Microsoft identity
// platform, "OAuth 2.0 client credentials flow"). The SDK (MSAL via @azure/identity) sends a form with
// client_id, client_secret, grant_type, scope=<resource>/.default, a CAE `claims` field and x-client-*
// telemetry, with `client-request-id` in the query (SDK-RECIPE §5); unknown fields are ignored.
import { randomUUID, timingSafeEqual } from "node:crypto";
import type { SandboxContext, TokenClaims } from "../context.js";
import type { SandboxRequest, SandboxResponse } from "../http.js";
import type { EstatePrincipal } from "../estate-types.js";
import { entraError, entraHeaders, tenantNotFound, type EntraErrorSpec } from "./entra-errors.js";
import { v1Issuer } from "./discovery.js";

/** Entra's access tokens for client credentials live one hour; the response says 3599. */
export const TOKEN_LIFETIME_SECONDS = 3599;

/** Scopes MSAL may add that name no resource (OIDC); ignored for the client-credentials grant. */
const OIDC_SCOPES = new Set(["openid", "profile", "offline_access", "email"]);

export function handleTokenRequest(req: SandboxRequest, ctx: SandboxContext, tenantInPath: string): SandboxResponse {
  const state = ctx.state;
  const nowMs = state.now();
  const fail = (spec: EntraErrorSpec) => entraError(req, nowMs, state.hosts.login, spec);

  const tenant = state.tenants.find((t) => t.tenantId.toLowerCase() === tenantInPath.toLowerCase());
  if (!tenant) return fail(tenantNotFound(tenantInPath, "invalid_request"));

  const form = new URLSearchParams(req.body.toString("utf8"));
  const grantType = form.get("grant_type");
  if (!grantType) return fail(missingParameter("grant_type"));
  if (grantType !== "client_credentials") {
    return fail({ status: 400, error: "unsupported_grant_type", code: 70003, text: "The app requested an unsupported grant type." });
  }
  const clientId = form.get("client_id");
  if (!clientId) return fail(missingParameter("client_id"));
  const scope = form.get("scope");
  if (!scope) return fail(missingParameter("scope"));

  const scopes = scope.split(/\s+/).filter((s) => s.length > 0 && !OIDC_SCOPES.has(s.toLowerCase()));
  const only = scopes.length === 1 ? scopes[0] : undefined;
  if (only === undefined || !only.toLowerCase().endsWith("/.default")) {
    return fail({
      status: 400, error: "invalid_scope", code: 70011,
      text: `The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.`,
    });
  }

  // A multi-tenant app shows up as one service principal per tenant with the same appId (DESIGN.md
  // "Estate file"); it may sign in to a tenant only where it has a principal.
  const sameApp = (p: EstatePrincipal) => p.appId !== undefined && p.appId.toLowerCase() === clientId.toLowerCase();
  const principal = state.principals.find((p) => sameApp(p) && p.tenantId.toLowerCase() === tenant.tenantId.toLowerCase());
  if (!principal) {
    return fail({
      status: 400, error: "unauthorized_client", code: 700016,
      text: `Application with identifier '${clientId}' was not found in the directory '${tenant.displayName}'. ` +
        "This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. " +
        "You may have sent your authentication request to the wrong tenant.",
    });
  }

  const secret = form.get("client_secret");
  if (!secret) {
    return fail({
      status: 401, error: "invalid_client", code: 7000218,
      text: "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    });
  }
  const expected = state.principals.filter(sameApp).map((p) => p.clientSecret).filter((s): s is string => typeof s === "string");
  if (!expected.some((s) => sameSecret(s, secret))) {
    return fail({
      status: 401, error: "invalid_client", code: 7000215,
      text: "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, " +
        `not the client secret ID, for a secret added to app '${principal.appId ?? clientId}'.`,
    });
  }

  const resource = only.slice(0, -"/.default".length).replace(/\/$/, "");
  const audience = [state.hosts.armAudience, state.hosts.vaultAudience, state.hosts.graphAudience, state.hosts.storageAudience]
    .find((a) => a.replace(/\/$/, "").toLowerCase() === resource.toLowerCase()) ?? fhirAudience(state.hosts, resource);
  if (!audience) {
    return fail({
      status: 400, error: "invalid_resource", code: 500011,
      text: `The resource principal named ${resource} was not found in the tenant named ${tenant.displayName}. ` +
        "This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. " +
        "You might have sent your authentication request to the wrong tenant.",
    });
  }

  const iat = Math.floor(nowMs / 1000);
  const claims: TokenClaims = {
    aud: audience.replace(/\/$/, ""),
    iss: v1Issuer(tenant.tenantId),
    iat, nbf: iat, exp: iat + TOKEN_LIFETIME_SECONDS,
    appid: principal.appId ?? clientId,
    appidacr: "1",
    idp: v1Issuer(tenant.tenantId),
    idtyp: "app",
    oid: principal.objectId,
    sub: principal.objectId,
    tid: tenant.tenantId,
    uti: randomUUID(),
    ver: "1.0",
  };
  ctx.notes.principal = principal.objectId;
  return {
    status: 200,
    headers: entraHeaders(req, randomUUID()),
    body: {
      token_type: "Bearer",
      expires_in: TOKEN_LIFETIME_SECONDS,
      ext_expires_in: TOKEN_LIFETIME_SECONDS,
      access_token: ctx.tokens.sign(claims),
    },
  };
}

function missingParameter(name: string): EntraErrorSpec {
  return { status: 400, error: "invalid_request", code: 900144, text: `The request body must contain the following parameter: '${name}'.` };
}

function sameSecret(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * A FHIR data-plane resource (issue 11): the Healthcare APIs app answers for `https://azurehealthcareapis.com`
 * and any `https://{name}.azurehealthcareapis.com` or `https://{ws}-{fhir}.fhir.azurehealthcareapis.com` (.us in
 * US Government), whether or not such a service exists — Entra does not know the services; the FHIR server
 * then refuses a token whose audience is not its own (DATA-MIGRATION.md §4, the "audience is invalid" 401).
 */
function fhirAudience(hosts: SandboxContext["state"]["hosts"], resource: string): string | undefined {
  const m = /^https:\/\/([^/]+)$/i.exec(resource);
  const host = m?.[1]?.toLowerCase();
  if (!host) return undefined;
  const bare = hosts.legacyFhirSuffix.slice(1);
  const label = (suffix: string) => host.endsWith(suffix) && /^[a-z0-9-]+$/.test(host.slice(0, -suffix.length));
  return host === bare || label(hosts.ahdsFhirSuffix) || label(hosts.legacyFhirSuffix) ? `https://${host}` : undefined;
}
