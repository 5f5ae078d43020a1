// The caller's ARM rights, judged from Microsoft.Authorization/permissions the way ARM judges them: each
// entry is one role's permissions; an action is allowed when some entry has an `actions` pattern matching it
// and no `notActions` pattern of that same entry matches it. Patterns compare case-insensitively and `*`
// stands for any run of characters ("*", "Microsoft.Authorization/*", "*/read").
// https://learn.microsoft.com/azure/role-based-access-control/role-definitions#actions
import type { PermissionSet } from "../domain/snapshot.js";

const patternCache = new Map<string, RegExp>();

function patternRegExp(pattern: string): RegExp {
  let re = patternCache.get(pattern);
  if (!re) {
    const body = pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, "\\$&")).join(".*");
    re = new RegExp(`^${body}$`, "i");
    patternCache.set(pattern, re);
  }
  return re;
}

export function actionMatches(pattern: string, action: string): boolean {
  return patternRegExp(pattern).test(action);
}

export function isAllowed(permissions: readonly PermissionSet[], action: string): boolean {
  return permissions.some((p) =>
    p.actions.some((a) => actionMatches(a, action)) && !p.notActions.some((n) => actionMatches(n, action)));
}

/** The actions of `required` the caller lacks at a scope. */
export function missingActions(permissions: readonly PermissionSet[], required: readonly string[]): string[] {
  return required.filter((action) => !isAllowed(permissions, action));
}

export const ROLE_ASSIGNMENTS_WRITE = "Microsoft.Authorization/roleAssignments/write";
export const ACCESS_POLICIES_WRITE = "Microsoft.KeyVault/vaults/accessPolicies/write";
export const WORKSPACES_WRITE = "Microsoft.HealthcareApis/workspaces/write";
export const IDENTITIES_WRITE = "Microsoft.ManagedIdentity/userAssignedIdentities/write";
