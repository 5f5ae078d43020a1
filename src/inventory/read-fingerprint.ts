// Re-reads every fact a plan's fingerprint holds (DESIGN.md "Files the tool owns": apply and verify refuse a
// stale plan), with the same reads as discovery and hashed by the planner's own per-fact functions
// (src/planner/fingerprint.ts), so an unchanged world gives the identical fingerprint:
//   - each account: `services.get` by its id (raw REST body, like the listing) → etag + properties hash;
//   - each key: `getKey` of the pinned version → attributes hash; for a version pinned from a versionless
//     URI (the current one at plan time) also `getKey` without a version → the current version now;
//   - each vault: `vaults.get` by its id → location, soft delete, purge protection, model, network ACLs.
// Only the facts in the fingerprint are read: the plan's own effects (an access policy, the target
// workspace and FHIR service) are never looked at. A fact that cannot be read is left out and noted in
// `unreadable`, which src/planner/stale.ts turns into "… can no longer be read: …".
import type { Plan, PlanFingerprint } from "../domain/plan.js";
import { parseKeyUri, scopeKey } from "../domain/snapshot.js";
import type { ReadSession } from "../azure/read-session.js";
import { readLegacyService } from "../azure/read-plan-facts.js";
import { getVault } from "../azure/read-vaults.js";
import { listKeyVersions, newestVersion, readKey, type KeyRead } from "../azure/read-keys.js";
import { accountFingerprint, keyAttributesSha256, vaultFingerprint } from "../planner/fingerprint.js";
import type { CurrentFingerprint, FingerprintNotes, UnreadableFact } from "../planner/stale.js";

type KeyPrint = PlanFingerprint["keys"][number];

export interface ReadFingerprintOptions {
  abortSignal?: AbortSignal;
}

const VAULT_SUFFIX = { AzureCloud: "vault.azure.net", AzureUSGovernment: "vault.usgovcloudapi.net" } as const;
const lower = (s: string) => s.toLowerCase();

export async function readFingerprint(session: ReadSession, plan: Plan, options: ReadFingerprintOptions = {}): Promise<CurrentFingerprint> {
  const signal = options.abortSignal;
  const unreadable: UnreadableFact[] = [];
  const keyAttributes: FingerprintNotes["keyAttributes"] = [];
  const vaultNetwork: FingerprintNotes["vaultNetwork"] = [];
  const out: CurrentFingerprint = { accounts: [], keys: [], vaults: [], unreadable, keyAttributes, vaultNetwork };

  const accounts = plan.fingerprint.accounts.map(async (p) => {
    const r = await readLegacyService(session, p.id, signal);
    if (r.ok) out.accounts.push(accountFingerprint(r.value));
    else unreadable.push({ kind: "account", ref: p.id, message: `${r.failure}: ${r.message}` });
  });

  const vaults = plan.fingerprint.vaults.map(async (p) => {
    const r = await getVault(session, p.id, signal);
    const v = r.ok ? vaultFingerprint(r.value) : null;
    if (r.ok && v) {
      out.vaults.push(v);
      vaultNetwork.push({ id: v.id, defaultAction: r.value.networkDefaultAction, bypass: r.value.networkBypass });
    } else {
      unreadable.push({ kind: "vault", ref: p.id, message: r.ok ? "ARM no longer returns its properties" : `${r.failure}: ${r.message}` });
    }
  });

  const keys = plan.fingerprint.keys.map(async (p) => {
    const ref = `${p.vaultName}/${p.keyName}/${p.version}`;
    const use = keyUse(plan, p);
    const vaultUrl = use.vaultUrl ?? `https://${p.vaultName}.${VAULT_SUFFIX[plan.cloud]}`;
    const [pinned, current] = await Promise.all([
      readKey(session, vaultUrl, p.keyName, p.version, signal),
      use.tracksCurrent ? readKey(session, vaultUrl, p.keyName, null, signal) : null,
    ]);
    let attrs: KeyRead | null = pinned.ok ? pinned.value : null;
    let currentVersion: string | null = use.tracksCurrent ? (current?.ok ? current.value.version : null) : p.version;
    if (!pinned.ok && pinned.failure !== "disabled") {
      unreadable.push({ kind: "key", ref, message: `${pinned.failure}: ${pinned.message}` });
      return;
    }
    if (!attrs || currentVersion === null) {
      // A disabled version answers 403 to getKey; its attributes and the current version still show in the
      // versions listing, as discovery reads them (src/inventory/discover.ts keyFacts).
      const listed = await listKeyVersions(session, vaultUrl, p.keyName, signal);
      if (!listed.ok) { unreadable.push({ kind: "key", ref, message: `${listed.failure}: ${listed.message}` }); return; }
      const v = listed.value.find((x) => lower(x.version) === lower(p.version));
      if (!attrs) {
        if (!v) { unreadable.push({ kind: "key", ref, message: "the version is no longer listed" }); return; }
        attrs = { version: v.version, keyType: null, keySize: null, enabled: v.enabled, expiresOn: v.expiresOn, notBefore: v.notBefore, recoveryLevel: null };
      }
      currentVersion ??= newestVersion(listed.value)?.version ?? null;
      if (currentVersion === null) { unreadable.push({ kind: "key", ref, message: "no current version" }); return; }
    }
    out.keys.push({ vaultName: p.vaultName, keyName: p.keyName, version: p.version, currentVersion, attributesSha256: keyAttributesSha256(attrs) });
    keyAttributes.push({ vaultName: p.vaultName, keyName: p.keyName, version: p.version, enabled: attrs.enabled, expiresOn: attrs.expiresOn, notBefore: attrs.notBefore, recoveryLevel: attrs.recoveryLevel });
  });

  await Promise.all([...accounts, ...vaults, ...keys]);
  // Fingerprint order, so the result compares and prints like the plan's.
  const order = <T>(items: T[], of: (t: T) => string) => items.sort((a, b) => (of(a) < of(b) ? -1 : of(a) > of(b) ? 1 : 0));
  order(out.accounts, (a) => scopeKey(a.id));
  order(out.vaults, (v) => scopeKey(v.id));
  order(out.keys, (k) => lower(`${k.vaultName}/${k.keyName}/${k.version}`));
  return out;
}

/**
 * How the plan uses a fingerprinted key version: its vault URL (from the pinned key URL of an account using
 * it) and whether it was pinned as the current version of a versionless URI — then a new current version
 * makes the plan stale (issue 4); a version the URI itself names stays pinned whatever is current.
 */
function keyUse(plan: Plan, key: KeyPrint): { vaultUrl: string | null; tracksCurrent: boolean } {
  let vaultUrl: string | null = null;
  let tracksCurrent = false;
  for (const a of plan.accounts) {
    const link = a.status === "planned" ? a.keyLinkage : null;
    const target = link ? parseKeyUri(link.targetKeyUrl) : null;
    if (!link || !target || lower(target.vaultName) !== lower(key.vaultName) || lower(target.keyName) !== lower(key.keyName)
      || lower(target.version ?? "") !== lower(key.version)) continue;
    vaultUrl ??= target.vaultUrl;
    const used = link.chosenKey ? chosenKeyOf(plan, a.id) ?? link.targetKeyUrl : link.sourceKeyUri;
    if (!parseKeyUri(used)?.version) tracksCurrent = true;
  }
  // No account names it (a hand-made plan): read the current version like a versionless source.
  if (vaultUrl === null) tracksCurrent = true;
  return { vaultUrl, tracksCurrent };
}

function chosenKeyOf(plan: Plan, accountId: string): string | null {
  for (const [id, url] of Object.entries(plan.choices.keys)) if (scopeKey(id) === scopeKey(accountId)) return url;
  return null;
}
