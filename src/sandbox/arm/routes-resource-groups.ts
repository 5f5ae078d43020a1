// Resource groups (Microsoft.Resources, ResourceGroups_Get / _CreateOrUpdate / _List). PUT answers 201 on
// create and 200 on update; a group cannot move to another location (409 InvalidResourceGroupLocation).
import { armError, HttpError, json } from "../http.js";
import type { ArmResource } from "../estate-types.js";
import { pageOf } from "./paging.js";
import type { ArmRoute } from "./route.js";
import { bodyObject, copy, resourceGroupId, resourceGroupNotFound } from "./routes-common.js";

const TYPE = "Microsoft.Resources/resourceGroups";
const PATH = "/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}";

/**
 * Learn "Naming rules for Azure resources": 1–90 characters, alphanumerics, underscores, parentheses,
 * hyphens, periods and Unicode letters; may not end in a period.
 */
export function validResourceGroupName(name: string): boolean {
  return name.length >= 1 && name.length <= 90 && /^[-\w._()\p{L}]+$/u.test(name) && !name.endsWith(".");
}

function body(r: ArmResource): ArmResource {
  const { id, name, type, location, tags, managedBy, properties } = copy(r);
  return { id, name, type, location, ...(managedBy ? { managedBy } : {}), ...(tags ? { tags } : {}), properties: properties ?? { provisioningState: "Succeeded" } };
}

export const resourceGroupRoutes: ArmRoute[] = [
  {
    method: "GET", pattern: "/subscriptions/{subscriptionId}/resourcegroups", resourceType: TYPE,
    action: "Microsoft.Resources/subscriptions/resourceGroups/read", kind: "read",
    handle: (c) => json(200, pageOf(c.ctx.state.listResources(TYPE, `/subscriptions/${c.params.subscriptionId}`).map(body), c)),
  },
  {
    method: "GET", pattern: PATH, resourceType: TYPE, action: "Microsoft.Resources/subscriptions/resourceGroups/read", kind: "read",
    handle: (c) => {
      const g = c.ctx.state.getResource(resourceGroupId(c.params.subscriptionId!, c.params.resourceGroupName!));
      if (!g) throw resourceGroupNotFound(c.params.resourceGroupName!);
      return json(200, body(g));
    },
  },
  {
    method: "PUT", pattern: PATH, resourceType: TYPE, action: "Microsoft.Resources/subscriptions/resourceGroups/write", kind: "write",
    handle: (c) => {
      const name = c.params.resourceGroupName!;
      if (!validResourceGroupName(name)) {
        throw new HttpError(armError(400, "InvalidResourceGroup",
          `The provided resource group name '${name}' has these invalid characters: ''. The name can only be a letter, digit, '-', '.', '(', ')' or '_'.`));
      }
      const b = bodyObject(c);
      const location = typeof b.location === "string" ? b.location : "";
      if (!location) throw new HttpError(armError(400, "LocationRequired", "The location property is required for this definition."));
      const state = c.ctx.state;
      const existing = state.getResource(resourceGroupId(c.params.subscriptionId!, name));
      if (existing && (existing.location ?? "").toLowerCase() !== location.toLowerCase()) {
        throw new HttpError(armError(409, "InvalidResourceGroupLocation",
          `Invalid resource group location '${location}'. The Resource group already exists in location '${existing.location}'.`));
      }
      const tags = b.tags && typeof b.tags === "object" ? b.tags as Record<string, string> : undefined;
      const g: ArmResource = {
        id: existing?.id ?? resourceGroupId(c.params.subscriptionId!, name),
        name: existing?.name ?? name, type: TYPE, location: existing?.location ?? location,
        ...(tags ? { tags } : {}),
        ...(typeof b.managedBy === "string" ? { managedBy: b.managedBy } : {}),
        properties: { provisioningState: "Succeeded" },
      };
      state.putResource(g);
      c.ctx.changed();
      return json(existing ? 200 : 201, body(g));
    },
  },
];
