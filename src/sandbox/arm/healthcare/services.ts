// Legacy Azure API for FHIR (`Microsoft.HealthcareApis/services`, azure-facts §1): list by subscription
// and by group (nextLink paging), get. Writes are answered like Azure although the product never sends
// one (the request log counts them): a PUT creating a NEW service is refused because new deployments
// have been blocked since 1 Apr 2025 [S7, S20]; PUT/PATCH of an existing one and DELETE are LROs.
import type { ArmResource } from "../../estate-types.js";
import { json, type SandboxResponse } from "../../http.js";
import { pageOf } from "../paging.js";
import type { ArmCall } from "../route.js";
import {
  bodyObject, byId, checkPreconditions, checkProvisioningStateEcho, fail, pick, providerId, requireResourceGroup,
  resourceNotFound, stringTags, systemData,
} from "./common.js";
import { runningOperation, startOperation } from "./lro.js";
import { normalizeLocation } from "./names.js";

export const SERVICES_TYPE = "Microsoft.HealthcareApis/services";
const SERVICE_KINDS = ["fhir", "fhir-Stu3", "fhir-R4"];
/** ServicesProperties keys of 2024-03-31 (provisioningState is readOnly). */
const SERVICE_PROPERTIES = [
  "accessPolicies", "cosmosDbConfiguration", "authenticationConfiguration", "corsConfiguration", "exportConfiguration",
  "privateEndpointConnections", "publicNetworkAccess", "acrConfiguration", "importConfiguration",
];

function serviceId(c: ArmCall): string {
  return providerId(c, `services/${c.params["resourceName"]}`);
}

function existingService(c: ArmCall): ArmResource {
  requireResourceGroup(c);
  const r = c.ctx.state.getResource(serviceId(c));
  if (!r || r.type.toLowerCase() !== SERVICES_TYPE.toLowerCase()) throw resourceNotFound(c, `services/${c.params["resourceName"]}`);
  return r;
}

export function listServicesBySubscription(c: ArmCall): SandboxResponse {
  const items = c.ctx.state.listResources(SERVICES_TYPE, `/subscriptions/${c.params["subscriptionId"]}`).sort(byId);
  return json(200, pageOf(items, c));
}

export function listServicesByResourceGroup(c: ArmCall): SandboxResponse {
  requireResourceGroup(c);
  const items = c.ctx.state.listResources(SERVICES_TYPE, `/subscriptions/${c.params["subscriptionId"]}/resourceGroups/${c.params["resourceGroupName"]}`).sort(byId);
  return json(200, pageOf(items, c));
}

export function getService(c: ArmCall): SandboxResponse {
  return json(200, existingService(c));
}

export function putService(c: ArmCall): SandboxResponse {
  requireResourceGroup(c);
  const body = bodyObject(c);
  const existing = c.ctx.state.getResource(serviceId(c));
  if (!existing) {
    // UNCONFIRMED code: Azure's exact answer to a new Azure API for FHIR deployment after 1 Apr 2025.
    throw fail(400, "NewDeploymentsBlocked",
      "Azure API for FHIR is retiring on 30 September 2026; new deployments have been blocked since 1 April 2025. " +
      "Create an Azure Health Data Services FHIR service instead.");
  }
  checkPreconditions(c, existing);
  if (runningOperation(c.ctx.state, existing.id)) throw fail(409, "Conflict", `Another operation is in progress on '${existing.name}'.`);
  checkProvisioningStateEcho(body, existing);
  const kind = typeof body["kind"] === "string" ? body["kind"] : undefined;
  if (!kind || !SERVICE_KINDS.includes(kind)) throw fail(400, "InvalidServiceKind", `The kind '${String(body["kind"])}' is invalid. Allowed: ${SERVICE_KINDS.join(", ")}.`);
  const location = typeof body["location"] === "string" ? body["location"] : undefined;
  if (!location) throw fail(400, "LocationRequired", "The location property is required for this definition.");
  if (normalizeLocation(location) !== normalizeLocation(existing.location ?? "")) {
    throw fail(400, "InvalidResourceLocation", `The resource '${existing.name}' already exists in location '${existing.location ?? ""}'.`);
  }
  const tags = stringTags(body["tags"]);
  const identity = body["identity"] && typeof body["identity"] === "object" ? pick(body["identity"], ["type"]) : undefined;
  const target: ArmResource = {
    id: existing.id, name: existing.name, type: existing.type, location: existing.location, kind,
    ...(tags ? { tags } : {}),
    ...(identity ? { identity: { ...identity, ...pick(existing.identity, ["principalId", "tenantId"]) } } : {}),
    properties: { ...pick(body["properties"], SERVICE_PROPERTIES), provisioningState: "Succeeded" },
    systemData: systemData(c, existing),
  };
  const { headers } = startOperation(c, { resource: existing, method: "PUT", runningState: "Updating", target });
  return json(200, c.ctx.state.getResource(existing.id), headers);
}

/** ServicesPatchDescription: tags and properties.publicNetworkAccess only [S2]. Spec: 200, LRO. */
export function patchService(c: ArmCall): SandboxResponse {
  const existing = existingService(c);
  const body = bodyObject(c);
  checkPreconditions(c, existing);
  if (runningOperation(c.ctx.state, existing.id)) throw fail(409, "Conflict", `Another operation is in progress on '${existing.name}'.`);
  const tags = stringTags(body["tags"]);
  const pna = pick(body["properties"], ["publicNetworkAccess"]);
  const target: ArmResource = {
    ...existing,
    ...(tags ? { tags } : {}),
    properties: { ...(existing.properties ?? {}), ...pna },
    systemData: systemData(c, existing),
  };
  const { headers } = startOperation(c, { resource: existing, method: "PATCH", runningState: "Updating", target });
  return json(200, c.ctx.state.getResource(existing.id), headers);
}

export function deleteService(c: ArmCall): SandboxResponse {
  requireResourceGroup(c);
  const existing = c.ctx.state.getResource(serviceId(c));
  if (!existing) return { status: 204 };
  return deleteWithOperation(c, existing);
}

/** DELETE as an LRO (202 + Azure-AsyncOperation); a running write on the resource is canceled. */
export function deleteWithOperation(c: ArmCall, existing: ArmResource): SandboxResponse {
  checkPreconditions(c, existing);
  const running = runningOperation(c.ctx.state, existing.id);
  if (running) {
    running.status = "Canceled";
    running.error = { code: "Canceled", message: "The operation was canceled by a DELETE of the resource." };
    delete running.stuckState;
    delete running.target;
  }
  const { headers } = startOperation(c, { resource: existing, method: "DELETE", runningState: "Deleting" });
  return { status: 202, headers };
}
