// What is known about the key an account names (cosmosDbConfiguration.keyVaultKeyUri), resolved once per
// account from the snapshot's vault and key facts. The rules read this instead of the raw facts so that the
// FINDINGS.md Definitions are applied in one place: cross-tenant is never not-found, a disabled current
// version (403 KeyDisabled) is key-disabled and never key-access-denied, and a rule whose facts were not
// read is skipped while the explaining finding stands in.
import { keyRef, parseKeyUri, vaultKey } from "../domain/snapshot.js";
import type { KeyFacts, KeyVersionFacts, ReadFailure, Snapshot, VaultFacts } from "../domain/snapshot.js";

/** One read that failed in a way key-access-denied explains. */
export interface DeniedRead {
  what: "vault-resource" | "key" | "key-versions";
  failure: ReadFailure;
}

/** The attributes of the version judged (pinned, or current = newest by created). */
export type JudgedVersion = Pick<KeyFacts, "version" | "keyType" | "keySize" | "enabled" | "expiresOn" | "notBefore">;

export interface KeyState {
  keyUri: string;
  vaultName: string;
  keyName: string;
  /** The version the URI names, or null for a versionless URI. */
  pinnedVersion: string | null;
  vaultUri: string;
  /** Vault facts when the ARM vault resource was read, else null (the vault rules are skipped). */
  vault: VaultFacts | null;
  /** The raw facts, when discovery recorded them. */
  vaultFacts: VaultFacts | null;
  keyFacts: KeyFacts | null;
  vaultTenantId: string | null;
  crossTenant: boolean;
  /** Why the key counts as not found (key-not-found), or null. */
  notFound: "uri" | "vault-gone" | "key" | "version" | null;
  /** Reads key-access-denied explains (empty when cross-tenant: that finding stands in). */
  denied: DeniedRead[];
  /** The current version is disabled (GET answered 403 KeyDisabled, or the version reads enabled: false). */
  disabled: boolean;
  /** Attributes of the judged version when they were read (GET, or the listing for a disabled version). */
  judged: JudgedVersion | null;
  /** The version judged, when known (from the GET or the versions listing). */
  judgedVersion: string | null;
}

/** The newest version by `created`: what `GET /keys/{name}` returns (FINDINGS.md "Current key version"). */
export function newestVersion(versions: readonly KeyVersionFacts[]): KeyVersionFacts | null {
  let best: KeyVersionFacts | null = null;
  for (const v of versions) {
    if (!v.createdOn) continue;
    if (!best || Date.parse(v.createdOn) > Date.parse(best.createdOn!)) best = v;
  }
  return best;
}

function sameTenant(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

export function resolveKeyState(snapshot: Snapshot, keyUri: string, subscriptionTenantId: string): KeyState {
  const parsed = parseKeyUri(keyUri);
  if (!parsed) {
    return {
      keyUri, vaultName: "", keyName: "", pinnedVersion: null, vaultUri: "", vault: null, vaultFacts: null, keyFacts: null,
      vaultTenantId: null, crossTenant: false, notFound: "uri", denied: [], disabled: false, judged: null, judgedVersion: null,
    };
  }
  const vaultFacts = snapshot.vaults[vaultKey(parsed.vaultName)] ?? null;
  const keyFacts = snapshot.keys[keyRef(parsed.vaultName, parsed.keyName, parsed.version)] ?? null;
  // Discovery records every vault and key it was asked about; a missing entry means the read never
  // completed, which we treat like an unexplained failure ("error") so the account is not called ready.
  const vaultFailure: ReadFailure | null = vaultFacts ? vaultFacts.armFailure : "error";
  const getFailure = keyFacts ? keyFacts.getFailure : "error";
  const listFailure = keyFacts ? keyFacts.listFailure : "error";

  const vaultTenantId = (vaultFacts?.tenantId ?? keyFacts?.challengeTenantId) || null;
  const crossTenant = vaultFailure === "cross-tenant" || getFailure === "cross-tenant" || listFailure === "cross-tenant"
    || (vaultTenantId !== null && !sameTenant(vaultTenantId, subscriptionTenantId));

  const keyRead = getFailure === null || getFailure === "disabled";
  let notFound: KeyState["notFound"] = null;
  if (!crossTenant && getFailure === "not-found") {
    // A pinned version that is missing while the key's listing works: only that version is gone.
    notFound = vaultFailure === "not-found" ? "vault-gone" : parsed.version && listFailure === null ? "version" : "key";
  }

  const denied: DeniedRead[] = [];
  if (!crossTenant) {
    // A vault resource that is not visible while its key is readable: the vault rules cannot run.
    if (vaultFailure === "forbidden" || vaultFailure === "firewall" || vaultFailure === "error"
      || (vaultFailure === "not-found" && keyRead)) {
      denied.push({ what: "vault-resource", failure: vaultFailure });
    }
    if (getFailure === "forbidden" || getFailure === "firewall" || getFailure === "error") {
      denied.push({ what: "key", failure: getFailure });
    }
    if (notFound === null && (listFailure === "forbidden" || listFailure === "firewall" || listFailure === "error")) {
      denied.push({ what: "key-versions", failure: listFailure });
    }
  }

  const versions = keyFacts && listFailure === null ? keyFacts.versions : [];
  let judgedVersion: string | null = keyFacts?.version ?? null;
  if (!judgedVersion && keyRead) judgedVersion = parsed.version ?? newestVersion(versions)?.version ?? null;
  const listed = judgedVersion ? versions.find((v) => v.version === judgedVersion) ?? null : null;

  let judged: JudgedVersion | null = null;
  if (keyFacts && getFailure === null) {
    judged = {
      version: judgedVersion, keyType: keyFacts.keyType, keySize: keyFacts.keySize, enabled: keyFacts.enabled,
      expiresOn: keyFacts.expiresOn, notBefore: keyFacts.notBefore,
    };
  } else if (keyFacts && getFailure === "disabled") {
    // The GET failed with KeyDisabled; the versions listing still carries the version's attributes.
    judged = {
      version: judgedVersion, keyType: keyFacts.keyType, keySize: keyFacts.keySize, enabled: false,
      expiresOn: keyFacts.expiresOn ?? listed?.expiresOn ?? null, notBefore: keyFacts.notBefore ?? listed?.notBefore ?? null,
    };
  }
  const disabled = getFailure === "disabled" || judged?.enabled === false;

  return {
    keyUri, vaultName: parsed.vaultName, keyName: parsed.keyName, pinnedVersion: parsed.version,
    vaultUri: vaultFacts?.vaultUri || `https://${parsed.vaultHost}/`,
    vault: vaultFacts && vaultFailure === null ? vaultFacts : null, vaultFacts, keyFacts,
    vaultTenantId, crossTenant, notFound, denied, disabled, judged, judgedVersion,
  };
}
