// Helpers the ARM routes share: Azure's error bodies for missing groups/resources and denied callers,
// request-body parsing, ids and timestamps.
import { randomUUID } from "node:crypto";
import { armError, HttpError, readJson, type SandboxResponse } from "../http.js";
import type { ArmResource } from "../estate-types.js";
import type { SandboxState } from "../state.js";
import type { ArmCall } from "./route.js";

/** 403 AuthorizationFailed with ARM's exact message (Learn "Troubleshoot Azure RBAC"). */
export function authorizationFailed(objectId: string, action: string, scope: string): SandboxResponse {
  return armError(403, "AuthorizationFailed",
    `The client '${objectId}' with object id '${objectId}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`);
}

export function resourceGroupNotFound(rg: string): HttpError {
  return new HttpError(armError(404, "ResourceGroupNotFound", `Resource group '${rg}' could not be found.`));
}

/** ARM's 404 for a resource that does not exist in an existing group. */
export function resourceNotFound(typeWithName: string, rg: string): HttpError {
  return new HttpError(armError(404, "ResourceNotFound",
    `The Resource '${typeWithName}' under resource group '${rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`));
}

export function resourceGroupId(subscriptionId: string, rg: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${rg}`;
}

/** The resource group, or a thrown 404 ResourceGroupNotFound. */
export function requireResourceGroup(state: SandboxState, subscriptionId: string, rg: string): ArmResource {
  const g = state.getResource(resourceGroupId(subscriptionId, rg));
  if (!g) throw resourceGroupNotFound(rg);
  return g;
}

/** The request body as a JSON object, or a thrown 400 like ARM's for a missing/invalid body. */
export function bodyObject(c: ArmCall): Record<string, unknown> {
  const b = readJson(c.req);
  if (b === undefined || b === null || typeof b !== "object" || Array.isArray(b)) {
    throw new HttpError(armError(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized: 'Request body must be a JSON object.'."));
  }
  return b as Record<string, unknown>;
}

export function newGuid(): string {
  return randomUUID();
}

export function isoNow(state: SandboxState): string {
  return new Date(state.now()).toISOString();
}

/** Query parameter by name, case-insensitively (ARM treats `$filter` / `$Filter` alike). */
export function queryParam(c: ArmCall, name: string): string | undefined {
  const n = name.toLowerCase();
  for (const [k, v] of c.req.query) if (k.toLowerCase() === n) return v;
  return undefined;
}

/** A deep copy, so a response never aliases the state. */
export function copy<T>(x: T): T {
  return structuredClone(x);
}

export const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
