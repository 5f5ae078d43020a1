import { describe, expect, it } from "vitest";
import { targetIds, targetWorkspaceName } from "./target-names.js";

describe("targetWorkspaceName", () => {
  it.each([
    ["fhir-patients", "fhirpatients"],
    ["FHIR_Prod-01", "fhirprod01"],
    ["abc", "abc"],
    ["a-b", "abws"],
    ["a", "aws"],
    ["--", "ws"],
    ["contoso-fhir-production-east-2", "contosofhirproductioneas"],
  ])("%s → %s", (account, ws) => {
    expect(targetWorkspaceName(account)).toBe(ws);
    expect(targetWorkspaceName(account).length).toBeLessThanOrEqual(24);
  });

  it("names the FHIR service fhir inside the workspace", () => {
    expect(targetIds("/subscriptions/s/resourceGroups/rg", "fhir-a")).toEqual({
      workspaceId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.HealthcareApis/workspaces/fhira",
      fhirServiceId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.HealthcareApis/workspaces/fhira/fhirservices/fhir",
    });
  });
});
