// Rules on what the migration creates: the target names (src/domain/target-names.ts, shared with the
// planner), whether they exist already, and the FHIR service quota of the subscription (azure-facts §2.9:
// 10 FHIR services per subscription by default).
import { finding } from "./finding.js";
import { SOURCE_TAG, targetIds, targetWorkspaceName, workspaceNameOf } from "../domain/target-names.js";
import { codePointCompare } from "../domain/code-point-order.js";
import { scopeKey } from "../domain/snapshot.js";
import { resourceGroupIdOf } from "./grant-scopes.js";
import type { Finding } from "../domain/findings.js";
import type { Snapshot } from "../domain/snapshot.js";
import type { RuleFamily } from "./rule-context.js";

export const FHIR_SERVICES_PER_SUBSCRIPTION = 10;

/**
 * FINDINGS.md "FHIR service quota": per subscription, the listed legacy accounts plus the FHIR services
 * already there that are not the target of a listed account: neither its default target nor one in a
 * workspace this tool tagged for a listed account (another name or resource group was chosen). So a plan
 * half applied is judged as it was before its first step, and re-deriving it (issue 10 §3) agrees.
 */
export function fhirServicesAfterMigration(snapshot: Snapshot): Map<string, number> {
  const counts = new Map<string, number>();
  const targets = new Set<string>();
  const listed = new Set<string>();
  for (const account of snapshot.accounts) {
    const sub = account.subscriptionId.toLowerCase();
    counts.set(sub, (counts.get(sub) ?? 0) + 1);
    targets.add(scopeKey(targetIds(resourceGroupIdOf(account), account.name).fhirServiceId));
    listed.add(scopeKey(account.id));
  }
  const taggedForListed = (id: string): boolean => {
    const workspace = id.replace(/\/fhirservices\/[^/]+$/i, "");
    const tag = snapshot.workspaceFacts[scopeKey(workspace)]?.tags[SOURCE_TAG];
    return tag !== undefined && listed.has(scopeKey(tag));
  };
  for (const id of snapshot.fhirServices) {
    const sub = /^\/subscriptions\/([^/]+)\//i.exec(id)?.[1]?.toLowerCase();
    if (!sub || !counts.has(sub) || targets.has(scopeKey(id)) || taggedForListed(id)) continue;
    counts.set(sub, counts.get(sub)! + 1);
  }
  return counts;
}

/**
 * Which listed account keeps each derived workspace name when several derive the same one (`fhir-claims`
 * and `fhirclaims` → `fhirclaims`): the account whose name already is the workspace name, else the first
 * by id in code-point order. The others get `target-name-conflict`.
 */
export function workspaceNameOwners(snapshot: Snapshot): Map<string, string> {
  const owners = new Map<string, { key: string; exact: boolean }>();
  for (const account of snapshot.accounts) {
    const name = targetWorkspaceName(account.name);
    const key = scopeKey(account.id);
    const exact = account.name === name;
    const held = owners.get(name);
    if (!held || (exact && !held.exact) || (exact === held.exact && codePointCompare(key, held.key) < 0)) owners.set(name, { key, exact });
  }
  return new Map([...owners].map(([name, o]) => [name, o.key]));
}

/**
 * A listed workspace of this name that is not this account's default target and was not made for it by
 * this tool (its source tag names another account, or none): Azure refuses a second workspace of that name.
 */
export function workspaceNameTakenBy(snapshot: Snapshot, accountId: string, workspaceName: string, targetWorkspaceId: string): string | null {
  for (const id of snapshot.workspaces) {
    if (workspaceNameOf(id) !== workspaceName.toLowerCase() || scopeKey(id) === scopeKey(targetWorkspaceId)) continue;
    const tag = snapshot.workspaceFacts[scopeKey(id)]?.tags[SOURCE_TAG];
    if (tag && scopeKey(tag) === scopeKey(accountId)) continue;
    return id;
  }
  return null;
}

export const targetRules: RuleFamily = ({ account, resourceGroupId }, { snapshot, fhirServicesAfterMigration: quota, workspaceNameOwners: owners }) => {
  const out: Finding[] = [];
  const workspace = targetWorkspaceName(account.name);
  if (workspace !== account.name) {
    out.push(finding("target-name-derived",
      `The target workspace of ${account.name} is named ${workspace} (lower-case letters and digits only, at most 24).`));
  }
  const ids = targetIds(resourceGroupId, account.name);
  const owner = owners.get(workspace);
  const takenBy = workspaceNameTakenBy(snapshot, account.id, workspace, ids.workspaceId);
  if ((owner && owner !== scopeKey(account.id)) || takenBy) {
    const other = takenBy ? `the workspace ${takenBy} already has it` : `listed account ${snapshot.accounts.find((a) => scopeKey(a.id) === owner)?.name ?? owner} derives the same name`;
    out.push(finding("target-name-conflict",
      `The target workspace name ${workspace} of ${account.name} is not free: ${other} (workspace names are unique across subscriptions).`,
      `Choose other names: --name ${account.id}=WORKSPACE[/FHIR] (3–24 lower-case letters and digits each).`));
  }
  const workspaceExists = snapshot.workspaces.some((id) => scopeKey(id) === scopeKey(ids.workspaceId));
  const serviceExists = snapshot.fhirServices.some((id) => scopeKey(id) === scopeKey(ids.fhirServiceId));
  if (workspaceExists || serviceExists) {
    const what = serviceExists ? `FHIR service ${workspace}/fhir` : `workspace ${workspace}`;
    out.push(finding("target-exists",
      `The target ${what} of ${account.name} already exists in resource group ${account.resourceGroup} (an earlier run, or a name clash the plan reports).`));
  }
  const count = quota.get(account.subscriptionId.toLowerCase()) ?? 0;
  if (count > FHIR_SERVICES_PER_SUBSCRIPTION) {
    out.push(finding("fhir-service-quota",
      `Migrating every listed account of subscription ${account.subscriptionId} would make ${count} FHIR services there; the default limit is ${FHIR_SERVICES_PER_SUBSCRIPTION}.`,
      `Request a higher FHIR service quota for subscription ${account.subscriptionId}, or migrate fewer of its accounts (accept fhir-service-quota for a selection that fits).`));
  }
  return out;
};
