// Key facts from one key read and its versions listing, judged the way FINDINGS.md says ("Current key
// version", "key-version-pinned", "Vault tenant"). Shared by discovery and by a key chosen with `plan --key`.
import type { KeyFacts, parseKeyUri } from "../domain/snapshot.js";
import { newestVersion, type KeyReadResult, type VersionsResult } from "../azure/read-keys.js";

/**
 * The tenant a vault's challenge named. The credential only accepts its own tenant (SDK-RECIPE §4), so any
 * answer of the vault after the challenge (success, 403, 404) means the signed-in tenant; another tenant
 * fails with "cross-tenant" naming it; a vault that never answered named none.
 */
export function challengeTenant(r: KeyReadResult, signedInTenant: string): string | null {
  if (r.ok) return signedInTenant;
  if (r.failure === "cross-tenant") return r.challengeTenantId;
  if (r.failure === "error" || (r.failure === "not-found" && r.status !== 404)) return null;
  return signedInTenant;
}

export function keyFacts(uri: NonNullable<ReturnType<typeof parseKeyUri>>, g: KeyReadResult,
  versions: VersionsResult | null, signedInTenant: string): KeyFacts {
  const listed = versions?.ok ? versions.value : [];
  const facts: KeyFacts = {
    vaultName: uri.vaultName, keyName: uri.keyName, pinnedVersion: uri.version,
    version: null, keyType: null, keySize: null, enabled: null, expiresOn: null, notBefore: null, recoveryLevel: null,
    challengeTenantId: challengeTenant(g, signedInTenant),
    getFailure: g.ok ? null : g.failure,
    // A listing not attempted (the vault did not answer) fails the same way as the get.
    listFailure: versions ? (versions.ok ? null : versions.failure) : (g.ok ? null : (g.failure === "disabled" ? "forbidden" : g.failure)),
    versions: listed,
  };
  if (g.ok) {
    Object.assign(facts, g.value);
  } else {
    // FINDINGS.md "Current key version" / "key-version-pinned": when the get fails (a disabled version), the
    // version judged is still known from the listing: the pinned one, or the newest by created.
    const judged = uri.version ? listed.find((v) => v.version.toLowerCase() === uri.version!.toLowerCase()) ?? null : newestVersion(listed);
    if (judged) {
      facts.version = judged.version;
      facts.enabled = judged.enabled;
      facts.expiresOn = judged.expiresOn;
      facts.notBefore = judged.notBefore;
    }
  }
  return facts;
}
