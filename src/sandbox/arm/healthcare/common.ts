// Pieces every HealthcareApis route shares: ids, the ARM 404s, the resource-group check, the readOnly
// checks a PUT goes through (azure-facts §4.2: an echoed provisioningState must match; If-Match → 412),
// etag and systemData stamping.
import type { ArmResource } from "../../estate-types.js";
import { armError, HttpError, readJson } from "../../http.js";
import type { ArmCall } from "../route.js";
import { PROVIDER } from "./lro.js";

export function rgId(c: ArmCall): string {
  return `/subscriptions/${c.params["subscriptionId"]}/resourceGroups/${c.params["resourceGroupName"]}`;
}

export function providerId(c: ArmCall, typePath: string): string {
  return `${rgId(c)}/providers/${PROVIDER}/${typePath}`;
}

/** ARM answers 404 ResourceGroupNotFound for any resource under a group that does not exist. */
export function requireResourceGroup(c: ArmCall): ArmResource {
  const rg = c.ctx.state.getResource(rgId(c));
  if (!rg || rg.type !== "Microsoft.Resources/resourceGroups") {
    throw new HttpError(armError(404, "ResourceGroupNotFound", `Resource group '${c.params["resourceGroupName"]}' could not be found.`));
  }
  return rg;
}

export function resourceNotFound(c: ArmCall, typeName: string): HttpError {
  return new HttpError(armError(404, "ResourceNotFound",
    `The Resource '${PROVIDER}/${typeName}' under resource group '${c.params["resourceGroupName"]}' was not found. ` +
    "For more details please go to https://aka.ms/ARMResourceNotFoundFix"));
}

export function fail(status: number, code: string, message: string): HttpError {
  return new HttpError(armError(status, code, message));
}

/** The request body as a JSON object (400 InvalidRequestContent otherwise). */
export function bodyObject(c: ArmCall): Record<string, unknown> {
  const body = readJson(c.req);
  if (body === undefined || body === null || typeof body !== "object" || Array.isArray(body)) {
    throw fail(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized.");
  }
  return body as Record<string, unknown>;
}

/** If-Match / If-None-Match against the stored etag (412 PreconditionFailed, azure-facts §4.2). */
export function checkPreconditions(c: ArmCall, existing: ArmResource | undefined): void {
  const ifMatch = c.req.headers["if-match"];
  const ifNoneMatch = c.req.headers["if-none-match"];
  if (typeof ifMatch === "string" && ifMatch !== "*" && ifMatch !== existing?.etag) {
    throw fail(412, "PreconditionFailed", "The etag in the If-Match header does not match the resource's current etag.");
  }
  if (ifMatch === "*" && !existing) throw fail(412, "PreconditionFailed", "The resource does not exist (If-Match: *).");
  if (ifNoneMatch === "*" && existing) throw fail(412, "PreconditionFailed", "The resource already exists (If-None-Match: *).");
}

/**
 * provisioningState is readOnly: a PUT may echo it only when it matches the stored value, else 400
 * (ARM RPC, azure-facts §4.2). Code name UNCONFIRMED.
 */
export function checkProvisioningStateEcho(body: Record<string, unknown>, existing: ArmResource | undefined): void {
  const props = body["properties"];
  if (!props || typeof props !== "object") return;
  const sent = (props as Record<string, unknown>)["provisioningState"];
  if (sent === undefined || sent === null) return;
  const current = existing?.properties?.["provisioningState"];
  if (typeof sent !== "string" || typeof current !== "string" || sent.toLowerCase() !== current.toLowerCase()) {
    throw fail(400, "InvalidProvisioningState",
      `The provisioningState '${String(sent)}' in the request does not match the resource's current state '${String(current ?? "(none)")}'. Remove the read-only property provisioningState from the request.`);
  }
}

export function systemData(c: ArmCall, existing: ArmResource | undefined): Record<string, unknown> {
  const now = new Date(c.ctx.state.now()).toISOString();
  const by = c.claims.appid || c.claims.oid;
  const byType = c.claims.appid ? "Application" : "User";
  const prev = existing?.systemData ?? {};
  return {
    createdBy: prev["createdBy"] ?? by, createdByType: prev["createdByType"] ?? byType, createdAt: prev["createdAt"] ?? now,
    lastModifiedBy: by, lastModifiedByType: byType, lastModifiedAt: now,
  };
}

export function stringTags(v: unknown): Record<string, string> | undefined {
  if (!v || typeof v !== "object" || Array.isArray(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) if (typeof x === "string") out[k] = x;
  return out;
}

/** Copy only `keys` of `src` (how the RP drops unknown input). */
export function pick(src: unknown, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!src || typeof src !== "object") return out;
  for (const k of keys) {
    const v = (src as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}

export function byId(a: ArmResource, b: ArmResource): number {
  return a.id.toLowerCase() < b.id.toLowerCase() ? -1 : a.id.toLowerCase() > b.id.toLowerCase() ? 1 : 0;
}
