// The `cmk` facts of an account's report (FINDINGS.md "Facts in cmk"): the version judged and its vault;
// facts that could not be read are null, and a finding explains them.
import type { CmkFacts } from "../domain/inventory-document.js";
import type { KeyState } from "./key-state.js";

export function cmkFacts(key: KeyState | null): CmkFacts | null {
  if (!key) return null;
  const vault = key.vault;
  const facts = key.keyFacts;
  const judged = key.judged;
  return {
    keyUri: key.keyUri,
    vaultUri: key.vaultUri,
    vaultName: vault?.name || key.vaultName,
    keyName: key.keyName,
    vaultId: key.vaultFacts?.id ?? null,
    vaultLocation: vault?.location ?? null,
    vaultTenantId: key.vaultTenantId,
    currentVersion: key.judgedVersion,
    keyType: judged?.keyType ?? null,
    keySize: judged?.keySize ?? null,
    enabled: key.disabled ? false : judged?.enabled ?? null,
    expiresOn: judged?.expiresOn ?? null,
    recoveryLevel: facts && key.judged ? facts.recoveryLevel : null,
    softDelete: vault?.softDelete ?? null,
    purgeProtection: vault?.purgeProtection ?? null,
    permissionModel: vault?.permissionModel ?? null,
    // ARM's defaults when the vault has no networkAcls.
    networkDefaultAction: vault ? vault.networkDefaultAction ?? "Allow" : null,
    networkBypass: vault ? vault.networkBypass ?? "AzureServices" : null,
  };
}
