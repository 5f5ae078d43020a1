// Azure RBAC grants at a legacy account, classified once for the rules (rules-rbac.ts) and the planner
// (issue 9 §1): direct assignments (scope = the account) of FHIR data roles are copied to the new FHIR
// service with the same role and principal; assignments inherited from the resource group, subscription or
// management group are reported, never copied (they may or may not cover the target).
import { fhirRoleKind, FHIR_DATA_ROLES, grantsAhdsFhirData, grantsLegacyFhirData, roleGuidOf, type FhirRoleKind } from "../domain/fhir-data-roles.js";
import { scopeKey } from "../domain/snapshot.js";
import type { LegacyAccount, PrincipalType, RoleAssignmentFacts, Snapshot } from "../domain/snapshot.js";

export interface DirectGrant {
  assignment: RoleAssignmentFacts;
  roleGuid: string;
  roleName: string;
  kind: FhirRoleKind;
  /** The principal's type as Graph found it in the tenant; null = not found; undefined = Graph not read. */
  principal: PrincipalType | null | undefined;
  /** Assignable scopes of a custom role (empty for built-in roles: assignable everywhere). */
  assignableScopes: string[];
}

export interface InheritedGrant {
  assignment: RoleAssignmentFacts;
  roleName: string;
  /** Whether the role also grants AHDS FHIR data actions (then it covers a target below its scope). */
  coversAhds: boolean;
}

export interface RbacGrants {
  /** False when the account's assignments were not read at all (an older snapshot): no RBAC judgement. */
  read: boolean;
  /** True when the listing failed. */
  unreadable: boolean;
  direct: DirectGrant[];
  inherited: InheritedGrant[];
}

function roleNameOf(snapshot: Snapshot, guid: string): string {
  return FHIR_DATA_ROLES[guid] ?? snapshot.roleDefinitions[guid]?.roleName ?? guid;
}

export function rbacGrants(snapshot: Snapshot, account: LegacyAccount): RbacGrants {
  const key = scopeKey(account.id);
  if (!(key in snapshot.roleAssignments)) return { read: false, unreadable: false, direct: [], inherited: [] };
  const list = snapshot.roleAssignments[key];
  if (list === null || list === undefined) return { read: true, unreadable: true, direct: [], inherited: [] };
  const principals = snapshot.principals === null ? null
    : new Map(Object.entries(snapshot.principals).map(([k, v]) => [k.toLowerCase(), v]));
  const direct: DirectGrant[] = [];
  const inherited: InheritedGrant[] = [];
  for (const assignment of list) {
    const guid = roleGuidOf(assignment.roleDefinitionId);
    const definition = snapshot.roleDefinitions[guid] ?? null;
    const permissions = FHIR_DATA_ROLES[guid] ? null : definition?.permissions ?? null;
    if (scopeKey(assignment.scope) === key) {
      const kind = fhirRoleKind(guid, permissions);
      if (kind.kind === "other") continue;
      direct.push({
        assignment, roleGuid: guid, roleName: roleNameOf(snapshot, guid), kind,
        principal: principals === null ? undefined : principals.get(assignment.principalId.toLowerCase()) ?? null,
        assignableScopes: FHIR_DATA_ROLES[guid] ? [] : definition?.assignableScopes ?? [],
      });
    } else if (grantsLegacyFhirData(guid, permissions)) {
      inherited.push({ assignment, roleName: roleNameOf(snapshot, guid), coversAhds: grantsAhdsFhirData(guid, permissions) });
    }
  }
  return { read: true, unreadable: false, direct, inherited };
}

/** Whether a custom role may be assigned at `scope` (one of its assignable scopes is `scope` or above it; "/" covers all). */
export function assignableAt(grant: DirectGrant, scope: string): boolean {
  if (grant.assignableScopes.length === 0) return true;
  const s = scopeKey(scope);
  return grant.assignableScopes.some((a) => {
    const k = scopeKey(a);
    return k === "" || s === k || s.startsWith(`${k}/`);
  });
}

/** How a scope above the account reads: "resource group rg-fhir", "subscription …", "management group …". */
export function scopeLabel(scope: string): string {
  const mg = /\/managementGroups\/([^/]+)$/i.exec(scope);
  if (mg) return `management group ${mg[1]}`;
  const rg = /^\/subscriptions\/[^/]+\/resourceGroups\/([^/]+)$/i.exec(scope);
  if (rg) return `resource group ${rg[1]}`;
  const sub = /^\/subscriptions\/([^/]+)$/i.exec(scope);
  if (sub) return `subscription ${sub[1]}`;
  return scope === "/" || scope === "" ? "the root scope" : scope;
}
