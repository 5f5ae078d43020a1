// Key Vault management plane (Microsoft.KeyVault 2026-02-01 openapi.json): Vaults_Get, _ListBySubscription
// and _ListByResourceGroup (`$top`), Vaults_List — the generic `/subscriptions/{s}/resources?$filter=resourceType
// eq 'Microsoft.KeyVault/vaults'` at api-version 2015-11-01 that arm-keyvault's vaults.list() calls
// (SDK-RECIPE §4) — and Vaults_UpdateAccessPolicy (`accessPolicies/{add|replace|remove}`). Vault PUT/PATCH/
// DELETE are not served (405): the product never sends them.
import { armError, HttpError, json } from "../http.js";
import type { ArmResource } from "../estate-types.js";
import { pageOf } from "./paging.js";
import type { ArmCall, ArmRoute } from "./route.js";
import { bodyObject, copy, queryParam, requireResourceGroup, resourceGroupId, resourceNotFound } from "./routes-common.js";

const TYPE = "Microsoft.KeyVault/vaults";
const ITEM = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.KeyVault/vaults/{vaultName}";
const READ = "Microsoft.KeyVault/vaults/read";

/** Resource types the generic list never shows (they are not "resources" of a subscription listing). */
const NOT_GENERIC = ["microsoft.resources/resourcegroups", "microsoft.authorization/roleassignments", "microsoft.authorization/roledefinitions"];

function vaultOf(c: ArmCall): ArmResource {
  requireResourceGroup(c.ctx.state, c.params.subscriptionId!, c.params.resourceGroupName!);
  const id = `${resourceGroupId(c.params.subscriptionId!, c.params.resourceGroupName!)}/providers/${TYPE}/${c.params.vaultName}`;
  const v = c.ctx.state.getResource(id);
  if (!v) throw resourceNotFound(`${TYPE}/${c.params.vaultName}`, c.params.resourceGroupName!);
  return v;
}

/** GenericResourceExpanded as the 2015-11-01 resources list returns it: no properties. */
function generic(r: ArmResource): Record<string, unknown> {
  return { id: r.id, name: r.name, type: r.type, ...(r.kind ? { kind: r.kind } : {}), ...(r.location ? { location: r.location } : {}),
    ...(r.tags ? { tags: copy(r.tags) } : {}) };
}

interface PolicyEntry {
  tenantId: string;
  objectId: string;
  applicationId?: string;
  permissions: Record<string, string[]>;
}

const CATEGORIES = ["keys", "secrets", "certificates", "storage"];

function parseEntries(b: Record<string, unknown>): PolicyEntry[] {
  const props = b.properties as { accessPolicies?: unknown } | undefined;
  if (!props || !Array.isArray(props.accessPolicies)) {
    throw new HttpError(armError(400, "BadRequest", "The parameter properties.accessPolicies is required."));
  }
  return props.accessPolicies.map((e: unknown, i: number) => {
    const x = (e ?? {}) as Record<string, unknown>;
    if (typeof x.tenantId !== "string" || typeof x.objectId !== "string" || !x.permissions || typeof x.permissions !== "object") {
      throw new HttpError(armError(400, "BadRequest", `Invalid value for properties.accessPolicies[${i}]: tenantId, objectId and permissions are required.`));
    }
    return {
      tenantId: x.tenantId, objectId: x.objectId, ...(typeof x.applicationId === "string" ? { applicationId: x.applicationId } : {}),
      permissions: x.permissions as Record<string, string[]>,
    };
  });
}

function sameHolder(a: PolicyEntry, b: PolicyEntry): boolean {
  return a.tenantId.toLowerCase() === b.tenantId.toLowerCase() && a.objectId.toLowerCase() === b.objectId.toLowerCase()
    && (a.applicationId ?? "").toLowerCase() === (b.applicationId ?? "").toLowerCase();
}

function union(a: string[] = [], b: string[] = []): string[] {
  const out = [...a];
  for (const p of b) if (!out.some((x) => x.toLowerCase() === p.toLowerCase())) out.push(p);
  return out;
}

/** Vaults_UpdateAccessPolicy: add merges permissions into the holder's entry, replace overwrites them, remove takes them away. */
export function applyAccessPolicies(current: PolicyEntry[], given: PolicyEntry[], kind: "add" | "replace" | "remove"): PolicyEntry[] {
  const out = current.map((e) => copy(e));
  for (const g of given) {
    const i = out.findIndex((e) => sameHolder(e, g));
    if (kind === "remove") {
      if (i < 0) continue;
      const e = out[i]!;
      for (const cat of CATEGORIES) {
        const drop = (g.permissions[cat] ?? []).map((p) => p.toLowerCase());
        if (e.permissions[cat]) e.permissions[cat] = e.permissions[cat]!.filter((p) => !drop.includes(p.toLowerCase()));
      }
      if (CATEGORIES.every((cat) => (e.permissions[cat] ?? []).length === 0)) out.splice(i, 1);
    } else if (i < 0) {
      out.push(copy(g));
    } else if (kind === "replace") {
      out[i] = copy(g);
    } else {
      const e = out[i]!;
      for (const cat of CATEGORIES) {
        if (g.permissions[cat]) e.permissions[cat] = union(e.permissions[cat], g.permissions[cat]);
      }
    }
  }
  return out;
}

function updateAccessPolicy(c: ArmCall): ReturnType<typeof json> {
  const kind = c.params.operationKind!.toLowerCase();
  if (kind !== "add" && kind !== "replace" && kind !== "remove") {
    throw new HttpError(armError(400, "BadRequest", `The value '${c.params.operationKind}' is not valid for operationKind. Valid values are add, replace, remove.`));
  }
  if (!/^[a-zA-Z0-9-]{3,24}$/.test(c.params.vaultName!)) {
    throw new HttpError(armError(400, "BadRequest", `The vault name '${c.params.vaultName}' is invalid.`));
  }
  const vault = vaultOf(c);
  const given = parseEntries(bodyObject(c));
  const current = Array.isArray(vault.properties?.accessPolicies) ? vault.properties!.accessPolicies as PolicyEntry[] : [];
  const next = applyAccessPolicies(current, given, kind);
  c.ctx.state.putResource({ ...vault, properties: { ...(vault.properties ?? {}), accessPolicies: next } });
  c.ctx.changed();
  return json(200, {
    id: `${vault.id}/accessPolicies/${kind}`, name: kind, type: "Microsoft.KeyVault/vaults/accessPolicies",
    ...(vault.location ? { location: vault.location } : {}),
    properties: { accessPolicies: copy(next) },
  });
}

export const keyVaultRoutes: ArmRoute[] = [
  { method: "GET", pattern: ITEM, resourceType: TYPE, action: READ, kind: "read", handle: (c) => json(200, copy(vaultOf(c))) },
  {
    method: "PUT", pattern: `${ITEM}/accessPolicies/{operationKind}`, resourceType: TYPE,
    action: "Microsoft.KeyVault/vaults/accessPolicies/write", kind: "write", handle: updateAccessPolicy,
  },
  {
    method: "GET", pattern: "/subscriptions/{subscriptionId}/providers/Microsoft.KeyVault/vaults", resourceType: TYPE, action: READ, kind: "read",
    handle: (c) => json(200, pageOf(c.ctx.state.listResources(TYPE, `/subscriptions/${c.params.subscriptionId}`).map((r) => copy(r)), c)),
  },
  {
    method: "GET", pattern: "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.KeyVault/vaults",
    resourceType: TYPE, action: READ, kind: "read",
    handle: (c) => {
      requireResourceGroup(c.ctx.state, c.params.subscriptionId!, c.params.resourceGroupName!);
      const rg = resourceGroupId(c.params.subscriptionId!, c.params.resourceGroupName!);
      return json(200, pageOf(c.ctx.state.listResources(TYPE, rg).map((r) => copy(r)), c));
    },
  },
  {
    // Resources_List (Microsoft.Resources): `$filter=resourceType eq '…'` is the only filter served.
    method: "GET", pattern: "/subscriptions/{subscriptionId}/resources", resourceType: "Microsoft.Resources/resources",
    action: "Microsoft.Resources/subscriptions/resources/read", kind: "read",
    handle: (c) => {
      const filter = queryParam(c, "$filter");
      let type: string | undefined;
      if (filter) {
        const m = /^\s*resourceType\s+eq\s+'([^']+)'\s*$/i.exec(filter);
        if (!m) throw new HttpError(armError(400, "InvalidFilterInQueryString", `The $filter '${filter}' is not supported.`));
        type = m[1]!.toLowerCase();
      }
      const sub = `/subscriptions/${c.params.subscriptionId}`.toLowerCase() + "/";
      const items = [...c.ctx.state.resources.entries()]
        .filter(([k, r]) => k.startsWith(sub) && !NOT_GENERIC.includes(r.type.toLowerCase()) && (!type || r.type.toLowerCase() === type))
        .map(([, r]) => generic(r));
      return json(200, pageOf(items, c));
    },
  },
];
