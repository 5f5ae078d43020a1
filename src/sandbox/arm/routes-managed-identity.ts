// User-assigned managed identities (Microsoft.ManagedIdentity 2024-11-30: UserAssignedIdentities_CreateOrUpdate
// 200/201 without LRO, _Get, _ListByResourceGroup, _ListBySubscription). A new identity gets a principalId,
// a clientId and the subscription's tenantId, and becomes a service principal of that tenant so that
// role assignments and Graph getByIds accept it.
import { armError, HttpError, json } from "../http.js";
import type { ArmResource } from "../estate-types.js";
import { pageOf } from "./paging.js";
import type { ArmCall, ArmRoute } from "./route.js";
import { bodyObject, copy, newGuid, requireResourceGroup, resourceGroupId, resourceNotFound } from "./routes-common.js";

export const IDENTITY_TYPE = "Microsoft.ManagedIdentity/userAssignedIdentities";
const ITEM = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{resourceName}";
const READ = "Microsoft.ManagedIdentity/userAssignedIdentities/read";

/** Learn "Naming rules": 3–128 characters, alphanumerics, hyphens and underscores, starting with a letter or digit. */
export function validIdentityName(name: string): boolean {
  return /^[a-zA-Z0-9][a-zA-Z0-9_-]{2,127}$/.test(name);
}

function itemId(c: ArmCall): string {
  return `${resourceGroupId(c.params.subscriptionId!, c.params.resourceGroupName!)}/providers/${IDENTITY_TYPE}/${c.params.resourceName}`;
}

function put(c: ArmCall): ReturnType<typeof json> {
  const state = c.ctx.state;
  requireResourceGroup(state, c.params.subscriptionId!, c.params.resourceGroupName!);
  const name = c.params.resourceName!;
  if (!validIdentityName(name)) {
    throw new HttpError(armError(400, "InvalidResourceName",
      `Resource name ${name} is invalid. The name can be between 3 and 128 characters long and can contain alphanumerics, hyphens and underscores, and must start with a letter or number.`));
  }
  const b = bodyObject(c);
  const location = typeof b.location === "string" ? b.location : "";
  if (!location) throw new HttpError(armError(400, "LocationRequired", "The location property is required for this definition."));
  const tags = b.tags && typeof b.tags === "object" ? b.tags as Record<string, string> : undefined;
  const existing = state.getResource(itemId(c));
  if (existing) {
    const updated: ArmResource = { ...existing, ...(tags ? { tags } : {}) };
    state.putResource(updated);
    c.ctx.changed();
    return json(200, copy(updated));
  }
  const tenantId = state.subscription(c.params.subscriptionId!)?.tenantId ?? c.claims.tid;
  const principalId = newGuid();
  const clientId = newGuid();
  const mi: ArmResource = {
    id: itemId(c), name, type: IDENTITY_TYPE, location, ...(tags ? { tags } : {}),
    properties: { tenantId, principalId, clientId, isolationScope: "None" },
  };
  state.putResource(mi);
  state.principals.push({ tenantId, objectId: principalId, type: "ServicePrincipal", displayName: name, appId: clientId });
  c.ctx.changed();
  return json(201, copy(mi));
}

export const managedIdentityRoutes: ArmRoute[] = [
  { method: "PUT", pattern: ITEM, resourceType: IDENTITY_TYPE, action: "Microsoft.ManagedIdentity/userAssignedIdentities/write", kind: "write", handle: put },
  {
    method: "GET", pattern: ITEM, resourceType: IDENTITY_TYPE, action: READ, kind: "read",
    handle: (c) => {
      requireResourceGroup(c.ctx.state, c.params.subscriptionId!, c.params.resourceGroupName!);
      const mi = c.ctx.state.getResource(itemId(c));
      if (!mi) throw resourceNotFound(`${IDENTITY_TYPE}/${c.params.resourceName}`, c.params.resourceGroupName!);
      return json(200, copy(mi));
    },
  },
  {
    method: "GET", pattern: "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ManagedIdentity/userAssignedIdentities",
    resourceType: IDENTITY_TYPE, action: READ, kind: "read",
    handle: (c) => {
      requireResourceGroup(c.ctx.state, c.params.subscriptionId!, c.params.resourceGroupName!);
      const rg = resourceGroupId(c.params.subscriptionId!, c.params.resourceGroupName!);
      return json(200, pageOf(c.ctx.state.listResources(IDENTITY_TYPE, rg).map((r) => copy(r)), c));
    },
  },
  {
    method: "GET", pattern: "/subscriptions/{subscriptionId}/providers/Microsoft.ManagedIdentity/userAssignedIdentities",
    resourceType: IDENTITY_TYPE, action: READ, kind: "read",
    handle: (c) => json(200, pageOf(c.ctx.state.listResources(IDENTITY_TYPE, `/subscriptions/${c.params.subscriptionId}`).map((r) => copy(r)), c)),
  },
];
