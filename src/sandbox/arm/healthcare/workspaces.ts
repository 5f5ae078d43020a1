// AHDS workspaces (`Microsoft.HealthcareApis/workspaces`, azure-facts §2.1–2.2): get, list by subscription
// and group, PUT / PATCH (tags only) / DELETE as LROs. In 2024-03-31 publicNetworkAccess is readOnly.
import type { ArmResource } from "../../estate-types.js";
import { json, type SandboxResponse } from "../../http.js";
import { pageOf } from "../paging.js";
import type { ArmCall } from "../route.js";
import { locationNotOffered } from "../provider-locations.js";
import {
  bodyObject, byId, checkPreconditions, checkProvisioningStateEcho, fail, providerId, requireResourceGroup, resourceNotFound,
  stringTags, systemData,
} from "./common.js";
import { FHIR_TYPE, runningOperation, startOperation } from "./lro.js";
import { normalizeLocation, workspaceNameFailure } from "./names.js";
import { deleteWithOperation } from "./services.js";

export const WORKSPACE_TYPE = "Microsoft.HealthcareApis/workspaces";

export function workspaceId(c: ArmCall): string {
  return providerId(c, `workspaces/${c.params["workspaceName"]}`);
}

export function existingWorkspace(c: ArmCall): ArmResource {
  requireResourceGroup(c);
  const r = c.ctx.state.getResource(workspaceId(c));
  if (!r || r.type.toLowerCase() !== WORKSPACE_TYPE.toLowerCase()) throw resourceNotFound(c, `workspaces/${c.params["workspaceName"]}`);
  return r;
}

export function listWorkspacesBySubscription(c: ArmCall): SandboxResponse {
  const items = c.ctx.state.listResources(WORKSPACE_TYPE, `/subscriptions/${c.params["subscriptionId"]}`).sort(byId);
  return json(200, pageOf(items, c));
}

export function listWorkspacesByResourceGroup(c: ArmCall): SandboxResponse {
  requireResourceGroup(c);
  const items = c.ctx.state.listResources(WORKSPACE_TYPE, `/subscriptions/${c.params["subscriptionId"]}/resourceGroups/${c.params["resourceGroupName"]}`).sort(byId);
  return json(200, pageOf(items, c));
}

export function getWorkspace(c: ArmCall): SandboxResponse {
  return json(200, existingWorkspace(c));
}

export function putWorkspace(c: ArmCall): SandboxResponse {
  requireResourceGroup(c);
  const body = bodyObject(c);
  const id = workspaceId(c);
  const existing = c.ctx.state.getResource(id);
  checkPreconditions(c, existing);
  if (existing && runningOperation(c.ctx.state, existing.id)) throw fail(409, "Conflict", `Another operation is in progress on '${existing.name}'.`);
  const name = c.params["workspaceName"] ?? "";
  if (!existing) {
    const bad = workspaceNameFailure(name);
    if (bad) throw fail(bad.status, bad.code, bad.message);
    // Workspace names are unique across subscriptions (the FHIR URL {workspace}-{fhir} is global): a name
    // held anywhere, even where the caller cannot see, is refused. Status and code are UNCONFIRMED
    // (src/sandbox/README.md "Choices resting on UNCONFIRMED facts").
    const holder = c.ctx.state.listResources(WORKSPACE_TYPE).find((w) => w.name.toLowerCase() === name.toLowerCase());
    if (holder) throw fail(409, "NameNotAvailable", `The workspace name '${name}' is not available: it is already in use.`);
  }
  const location = typeof body["location"] === "string" && body["location"] ? body["location"] : undefined;
  if (!location) throw fail(400, "LocationRequired", "The location property is required for this definition.");
  const notOffered = existing ? null : locationNotOffered(c.ctx.state.cloud, c.ctx.state.subscription(c.params["subscriptionId"] ?? ""), "workspaces", location);
  if (notOffered) throw fail(400, notOffered.code, notOffered.message);
  if (existing && normalizeLocation(location) !== normalizeLocation(existing.location ?? "")) {
    throw fail(400, "InvalidResourceLocation", `The resource '${existing.name}' already exists in location '${existing.location ?? ""}'.`);
  }
  checkProvisioningStateEcho(body, existing);
  const tags = stringTags(body["tags"]);
  const target: ArmResource = {
    id: existing?.id ?? id, name: existing?.name ?? name, type: WORKSPACE_TYPE, location: existing?.location ?? location,
    ...(tags ? { tags } : {}),
    properties: {
      provisioningState: "Succeeded",
      publicNetworkAccess: (existing?.properties?.["publicNetworkAccess"] as string | undefined) ?? "Enabled",
    },
    systemData: systemData(c, existing),
  };
  const { headers } = startOperation(c, {
    resource: existing ?? target, method: "PUT", runningState: existing ? "Updating" : "Creating", target,
  });
  return json(existing ? 200 : 201, c.ctx.state.getResource(target.id), headers);
}

/** WorkspacePatchResource = tags only [S2]; 202 + Azure-AsyncOperation as in the spec example. */
export function patchWorkspace(c: ArmCall): SandboxResponse {
  const existing = existingWorkspace(c);
  const body = bodyObject(c);
  checkPreconditions(c, existing);
  if (runningOperation(c.ctx.state, existing.id)) throw fail(409, "Conflict", `Another operation is in progress on '${existing.name}'.`);
  const tags = stringTags(body["tags"]);
  const target: ArmResource = { ...existing, ...(tags ? { tags } : {}), systemData: systemData(c, existing) };
  const { headers } = startOperation(c, { resource: existing, method: "PATCH", runningState: "Accepted", target });
  return json(202, c.ctx.state.getResource(existing.id), headers);
}

/**
 * DELETE as an LRO. A workspace that still holds FHIR services is refused with 409 (UNCONFIRMED: whether
 * Azure refuses or deletes the children) — the sandbox never destroys a service as a side effect.
 */
export function deleteWorkspace(c: ArmCall): SandboxResponse {
  requireResourceGroup(c);
  const existing = c.ctx.state.getResource(workspaceId(c));
  if (!existing) return { status: 204 };
  const children = c.ctx.state.listResources(FHIR_TYPE, existing.id);
  if (children.length > 0) {
    throw fail(409, "WorkspaceNotEmpty",
      `The workspace '${existing.name}' still contains ${children.length} FHIR service(s). Delete them first.`);
  }
  return deleteWithOperation(c, existing);
}
