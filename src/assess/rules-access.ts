// Rules on who gets access after the migration and whether the caller can grant it: the caller's ARM
// rights at each grant scope, the accessPolicies principals (Microsoft Graph getByIds), and the export
// storage account and ACR registries the new identity is granted on (azure-facts §2.6, §2.7).
import { finding, listOf } from "./finding.js";
import { missingActions, ROLE_ASSIGNMENTS_WRITE } from "./permissions.js";
import { acrLoginServers, exportStorageName, grantScopes } from "./grant-scopes.js";
import { scopeKey } from "../domain/snapshot.js";
import { rbacGrants } from "./rbac-grants.js";
import type { Finding } from "../domain/findings.js";
import type { GrantScope } from "./grant-scopes.js";
import type { RuleFamily } from "./rule-context.js";

export const accessRules: RuleFamily = ({ account, key, subscriptionTenantId }, { snapshot }) => {
  const out: Finding[] = [];
  const name = account.name;

  // Caller's rights: a scope whose permissions could not be read gives no finding (errors says why).
  const lacking: { scope: GrantScope; missing: string[] }[] = [];
  for (const scope of grantScopes(snapshot, account, key)) {
    const permissions = snapshot.permissions[scopeKey(scope.scope)];
    if (!permissions) continue;
    const missing = missingActions(permissions, scope.required);
    if (missing.length > 0) lacking.push({ scope, missing });
  }
  if (lacking.length > 0) {
    out.push(finding("caller-cannot-grant",
      `You cannot set up ${name}'s target: ${lacking.map((l) => `at ${l.scope.label} you lack ${listOf(l.missing)}`).join("; ")}.`,
      `Ask an owner to assign you ${lacking.map((l) => `${rolesFor(l.scope, l.missing)} on ${l.scope.label}`).join("; ")}.`));
  }

  const objectIds = [...new Set((account.properties?.accessPolicies ?? []).map((p) => p.objectId).filter(Boolean))];
  // Principals of direct FHIR data role assignments are looked up too (issue 9 §1): unverified, they are not copied.
  const rbacPrincipals = rbacGrants(snapshot, account).direct.length;
  if (snapshot.principals === null && (objectIds.length > 0 || rbacPrincipals > 0)) {
    const what = [objectIds.length ? `${objectIds.length} access policy object id${objectIds.length === 1 ? "" : "s"}` : "",
      rbacPrincipals ? `${rbacPrincipals} FHIR data role assignment principal${rbacPrincipals === 1 ? "" : "s"}` : ""].filter(Boolean).join(" and ");
    out.push(finding("principals-unverified",
      `Microsoft Graph could not be read, so the tenants of ${name}'s ${what} are unknown.`,
      `Sign in with an identity that can read directory objects (e.g. Directory Readers) and run inventory again, or accept principals-unverified when you plan.`));
  }
  if (objectIds.length > 0) {
    if (snapshot.principals !== null) {
      const known = new Set(Object.keys(snapshot.principals).map((id) => id.toLowerCase()));
      const inTenant = objectIds.filter((id) => known.has(id.toLowerCase()));
      const foreign = objectIds.filter((id) => !known.has(id.toLowerCase()));
      if (foreign.length > 0) {
        out.push(finding("access-policy-foreign-principal",
          `Access policy object id${foreign.length === 1 ? "" : "s"} ${listOf(foreign)} of ${name} ${foreign.length === 1 ? "is" : "are"} not in tenant ${subscriptionTenantId}, so no role assignment can replace ${foreign.length === 1 ? "it" : "them"}.`,
          `Give ${foreign.length === 1 ? "that principal" : "those principals"} access another way (e.g. a guest or an app of tenant ${subscriptionTenantId}), or accept access-policy-foreign-principal when you plan.`));
      }
      if (inTenant.length > 0) {
        out.push(finding("local-rbac-mapped",
          `${inTenant.length} access policy object id${inTenant.length === 1 ? "" : "s"} of ${name} become${inTenant.length === 1 ? "s" : ""} FHIR Data Contributor role assignment${inTenant.length === 1 ? "" : "s"} on the FHIR service.`));
      }
    }
  }

  const storage = exportStorageName(account);
  const servers = acrLoginServers(account);
  const missingTargets: string[] = [];
  if (storage && !snapshot.storageAccounts[storage.toLowerCase()]) missingTargets.push(`export storage account ${storage}`);
  for (const server of servers) {
    if (!snapshot.registries[server]) missingTargets.push(`ACR login server ${server}`);
  }
  if (missingTargets.length > 0) {
    out.push(finding("grant-target-not-found",
      `${capital(listOf(missingTargets))} named by ${name} cannot be found in the listed subscriptions, so ${missingTargets.length === 1 ? "its grant" : "their grants"} cannot be planned.`,
      `Correct or remove ${missingTargets.length === 1 ? "that name" : "those names"} in ${name}'s configuration (or include the subscription that holds ${missingTargets.length === 1 ? "it" : "them"}), or accept grant-target-not-found when you plan.`));
  }
  if (storage) {
    out.push(finding("export-storage",
      `${name} exports to storage account ${storage}: the FHIR service's identity gets Storage Blob Data Contributor on it.`));
  }
  if (servers.length > 0) {
    out.push(finding("acr-configured",
      `${name} uses ACR login server${servers.length === 1 ? "" : "s"} ${listOf(servers)}: the FHIR service's identity gets AcrPull on ${servers.length === 1 ? "it" : "them"}.`));
  }
  return out;
};

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Built-in roles that carry the missing actions (azure-facts §2.6). */
function rolesFor(scope: GrantScope, missing: string[]): string {
  if (scope.kind === "vault") return "Key Vault Contributor";
  const roles: string[] = [];
  if (missing.some((a) => a !== ROLE_ASSIGNMENTS_WRITE)) roles.push("Contributor");
  if (missing.includes(ROLE_ASSIGNMENTS_WRITE)) roles.push("Role Based Access Control Administrator");
  return roles.length === 2 ? "Owner (or Contributor and Role Based Access Control Administrator)" : roles[0]!;
}
