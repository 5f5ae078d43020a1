// Storage accounts listed by subscription and by group (StorageAccounts_List / _ListByResourceGroup), so that
// export destinations named by FHIR services can be resolved; served from the estate as they are.
import { json } from "../http.js";
import { pageOf } from "./paging.js";
import type { ArmRoute } from "./route.js";
import { copy, requireResourceGroup, resourceGroupId } from "./routes-common.js";

const TYPE = "Microsoft.Storage/storageAccounts";

export const storageRoutes: ArmRoute[] = [
  {
    method: "GET", pattern: "/subscriptions/{subscriptionId}/providers/Microsoft.Storage/storageAccounts", resourceType: TYPE,
    action: "Microsoft.Storage/storageAccounts/read", kind: "read",
    handle: (c) => json(200, pageOf(c.ctx.state.listResources(TYPE, `/subscriptions/${c.params.subscriptionId}`).map((r) => copy(r)), c)),
  },
  {
    method: "GET", pattern: "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Storage/storageAccounts",
    resourceType: TYPE, action: "Microsoft.Storage/storageAccounts/read", kind: "read",
    handle: (c) => {
      requireResourceGroup(c.ctx.state, c.params.subscriptionId!, c.params.resourceGroupName!);
      const rg = resourceGroupId(c.params.subscriptionId!, c.params.resourceGroupName!);
      return json(200, pageOf(c.ctx.state.listResources(TYPE, rg).map((r) => copy(r)), c));
    },
  },
];
