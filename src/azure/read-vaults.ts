// Key vaults from ARM (arm-keyvault 5, api-version 2026-02-01) as VaultFacts. `vaults.listBySubscription`
// (not `vaults.list`, which calls the generic resources list without properties, SDK-RECIPE §4) gives every
// vault of a subscription with its properties, so one listing per subscription replaces a GET per vault.
import type { Vault } from "@azure/arm-keyvault";
import type { VaultFacts } from "../domain/snapshot.js";
import { failed, type ReadResult } from "./read-failure.js";
import { idParts } from "./read-healthcare.js";
import type { ReadSession } from "./read-session.js";

export function vaultFactsOf(v: Vault): VaultFacts {
  const p = v.properties;
  const acls = p.networkAcls;
  return {
    name: v.name ?? "",
    vaultUri: p.vaultUri ?? `https://${v.name}/`,
    id: v.id ?? null,
    location: v.location ?? null,
    tenantId: p.tenantId ?? null,
    // Vault 2026-02-01: enableSoftDelete absent = on (soft delete can no longer be turned off, azure-facts §5.2);
    // enablePurgeProtection absent = off; enableRbacAuthorization absent = access policies.
    softDelete: p.enableSoftDelete ?? true,
    purgeProtection: p.enablePurgeProtection === true,
    permissionModel: p.enableRbacAuthorization === true ? "rbac" : "accessPolicy",
    // ARM's defaults without networkAcls (FINDINGS.md "Facts in cmk").
    networkDefaultAction: acls?.defaultAction === "Deny" ? "Deny" : "Allow",
    // NetworkRuleSet.bypass: "If not specified the default is 'AzureServices'" (keyvault.json).
    networkBypass: acls?.bypass === "None" ? "None" : "AzureServices",
    armFailure: null,
  };
}

/** Every vault of the subscription (all pages). */
export async function listVaults(session: ReadSession, subscriptionId: string, abortSignal?: AbortSignal): Promise<ReadResult<VaultFacts[]>> {
  try {
    const out: VaultFacts[] = [];
    for await (const page of session.arm(subscriptionId).keyVaultMgmt.vaults.listBySubscription({ abortSignal }).byPage()) {
      for (const v of page) out.push(vaultFactsOf(v));
    }
    return { ok: true, value: out };
  } catch (err) {
    return failed(err);
  }
}

/** One vault by ARM id (`vaults.get`). */
export async function getVault(session: ReadSession, vaultId: string, abortSignal?: AbortSignal): Promise<ReadResult<VaultFacts>> {
  const { subscriptionId, resourceGroup } = idParts(vaultId);
  const name = vaultId.split("/").filter(Boolean).at(-1) ?? "";
  try {
    return { ok: true, value: vaultFactsOf(await session.arm(subscriptionId).keyVaultMgmt.vaults.get(resourceGroup, name, { abortSignal })) };
  } catch (err) {
    return failed(err);
  }
}
