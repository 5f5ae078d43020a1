// The scopes at which the plan writes grants, and the ARM actions the caller needs at each (FINDINGS.md
// "Caller's rights"). Exported so discovery asks ARM `permissions` at exactly these scopes: the snapshot's
// `permissions` is keyed by scopeKey() of the `scope` strings below.
import type { LegacyAccount, Snapshot } from "../domain/snapshot.js";
import {
  ACCESS_POLICIES_WRITE, IDENTITIES_WRITE, ROLE_ASSIGNMENTS_WRITE, WORKSPACES_WRITE,
} from "./permissions.js";
import type { KeyState } from "./key-state.js";

export interface GrantScope {
  scope: string;
  /** How a message names it: "key cmk in vault kv-x", "resource group rg-a", … */
  label: string;
  required: string[];
  /** The built-in role that carries the missing rights, for the fix. */
  kind: "key" | "vault" | "resource-group" | "storage" | "registry";
}

/** `/subscriptions/{s}/resourceGroups/{rg}` of an ARM id, case as written. */
export function resourceGroupIdOf(account: LegacyAccount): string {
  const m = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+/i.exec(account.id);
  return m ? m[0] : `/subscriptions/${account.subscriptionId}/resourceGroups/${account.resourceGroup}`;
}

/** Lower-case ACR login servers an account names (loginServers and the ociArtifacts' servers). */
export function acrLoginServers(account: LegacyAccount): string[] {
  const acr = account.properties?.acrConfiguration ?? {};
  const all = [...(acr.loginServers ?? []), ...(acr.ociArtifacts ?? []).map((o) => o.loginServer ?? "")];
  return [...new Set(all.filter((s) => s.length > 0).map((s) => s.toLowerCase()))];
}

export function exportStorageName(account: LegacyAccount): string | null {
  return account.properties?.exportConfiguration?.storageAccountName || null;
}

/**
 * Scopes judged for `account`. The key (or vault) scope is left out when the vault resource was not read,
 * or the key is cross-tenant or not found (the finding that says so stands in); storage accounts and
 * registries that were not found are left out (grant-target-not-found stands in).
 */
export function grantScopes(snapshot: Snapshot, account: LegacyAccount, key: KeyState | null): GrantScope[] {
  const out: GrantScope[] = [];
  const vault = key?.vault;
  if (key && vault?.id && !key.crossTenant && !key.notFound) {
    if (vault.permissionModel === "rbac") {
      out.push({ scope: `${vault.id}/keys/${key.keyName}`, label: `key ${key.keyName} in vault ${key.vaultName}`, required: [ROLE_ASSIGNMENTS_WRITE], kind: "key" });
    } else if (vault.permissionModel === "accessPolicy") {
      out.push({ scope: vault.id, label: `vault ${key.vaultName}`, required: [ACCESS_POLICIES_WRITE], kind: "vault" });
    }
  }
  out.push({
    scope: resourceGroupIdOf(account), label: `resource group ${account.resourceGroup}`,
    required: [WORKSPACES_WRITE, IDENTITIES_WRITE, ROLE_ASSIGNMENTS_WRITE], kind: "resource-group",
  });
  const storage = exportStorageName(account);
  const storageId = storage ? snapshot.storageAccounts[storage.toLowerCase()] : undefined;
  if (storage && storageId) {
    out.push({ scope: storageId, label: `storage account ${storage}`, required: [ROLE_ASSIGNMENTS_WRITE], kind: "storage" });
  }
  for (const server of acrLoginServers(account)) {
    const registryId = snapshot.registries[server];
    if (registryId) out.push({ scope: registryId, label: `registry ${server}`, required: [ROLE_ASSIGNMENTS_WRITE], kind: "registry" });
  }
  return out;
}
