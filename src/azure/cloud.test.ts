import { describe, expect, it } from "vitest";
import { CLOUDS } from "./cloud.js";

describe("CLOUDS (azure-facts §6): every endpoint switches with the cloud", () => {
  it("Azure public", () => expect(CLOUDS.AzureCloud).toMatchObject({ arm: "https://management.azure.com",
    armScope: "https://management.azure.com/.default", authorityHost: "https://login.microsoftonline.com",
    keyVaultSuffix: ".vault.azure.net", graph: "https://graph.microsoft.com", fhirSuffix: ".fhir.azurehealthcareapis.com" }));
  it("Azure US Government", () => expect(CLOUDS.AzureUSGovernment).toMatchObject({ arm: "https://management.usgovcloudapi.net",
    armScope: "https://management.usgovcloudapi.net/.default", authorityHost: "https://login.microsoftonline.us",
    keyVaultSuffix: ".vault.usgovcloudapi.net", graph: "https://graph.microsoft.us", fhirSuffix: ".fhir.azurehealthcareapis.us" }));
  it("no endpoint ends with a slash (a trailing slash makes the scope https://host//.default)", () => {
    for (const c of Object.values(CLOUDS)) for (const v of [c.arm, c.authorityHost, c.graph]) expect(v.endsWith("/")).toBe(false);
  });
});
