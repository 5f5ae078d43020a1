// Which Key Vault key permissions a principal holds on one key, the way Key Vault decides it: on a vault
// with `properties.enableRbacAuthorization: true` from the data actions of role assignments at or above
// the key scope (`{vaultId}/keys/{key}`) that have propagated (createdOn + behaviour.rolePropagationMs);
// otherwise from the vault's access policies for that tenant + object id [azure-facts §2.6: RBAC roles
// apply only to RBAC vaults, access-policy vaults ignore them]. Used by the Key Vault data plane and by
// the FHIR CMK validation.
import type { ArmResource } from "./estate-types.js";
import type { SandboxState } from "./state.js";
import { assignmentsCovering, permissionAllows, rolePermissions } from "./arm/rbac.js";

/** Key permission names as Key Vault spells them (KeyPermissions enum, Key Vault management 2026-02-01). */
export const KEY_PERMISSIONS = [
  "all", "encrypt", "decrypt", "wrapKey", "unwrapKey", "sign", "verify", "get", "list", "create", "update", "import",
  "delete", "backup", "restore", "recover", "purge", "release", "rotate", "getrotationpolicy", "setrotationpolicy",
] as const;

/** Data action → key permission names it grants (Learn "Azure RBAC for Key Vault data plane operations"). */
const DATA_ACTION_PERMISSIONS: [string, string[]][] = [
  ["Microsoft.KeyVault/vaults/keys/read", ["get", "list"]],
  ["Microsoft.KeyVault/vaults/keys/update/action", ["update"]],
  ["Microsoft.KeyVault/vaults/keys/create/action", ["create"]],
  ["Microsoft.KeyVault/vaults/keys/import/action", ["import"]],
  ["Microsoft.KeyVault/vaults/keys/delete", ["delete"]],
  ["Microsoft.KeyVault/vaults/keys/backup/action", ["backup"]],
  ["Microsoft.KeyVault/vaults/keys/restore/action", ["restore"]],
  ["Microsoft.KeyVault/vaults/keys/recover/action", ["recover"]],
  ["Microsoft.KeyVault/vaults/deletedKeys/recover/action", ["recover"]],
  ["Microsoft.KeyVault/vaults/deletedKeys/delete", ["purge"]],
  ["Microsoft.KeyVault/vaults/keys/encrypt/action", ["encrypt"]],
  ["Microsoft.KeyVault/vaults/keys/decrypt/action", ["decrypt"]],
  ["Microsoft.KeyVault/vaults/keys/wrap/action", ["wrapKey"]],
  ["Microsoft.KeyVault/vaults/keys/unwrap/action", ["unwrapKey"]],
  ["Microsoft.KeyVault/vaults/keys/sign/action", ["sign"]],
  ["Microsoft.KeyVault/vaults/keys/verify/action", ["verify"]],
  ["Microsoft.KeyVault/vaults/keys/release/action", ["release"]],
  ["Microsoft.KeyVault/vaults/keys/rotate/action", ["rotate"]],
  ["Microsoft.KeyVault/vaults/keyrotationpolicies/read", ["getrotationpolicy"]],
  ["Microsoft.KeyVault/vaults/keyrotationpolicies/write", ["setrotationpolicy"]],
];

const CANONICAL = new Map(KEY_PERMISSIONS.map((p) => [p.toLowerCase(), p as string]));

/** Access-policy permission as Key Vault spells it ("WrapKey", "wrapkey" → "wrapKey"); unknown names kept lower-cased. */
export function normalizeKeyPermission(p: string): string {
  return CANONICAL.get(p.toLowerCase()) ?? p.toLowerCase();
}

export function isRbacVault(vault: ArmResource): boolean {
  return vault.properties?.enableRbacAuthorization === true;
}

export function keyPermissions(
  state: SandboxState,
  principal: { objectId: string; tenantId: string },
  vault: ArmResource,
  keyName: string,
  atMs: number = state.now(),
): Set<string> {
  const out = new Set<string>();
  if (isRbacVault(vault)) {
    const keyScope = `${vault.id}/keys/${keyName}`;
    const granted = assignmentsCovering(state, principal.objectId, keyScope, { atMs, propagationMs: state.behaviour.rolePropagationMs });
    for (const a of granted) {
      for (const p of rolePermissions(state, String(a.properties?.roleDefinitionId ?? "")) ?? []) {
        for (const [action, perms] of DATA_ACTION_PERMISSIONS) {
          if (permissionAllows(p, action, true)) perms.forEach((x) => out.add(x));
        }
      }
    }
    return out;
  }
  const policies = vault.properties?.accessPolicies;
  if (!Array.isArray(policies)) return out;
  for (const e of policies as { tenantId?: string; objectId?: string; applicationId?: string; permissions?: { keys?: string[] } }[]) {
    if (String(e.tenantId ?? "").toLowerCase() !== principal.tenantId.toLowerCase()) continue;
    if (String(e.objectId ?? "").toLowerCase() !== principal.objectId.toLowerCase()) continue;
    // A compound entry (applicationId set) grants only to that application acting for the user.
    if (e.applicationId) continue;
    for (const k of e.permissions?.keys ?? []) {
      const n = normalizeKeyPermission(k);
      if (n === "all") KEY_PERMISSIONS.filter((x) => x !== "all").forEach((x) => out.add(x));
      else out.add(n);
    }
  }
  return out;
}
