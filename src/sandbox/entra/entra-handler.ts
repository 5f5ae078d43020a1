// Entra ID on the cloud's login host (login.microsoftonline.com / login.microsoftonline.us): the
// client-credentials token endpoint, OpenID discovery (v1 and v2.0) and the signing keys (JWKS).
// Everything else answers 404 in Entra's error shape. Imports only src/sandbox.
import type { SandboxContext } from "../context.js";
import type { SandboxRequest, SandboxResponse } from "../http.js";
import { segments } from "../http.js";
import { isMultiTenantAlias, openidConfiguration } from "./discovery.js";
import { entraError, tenantNotFound } from "./entra-errors.js";
import { handleTokenRequest } from "./token-endpoint.js";

export function handleEntra(req: SandboxRequest, ctx: SandboxContext): SandboxResponse {
  const state = ctx.state;
  const login = state.hosts.login;
  const segs = segments(req.path);
  const tenant = segs[0] ?? "";
  const rest = segs.slice(1).join("/").toLowerCase();
  const fail = (spec: Parameters<typeof entraError>[3]) => entraError(req, state.now(), login, spec);

  if (rest === "oauth2/v2.0/token") {
    if (req.method !== "POST") {
      return fail({
        status: 400, error: "invalid_request", code: 900561,
        text: `The endpoint only accepts POST, OPTIONS requests. Received a ${req.method} request.`,
      });
    }
    return handleTokenRequest(req, ctx, tenant);
  }

  const isGet = req.method === "GET" || req.method === "HEAD";
  const route =
    rest === "v2.0/.well-known/openid-configuration" ? "openid-v2" :
    rest === ".well-known/openid-configuration" ? "openid-v1" :
    rest === "discovery/v2.0/keys" || rest === "discovery/keys" ? "keys" : undefined;
  if (!isGet || route === undefined) {
    return fail({ status: 404, error: "not_found", code: 90000, text: `The sandbox's Entra does not serve ${req.method} ${req.path}.` });
  }

  const known = state.tenants.find((t) => t.tenantId.toLowerCase() === tenant.toLowerCase());
  if (!known && !isMultiTenantAlias(tenant)) return fail(tenantNotFound(tenant, "invalid_tenant"));
  const tenantId = known ? known.tenantId : tenant.toLowerCase();

  if (route === "keys") return { status: 200, body: ctx.tokens.jwks(), headers: { "cache-control": "max-age=86400, private" } };
  return {
    status: 200,
    body: openidConfiguration(state, tenantId, route === "openid-v2" ? "v2" : "v1"),
    headers: { "cache-control": "max-age=86400, private", "access-control-allow-origin": "*" },
  };
}
