// Rules on the vault that holds the key (azure-facts §2.4): soft delete and purge protection, the same
// region as the FHIR service, trusted services past a firewall, and the permission model the plan grants
// through. Skipped when the vault resource was not read (key-access-denied / key-not-found /
// key-cross-tenant stand in).
import { finding } from "./finding.js";
import { sameLocation } from "../domain/location.js";
import type { Finding } from "../domain/findings.js";
import type { RuleFamily } from "./rule-context.js";

export const vaultRules: RuleFamily = ({ account, key }) => {
  const vault = key?.vault;
  if (!key || !vault) return [];
  const out: Finding[] = [];
  const v = vault.name || key.vaultName;

  if (vault.softDelete === false) {
    out.push(finding("vault-soft-delete-off", `Vault ${v} does not have soft delete.`,
      `Enable soft delete on ${v}, or choose a key in a vault that has it.`));
  }
  if (vault.purgeProtection === false) {
    out.push(finding("vault-purge-protection-off", `Vault ${v} does not have purge protection.`,
      `Enable purge protection on ${v} (irreversible) or choose a key in a vault that has it.`));
  }
  if (vault.location && !sameLocation(vault.location, account.location)) {
    out.push(finding("vault-region-mismatch",
      `Vault ${v} is in ${vault.location}, but ${account.name} is in ${account.location}; the FHIR service needs its key's vault in its own region.`,
      `Choose a key in a vault in ${account.location} (create one there if needed) for ${account.name}.`));
  }
  // Defaults when ARM shows no networkAcls: Allow / AzureServices (FINDINGS.md "Facts in cmk").
  const defaultAction = vault.networkDefaultAction ?? "Allow";
  const bypass = vault.networkBypass ?? "AzureServices";
  if (defaultAction === "Deny" && bypass !== "AzureServices") {
    out.push(finding("vault-firewall-blocks-trusted-services",
      `Vault ${v} denies network access by default and does not let trusted Microsoft services bypass its firewall.`,
      `Turn on "Allow trusted Microsoft services to bypass this firewall" on ${v} (networkAcls.bypass = AzureServices), or choose a key in another vault.`));
  }
  if (vault.permissionModel === "accessPolicy") {
    out.push(finding("vault-access-policy-model",
      `Vault ${v} uses access policies, not Azure RBAC: the plan adds an access policy (get, wrapKey, unwrapKey) for the FHIR service's identity.`));
  }
  return out;
};
