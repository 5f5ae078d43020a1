// Azure RBAC over the estate's role assignments: an assignment (resource type
// Microsoft.Authorization/roleAssignments, properties {scope, roleDefinitionId, principalId, createdOn})
// applies at its scope and everything below it — subscription → resource group → resource → key
// (`…/vaults/{v}/keys/{k}`) [azure-facts §2.6]. Actions match with Azure's wildcards, case-insensitively
// (Learn "Understand Azure role definitions": `*` matches any string, e.g. `*/read`, `Microsoft.Authorization/*`).
import type { ArmResource } from "../estate-types.js";
import type { SandboxState } from "../state.js";
import { roleByDefinitionId, type RolePermission } from "./role-definitions.js";

export const ROLE_ASSIGNMENT_TYPE = "Microsoft.Authorization/roleAssignments";

/** `/a/b` form: one leading slash, no trailing slash, repeated slashes collapsed; root is "/". */
export function normalizeScope(scope: string): string {
  // Most scopes are already normal (ids as ARM writes them); this runs for every assignment on every check.
  if (scope.length > 1 && scope.startsWith("/") && !scope.endsWith("/") && !scope.includes("//")) return scope;
  return "/" + scope.split("/").filter((x) => x.length > 0).join("/");
}

/** True when `outer` is `inner` or one of its ancestors (segment-wise, case-insensitive). */
export function scopeCovers(outer: string, inner: string): boolean {
  const o = normalizeScope(outer).toLowerCase();
  const i = normalizeScope(inner).toLowerCase();
  if (o === "/") return true;
  return i === o || i.startsWith(o + "/");
}

const patternCache = new Map<string, RegExp>();

/** Azure action wildcard match: `*` = any run of characters; case-insensitive. */
export function actionMatches(pattern: string, action: string): boolean {
  let re = patternCache.get(pattern);
  if (!re) {
    const body = pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\/]/g, "\\$&")).join(".*");
    re = new RegExp(`^${body}$`, "i");
    patternCache.set(pattern, re);
  }
  return re.test(action);
}

/** Allowed by one permission block: some action pattern matches and no notAction does. */
export function permissionAllows(p: RolePermission, action: string, data = false): boolean {
  const allow = data ? p.dataActions : p.actions;
  const deny = data ? p.notDataActions : p.notActions;
  return allow.some((a) => actionMatches(a, action)) && !deny.some((a) => actionMatches(a, action));
}

/** Role assignments of the estate (all, or those of one principal). */
export function roleAssignments(state: SandboxState, principalObjectId?: string): ArmResource[] {
  const all = state.listResources(ROLE_ASSIGNMENT_TYPE);
  if (!principalObjectId) return all;
  const p = principalObjectId.toLowerCase();
  return all.filter((a) => String(a.properties?.principalId ?? "").toLowerCase() === p);
}

/** The scope of an assignment: properties.scope, else the part of its id before /providers/Microsoft.Authorization. */
export function assignmentScope(a: ArmResource): string {
  const s = a.properties?.scope;
  if (typeof s === "string" && s.length > 0) return normalizeScope(s);
  const i = a.id.toLowerCase().lastIndexOf("/providers/microsoft.authorization/roleassignments/");
  return normalizeScope(i >= 0 ? a.id.slice(0, i) : "/");
}

/** An estate custom role (a `Microsoft.Authorization/roleDefinitions` resource) by the GUID ending `roleDefinitionId`. */
export function customRole(state: SandboxState, roleDefinitionId: string): ArmResource | undefined {
  const guid = (roleDefinitionId.replace(/\/+$/, "").split("/").pop() ?? "").toLowerCase();
  return state.listResources("Microsoft.Authorization/roleDefinitions").find((r) => r.name.toLowerCase() === guid);
}

/** Permission blocks of a role definition id: built-in table first, then estate custom roles. */
export function rolePermissions(state: SandboxState, roleDefinitionId: string): RolePermission[] | undefined {
  const builtIn = roleByDefinitionId(roleDefinitionId);
  if (builtIn) return builtIn.permissions;
  const perms = customRole(state, roleDefinitionId)?.properties?.permissions;
  if (!Array.isArray(perms)) return undefined;
  return perms.map((p: Partial<RolePermission>) => ({
    actions: p.actions ?? [], notActions: p.notActions ?? [], dataActions: p.dataActions ?? [], notDataActions: p.notDataActions ?? [],
  }));
}

/** Assignments of the principal that apply at `scope` (at it or above it), optionally only those granted by `atMs`. */
export function assignmentsCovering(state: SandboxState, principalObjectId: string, scope: string, grantedBy?: { atMs: number; propagationMs: number }): ArmResource[] {
  return roleAssignments(state, principalObjectId).filter((a) => {
    if (!scopeCovers(assignmentScope(a), scope)) return false;
    if (!grantedBy) return true;
    const created = Date.parse(String(a.properties?.createdOn ?? ""));
    // An assignment without createdOn came with the estate: granted long ago.
    return Number.isNaN(created) || created + grantedBy.propagationMs <= grantedBy.atMs;
  });
}

/**
 * The caller's effective permission blocks at `scope`, one per permission block of each role assigned at
 * or above it — the shape of Permissions_ListForResourceGroup / ListForResource (PermissionGetResult.value).
 */
export function permissionsAt(state: SandboxState, principalObjectId: string, scope: string): RolePermission[] {
  const out: RolePermission[] = [];
  for (const a of assignmentsCovering(state, principalObjectId, scope)) {
    for (const p of rolePermissions(state, String(a.properties?.roleDefinitionId ?? "")) ?? []) {
      out.push({ actions: [...p.actions], notActions: [...p.notActions], dataActions: [...p.dataActions], notDataActions: [...p.notDataActions] });
    }
  }
  return out;
}

/** Does the principal hold the control-plane `action` at `scope` (through any role at or above it)? */
export function hasAction(state: SandboxState, principalObjectId: string, scope: string, action: string): boolean {
  return permissionsAt(state, principalObjectId, scope).some((p) => permissionAllows(p, action));
}

/** Does the principal hold the data action at `scope`? */
export function hasDataAction(state: SandboxState, principalObjectId: string, scope: string, dataAction: string): boolean {
  return permissionsAt(state, principalObjectId, scope).some((p) => permissionAllows(p, dataAction, true));
}

/** Does the principal hold any role at, above or below `scope` (what makes a subscription visible)? */
export function hasAnyRoleTouching(state: SandboxState, principalObjectId: string, scope: string): boolean {
  return roleAssignments(state, principalObjectId).some((a) => {
    const s = assignmentScope(a);
    return scopeCovers(s, scope) || scopeCovers(scope, s);
  });
}
