// Rules on Azure RBAC data-plane access at the account (issue 9 §1): most accounts grant FHIR data access
// with role assignments on their own scope, which the plan copies to the new FHIR service; what cannot be
// copied (an unreadable listing, a custom role without AHDS actions, a conditioned grant) is an acceptable
// action finding, so no client loses access silently. Inherited grants are reported, not copied.
import { finding, listOf } from "./finding.js";
import { assignableAt, rbacGrants, scopeLabel } from "./rbac-grants.js";
import { targetIds } from "../domain/target-names.js";
import type { Finding } from "../domain/findings.js";
import type { RuleFamily } from "./rule-context.js";

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export const rbacRules: RuleFamily = ({ account, resourceGroupId }, { snapshot }) => {
  const grants = rbacGrants(snapshot, account);
  if (!grants.read) return [];
  const out: Finding[] = [];
  const name = account.name;
  if (grants.unreadable) {
    out.push(finding("rbac-assignments-unreadable",
      `The role assignments on ${name} could not be read, so clients granted FHIR data access through Azure RBAC there would lose it after cutover.`,
      `Get Microsoft.Authorization/roleAssignments/read on ${account.id} (e.g. Reader) and run inventory again, or accept rbac-assignments-unreadable and grant the FHIR data roles on the new FHIR service yourself.`));
    return out;
  }
  const fhirServiceId = targetIds(resourceGroupId, name).fhirServiceId;
  const conditioned = grants.direct.filter((g) => g.assignment.condition);
  const unmapped = grants.direct.filter((g) => !g.assignment.condition && (g.kind.kind === "custom-unmapped" || !assignableAt(g, fhirServiceId)));
  const copyable = grants.direct.filter((g) => !g.assignment.condition && !unmapped.includes(g));
  // Unverified principals (Graph unreadable, principal undefined) are principals-unverified's (rules-access.ts).
  const found = copyable.filter((g) => g.principal !== null && g.principal !== undefined);
  const gone = copyable.filter((g) => g.principal === null);

  for (const g of unmapped) {
    const k = g.kind;
    const what = k.kind === "custom-unmapped"
      ? [k.missing.length ? `lacks the AHDS data actions ${listOf(k.missing)}` : "", k.noTwin.length ? `has actions with no AHDS equivalent (${listOf(k.noTwin)})` : ""].filter(Boolean).join(" and ")
      : "is not assignable at the new FHIR service (its assignable scopes do not cover it)";
    out.push(finding("rbac-custom-role-unmapped",
      `Custom role ${g.roleName} held by ${g.assignment.principalType ?? "principal"} ${g.assignment.principalId} on ${name} ${what}, so the same grant would give no access on the new FHIR service.`,
      k.kind === "custom-unmapped" && k.missing.length && !k.noTwin.length
        ? `Add ${listOf(k.missing)} to the dataActions of role ${g.roleName} (and its assignable scopes if needed), then run inventory again; or accept rbac-custom-role-unmapped and grant access on the new service yourself.`
        : `Give that principal a role that works on workspaces/fhirservices (e.g. a built-in FHIR data role), or accept rbac-custom-role-unmapped and grant access on the new service yourself.`));
  }
  for (const g of conditioned) {
    out.push(finding("rbac-condition-not-copied",
      `${g.roleName} for ${g.assignment.principalType ?? "principal"} ${g.assignment.principalId} on ${name} has a condition (${g.assignment.condition}), which names the source's attributes; it is not copied.`,
      `Grant that principal ${g.roleName} with an equivalent condition on the new FHIR service yourself after apply, and accept rbac-condition-not-copied when you plan.`));
  }
  if (found.length > 0) {
    const roles = [...new Set(found.map((g) => g.roleName))];
    out.push(finding("rbac-data-roles-copied",
      `${plural(found.length, "role assignment")} on ${name} (${listOf(roles)}) will be copied to the new FHIR service: same role, same principal.`));
  }
  if (gone.length > 0) {
    out.push(finding("rbac-principal-not-found",
      `${plural(gone.length, "role assignment")} on ${name} name${gone.length === 1 ? "s" : ""} principal${gone.length === 1 ? "" : "s"} ${listOf(gone.map((g) => g.assignment.principalId))} that no longer exist${gone.length === 1 ? "s" : ""} in the directory; not copied.`));
  }
  if (grants.inherited.length > 0) {
    const parts = grants.inherited.map((g) => `${g.roleName} for ${g.assignment.principalType ?? "principal"} ${g.assignment.principalId} at ${scopeLabel(g.assignment.scope)}${g.coversAhds ? "" : " (legacy actions only: it will not cover the new service)"}`);
    out.push(finding("rbac-inherited-data-access",
      `FHIR data access to ${name} is also inherited from above (not copied; it covers the new FHIR service only when the target is under that scope): ${parts.join("; ")}.`));
  }
  return out;
};
