// Azure RBAC at a legacy account (issue 9 §1): the role assignments at its scope and above — one
// RoleAssignments_ListForScope with `$filter=atScope()` per account (authorization 2022-04-01, through the
// pinned arm-authorization client), which lists those at the scope and at every scope above it, not those
// below — and the definitions they name (RoleDefinitions_GetById, once per distinct role).
import type { RoleAssignmentFacts, RoleDefinitionFacts } from "../domain/snapshot.js";
import { failed, type ReadResult } from "./read-failure.js";
import type { ReadSession } from "./read-session.js";

function subscriptionOf(scope: string): string {
  return /^\/subscriptions\/([^/]+)/i.exec(scope)?.[1] ?? "";
}

export async function listRoleAssignmentsAt(session: ReadSession, scope: string, abortSignal?: AbortSignal): Promise<ReadResult<RoleAssignmentFacts[]>> {
  const client = session.arm(subscriptionOf(scope)).authorization;
  try {
    const out: RoleAssignmentFacts[] = [];
    for await (const page of client.roleAssignments.listForScope(scope, { filter: "atScope()", abortSignal }).byPage()) {
      for (const a of page) {
        if (!a.id || !a.roleDefinitionId || !a.principalId) continue;
        out.push({
          id: a.id, scope: a.scope ?? "", roleDefinitionId: a.roleDefinitionId, principalId: a.principalId,
          principalType: a.principalType ?? null, condition: a.condition ?? null,
        });
      }
    }
    return { ok: true, value: out };
  } catch (err) {
    return failed(err);
  }
}

/**
 * A role definition by its full id (`/subscriptions/{s}/providers/Microsoft.Authorization/roleDefinitions/{guid}`),
 * through the client of `subscriptionId` (GetById addresses the definition by the id alone).
 */
export async function readRoleDefinition(session: ReadSession, subscriptionId: string, roleDefinitionId: string, abortSignal?: AbortSignal):
  Promise<ReadResult<RoleDefinitionFacts>> {
  const client = session.arm(subscriptionId).authorization;
  try {
    const d = await client.roleDefinitions.getById(roleDefinitionId, { abortSignal });
    return {
      ok: true,
      value: {
        id: d.id ?? roleDefinitionId, roleName: d.roleName ?? "", roleType: d.roleType ?? "",
        permissions: (d.permissions ?? []).map((p) => ({
          actions: p.actions ?? [], notActions: p.notActions ?? [], dataActions: p.dataActions ?? [], notDataActions: p.notDataActions ?? [],
        })),
        assignableScopes: d.assignableScopes ?? [],
      },
    };
  } catch (err) {
    return failed(err);
  }
}
