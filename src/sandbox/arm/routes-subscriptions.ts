// Subscriptions_List / Subscriptions_Get (Microsoft.Resources 2022-12-01, subscriptions.json). The list is
// tenant-level: it shows the subscriptions of the token's tenant in which the caller holds any role.
import { json } from "../http.js";
import type { EstateSubscription } from "../estate-types.js";
import type { SandboxState } from "../state.js";
import { hasAnyRoleTouching } from "./rbac.js";
import { pageOf } from "./paging.js";
import type { ArmCall, ArmRoute } from "./route.js";
import { authorizationFailed } from "./routes-common.js";

const READ = "Microsoft.Resources/subscriptions/read";

export function subscriptionBody(state: SandboxState, s: EstateSubscription): Record<string, unknown> {
  return {
    id: `/subscriptions/${s.subscriptionId}`,
    authorizationSource: "RoleBased",
    managedByTenants: [],
    subscriptionId: s.subscriptionId,
    tenantId: s.tenantId,
    displayName: s.displayName,
    state: s.state ?? "Enabled",
    subscriptionPolicies: {
      locationPlacementId: state.cloud === "AzureUSGovernment" ? "USGov_2014-09-01" : "Public_2014-09-01",
      quotaId: "PayAsYouGo_2014-09-01",
      spendingLimit: "Off",
    },
  };
}

function visible(c: ArmCall, s: EstateSubscription): boolean {
  return s.tenantId.toLowerCase() === c.claims.tid.toLowerCase()
    && hasAnyRoleTouching(c.ctx.state, c.claims.oid, `/subscriptions/${s.subscriptionId}`);
}

export const subscriptionRoutes: ArmRoute[] = [
  {
    method: "GET", pattern: "/subscriptions", resourceType: "Microsoft.Resources/subscriptions", action: READ, kind: "read",
    skipAuthorization: true,
    handle: (c) => {
      const items = c.ctx.state.subscriptions.filter((s) => visible(c, s)).map((s) => subscriptionBody(c.ctx.state, s));
      return json(200, pageOf(items, c));
    },
  },
  {
    method: "GET", pattern: "/subscriptions/{subscriptionId}", resourceType: "Microsoft.Resources/subscriptions", action: READ, kind: "read",
    skipAuthorization: true,
    handle: (c) => {
      // The handler runs only for a known subscription of the caller's tenant (arm-handler checks both).
      const s = c.ctx.state.subscription(c.params.subscriptionId!)!;
      if (!visible(c, s)) return authorizationFailed(c.claims.oid, READ, `/subscriptions/${s.subscriptionId}`);
      return json(200, subscriptionBody(c.ctx.state, s));
    },
  },
];
