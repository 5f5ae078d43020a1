// In an AzureUSGovernment estate the FHIR service's default authority and audience switch to the US
// Government hosts (azure-facts §2.5, §6): login.microsoftonline.us and *.fhir.azurehealthcareapis.us,
// and the operation-status URL is on management.usgovcloudapi.net.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/server.js";
import { startTestSandbox } from "../helpers/sandbox.js";
import { sdkClients } from "../helpers/sdk-clients.js";
import { baseEstate, RESOURCE_GROUP, SUBSCRIPTION_ID, TENANT_ID } from "../fixtures/estate-builders.js";
import { addWorkspace, asyncOperationUrls } from "./healthcare-estate.js";

let sandbox: Sandbox;

beforeAll(async () => {
  const e = baseEstate({ cloud: "AzureUSGovernment", location: "usgovvirginia" });
  addWorkspace(e, "govws", "usgovvirginia");
  sandbox = await startTestSandbox(e);
});
afterAll(async () => { await sandbox?.close(); });

describe("FHIR service defaults in US Government", () => {
  it("answers with the .us authority and audience and a usgovcloudapi.net operation URL", async () => {
    const hc = sdkClients("AzureUSGovernment", SUBSCRIPTION_ID).healthcare;
    const urls = asyncOperationUrls(sandbox);
    const f = await hc.fhirServices.beginCreateOrUpdateAndWait(RESOURCE_GROUP, "govws", "fhirgov", { location: "usgovvirginia", kind: "fhir-R4" });
    urls.stop();
    expect(f.authenticationConfiguration?.authority).toBe(`https://login.microsoftonline.us/${TENANT_ID}`);
    expect(f.authenticationConfiguration?.audience).toBe("https://govws-fhirgov.fhir.azurehealthcareapis.us");
    expect(urls[0]).toMatch(/^https:\/\/management\.usgovcloudapi\.net\/subscriptions\/[^/]+\/providers\/Microsoft\.HealthcareApis\/locations\/usgovvirginia\/operationresults\//);
  });
});
