// The plan's fingerprint (DESIGN.md "Files the tool owns"): every source fact the plan relies on and does
// not itself change — the account (etag + hash of its properties), the key (pinned and current version +
// hash of the pinned version's attributes), the vault (location, soft delete, purge protection, permission
// model + hash of its network ACLs). Not the vault's access policies (the plan adds one), not the targets,
// not FHIR-service counts: the plan's own effects must never make it stale. Hashes are SHA-256 hex of RFC
// 8785 JSON; the per-fact functions are exported so the re-read side (src/inventory/read-fingerprint.ts)
// hashes exactly the same way.
import { canonicalJson, sha256Hex } from "../domain/canonical-json.js";
import type { PlanFingerprint, PlannedAccount } from "../domain/plan.js";
import { parseKeyUri, scopeKey, vaultKey } from "../domain/snapshot.js";
import type { KeyFacts, LegacyAccount, Snapshot, VaultFacts } from "../domain/snapshot.js";
import { codePointCompare } from "../domain/code-point-order.js";

export function accountFingerprint(account: LegacyAccount): PlanFingerprint["accounts"][number] {
  return { id: account.id, etag: account.etag ?? null, propertiesSha256: sha256Hex(canonicalJson(account.properties ?? {})) };
}

/** Hash of the judged version's attributes: {kty, size, enabled, exp, nbf, recoveryLevel} (unread = null). */
export function keyAttributesSha256(key: Pick<KeyFacts, "keyType" | "keySize" | "enabled" | "expiresOn" | "notBefore" | "recoveryLevel">): string {
  return sha256Hex(canonicalJson({
    kty: key.keyType, size: key.keySize, enabled: key.enabled, exp: key.expiresOn, nbf: key.notBefore, recoveryLevel: key.recoveryLevel,
  }));
}

/** Hash of {defaultAction, bypass}; ARM's defaults (Allow / AzureServices) stand in for unset ACLs (FINDINGS.md). */
export function networkAclsSha256(vault: Pick<VaultFacts, "networkDefaultAction" | "networkBypass">): string {
  return sha256Hex(canonicalJson({ defaultAction: vault.networkDefaultAction ?? "Allow", bypass: vault.networkBypass ?? "AzureServices" }));
}

export function vaultFingerprint(vault: VaultFacts): PlanFingerprint["vaults"][number] | null {
  if (!vault.id || !vault.location || vault.softDelete === null || vault.purgeProtection === null || !vault.permissionModel) return null;
  return {
    id: vault.id, location: vault.location, softDelete: vault.softDelete, purgeProtection: vault.purgeProtection,
    permissionModel: vault.permissionModel, networkAclsSha256: networkAclsSha256(vault),
  };
}

/**
 * Key facts the plan pinned `version` from: a versionless read whose current version it is (currentVersion =
 * that version at plan time), or a read of exactly that version (currentVersion = version).
 */
export function keyFingerprints(snapshot: Snapshot, vaultName: string, keyName: string, version: string): PlanFingerprint["keys"] {
  const out: PlanFingerprint["keys"] = [];
  for (const facts of Object.values(snapshot.keys)) {
    if (facts.vaultName.toLowerCase() !== vaultName.toLowerCase() || facts.keyName.toLowerCase() !== keyName.toLowerCase()) continue;
    const pinned = facts.pinnedVersion;
    if (pinned ? pinned.toLowerCase() !== version.toLowerCase() : facts.version?.toLowerCase() !== version.toLowerCase()) continue;
    out.push({ vaultName: facts.vaultName, keyName: facts.keyName, version, currentVersion: facts.version ?? version, attributesSha256: keyAttributesSha256(facts) });
  }
  return out;
}

function uniqueSorted<T>(items: T[], key: (t: T) => string): T[] {
  const m = new Map<string, T>();
  for (const t of items) if (!m.has(key(t))) m.set(key(t), t);
  return [...m.entries()].sort(([a], [b]) => codePointCompare(a, b)).map(([, t]) => t);
}

/** The fingerprint of the planned accounts (not-planned accounts are left out: the plan does not rely on them). */
export function fingerprintOf(snapshot: Snapshot, plannedAccounts: readonly PlannedAccount[]): PlanFingerprint {
  const accounts: PlanFingerprint["accounts"] = [];
  const keys: PlanFingerprint["keys"] = [];
  const vaults: PlanFingerprint["vaults"] = [];
  for (const planned of plannedAccounts) {
    if (planned.status !== "planned") continue;
    const account = snapshot.accounts.find((a) => scopeKey(a.id) === scopeKey(planned.id));
    if (account) accounts.push(accountFingerprint(account));
    const link = planned.keyLinkage;
    const parsed = link ? parseKeyUri(link.targetKeyUrl) : null;
    if (!parsed?.version) continue;
    keys.push(...keyFingerprints(snapshot, parsed.vaultName, parsed.keyName, parsed.version));
    const vault = snapshot.vaults[vaultKey(parsed.vaultName)];
    const v = vault ? vaultFingerprint(vault) : null;
    if (v) vaults.push(v);
  }
  return {
    accounts: uniqueSorted(accounts, (a) => scopeKey(a.id)),
    keys: uniqueSorted(keys, (k) => `${k.vaultName}/${k.keyName}/${k.version}/${k.currentVersion}`.toLowerCase()),
    vaults: uniqueSorted(vaults, (v) => scopeKey(v.id)),
  };
}
