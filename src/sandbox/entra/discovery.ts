// OpenID Connect discovery documents of Entra, v1 (`/{tenant}/.well-known/openid-configuration`) and
// v2.0 (`/{tenant}/v2.0/.well-known/openid-configuration`). MSAL uses built-in metadata for the public and
// US Government login hosts (SDK-RECIPE §3), so these serve other clients; fields follow the documents
// Entra publishes ("OpenID Connect on the Microsoft identity platform", "Fetch the OpenID configuration").
import type { SandboxState } from "../state.js";

/** `iss` of the v1.0 access tokens the sandbox issues (ver "1.0"), see README "UNCONFIRMED" for Gov. */
export function v1Issuer(tenantId: string): string {
  return `https://sts.windows.net/${tenantId}/`;
}

export function v2Issuer(login: string, tenantId: string): string {
  return `https://${login}/${tenantId}/v2.0`;
}

/** `tenant` is a tenant id, or "common"/"organizations" whose issuer carries the `{tenantid}` template. */
export function openidConfiguration(state: SandboxState, tenant: string, version: "v1" | "v2"): Record<string, unknown> {
  const login = state.hosts.login;
  const base = `https://${login}/${tenant}`;
  const tid = isMultiTenantAlias(tenant) ? "{tenantid}" : tenant;
  const common = {
    response_modes_supported: ["query", "fragment", "form_post"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    response_types_supported: ["code", "id_token", "code id_token", "token id_token", "token"],
    claims_supported: ["sub", "iss", "aud", "exp", "iat", "nbf", "tid", "oid", "appid", "ver"],
    tenant_region_scope: "NA",
    cloud_instance_name: login.endsWith(".us") ? "microsoftonline.us" : "microsoftonline.com",
    cloud_graph_host_name: login.endsWith(".us") ? "graph.microsoftazure.us" : "graph.windows.net",
    msgraph_host: state.hosts.graph,
    rbac_url: "https://pas.windows.net",
  };
  if (version === "v2") {
    return {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
      jwks_uri: `${base}/discovery/v2.0/keys`,
      issuer: v2Issuer(login, tid),
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      userinfo_endpoint: `https://${state.hosts.graph}/oidc/userinfo`,
      scopes_supported: ["openid", "profile", "email", "offline_access"],
      request_uri_parameter_supported: false,
      ...common,
    };
  }
  return {
    token_endpoint: `${base}/oauth2/token`,
    token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
    jwks_uri: `https://${login}/common/discovery/keys`,
    issuer: isMultiTenantAlias(tenant) ? "https://sts.windows.net/{tenantid}/" : v1Issuer(tenant),
    authorization_endpoint: `${base}/oauth2/authorize`,
    device_authorization_endpoint: `${base}/oauth2/devicecode`,
    end_session_endpoint: `${base}/oauth2/logout`,
    userinfo_endpoint: `${base}/openid/userinfo`,
    microsoft_multi_refresh_token: true,
    check_session_iframe: `${base}/oauth2/checksession`,
    ...common,
  };
}

export function isMultiTenantAlias(tenant: string): boolean {
  return ["common", "organizations", "consumers"].includes(tenant.toLowerCase());
}
