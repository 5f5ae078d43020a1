// Long-running operations of the HealthcareApis RP (azure-facts §4.2, SDK-RECIPE §6). A write stores
// the resource at once in a non-terminal provisioningState and an OperationRecord (state.operations,
// persisted with --state) whose outcome follows from timestamps: it is decided lazily, on the first read
// at or after `endsAt` (settleOperations), so the timeline survives a restart and needs no timers.
// Polled via GET …/providers/Microsoft.HealthcareApis/locations/{loc}/operationresults/{id}.
import { randomUUID } from "node:crypto";
import type { ArmResource, OperationRecord } from "../../estate-types.js";
import type { SandboxContext } from "../../context.js";
import type { SandboxState } from "../../state.js";
import { idKey } from "../../state.js";
import type { ArmCall } from "../route.js";
import { keyAccessFailure } from "./cmk-validation.js";
import { keyPrincipal } from "./identity.js";
import { normalizeLocation } from "./names.js";

export const PROVIDER = "Microsoft.HealthcareApis";
export const FHIR_TYPE = "Microsoft.HealthcareApis/workspaces/fhirservices";

export function newEtag(): string {
  return `"${randomUUID()}"`;
}

export function operationDurationMs(state: SandboxState, resourceType: string): number {
  const d = state.behaviour.operationDurationMs;
  const byType = Object.entries(d).find(([k]) => k.toLowerCase() === resourceType.toLowerCase());
  return Math.max(0, byType?.[1] ?? d["default"] ?? 0);
}

/** The operation still running on a resource, if any. */
export function runningOperation(state: SandboxState, resourceId: string): OperationRecord | undefined {
  const k = idKey(resourceId);
  for (const op of state.operations.values()) if (!op.status && idKey(op.resourceId) === k) return op;
  return undefined;
}

export interface StartInput {
  resource: ArmResource;
  method: "PUT" | "PATCH" | "DELETE";
  /** The provisioningState shown while it runs ("Creating", "Updating", "Deleting", "Accepted"). */
  runningState: string;
  /** The resource as it will be once the operation succeeds (PUT/PATCH). */
  target?: ArmResource;
}

/**
 * Record the operation, store the resource in its running state (unless DELETE, which keeps the resource
 * until the end, shown as Deleting) and return the polling headers. Fault injection: a stuck state from
 * ctx.stuckStateFor leaves the operation Running forever with the resource in that state.
 */
export function startOperation(c: ArmCall, input: StartInput): { op: OperationRecord; headers: Record<string, string> } {
  const { ctx } = c;
  const now = ctx.state.now();
  const stuck = ctx.stuckStateFor(c.req.method, c.req.host, c.req.path);
  const op: OperationRecord = {
    id: randomUUID(),
    subscriptionId: c.params["subscriptionId"] ?? input.resource.id.split("/")[2] ?? "",
    location: normalizeLocation(input.resource.location ?? input.target?.location ?? "global"),
    provider: PROVIDER,
    resourceId: input.resource.id,
    resourceType: input.resource.type,
    method: input.method,
    startedAt: now,
    endsAt: now + operationDurationMs(ctx.state, input.resource.type),
    ...(stuck ? { stuckState: stuck } : {}),
    ...(input.target ? { target: input.target } : {}),
  };
  const shown: ArmResource = { ...(input.target ?? input.resource), etag: newEtag() };
  shown.properties = { ...(shown.properties ?? {}), provisioningState: stuck ?? input.runningState };
  ctx.state.putResource(shown);
  ctx.state.operations.set(op.id, op);
  ctx.changed();
  return { op, headers: pollingHeaders(c, op) };
}

export function operationUrl(c: ArmCall, op: OperationRecord): string {
  return `${c.baseUrl}/subscriptions/${op.subscriptionId}/providers/${PROVIDER}/locations/${op.location}` +
    `/operationresults/${op.id}?api-version=${encodeURIComponent(c.apiVersion)}`;
}

/**
 * Azure-AsyncOperation (the spec examples' header) for every write; PUT also carries Location pointing at
 * the same status resource (core-lro prefers Azure-AsyncOperation and re-reads a PUT from its own URL).
 * PATCH/DELETE get no Location: core-lro would fetch a PATCH's final result from it (SDK-RECIPE §6).
 */
export function pollingHeaders(c: ArmCall, op: OperationRecord): Record<string, string> {
  const url = operationUrl(c, op);
  return {
    "Azure-AsyncOperation": url,
    ...(op.method === "PUT" ? { Location: url } : {}),
    "Retry-After": String(retryAfterSeconds(op, c.ctx.state.now())),
  };
}

/** Remaining seconds (ceil, 0..10); a stuck operation has no end, so the maximum. */
export function retryAfterSeconds(op: OperationRecord, nowMs: number): number {
  if (op.stuckState) return 10;
  return Math.min(10, Math.max(0, Math.ceil((op.endsAt - nowMs) / 1000)));
}

/** Decide every operation whose time has come. Called before each HealthcareApis read or write. */
export function settleOperations(ctx: SandboxContext): void {
  const now = ctx.state.now();
  let changed = false;
  for (const op of ctx.state.operations.values()) {
    if (op.status || op.stuckState || now < op.endsAt) continue;
    settle(ctx.state, op);
    changed = true;
  }
  if (changed) ctx.changed();
}

function settle(state: SandboxState, op: OperationRecord): void {
  const current = state.getResource(op.resourceId);
  if (op.method === "DELETE") {
    state.deleteResource(op.resourceId);
    op.status = "Succeeded";
    return;
  }
  if (!current) {
    op.status = "Canceled";
    op.error = { code: "Canceled", message: `The resource '${op.resourceId}' was deleted while the operation was running.` };
    delete op.target;
    return;
  }
  const target = op.target ?? current;
  const failure = completionFailure(state, target, op.endsAt);
  if (failure) {
    op.status = "Failed";
    op.error = failure;
    state.putResource({ ...current, etag: newEtag(), properties: { ...(current.properties ?? {}), provisioningState: "Failed" } });
  } else {
    op.status = "Succeeded";
    state.putResource({ ...target, etag: newEtag(), properties: { ...(target.properties ?? {}), provisioningState: "Succeeded" } });
  }
  delete op.target;
}

/** A FHIR service with a customer-managed key must be able to use it when the operation completes. */
function completionFailure(state: SandboxState, target: ArmResource, atMs: number): { code: string; message: string } | undefined {
  if (target.type.toLowerCase() !== FHIR_TYPE.toLowerCase()) return undefined;
  const enc = (target.properties?.["encryption"] ?? {}) as { customerManagedKeyEncryption?: { keyEncryptionKeyUrl?: string } };
  const url = enc.customerManagedKeyEncryption?.keyEncryptionKeyUrl;
  if (!url) return undefined;
  const sub = state.subscription(target.id.split("/")[2] ?? "");
  const principal = keyPrincipal(state, target.identity, sub?.tenantId ?? "");
  return keyAccessFailure(state, url, principal, atMs);
}

/** OperationResultsDescription as the status endpoint returns it. */
export function operationResultBody(op: OperationRecord, nowMs: number): Record<string, unknown> {
  const status = op.status ?? (nowMs < op.startedAt ? "Requested" : "Running");
  return {
    id: `/subscriptions/${op.subscriptionId}/providers/${op.provider}/locations/${op.location}/operationresults/${op.id}`,
    name: op.id,
    status,
    startTime: new Date(op.startedAt).toISOString(),
    ...(op.status ? { endTime: new Date(op.endsAt).toISOString() } : {}),
    properties: {},
    ...(op.status && op.status !== "Succeeded" && op.error ? { error: op.error } : {}),
  };
}
