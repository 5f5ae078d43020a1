// Who may use a FHIR data plane (issue 11, DATA-MIGRATION.md §8.1): a bearer token the sandbox issued,
// unexpired, for one of the service's audiences (else 401 "The audience is invalid", the wording users
// report, with a Bearer challenge naming the authority), from the authority's tenant; then the data action
// — from Azure RBAC role assignments at the service or above (the FHIR data roles), or, on a legacy
// account, any object id in its accessPolicies (which grant everything, azure-facts §1.4); else 403.
import type { SandboxContext, TokenClaims } from "../context.js";
import type { SandboxRequest, SandboxResponse } from "../http.js";
import { authenticate } from "../entra/authenticate.js";
import { hasDataAction } from "../arm/rbac.js";
import type { FhirService } from "./fhir-service.js";
import { outcome } from "./fhir-outcome.js";

/** The data actions the sandbox checks, as the FHIR data roles name them (arm/role-definitions.ts). */
export type FhirAction = "read" | "write" | "delete" | "export/action" | "import/action";

export type FhirAuth = { ok: true; claims: TokenClaims } | { ok: false; response: SandboxResponse };

export function authenticateFhir(req: SandboxRequest, ctx: SandboxContext, service: FhirService): FhirAuth {
  const tenant = service.tenantId ?? ctx.state.tenants[0]?.tenantId ?? "common";
  const challenge = `Bearer authorization_uri="https://${ctx.state.hosts.login}/${tenant}", resource_id="${service.audiences[0]}", realm="${service.audiences[0]}"`;
  const unauthorized = (why: string): FhirAuth => ({ ok: false, response: outcome(401, "login", `Authentication failed. ${why}`, {
    "www-authenticate": `${challenge}, error="invalid_token", error_description="${why}"` }) });
  const r = authenticate(req, ctx, service.audiences);
  if (!r.ok) {
    switch (r.reason) {
      case "missing": return { ok: false, response: outcome(401, "login", "Authentication failed.", { "www-authenticate": challenge }) };
      case "audience": return unauthorized("The audience is invalid");
      case "expired": return unauthorized("The token is expired");
      default: return unauthorized("The signature is invalid");
    }
  }
  if (service.tenantId && r.claims.tid.toLowerCase() !== service.tenantId.toLowerCase()) return unauthorized("The issuer is invalid");
  ctx.notes.principal = r.claims.oid;
  return r;
}

/** The 403 when the caller may not do `action` here; undefined when it may. */
export function denyFhir(ctx: SandboxContext, service: FhirService, claims: TokenClaims, action: FhirAction): SandboxResponse | undefined {
  if (service.kind === "legacy") {
    const policies = (service.resource.properties?.accessPolicies ?? []) as { objectId?: string }[];
    if (policies.some((p) => p.objectId?.toLowerCase() === claims.oid.toLowerCase())) return undefined;
  }
  if (hasDataAction(ctx.state, claims.oid, service.resource.id, `${service.actionPrefix}/${action}`)) return undefined;
  return outcome(403, "forbidden", "Authorization failed.");
}
