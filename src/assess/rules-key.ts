// Rules on the key an account names: can it be found and read, is it in the account's tenant, and does
// the version judged meet the FHIR service's CMK rules (azure-facts §2.4: RSA 2048/3072, enabled, within
// its validity window, vault name + key name ≤ 94 characters, a versioned URI).
import { finding, listOf } from "./finding.js";
import type { Finding } from "../domain/findings.js";
import type { DeniedRead, KeyState } from "./key-state.js";
import type { RuleFamily } from "./rule-context.js";

const SUPPORTED_KEY_TYPES = new Set(["RSA", "RSA-HSM"]);
const SUPPORTED_KEY_SIZES = new Set([2048, 3072]);
export const MAX_VAULT_PLUS_KEY_NAME = 94;

export const keyRules: RuleFamily = ({ account, key, subscriptionTenantId }, { now }) => {
  if (!key) return [];
  const out: Finding[] = [];
  const name = account.name;
  const k = `key ${key.keyName} in vault ${key.vaultName}`;

  if (key.crossTenant) {
    const tenant = key.vaultTenantId ? `tenant ${key.vaultTenantId}` : "another tenant";
    out.push(finding("key-cross-tenant",
      `Vault ${key.vaultName} of ${name}'s key belongs to ${tenant}, not to ${subscriptionTenantId} (the tenant of subscription ${account.subscriptionId}).`,
      `Choose a key in a vault of tenant ${subscriptionTenantId} for ${name}; this tool does not migrate cross-tenant keys.`));
  }

  if (key.notFound) {
    out.push(finding("key-not-found", notFoundMessage(key, name), notFoundFix(key, name)));
  }

  if (key.denied.length > 0) out.push(deniedFinding(key, name));

  // Name length needs only the URI, so it is judged even when nothing could be read.
  if (key.notFound !== "uri") {
    const length = key.vaultName.length + key.keyName.length;
    if (length > MAX_VAULT_PLUS_KEY_NAME) {
      out.push(finding("key-name-too-long",
        `Vault name ${key.vaultName} (${key.vaultName.length}) + key name ${key.keyName} (${key.keyName.length}) is ${length} characters; the FHIR service allows at most ${MAX_VAULT_PLUS_KEY_NAME}.`,
        `Choose a key whose vault name and key name together have at most ${MAX_VAULT_PLUS_KEY_NAME} characters.`));
    }
  }

  const judged = key.judged;
  const version = key.judgedVersion ? `version ${key.judgedVersion} of ${k}` : k;
  if (judged && judged.keyType !== null) {
    const rsa = SUPPORTED_KEY_TYPES.has(judged.keyType);
    // An RSA key of unknown size is not judged (its facts were not read).
    if (!rsa || (judged.keySize !== null && !SUPPORTED_KEY_SIZES.has(judged.keySize))) {
      const shown = rsa ? `${judged.keyType} ${judged.keySize}-bit` : judged.keyType;
      out.push(finding("key-type-unsupported",
        `${capital(version)} is ${shown}; the FHIR service accepts only RSA or RSA-HSM keys of 2048 or 3072 bits.`,
        `Create an RSA key of 3072 (or 2048) bits in a vault that meets the FHIR service's rules and choose it for ${name}.`));
    }
  }

  if (key.disabled) {
    out.push(finding("key-disabled", `${capital(version)} is disabled.`,
      `Enable ${key.judgedVersion ? `version ${key.judgedVersion} of ` : ""}key ${key.keyName} in ${key.vaultName}, or choose another key.`));
  }
  if (judged?.expiresOn && Date.parse(judged.expiresOn) < now.getTime()) {
    out.push(finding("key-expired", `${capital(version)} expired at ${judged.expiresOn}.`,
      `Set a later expiry date on key ${key.keyName} in ${key.vaultName}, or choose another key.`));
  }
  if (judged?.notBefore && Date.parse(judged.notBefore) > now.getTime()) {
    out.push(finding("key-not-yet-valid", `${capital(version)} is not valid before ${judged.notBefore}.`,
      `Wait until ${judged.notBefore}, remove the activation date of key ${key.keyName} in ${key.vaultName}, or choose another key.`));
  }

  if (key.pinnedVersion === null && key.judgedVersion) {
    out.push(finding("key-version-pinned",
      `${name} names key ${key.keyName} without a version; the plan pins the current version ${key.judgedVersion}, and later rotations need a manual update of the FHIR service.`));
  }
  return out;
};

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function notFoundMessage(key: KeyState, name: string): string {
  switch (key.notFound) {
    case "uri": return `The key URI ${key.keyUri} of ${name} is not a Key Vault key URI.`;
    case "vault-gone": return `Vault ${key.vaultName} named by ${name}'s key URI does not exist (no vault resource, and its host does not resolve).`;
    case "version": return `Version ${key.pinnedVersion} of key ${key.keyName} in vault ${key.vaultName}, named by ${name}, does not exist.`;
    default: return `Key ${key.keyName} in vault ${key.vaultName}, named by ${name}, does not exist.`;
  }
}

function notFoundFix(key: KeyState, name: string): string {
  switch (key.notFound) {
    case "uri": return `Correct the key URI of ${name} to https://{vault}.vault…/keys/{key}, or choose another key.`;
    case "vault-gone": return `Recover the deleted vault ${key.vaultName} (and its key ${key.keyName}), or choose another key.`;
    case "version": return `Recover version ${key.pinnedVersion} of key ${key.keyName} in ${key.vaultName}, or choose another key.`;
    default: return `Recover the deleted key ${key.keyName} in ${key.vaultName}, or choose another key.`;
  }
}

const READ_NAMES: Record<DeniedRead["what"], string> = {
  "vault-resource": "the vault resource",
  "key": "the key's metadata",
  "key-versions": "the key's versions",
};

function deniedFinding(key: KeyState, name: string): Finding {
  const reads = key.denied.map((d) => `${READ_NAMES[d.what]} (${failureWords(d)})`);
  const fixes = new Set<string>();
  const model = key.vaultFacts?.permissionModel ?? null;
  for (const d of key.denied) {
    if (d.failure === "error") {
      fixes.add(`check the "errors" entry for vault ${key.vaultName} (the read failed)`);
    } else if (d.what === "vault-resource") {
      fixes.add(d.failure === "not-found"
        ? `assign yourself Reader on vault ${key.vaultName} or include its subscription with --subscription`
        : `assign yourself Reader on vault ${key.vaultName}`);
    } else if (d.failure === "firewall") {
      fixes.add(`add a firewall rule to ${key.vaultName} allowing your client IP address (Networking → Firewalls and virtual networks), or run from a network it allows`);
    } else {
      const perms = d.what === "key-versions" ? "List" : "Get and List";
      fixes.add(model === "rbac"
        ? `assign yourself Key Vault Reader (or Key Vault Crypto User) on vault ${key.vaultName}`
        : model === "accessPolicy"
          ? `add an access policy for yourself on vault ${key.vaultName} with key permissions ${perms}`
          : `assign yourself Key Vault Reader on vault ${key.vaultName} (RBAC vault) or add an access policy with key permissions ${perms} (access-policy vault)`);
    }
  }
  const fix = [...fixes].join("; ");
  return finding("key-access-denied",
    `You cannot read ${listOf(reads)} for key ${key.keyName} in vault ${key.vaultName} (the key of ${name}), so the rules that need them are not judged.`,
    `${capital(fix)}, then run inventory again.`);
}

function failureWords(d: DeniedRead): string {
  switch (d.failure) {
    case "forbidden": return "403 Forbidden";
    case "firewall": return "403 ForbiddenByFirewall";
    case "not-found": return "not visible in the listed subscriptions";
    default: return "read failed";
  }
}
