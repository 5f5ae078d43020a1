// Where a resource type of Microsoft.HealthcareApis may be created, from ARM's own provider metadata
// (Microsoft.Resources Providers_Get, `GET /subscriptions/{id}/providers/Microsoft.HealthcareApis
// ?api-version=2021-04-01`: `resourceTypes[].{resourceType, locations}`; locations are display names such as
// "South Africa North"). No pinned SDK has a typed Providers client (arm-resources-subscriptions covers
// subscriptions only), so the request goes through the Authorization client's own pipeline like
// arm-request.ts: the session's credential, proxy, user agent and limiter; no URL-rewriting policy.
import { createHttpHeaders, createPipelineRequest } from "@azure/core-rest-pipeline";
import { CLOUDS } from "./cloud.js";
import { failed, type ReadResult } from "./read-failure.js";
import type { ReadSession } from "./read-session.js";
import { normalizeLocation } from "../domain/location.js";

export const PROVIDERS_API_VERSION = "2021-04-01";
export const FHIR_SERVICE_TYPE = "workspaces/fhirservices";

interface ProviderBody { resourceTypes?: { resourceType?: string; locations?: string[] }[] }

/** The normalised locations of `resourceType` (default: FHIR services) in the subscription. */
export async function readProviderLocations(session: ReadSession, subscriptionId: string,
  resourceType: string = FHIR_SERVICE_TYPE, abortSignal?: AbortSignal): Promise<ReadResult<string[]>> {
  const url = `${CLOUDS[session.cloud].arm}/subscriptions/${encodeURIComponent(subscriptionId)}` +
    `/providers/Microsoft.HealthcareApis?api-version=${PROVIDERS_API_VERSION}`;
  const request = createPipelineRequest({
    url, method: "GET", headers: createHttpHeaders({ accept: "application/json" }), ...(abortSignal ? { abortSignal } : {}),
  });
  let status: number;
  let text: string | undefined;
  try {
    const response = await session.arm(subscriptionId).authorization.sendRequest(request);
    status = response.status;
    text = response.bodyAsText ?? undefined;
  } catch (err) {
    return failed(err);
  }
  let body: ProviderBody | undefined;
  try {
    body = text ? (JSON.parse(text) as ProviderBody) : undefined;
  } catch {
    body = undefined;
  }
  if (status < 200 || status > 299) {
    const message = (body as { error?: { message?: string } } | undefined)?.error?.message ?? `HTTP ${status}`;
    return { ok: false, failure: status === 403 ? "forbidden" : status === 404 ? "not-found" : "error", message, status };
  }
  const entry = body?.resourceTypes?.find((t) => t.resourceType?.toLowerCase() === resourceType.toLowerCase());
  if (!entry || !Array.isArray(entry.locations)) {
    return { ok: false, failure: "error", message: `the provider metadata names no resource type ${resourceType}`, status };
  }
  return { ok: true, value: [...new Set(entry.locations.map(normalizeLocation))].sort() };
}
