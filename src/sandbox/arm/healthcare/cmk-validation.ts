// The customer-managed-key rules the FHIR service applies to
// `properties.encryption.customerManagedKeyEncryption.keyEncryptionKeyUrl` (azure-facts §2.4, learn
// "Configure customer-managed keys for the FHIR service" [S9]). Key *properties* fail the PUT with 400
// and a code naming the rule (DESIGN.md "The sandbox"); key *access* by the service's identity is checked
// when the operation completes (keyAccessFailure) and fails the operation. The error codes are the
// sandbox's own (UNCONFIRMED — Azure's real codes are not documented).
import type { ArmResource, EstateKeyVersion, KeyAccessErrorShape } from "../../estate-types.js";
import type { SandboxState } from "../../state.js";
import { keyPermissions } from "../../key-access.js";
import { normalizeLocation, type RuleFailure } from "./names.js";

/** Max length of vault name + key name [S9]. */
export const MAX_VAULT_PLUS_KEY_NAME = 94;
const RSA_TYPES = new Set(["rsa", "rsa-hsm"]);
const RSA_SIZES = new Set([2048, 3072]);
/** Key permissions the identity needs (Get, Wrap Key, Unwrap Key: azure-facts §1.3/§2.4, UNCONFIRMED for AHDS on access-policy vaults). */
export const REQUIRED_KEY_PERMISSIONS = ["get", "wrapKey", "unwrapKey"];

export interface ParsedKeyUrl { vaultName: string; keyName: string; version?: string }

function fail(code: string, message: string): RuleFailure {
  return { status: 400, code, message };
}

/** `https://{vault}{vaultSuffix}/keys/{name}[/{version}]`, or undefined when it is not a Key Vault key URL. */
export function parseKeyUrl(url: string, vaultSuffix: string): ParsedKeyUrl | undefined {
  let u: URL;
  try { u = new URL(url); } catch { return undefined; }
  const host = u.hostname.toLowerCase();
  if (u.protocol !== "https:" || !host.endsWith(vaultSuffix) || u.search !== "" || u.hash !== "") return undefined;
  const vaultName = host.slice(0, -vaultSuffix.length);
  if (vaultName.length === 0 || vaultName.includes(".")) return undefined;
  const parts = u.pathname.split("/").slice(1);
  if (parts[0] !== "keys" || !parts[1]) return undefined;
  if (parts.length > 3) return undefined;
  const version = parts[2] ? parts[2] : undefined;
  return { vaultName, keyName: decodeURIComponent(parts[1]), ...(version ? { version } : {}) };
}

export interface CmkInput {
  keyUrl: string;
  /** The FHIR service's location as sent in the PUT. */
  serviceLocation: string;
}

/** The first CMK rule the key URL breaks, or undefined (key access is checked later, keyAccessFailure). */
export function cmkFailure(state: SandboxState, input: CmkInput): RuleFailure | undefined {
  const { keyUrl } = input;
  const parsed = parseKeyUrl(keyUrl, state.hosts.vaultSuffix);
  if (!parsed) {
    return fail("KeyVaultKeyUrlInvalid",
      `The key encryption key URL '${keyUrl}' is not a Key Vault key URL of the form https://{vault}${state.hosts.vaultSuffix}/keys/{name}/{version}.`);
  }
  if (!parsed.version) {
    return fail("KeyVaultKeyUrlNotVersioned",
      `The key encryption key URL '${keyUrl}' has no key version. The FHIR service requires a versioned key URL.`);
  }
  if (parsed.vaultName.length + parsed.keyName.length > MAX_VAULT_PLUS_KEY_NAME) {
    return fail("KeyVaultKeyNameTooLong",
      `The key vault name and key name of '${keyUrl}' together exceed ${MAX_VAULT_PLUS_KEY_NAME} characters.`);
  }
  const vault = state.vaultByName(parsed.vaultName);
  if (!vault) return fail("KeyVaultNotFound", `The key vault '${parsed.vaultName}' of '${keyUrl}' was not found.`);
  const key = state.getKey(parsed.vaultName, parsed.keyName);
  const version = key?.versions.find((v) => v.version.toLowerCase() === parsed.version!.toLowerCase());
  if (!version) return fail("KeyVaultKeyNotFound", `The key '${keyUrl}' was not found.`);
  return versionFailure(version, keyUrl, state.now()) ?? vaultFailure(vault, keyUrl, input.serviceLocation);
}

function versionFailure(v: EstateKeyVersion, keyUrl: string, nowMs: number): RuleFailure | undefined {
  if (!v.enabled) return fail("KeyVaultKeyDisabled", `The key '${keyUrl}' is disabled.`);
  if (v.exp !== null && v.exp * 1000 <= nowMs) return fail("KeyVaultKeyExpired", `The key '${keyUrl}' has expired.`);
  if (v.nbf !== null && v.nbf * 1000 > nowMs) return fail("KeyVaultKeyNotYetValid", `The key '${keyUrl}' is not valid yet (nbf in the future).`);
  // RSA-HSM accepted: Managed HSM is supported for AHDS CMK [S42] (UNCONFIRMED for RSA-HSM keys in vaults).
  if (!RSA_TYPES.has(v.kty.toLowerCase())) {
    return fail("KeyVaultKeyTypeNotSupported", `The key '${keyUrl}' has type ${v.kty}; the FHIR service supports RSA keys only.`);
  }
  if (v.keySize === undefined || !RSA_SIZES.has(v.keySize)) {
    return fail("KeyVaultKeySizeNotSupported", `The key '${keyUrl}' has size ${v.keySize ?? "unknown"}; the FHIR service supports RSA 2048 and 3072 bit keys only.`);
  }
  return undefined;
}

function vaultFailure(vault: ArmResource, keyUrl: string, serviceLocation: string): RuleFailure | undefined {
  const p = vault.properties ?? {};
  if (normalizeLocation(vault.location ?? "") !== normalizeLocation(serviceLocation)) {
    return fail("KeyVaultRegionMismatch",
      `The key vault '${vault.name}' is in '${vault.location ?? ""}' but the FHIR service is in '${serviceLocation}'. The key vault must be in the same region.`);
  }
  if (p["enableSoftDelete"] === false) {
    return fail("KeyVaultSoftDeleteDisabled", `The key vault '${vault.name}' of '${keyUrl}' does not have soft delete enabled.`);
  }
  if (p["enablePurgeProtection"] !== true) {
    return fail("KeyVaultPurgeProtectionDisabled", `The key vault '${vault.name}' of '${keyUrl}' does not have purge protection enabled.`);
  }
  const acls = (p["networkAcls"] ?? {}) as { defaultAction?: string; bypass?: string };
  if ((acls.defaultAction ?? "Allow").toLowerCase() === "deny" && !(acls.bypass ?? "").toLowerCase().includes("azureservices")) {
    return fail("KeyVaultFirewallBlocksTrustedServices",
      `The key vault '${vault.name}' has a firewall that does not allow trusted Microsoft services to bypass it.`);
  }
  return undefined;
}

/** The failure in the estate's chosen shape (behaviour.keyAccessErrorShape; Azure's is UNCONFIRMED). */
function keyAccessError(shape: KeyAccessErrorShape, who: string, keyUrl: string, vaultName: string): { code: string; message: string } {
  switch (shape) {
    case "forbidden":
      return { code: "Forbidden", message: `Operation returned an invalid status code 'Forbidden' (403): the client ${who} does not have permission to perform 'wrapKey' on key vault '${vaultName}'.` };
    case "unwrap":
      return { code: "InternalServerError", message: `Failed to unwrap the data encryption key with '${keyUrl}': access denied.` };
    case "vault-access":
      return { code: "BadRequest", message: `The managed identity ${who} cannot access key vault '${vaultName}' to retrieve the key.` };
    default:
      return { code: "KeyVaultAccessForbidden", message: `The FHIR service identity ${who} does not have get, wrapKey and unwrapKey permissions on the key '${keyUrl}'.` };
  }
}

export interface KeyPrincipal { objectId: string; tenantId: string; label: string }

/**
 * At the end of the create/update operation: can `principal` use the key (get, wrapKey, unwrapKey) at
 * `atMs`? keyPermissions applies behaviour.rolePropagationMs to role assignments.
 */
export function keyAccessFailure(state: SandboxState, keyUrl: string, principal: KeyPrincipal | undefined, atMs: number):
  { code: string; message: string } | undefined {
  const parsed = parseKeyUrl(keyUrl, state.hosts.vaultSuffix);
  const vault = parsed ? state.vaultByName(parsed.vaultName) : undefined;
  const who = principal ? `'${principal.label}' (principal ${principal.objectId})` : "(none)";
  const forbidden = keyAccessError(state.behaviour.keyAccessErrorShape, who, keyUrl, parsed?.vaultName ?? "");
  if (!parsed || !vault || !principal) return forbidden;
  const perms = new Set([...keyPermissions(state, { objectId: principal.objectId, tenantId: principal.tenantId }, vault, parsed.keyName, atMs)]
    .map((p) => p.toLowerCase()));
  return REQUIRED_KEY_PERMISSIONS.every((p) => perms.has(p.toLowerCase())) ? undefined : forbidden;
}
