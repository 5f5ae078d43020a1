// Role assignments at any scope (RoleAssignments_Create / _Get / _Delete / _ListForScope and the
// ForSubscription / ForResourceGroup / ForResource / ById variants, authorization 2022-04-01): the scope
// may be a subscription, group, resource or a key (`…/vaults/{v}/keys/{k}`); the SDK sends a scope of
// `/subscriptions/…` as `//subscriptions/…`, collapsed before routing (SDK-RECIPE §4).
import { armError, HttpError, json } from "../http.js";
import type { ArmResource } from "../estate-types.js";
import type { SandboxState } from "../state.js";
import { assignmentScope, customRole, normalizeScope, ROLE_ASSIGNMENT_TYPE, roleAssignments, scopeCovers } from "./rbac.js";
import { roleByDefinitionId } from "./role-definitions.js";
import { pageOf } from "./paging.js";
import type { ArmCall, ArmRoute } from "./route.js";
import { bodyObject, copy, GUID_RE, isoNow, queryParam } from "./routes-common.js";

const ITEM = "/{scope*}/providers/Microsoft.Authorization/roleAssignments/{roleAssignmentName}";
const LIST = "/{scope*}/providers/Microsoft.Authorization/roleAssignments";
const PRINCIPAL_TYPES = ["User", "Group", "ServicePrincipal", "ForeignGroup"];

function guidOf(roleDefinitionId: string): string {
  return (roleDefinitionId.replace(/\/+$/, "").split("/").pop() ?? "").toLowerCase();
}

function assignmentId(scope: string, name: string): string {
  return `${scope === "/" ? "" : scope}/providers/Microsoft.Authorization/roleAssignments/${name}`;
}

function subscriptionOf(scope: string): string | undefined {
  return /^\/subscriptions\/([^/]+)/i.exec(scope)?.[1];
}

/** Tenant of the scope's subscription, else the caller's. */
function tenantOf(c: ArmCall, scope: string): string {
  const sub = subscriptionOf(scope);
  return (sub && c.ctx.state.subscription(sub)?.tenantId) || c.claims.tid;
}

/** A principal of the tenant: an estate principal, or the service principal of a user-assigned identity. */
export function principalKnown(state: SandboxState, tenantId: string, principalId: string): { type?: string } | undefined {
  const p = principalId.toLowerCase();
  const t = tenantId.toLowerCase();
  const estate = state.principals.find((x) => x.objectId.toLowerCase() === p && x.tenantId.toLowerCase() === t);
  if (estate) return { type: estate.type };
  const mi = state.listResources("Microsoft.ManagedIdentity/userAssignedIdentities")
    .find((r) => String(r.properties?.principalId ?? "").toLowerCase() === p && String(r.properties?.tenantId ?? t).toLowerCase() === t);
  return mi ? { type: "ServicePrincipal" } : undefined;
}

function findByName(state: SandboxState, scope: string, name: string): ArmResource | undefined {
  return state.getResource(assignmentId(scope, name));
}

function notFound(name: string): HttpError {
  return new HttpError(armError(404, "RoleAssignmentNotFound", `The role assignment '${name}' is not found.`));
}

function put(c: ArmCall): ReturnType<typeof json> {
  const state = c.ctx.state;
  const scope = normalizeScope(c.params.scope!);
  const name = c.params.roleAssignmentName!;
  if (!GUID_RE.test(name)) {
    throw new HttpError(armError(400, "InvalidRoleAssignmentId",
      `The role assignment ID '${name}' is not valid. The role assignment ID must be a GUID.`));
  }
  const props = (bodyObject(c).properties ?? {}) as Record<string, unknown>;
  const roleDefinitionId = typeof props.roleDefinitionId === "string" ? props.roleDefinitionId : "";
  const principalId = typeof props.principalId === "string" ? props.principalId : "";
  if (!roleDefinitionId || !principalId) {
    throw new HttpError(armError(400, "InvalidRequestContent",
      "The request content was invalid and could not be deserialized: 'Required properties roleDefinitionId and principalId are missing.'."));
  }
  const builtIn = roleByDefinitionId(roleDefinitionId);
  const custom = builtIn ? undefined : customRole(state, roleDefinitionId);
  const role = builtIn ?? (custom ? { guid: custom.name.toLowerCase() } : undefined);
  if (!role) {
    throw new HttpError(armError(400, "RoleDefinitionDoesNotExist",
      `The specified role definition with ID '${roleDefinitionId.split("/").pop()}' does not exist.`));
  }
  const tenantId = tenantOf(c, scope);
  const principal = principalKnown(state, tenantId, principalId);
  if (!principal) {
    // ARM's wording, including the principal id without dashes (Learn "Troubleshoot Azure RBAC").
    throw new HttpError(armError(400, "PrincipalNotFound",
      `Principal ${principalId.replace(/-/g, "")} does not exist in the directory ${tenantId}. Check that you have the correct principal ID. If you are creating this principal and then immediately assigning a role, this error might be related to a replication delay. In this case, set the role assignment principalType property to a value, such as ServicePrincipal, User, or Group.  See https://aka.ms/docs-principaltype`));
  }
  const principalType = typeof props.principalType === "string" ? props.principalType : principal.type ?? "User";
  if (!PRINCIPAL_TYPES.includes(principalType)) {
    throw new HttpError(armError(400, "InvalidPrincipalType", `The principal type '${principalType}' is not valid.`));
  }
  const sub = subscriptionOf(scope);
  const fullRoleId = `${sub ? `/subscriptions/${sub}` : ""}/providers/Microsoft.Authorization/roleDefinitions/${role.guid}`;
  const sameGrant = (a: ArmResource): boolean =>
    normalizeScope(assignmentScope(a)).toLowerCase() === scope.toLowerCase()
    && String(a.properties?.principalId ?? "").toLowerCase() === principalId.toLowerCase()
    && guidOf(String(a.properties?.roleDefinitionId ?? "")) === role.guid.toLowerCase();

  const existing = findByName(state, scope, name);
  if (existing) {
    if (sameGrant(existing)) return json(200, copy(existing));
    throw new HttpError(armError(409, "RoleAssignmentUpdateNotPermitted",
      "Tenant ID, application ID, principal ID, and scope are not allowed to be updated."));
  }
  if (roleAssignments(state, principalId).some(sameGrant)) {
    throw new HttpError(armError(409, "RoleAssignmentExists", "The role assignment already exists."));
  }
  const now = isoNow(state);
  const a: ArmResource = {
    id: assignmentId(scope, name),
    name,
    type: ROLE_ASSIGNMENT_TYPE,
    properties: {
      roleDefinitionId: fullRoleId,
      principalId,
      principalType,
      scope,
      ...(typeof props.description === "string" ? { description: props.description } : {}),
      createdOn: now,
      updatedOn: now,
      createdBy: c.claims.oid,
      updatedBy: c.claims.oid,
    },
  };
  state.putResource(a);
  c.ctx.changed();
  return json(201, copy(a));
}

/**
 * Filters of RoleAssignments_List*: none = at, above and below the scope; `atScope()` = at or above;
 * `principalId eq '{id}'` / `assignedTo('{id}')` = that principal's (group membership is not modelled).
 */
export function filterAssignments(all: ArmResource[], scope: string, filter: string | undefined): ArmResource[] {
  const f = filter ?? "";
  const atScope = /atScope\(\)/i.test(f);
  const principal = /principalId\s+eq\s+'([^']*)'/i.exec(f)?.[1] ?? /assignedTo\('([^']*)'\)/i.exec(f)?.[1];
  if (f.trim() && !atScope && principal === undefined) {
    throw new HttpError(armError(400, "UnsupportedQuery", `The filter '${f}' is not supported. Supported filters are atScope(), principalId eq '{id}' and assignedTo('{id}').`));
  }
  return all.filter((a) => {
    const s = assignmentScope(a);
    const above = scopeCovers(s, scope);
    if (atScope ? !above : !(above || scopeCovers(scope, s))) return false;
    if (principal !== undefined && String(a.properties?.principalId ?? "").toLowerCase() !== principal.toLowerCase()) return false;
    return true;
  });
}

export const roleAssignmentRoutes: ArmRoute[] = [
  { method: "PUT", pattern: ITEM, resourceType: ROLE_ASSIGNMENT_TYPE, action: "Microsoft.Authorization/roleAssignments/write", kind: "write", handle: put },
  {
    method: "GET", pattern: ITEM, resourceType: ROLE_ASSIGNMENT_TYPE, action: "Microsoft.Authorization/roleAssignments/read", kind: "read",
    handle: (c) => {
      const a = findByName(c.ctx.state, normalizeScope(c.params.scope!), c.params.roleAssignmentName!);
      if (!a) throw notFound(c.params.roleAssignmentName!);
      return json(200, copy(a));
    },
  },
  {
    method: "DELETE", pattern: ITEM, resourceType: ROLE_ASSIGNMENT_TYPE, action: "Microsoft.Authorization/roleAssignments/delete", kind: "delete",
    handle: (c) => {
      const a = findByName(c.ctx.state, normalizeScope(c.params.scope!), c.params.roleAssignmentName!);
      if (!a) return { status: 204 };
      c.ctx.state.deleteResource(a.id);
      c.ctx.changed();
      return json(200, copy(a));
    },
  },
  {
    method: "GET", pattern: LIST, resourceType: ROLE_ASSIGNMENT_TYPE, action: "Microsoft.Authorization/roleAssignments/read", kind: "read",
    handle: (c) => {
      const scope = normalizeScope(c.params.scope!);
      const items = filterAssignments(roleAssignments(c.ctx.state), scope, queryParam(c, "$filter")).map((a) => copy(a));
      return json(200, pageOf(items, c));
    },
  },
];
