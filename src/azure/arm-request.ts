// One raw ARM request through an SDK client's OWN pipeline (DESIGN.md "Apply": writes send the plan's wire
// JSON unchanged, because arm-healthcareapis 3.0.0's typed models drop fields they do not know). The
// Authorization client is used as the carrier: it adds no policy that rewrites the URL (HealthcareApis'
// `apiVersion` option rewrites `api-version=` in every URL, SDK-RECIPE §4), and it carries the session's
// credential, proxy, user agent and rate limiter like every other client of the session.
import { createHttpHeaders, createPipelineRequest } from "@azure/core-rest-pipeline";
import type { AzureSession } from "./azure-session.js";
import { toDomainError } from "./errors.js";

export interface ArmRequest {
  method: "GET" | "PUT";
  /** Absolute ARM URL with its api-version (a plan step's URL, or an operation URL ARM handed out). */
  url: string;
  body?: unknown;
  abortSignal?: AbortSignal;
}

export interface ArmResponse {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** Parsed JSON, or undefined for an empty (or non-JSON) body. */
  body: unknown;
  requestId: string | null;
}

/** The subscription the URL is under (the client of that subscription carries it, so its limiter bucket is right). */
function subscriptionOf(url: string): string {
  const path = new URL(url).pathname.replace(/\/{2,}/g, "/");
  const m = /^\/subscriptions\/([^/]+)/i.exec(path);
  // Tenant-level URLs do not occur in plans; any client will do (the limiter buckets by URL, not by client).
  return m?.[1] ? decodeURIComponent(m[1]) : "00000000-0000-0000-0000-000000000000";
}

/**
 * Sends the request and returns the answer, whatever its status: a 4xx/5xx is a value for the caller (the
 * limiter has already retried 429/5xx within its budget). Transport failures (dropped connection after the
 * budget, sign-in) throw the domain error (AzureError / UserError); an abort throws the AbortError.
 */
export async function sendArmRequest(session: AzureSession, req: ArmRequest): Promise<ArmResponse> {
  const client = session.arm(subscriptionOf(req.url)).authorization;
  const request = createPipelineRequest({
    url: req.url,
    method: req.method,
    headers: createHttpHeaders({
      accept: "application/json",
      ...(req.body !== undefined ? { "content-type": "application/json" } : {}),
    }),
    ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}),
    ...(req.abortSignal ? { abortSignal: req.abortSignal } : {}),
  });
  let response;
  try {
    response = await client.sendRequest(request);
  } catch (e) {
    if ((e as { name?: string }).name === "AbortError") throw e;
    throw toDomainError(e, `${req.method} ${new URL(req.url).pathname}`);
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of response.headers) headers[name.toLowerCase()] = value;
  let body: unknown;
  if (response.bodyAsText) {
    try {
      body = JSON.parse(response.bodyAsText);
    } catch {
      body = undefined;
    }
  }
  return { status: response.status, headers, body, requestId: headers["x-ms-request-id"] ?? null };
}
