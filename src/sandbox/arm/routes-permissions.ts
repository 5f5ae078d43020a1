// Microsoft.Authorization/permissions: the caller's own effective permissions at a scope
// (Permissions_ListForResourceGroup / Permissions_ListForResource, authorization 2022-04-01), one entry per
// permission block of each role assigned at or above the scope — also at a key
// (`…/vaults/{v}/keys/{k}/providers/Microsoft.Authorization/permissions`), which arm-authorization reaches
// with parentResourcePath "vaults/{v}", resourceType "keys".
import { json } from "../http.js";
import { normalizeScope, permissionsAt } from "./rbac.js";
import { pageOf } from "./paging.js";
import type { ArmRoute } from "./route.js";

export const permissionRoutes: ArmRoute[] = [
  {
    method: "GET", pattern: "/{scope*}/providers/Microsoft.Authorization/permissions", resourceType: "Microsoft.Authorization/permissions",
    action: "Microsoft.Authorization/permissions/read", kind: "read",
    // Anyone may ask what they themselves may do; the answer is empty without a role.
    skipAuthorization: true,
    handle: (c) => json(200, pageOf(permissionsAt(c.ctx.state, c.claims.oid, normalizeScope(c.params.scope!)), c)),
  },
];
