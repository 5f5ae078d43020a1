// Container registries listed by subscription and by group (Registries_List / _ListByResourceGroup), so that
// ACR grants of FHIR services can be resolved; served from the estate as they are.
import { json } from "../http.js";
import { pageOf } from "./paging.js";
import type { ArmRoute } from "./route.js";
import { copy, requireResourceGroup, resourceGroupId } from "./routes-common.js";

const TYPE = "Microsoft.ContainerRegistry/registries";

export const containerRegistryRoutes: ArmRoute[] = [
  {
    method: "GET", pattern: "/subscriptions/{subscriptionId}/providers/Microsoft.ContainerRegistry/registries", resourceType: TYPE,
    action: "Microsoft.ContainerRegistry/registries/read", kind: "read",
    handle: (c) => json(200, pageOf(c.ctx.state.listResources(TYPE, `/subscriptions/${c.params.subscriptionId}`).map((r) => copy(r)), c)),
  },
  {
    method: "GET", pattern: "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ContainerRegistry/registries",
    resourceType: TYPE, action: "Microsoft.ContainerRegistry/registries/read", kind: "read",
    handle: (c) => {
      requireResourceGroup(c.ctx.state, c.params.subscriptionId!, c.params.resourceGroupName!);
      const rg = resourceGroupId(c.params.subscriptionId!, c.params.resourceGroupName!);
      return json(200, pageOf(c.ctx.state.listResources(TYPE, rg).map((r) => copy(r)), c));
    },
  },
];
