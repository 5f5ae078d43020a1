// Entra (AAD STS) error responses: the OAuth 2.0 error body (RFC 6749 §5.2) extended the way Entra does,
// `error_description` = "AADSTSnnn: <text>\r\nTrace ID: …\r\nCorrelation ID: …\r\nTimestamp: …" plus
// `error_codes`, `timestamp`, `trace_id`, `correlation_id`, `error_uri` (Microsoft identity platform,
// "Error handling" / "AADSTS error codes"). MSAL reads exactly these fields into its ServerError.
import { randomUUID } from "node:crypto";
import type { SandboxRequest, SandboxResponse } from "../http.js";

export interface EntraErrorSpec {
  status: number;
  error: string;
  code: number;
  text: string;
}

/** Entra uses the caller's `client-request-id` (query or header) as the correlation id. */
export function correlationId(req: SandboxRequest): string {
  const fromQuery = req.query.get("client-request-id");
  const fromHeader = req.headers["client-request-id"];
  return fromQuery ?? (typeof fromHeader === "string" ? fromHeader : undefined) ?? randomUUID();
}

/** Entra's timestamp form: "2026-11-28 20:15:06Z". */
export function entraTimestamp(nowMs: number): string {
  return new Date(nowMs).toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z");
}

export function entraHeaders(req: SandboxRequest, traceId: string): Record<string, string> {
  return {
    "cache-control": "no-store, no-cache",
    pragma: "no-cache",
    "x-ms-request-id": traceId,
    "client-request-id": correlationId(req),
  };
}

export function entraError(req: SandboxRequest, nowMs: number, login: string, spec: EntraErrorSpec): SandboxResponse {
  const traceId = randomUUID();
  const correlation = correlationId(req);
  const timestamp = entraTimestamp(nowMs);
  const body = {
    error: spec.error,
    error_description: `AADSTS${spec.code}: ${spec.text}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlation}\r\nTimestamp: ${timestamp}`,
    error_codes: [spec.code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlation,
    error_uri: `https://${login}/error?code=${spec.code}`,
  };
  return { status: spec.status, body, headers: entraHeaders(req, traceId) };
}

/** AADSTS90002, as the token endpoint (`invalid_request`) and discovery (`invalid_tenant`) answer it. */
export function tenantNotFound(tenant: string, error: "invalid_request" | "invalid_tenant"): EntraErrorSpec {
  return {
    status: 400, error, code: 90002,
    text: `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. ` +
      "Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.",
  };
}
