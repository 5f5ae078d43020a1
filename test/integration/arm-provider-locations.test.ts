// Where HealthcareApis types may be created (issue 9 §5), through the product's own read and the real SDK:
// Providers_Get lists the cloud's defaults (no South Africa North for FHIR services) or the estate's
// `providerLocations` for one subscription; a workspace or FHIR service created elsewhere is 400
// LocationNotAvailableForResourceType; another namespace is 404 InvalidResourceNamespace; a caller with no
// role in the subscription is refused.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/server.js";
import { createAzureSession } from "../../src/azure/azure-session.js";
import { FHIR_SERVICE_TYPE, readProviderLocations } from "../../src/azure/read-provider-locations.js";
import { startTestSandbox } from "../helpers/sandbox.js";
import { sdkClients } from "../helpers/sdk-clients.js";
import { rejection } from "../helpers/sdk-results.js";
import { armRaw, armToken } from "./arm-raw.js";
import {
  addRoleAssignment, addSubscription, baseEstate, CALLER_OBJECT_ID, resourceGroupId, ROLE_IDS, SUBSCRIPTION_ID,
} from "../fixtures/estate-builders.js";
import { FAST_RETRY } from "../fixtures/inventory-estates.js";

let sandbox: Sandbox;
let za: string;
let hidden: string;

beforeAll(async () => {
  const e = baseEstate();
  za = addSubscription(e, "South Africa");
  e.subscriptions.find((s) => s.subscriptionId === za)!.providerLocations = {
    "Microsoft.HealthcareApis/workspaces": ["South Africa North", "Brazil South"],
    "Microsoft.HealthcareApis/workspaces/fhirservices": ["South Africa North"],
  };
  addRoleAssignment(e, { scope: `/subscriptions/${za}`, role: ROLE_IDS.owner, principalId: CALLER_OBJECT_ID });
  e.resourceGroups.push({ id: resourceGroupId("rg-za", za), location: "southafricanorth" });
  hidden = addSubscription(e, "Nobody's");
  sandbox = await startTestSandbox(e);
});
afterAll(async () => { await sandbox?.close(); });

describe("provider metadata and creates outside it", () => {
  it("the product's read: the default list has no South Africa North; the estate's override has only it", async () => {
    const session = createAzureSession("AzureCloud", FAST_RETRY);
    const byDefault = await readProviderLocations(session, SUBSCRIPTION_ID, FHIR_SERVICE_TYPE);
    expect(byDefault.ok && byDefault.value).toContain("westeurope");
    expect(byDefault.ok && byDefault.value).not.toContain("southafricanorth");
    const legacy = await readProviderLocations(session, SUBSCRIPTION_ID, "services");
    expect(legacy.ok && legacy.value).toContain("southafricanorth");
    expect(await readProviderLocations(session, za, FHIR_SERVICE_TYPE)).toEqual({ ok: true, value: ["southafricanorth"] });
    const refused = await readProviderLocations(session, hidden, FHIR_SERVICE_TYPE);
    expect(refused).toMatchObject({ ok: false, failure: "forbidden", status: 403 });
    const request = sandbox.requests().find((r) => r.path.endsWith(`/subscriptions/${za}/providers/Microsoft.HealthcareApis`));
    expect(request?.query["api-version"]).toBe("2021-04-01");
  });

  it("answers the namespace in Providers_Get's shape; another namespace is 404 InvalidResourceNamespace", async () => {
    const token = await armToken(sdkClients("AzureCloud", za).credential);
    const ok = await armRaw("GET", `https://management.azure.com/subscriptions/${za}/providers/Microsoft.HealthcareApis?api-version=2021-04-01`, { token });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ namespace: "Microsoft.HealthcareApis", registrationState: "Registered" });
    const types = (ok.body.resourceTypes as { resourceType: string; locations: string[]; apiVersions: string[] }[]);
    expect(types.map((t) => t.resourceType)).toEqual(["services", "workspaces", "workspaces/fhirservices"]);
    expect(types[2]).toMatchObject({ locations: ["South Africa North"] });
    expect(types[2]!.apiVersions).toContain("2024-03-31");
    const other = await armRaw("GET", `https://management.azure.com/subscriptions/${za}/providers/Microsoft.Storage?api-version=2021-04-01`, { token });
    expect([other.status, other.body.error.code]).toEqual([404, "InvalidResourceNamespace"]);
  });

  it("refuses a workspace or FHIR service where the provider does not offer it, naming the offered regions", async () => {
    const hc = sdkClients("AzureCloud", SUBSCRIPTION_ID).healthcare;
    const inDefault = await rejection(hc.workspaces.beginCreateOrUpdateAndWait("rg-fhir", "zaws", { location: "southafricanorth" }));
    expect([inDefault.statusCode, inDefault.code]).toEqual([400, "LocationNotAvailableForResourceType"]);
    expect(inDefault.message).toContain("'Microsoft.HealthcareApis/workspaces'");
    expect(inDefault.message).toContain("westeurope");

    const zaHc = sdkClients("AzureCloud", za).healthcare;
    await zaHc.workspaces.beginCreateOrUpdateAndWait("rg-za", "zaws", { location: "South Africa North" });
    await zaHc.fhirServices.beginCreateOrUpdateAndWait("rg-za", "zaws", "fhir", { location: "southafricanorth", kind: "fhir-R4" });
    await zaHc.workspaces.beginCreateOrUpdateAndWait("rg-za", "brws", { location: "brazilsouth" });
    const fhir = await rejection(zaHc.fhirServices.beginCreateOrUpdateAndWait("rg-za", "brws", "fhir", { location: "brazilsouth", kind: "fhir-R4" }));
    expect([fhir.statusCode, fhir.code]).toEqual([400, "LocationNotAvailableForResourceType"]);
    expect(fhir.message).toContain("is 'southafricanorth'");
  });
});
