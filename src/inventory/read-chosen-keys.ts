// `plan --key ACCOUNT_ID=KEY_URL`: the facts of a key the user chose instead of the account's own, read
// with the same reads as discovery (src/azure/read-keys.ts, read-vaults.ts, read-permissions.ts) and added
// to a copy of the snapshot, so the same assessment rules judge the chosen key (issue 4 "Choices") and the
// planner pins its version and fingerprints it and its vault.
//
// The chosen key's vault may live in a subscription discovery did not list (plan --account limits discovery
// to the accounts' subscriptions): it is looked for in the snapshot's subscriptions first, then in the
// other subscriptions of the signed-in tenant. A vault ARM does not show stays "not visible" (armFailure),
// exactly as discovery records it, and the rules say so.
import type { AzureSession } from "../azure/azure-session.js";
import { listKeyVersions, readKey } from "../azure/read-keys.js";
import { challengeTenant, keyFacts } from "./key-facts.js";
import { listVaults } from "../azure/read-vaults.js";
import { listSubscriptions } from "../azure/read-subscriptions.js";
import { readPermissions } from "../azure/read-permissions.js";
import { keyRef, parseKeyUri, scopeKey, vaultKey } from "../domain/snapshot.js";
import type { ReadFailure, Snapshot, VaultFacts } from "../domain/snapshot.js";

/** A copy of `snapshot` with the facts of every key URL in `keyUrls` (and its vault and grant scope) added. */
export async function readChosenKeys(session: AzureSession, snapshot: Snapshot, keyUrls: readonly string[],
  abortSignal?: AbortSignal): Promise<Snapshot> {
  const out: Snapshot = {
    ...snapshot, vaults: { ...snapshot.vaults }, keys: { ...snapshot.keys }, permissions: { ...snapshot.permissions },
    errors: [...snapshot.errors],
  };
  const uris = [...new Map(keyUrls.map((u) => parseKeyUri(u)).filter((u) => u !== null)
    .map((u) => [keyRef(u.vaultName, u.keyName, u.version), u] as const)).values()];
  if (uris.length === 0) return out;

  const finder = new VaultFinder(session, snapshot, abortSignal);
  for (const uri of uris) {
    const vk = vaultKey(uri.vaultName);
    const ref = keyRef(uri.vaultName, uri.keyName, uri.version);
    const get = out.keys[ref] ? null : await readKey(session, uri.vaultUrl, uri.keyName, uri.version, abortSignal);
    if (!out.vaults[vk]) {
      const found = await finder.find(uri.vaultName);
      out.vaults[vk] = found ?? {
        name: uri.vaultName, vaultUri: `${uri.vaultUrl}/`, id: null, location: null,
        tenantId: get ? challengeTenant(get, snapshot.tenantId) : null,
        softDelete: null, purgeProtection: null, permissionModel: null, networkDefaultAction: null, networkBypass: null,
        armFailure: finder.failure ?? "not-found",
      };
    }
    if (get) {
      const vaultGone = !get.ok && (get.failure === "cross-tenant" || (get.failure === "not-found" && get.status !== 404));
      const versions = vaultGone ? null : await listKeyVersions(session, uri.vaultUrl, uri.keyName, abortSignal);
      out.keys[ref] = keyFacts(uri, get, versions, snapshot.tenantId);
    }
    // The caller's rights where the plan grants the identity access to this key (FINDINGS.md "Caller's rights").
    const vault = out.vaults[vk]!;
    if (vault.id) {
      const scope = vault.permissionModel === "rbac" ? `${vault.id}/keys/${uri.keyName}` : vault.id;
      if (!(scopeKey(scope) in out.permissions)) {
        const r = await readPermissions(session, scope, abortSignal);
        out.permissions[scopeKey(scope)] = r.ok ? r.value : null;
        if (!r.ok) out.errors.push({ scope, message: `Can't read the caller's permissions (${r.failure}): ${r.message}` });
      }
    }
  }
  return out;
}

/** Finds vaults by name in the subscriptions' vault listings, listing each subscription at most once. */
class VaultFinder {
  private readonly listed = new Map<string, VaultFacts>();
  private readonly pending: string[];
  private othersAdded = false;
  failure: ReadFailure | null = null;

  constructor(private readonly session: AzureSession, private readonly snapshot: Snapshot, private readonly signal?: AbortSignal) {
    this.pending = snapshot.subscriptions.filter((s) => s.error === null).map((s) => s.subscriptionId);
  }

  async find(name: string): Promise<VaultFacts | null> {
    for (;;) {
      const hit = this.listed.get(vaultKey(name));
      if (hit) return { ...hit };
      const next = this.pending.shift();
      if (next === undefined) {
        if (this.othersAdded) return null;
        await this.addOtherSubscriptions();
        continue;
      }
      const r = await listVaults(this.session, next, this.signal);
      if (!r.ok) {
        this.failure ??= r.failure;
        continue;
      }
      for (const v of r.value) if (!this.listed.has(vaultKey(v.name))) this.listed.set(vaultKey(v.name), v);
    }
  }

  private async addOtherSubscriptions(): Promise<void> {
    this.othersAdded = true;
    const known = new Set(this.snapshot.subscriptions.map((s) => s.subscriptionId.toLowerCase()));
    const r = await listSubscriptions(this.session, this.signal);
    if (!r.ok) { this.failure ??= r.failure; return; }
    for (const s of r.value.subscriptions) if (!known.has(s.subscriptionId.toLowerCase())) this.pending.push(s.subscriptionId);
  }
}
