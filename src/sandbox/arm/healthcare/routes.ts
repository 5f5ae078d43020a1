// Microsoft.HealthcareApis routes for the ARM handler (arm/arm-handler.ts registers `healthcareRoutes`):
// legacy services, workspaces, workspaces/fhirservices and the provider's operationresults. Every handler
// first settles the operations whose time has come (lro.ts), so reads see the same timeline as polls.
import type { OperationKind, SandboxResponse } from "../../http.js";
import type { ArmCall, ArmRoute } from "../route.js";
import { deleteFhirService, getFhirService, listFhirServices, patchFhirService, putFhirService } from "./fhir-services.js";
import { settleOperations } from "./lro.js";
import { getOperationResult } from "./operation-results.js";
import {
  deleteService, getService, listServicesByResourceGroup, listServicesBySubscription, patchService, putService,
} from "./services.js";
import {
  deleteWorkspace, getWorkspace, listWorkspacesByResourceGroup, listWorkspacesBySubscription, patchWorkspace, putWorkspace,
} from "./workspaces.js";

const SUB = "/subscriptions/{subscriptionId}";
const RG = `${SUB}/resourceGroups/{resourceGroupName}`;
const NS = "providers/Microsoft.HealthcareApis";
const SERVICE = `${RG}/${NS}/services/{resourceName}`;
const WORKSPACE = `${RG}/${NS}/workspaces/{workspaceName}`;
const FHIR = `${WORKSPACE}/fhirservices/{fhirServiceName}`;

const KIND: Record<string, OperationKind> = { GET: "read", PUT: "write", PATCH: "write", DELETE: "delete" };
const VERB: Record<string, string> = { GET: "read", PUT: "write", PATCH: "write", DELETE: "delete" };

function route(method: "GET" | "PUT" | "PATCH" | "DELETE", pattern: string, resourceType: string,
  handle: (c: ArmCall) => SandboxResponse): ArmRoute {
  return {
    method, pattern, resourceType,
    action: `${resourceType}/${VERB[method]!}`,
    kind: KIND[method]!,
    handle(c: ArmCall): SandboxResponse {
      settleOperations(c.ctx);
      return handle(c);
    },
  };
}

const S = "Microsoft.HealthcareApis/services";
const W = "Microsoft.HealthcareApis/workspaces";
const F = "Microsoft.HealthcareApis/workspaces/fhirservices";

export const healthcareRoutes: ArmRoute[] = [
  route("GET", `${SUB}/${NS}/services`, S, listServicesBySubscription),
  route("GET", `${RG}/${NS}/services`, S, listServicesByResourceGroup),
  route("GET", SERVICE, S, getService),
  route("PUT", SERVICE, S, putService),
  route("PATCH", SERVICE, S, patchService),
  route("DELETE", SERVICE, S, deleteService),

  route("GET", `${SUB}/${NS}/workspaces`, W, listWorkspacesBySubscription),
  route("GET", `${RG}/${NS}/workspaces`, W, listWorkspacesByResourceGroup),
  route("GET", WORKSPACE, W, getWorkspace),
  route("PUT", WORKSPACE, W, putWorkspace),
  route("PATCH", WORKSPACE, W, patchWorkspace),
  route("DELETE", WORKSPACE, W, deleteWorkspace),

  route("GET", `${WORKSPACE}/fhirservices`, F, listFhirServices),
  route("GET", FHIR, F, getFhirService),
  route("PUT", FHIR, F, putFhirService),
  route("PATCH", FHIR, F, patchFhirService),
  route("DELETE", FHIR, F, deleteFhirService),

  route("GET", `${SUB}/${NS}/locations/{locationName}/operationresults/{operationResultId}`,
    "Microsoft.HealthcareApis/locations/operationresults", getOperationResult),
];
