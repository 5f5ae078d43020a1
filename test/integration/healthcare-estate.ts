// Estate pieces and SDK request bodies shared by the healthcare-*.test.ts files (AHDS workspaces and
// FHIR services; the base estate and its builders are test/fixtures/estate-builders.ts).
import { expect } from "vitest";
import type { FhirService } from "@azure/arm-healthcareapis";
import type { ArmResource, Estate } from "../../src/sandbox/estate-types.js";
import type { Sandbox } from "../../src/sandbox/server.js";
import { describeViolation, specsAvailable, type ConformanceRecorder } from "../helpers/spec-validator.js";
import { LOCATION, RESOURCE_GROUP, resourceGroupId, SUBSCRIPTION_ID } from "../fixtures/estate-builders.js";

export const WORKSPACE = "ws1";

export const workspaceId = (name = WORKSPACE, group = RESOURCE_GROUP, sub = SUBSCRIPTION_ID): string =>
  `${resourceGroupId(group, sub)}/providers/Microsoft.HealthcareApis/workspaces/${name}`;

/** A Succeeded workspace as a 2024-03-31 GET returns it. */
export function addWorkspace(estate: Estate, name = WORKSPACE, location = LOCATION): ArmResource {
  const r: ArmResource = {
    id: workspaceId(name), name, type: "Microsoft.HealthcareApis/workspaces", location, etag: '"ws-etag"',
    properties: { provisioningState: "Succeeded", publicNetworkAccess: "Enabled" },
  };
  estate.resources.push(r);
  return r;
}

/** A Succeeded FHIR service without CMK. */
export function addFhirService(estate: Estate, name: string, workspace = WORKSPACE, location = LOCATION): ArmResource {
  const r: ArmResource = {
    id: `${workspaceId(workspace)}/fhirservices/${name}`, name, type: "Microsoft.HealthcareApis/workspaces/fhirservices",
    location, kind: "fhir-R4", etag: '"fhir-etag"',
    properties: { provisioningState: "Succeeded", publicNetworkAccess: "Enabled", eventState: "Disabled" },
  };
  estate.resources.push(r);
  return r;
}

/** The body the product sends (SDK-RECIPE §5): user-assigned identity + CMK. */
export function fhirBody(identityId: string | undefined, keyUrl: string | undefined, location = LOCATION): FhirService {
  return {
    location, kind: "fhir-R4",
    ...(identityId ? { identity: { type: "UserAssigned", userAssignedIdentities: { [identityId]: {} } } } : {}),
    ...(keyUrl ? { encryption: { customerManagedKeyEncryption: { keyEncryptionKeyUrl: keyUrl } } } : {}),
  };
}

/** The Azure-AsyncOperation URLs the sandbox handed out, newest last. */
export function asyncOperationUrls(sandbox: Sandbox): string[] & { stop: () => void } {
  const urls = [] as unknown as string[] & { stop: () => void };
  const off = sandbox.onResponse((e) => {
    const u = e.headers["azure-asyncoperation"];
    if (u) urls.push(u);
  });
  Object.defineProperty(urls, "stop", { value: off, enumerable: false });
  return urls;
}

/** `{location, id}` of an operationresults URL, for operationResults.get(location, id). */
export function operationOf(url: string): { location: string; id: string } {
  const m = /\/locations\/([^/]+)\/operationresults\/([^/?]+)/i.exec(url);
  if (!m) throw new Error(`not an operationresults URL: ${url}`);
  return { location: m[1]!, id: m[2]! };
}

/**
 * Every violation the recorder saw, except one the ARM RPC mandates beyond the Swagger: the
 * Azure-AsyncOperation status resource carries `error{code,message}` when Failed/Canceled (azure-facts
 * §4.2 [S24]; core-lro builds "The long-running operation has failed. <code>. <message>" from it), which
 * the 2024-03-31 OperationResultsDescription schema does not list.
 */
export function assertConformsExceptRpcError(rec: ConformanceRecorder): void {
  const rest = rec.violations.filter((v) => !(v.operationId === "OperationResults_Get"
    && v.errors.every((e) => e === "/: must NOT have unevaluated properties 'error'")));
  expect(rest.map(describeViolation)).toEqual([]);
  if (specsAvailable) expect([...rec.checked.keys()].some((k) => /^(Services|Workspaces|FhirServices|OperationResults)_/.test(k))).toBe(true);
}
