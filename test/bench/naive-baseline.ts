// The benchmark's naive baseline: what a straightforward script does with the same SDK clients — every
// call awaited one after another, and for each account its own vault GET, getKey and versions listing
// (no de-duplication, no concurrency). Clients come from the plain factory (src/azure/clients.ts) with the
// SDK's default options; one client per subscription / vault is kept, the most charitable naive version.
import type { KeyClient } from "@azure/keyvault-keys";
import {
  createArmClients, createCredential, createKeyClient, createSubscriptionClient,
} from "../../src/azure/clients.js";
import { parseKeyUri } from "../../src/domain/snapshot.js";

export interface BaselineAccount { id: string; keyUri: string | undefined }

export interface BaselineEnumeration {
  accounts: BaselineAccount[];
  /** Lower-case vault name → { subscriptionId, resourceGroup } from the vault listings. */
  vaults: Map<string, { subscriptionId: string; resourceGroup: string }>;
}

type Clients = ReturnType<typeof createArmClients>;

export function naiveBaseline() {
  const credential = createCredential("AzureCloud");
  const arm = new Map<string, Clients>();
  const keys = new Map<string, KeyClient>();
  const armFor = (s: string): Clients => {
    let c = arm.get(s);
    if (!c) arm.set(s, (c = createArmClients(credential, "AzureCloud", s)));
    return c;
  };
  const keysFor = (vaultUrl: string): KeyClient => {
    let c = keys.get(vaultUrl);
    if (!c) keys.set(vaultUrl, (c = createKeyClient(credential, vaultUrl)));
    return c;
  };

  return {
    /** Subscriptions, then per subscription its accounts and its vaults (to know each vault's resource group). */
    async enumerate(): Promise<BaselineEnumeration> {
      const accounts: BaselineAccount[] = [];
      const vaults = new Map<string, { subscriptionId: string; resourceGroup: string }>();
      for await (const sub of createSubscriptionClient(credential, "AzureCloud").subscriptions.list()) {
        const s = sub.subscriptionId!;
        for await (const svc of armFor(s).healthcare.services.list()) {
          accounts.push({ id: svc.id!, keyUri: svc.properties?.cosmosDbConfiguration?.keyVaultKeyUri });
        }
        for await (const v of armFor(s).keyVaultMgmt.vaults.listBySubscription()) {
          vaults.set(v.name!.toLowerCase(), { subscriptionId: s, resourceGroup: v.id!.split("/")[4]! });
        }
      }
      return { accounts, vaults };
    },

    /** One account's reads: vault GET, getKey (pinned or current version), all pages of the versions listing. */
    async readAccount(account: BaselineAccount, e: BaselineEnumeration): Promise<void> {
      const ref = account.keyUri ? parseKeyUri(account.keyUri) : null;
      if (!ref) return;
      const where = e.vaults.get(ref.vaultName.toLowerCase());
      if (where) await armFor(where.subscriptionId).keyVaultMgmt.vaults.get(where.resourceGroup, ref.vaultName);
      const client = keysFor(ref.vaultUrl);
      await client.getKey(ref.keyName, ref.version ? { version: ref.version } : {});
      for await (const _ of client.listPropertiesOfKeyVersions(ref.keyName)) { /* read every page */ }
    },
  };
}

/** A deterministic sample: `size` accounts spread evenly over the enumeration order. */
export function sampleOf<T>(items: T[], size: number): T[] {
  if (items.length <= size) return items;
  const step = items.length / size;
  return Array.from({ length: size }, (_, i) => items[Math.floor(i * step)]!);
}
