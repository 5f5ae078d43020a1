// AHDS FHIR services (`Microsoft.HealthcareApis/workspaces/fhirservices`, azure-facts §2.3–2.5, §2.9): get,
// list by workspace, PUT (with the RP's validations on create: names, kind, parent workspace, 10 per
// subscription, CMK rules) / PATCH (tags + identity only) / DELETE as LROs. Key access by the service's
// identity is decided when the operation completes (lro.ts).
import type { ArmResource } from "../../estate-types.js";
import { json, type SandboxResponse } from "../../http.js";
import { pageOf } from "../paging.js";
import type { ArmCall } from "../route.js";
import { locationNotOffered } from "../provider-locations.js";
import { cmkFailure } from "./cmk-validation.js";
import {
  bodyObject, byId, checkPreconditions, checkProvisioningStateEcho, fail, pick, providerId, requireResourceGroup,
  resourceNotFound, stringTags, systemData,
} from "./common.js";
import { echoIdentity, identityFailure, type IdentityInput } from "./identity.js";
import { FHIR_TYPE, runningOperation, startOperation } from "./lro.js";
import { fhirServiceNameFailure, normalizeLocation } from "./names.js";
import { fhirQuotaFailure } from "./quota.js";
import { deleteWithOperation } from "./services.js";
import { existingWorkspace, workspaceId } from "./workspaces.js";

export const FHIR_KINDS = ["fhir-R4", "fhir-Stu3"];
/** FhirServiceProperties a client may write in 2024-03-31 (the rest is readOnly or unknown and dropped). */
const WRITABLE_PROPERTIES = [
  "acrConfiguration", "authenticationConfiguration", "corsConfiguration", "exportConfiguration",
  "resourceVersionPolicyConfiguration", "importConfiguration", "implementationGuidesConfiguration", "encryption",
];
/** publicNetworkAccess became readOnly in 2024-03-31 (azure-facts §2.3); older versions may still set it. */
const PNA_READONLY_FROM = "2024-03-31";

function fhirId(c: ArmCall): string {
  return providerId(c, `workspaces/${c.params["workspaceName"]}/fhirservices/${c.params["fhirServiceName"]}`);
}

function existingFhir(c: ArmCall): ArmResource {
  existingWorkspace(c);
  const r = c.ctx.state.getResource(fhirId(c));
  if (!r || r.type.toLowerCase() !== FHIR_TYPE.toLowerCase()) {
    throw resourceNotFound(c, `workspaces/${c.params["workspaceName"]}/fhirservices/${c.params["fhirServiceName"]}`);
  }
  return r;
}

export function keyUrlOf(properties: unknown): string | undefined {
  const enc = (properties as { encryption?: { customerManagedKeyEncryption?: { keyEncryptionKeyUrl?: unknown } } } | undefined)?.encryption;
  const url = enc?.customerManagedKeyEncryption?.keyEncryptionKeyUrl;
  return typeof url === "string" && url.length > 0 ? url : undefined;
}

export function listFhirServices(c: ArmCall): SandboxResponse {
  const ws = existingWorkspace(c);
  return json(200, pageOf(c.ctx.state.listResources(FHIR_TYPE, ws.id).sort(byId), c));
}

export function getFhirService(c: ArmCall): SandboxResponse {
  return json(200, existingFhir(c));
}

export function putFhirService(c: ArmCall): SandboxResponse {
  const { state } = c.ctx;
  requireResourceGroup(c);
  const body = bodyObject(c);
  const id = fhirId(c);
  const existing = state.getResource(id);
  checkPreconditions(c, existing);
  if (existing && runningOperation(state, existing.id)) throw fail(409, "Conflict", `Another operation is in progress on '${existing.name}'.`);
  const name = c.params["fhirServiceName"] ?? "";
  const wsName = c.params["workspaceName"] ?? "";
  const ws = state.getResource(workspaceId(c));
  if (!ws) {
    throw fail(404, "ParentResourceNotFound",
      `Can not perform requested operation on nested resource. Parent resource '${wsName}' not found.`);
  }
  if (!existing) {
    const bad = fhirServiceNameFailure(name);
    if (bad) throw fail(bad.status, bad.code, bad.message);
  }
  const location = typeof body["location"] === "string" && body["location"] ? body["location"] : undefined;
  if (!location) throw fail(400, "LocationRequired", "The location property is required for this definition.");
  const notOffered = existing ? null : locationNotOffered(c.ctx.state.cloud, c.ctx.state.subscription(c.params["subscriptionId"] ?? ""), "workspaces/fhirservices", location);
  if (notOffered) throw fail(400, notOffered.code, notOffered.message);
  if (existing && normalizeLocation(location) !== normalizeLocation(existing.location ?? "")) {
    throw fail(400, "InvalidResourceLocation", `The resource '${existing.name}' already exists in location '${existing.location ?? ""}'.`);
  }
  const kind = body["kind"];
  if (typeof kind !== "string" || !FHIR_KINDS.includes(kind)) {
    throw fail(400, "InvalidFhirServiceKind", `The kind '${String(kind)}' is invalid. Allowed: ${FHIR_KINDS.join(", ")}.`);
  }
  if (existing?.kind && existing.kind !== kind) {
    throw fail(400, "FhirServiceKindCannotBeChanged", `The kind of '${existing.name}' is '${existing.kind}' and cannot be changed.`);
  }
  const wsState = ws.properties?.["provisioningState"];
  if (wsState !== "Succeeded") {
    throw fail(400, "WorkspaceNotReady", `The workspace '${wsName}' is in provisioning state '${String(wsState)}', not Succeeded.`);
  }
  if (!existing) {
    const quota = fhirQuotaFailure(state, c.params["subscriptionId"] ?? "");
    if (quota) throw fail(quota.status, quota.code, quota.message);
  }
  checkProvisioningStateEcho(body, existing);
  const keyUrl = keyUrlOf(body["properties"]);
  const identity = body["identity"] as IdentityInput | undefined;
  const badIdentity = identityFailure(state, identity, keyUrl !== undefined, existing);
  if (badIdentity) throw fail(badIdentity.status, badIdentity.code, badIdentity.message);
  if (keyUrl) {
    const bad = cmkFailure(state, { keyUrl, serviceLocation: location });
    if (bad) throw fail(bad.status, bad.code, bad.message);
  }
  const target = buildTarget(c, body, existing, ws, location, kind);
  const { headers } = startOperation(c, {
    resource: existing ?? target, method: "PUT", runningState: existing ? "Updating" : "Creating", target,
  });
  return json(existing ? 200 : 201, state.getResource(target.id), headers);
}

function buildTarget(c: ArmCall, body: Record<string, unknown>, existing: ArmResource | undefined, ws: ArmResource,
  location: string, kind: string): ArmResource {
  const { state } = c.ctx;
  const tenantId = state.subscription(c.params["subscriptionId"] ?? "")?.tenantId ?? c.claims.tid;
  const name = existing?.name ?? c.params["fhirServiceName"] ?? "";
  const props = pick(body["properties"], WRITABLE_PROPERTIES);
  if (props["encryption"]) {
    const url = keyUrlOf(body["properties"]);
    props["encryption"] = url ? { customerManagedKeyEncryption: { keyEncryptionKeyUrl: url } } : {};
  }
  const auth = { ...((props["authenticationConfiguration"] ?? {}) as Record<string, unknown>) };
  const fhirSuffix = state.cloud === "AzureUSGovernment" ? "fhir.azurehealthcareapis.us" : "fhir.azurehealthcareapis.com";
  auth["authority"] ??= `https://${state.hosts.login}/${tenantId}`;
  auth["audience"] ??= `https://${ws.name}-${name}.${fhirSuffix}`;
  auth["smartProxyEnabled"] ??= false;
  props["authenticationConfiguration"] = auth;
  const sentPna = (body["properties"] as Record<string, unknown> | undefined)?.["publicNetworkAccess"];
  const pna = c.apiVersion < PNA_READONLY_FROM && (sentPna === "Enabled" || sentPna === "Disabled")
    ? sentPna : (existing?.properties?.["publicNetworkAccess"] as string | undefined) ?? "Enabled";
  const tags = stringTags(body["tags"]);
  const identity = echoIdentity(state, body["identity"] as IdentityInput | undefined, existing, tenantId);
  return {
    id: existing?.id ?? fhirId(c), name, type: FHIR_TYPE, location: existing?.location ?? location, kind,
    ...(tags ? { tags } : {}),
    ...(identity ? { identity } : {}),
    properties: {
      ...props,
      provisioningState: "Succeeded",
      publicNetworkAccess: pna,
      eventState: (existing?.properties?.["eventState"] as string | undefined) ?? "Disabled",
    },
    systemData: systemData(c, existing),
  };
}

/** FhirServicePatchResource = tags + identity only [S2]; 202 + Azure-AsyncOperation as in the spec example. */
export function patchFhirService(c: ArmCall): SandboxResponse {
  const { state } = c.ctx;
  const existing = existingFhir(c);
  const body = bodyObject(c);
  checkPreconditions(c, existing);
  if (runningOperation(state, existing.id)) throw fail(409, "Conflict", `Another operation is in progress on '${existing.name}'.`);
  const tags = stringTags(body["tags"]);
  let identity = existing.identity;
  if (body["identity"] !== undefined) {
    const bad = identityFailure(state, body["identity"] as IdentityInput, keyUrlOf(existing.properties) !== undefined, existing);
    if (bad) throw fail(bad.status, bad.code, bad.message);
    const tenantId = state.subscription(c.params["subscriptionId"] ?? "")?.tenantId ?? c.claims.tid;
    identity = echoIdentity(state, body["identity"] as IdentityInput, existing, tenantId);
  }
  const target: ArmResource = { ...existing, ...(tags ? { tags } : {}), systemData: systemData(c, existing) };
  if (identity) target.identity = identity; else delete target.identity;
  const { headers } = startOperation(c, { resource: existing, method: "PATCH", runningState: "Accepted", target });
  return json(202, state.getResource(existing.id), headers);
}

export function deleteFhirService(c: ArmCall): SandboxResponse {
  existingWorkspace(c);
  const existing = c.ctx.state.getResource(fhirId(c));
  if (!existing) return { status: 204 };
  return deleteWithOperation(c, existing);
}
