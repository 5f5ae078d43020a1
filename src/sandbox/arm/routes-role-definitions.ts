// Built-in role definitions (RoleDefinitions_Get / _List / _GetById, authorization 2022-04-01), and the
// estate's custom roles by GUID (get only; `roleType`… as the estate wrote them): get by GUID
// at any scope or at the root (`/providers/Microsoft.Authorization/roleDefinitions/{id}`), list with
// `$filter=roleName eq '…'` or `type eq 'BuiltInRole'`.
import { armError, HttpError, json } from "../http.js";
import { customRole, normalizeScope } from "./rbac.js";
import { BUILT_IN_ROLES, roleByDefinitionId, roleDefinitionResource, type BuiltInRole } from "./role-definitions.js";
import { pageOf } from "./paging.js";
import type { ArmCall, ArmRoute } from "./route.js";
import { copy, queryParam } from "./routes-common.js";

const TYPE = "Microsoft.Authorization/roleDefinitions";
const READ = "Microsoft.Authorization/roleDefinitions/read";

function subscriptionOf(scope: string | undefined): string | undefined {
  if (!scope) return undefined;
  const m = /^\/subscriptions\/([^/]+)/i.exec(normalizeScope(scope));
  return m?.[1];
}

function getOne(c: ArmCall): ReturnType<typeof json> {
  const role = roleByDefinitionId(c.params.roleDefinitionId!);
  const custom = role ? undefined : customRole(c.ctx.state, c.params.roleDefinitionId!);
  if (custom) return json(200, { ...copy(custom), properties: { type: "CustomRole", ...custom.properties } });
  if (!role) {
    throw new HttpError(armError(404, "RoleDefinitionDoesNotExist", `The specified role definition with ID '${c.params.roleDefinitionId}' does not exist.`));
  }
  return json(200, roleDefinitionResource(role, subscriptionOf(c.params.scope)));
}

/** `roleName eq 'X'` / `type eq 'BuiltInRole'` (the two filters RoleDefinitionFilter names). */
export function filterRoles(filter: string | undefined): BuiltInRole[] {
  if (!filter) return BUILT_IN_ROLES;
  const name = /roleName\s+eq\s+'((?:[^']|'')*)'/i.exec(filter);
  if (name) {
    const n = name[1]!.replace(/''/g, "'").toLowerCase();
    return BUILT_IN_ROLES.filter((r) => r.roleName.toLowerCase() === n);
  }
  const type = /type\s+eq\s+'([^']*)'/i.exec(filter);
  if (type) return type[1]!.toLowerCase() === "builtinrole" ? BUILT_IN_ROLES : [];
  throw new HttpError(armError(400, "InvalidFilterInQueryString", `The filter '${filter}' is not supported.`));
}

function list(c: ArmCall): ReturnType<typeof json> {
  const sub = subscriptionOf(c.params.scope);
  const items = filterRoles(queryParam(c, "$filter")).map((r) => roleDefinitionResource(r, sub));
  return json(200, pageOf(items, c));
}

export const roleDefinitionRoutes: ArmRoute[] = [
  { method: "GET", pattern: "/providers/Microsoft.Authorization/roleDefinitions/{roleDefinitionId}", resourceType: TYPE, action: READ,
    kind: "read", skipAuthorization: true, handle: getOne },
  { method: "GET", pattern: "/providers/Microsoft.Authorization/roleDefinitions", resourceType: TYPE, action: READ,
    kind: "read", skipAuthorization: true, handle: list },
  { method: "GET", pattern: "/{scope*}/providers/Microsoft.Authorization/roleDefinitions/{roleDefinitionId}", resourceType: TYPE, action: READ,
    kind: "read", handle: getOne },
  { method: "GET", pattern: "/{scope*}/providers/Microsoft.Authorization/roleDefinitions", resourceType: TYPE, action: READ,
    kind: "read", handle: list },
];
