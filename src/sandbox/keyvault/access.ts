// The caller's data-plane access to keys, and Key Vault's 403 for each permission model. Permissions come
// from key-access.ts (RBAC role assignments on an `enableRbacAuthorization` vault, else access policies).
// Message shapes as Key Vault sends them: access policies → "The user, group or application
// 'appid=…;oid=…;iss=…' does not have keys get permission on key vault '{vault};location={loc}'…" with inner
// code AccessDenied (AKS/CSI docs quote it for secrets); RBAC → "Caller is not authorized to perform action
// on resource…" with inner code ForbiddenByRbac.
import type { TokenClaims } from "../context.js";
import type { ArmResource } from "../estate-types.js";
import type { SandboxResponse } from "../http.js";
import type { SandboxState } from "../state.js";
import { isRbacVault, keyPermissions } from "../key-access.js";
import { kvError } from "./kv-error.js";

export type KeyOperation = "get" | "list";

/** RBAC data action Key Vault checks for reading key metadata (get and list alike). */
const KEY_READ_ACTION = "Microsoft.KeyVault/vaults/keys/read";

/** undefined when allowed, else the 403 to answer. `keyName` "" = the whole vault (GET /keys). */
export function checkKeyAccess(state: SandboxState, claims: TokenClaims, vault: ArmResource, keyName: string,
  op: KeyOperation, headers: Record<string, string>): SandboxResponse | undefined {
  const perms = keyPermissions(state, { objectId: claims.oid, tenantId: claims.tid }, vault, keyName);
  if (perms.has(op)) return undefined;
  const caller = `appid=${claims.appid};oid=${claims.oid};iss=${claims.iss}`;
  const vaultLabel = `${vault.name};location=${vault.location ?? ""}`;
  if (isRbacVault(vault)) {
    const resource = `${vault.id}${keyName ? `/keys/${keyName}` : ""}`.toLowerCase();
    const message = "Caller is not authorized to perform action on resource.\r\n"
      + "If role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\r\n"
      + `Caller: ${caller}\r\nAction: '${KEY_READ_ACTION}'\r\nResource: '${resource}'\r\n`
      + `Assignment: (not found)\r\nDenyAssignmentId: null\r\nDecisionReason: null \r\nVault: ${vaultLabel}\r\n`;
    return kvError(403, "Forbidden", message, "ForbiddenByRbac", headers);
  }
  const message = `The user, group or application '${caller}' does not have keys ${op} permission on key vault `
    + `'${vaultLabel}'. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287`;
  return kvError(403, "Forbidden", message, "AccessDenied", headers);
}
