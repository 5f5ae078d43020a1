import { describe, expect, it } from "vitest";
import { fhirServiceNameFailure, normalizeLocation, workspaceNameFailure } from "./names.js";

describe("workspace name rule", () => {
  it.each(["abc", "ws1", "a".repeat(24), "0123"])("accepts %s", (n) => {
    expect(workspaceNameFailure(n)).toBeUndefined();
  });
  it.each(["ab", "a".repeat(25), "Ws1", "ws-1", "ws_1", "ws 1"])("rejects %s with InvalidWorkspaceName", (n) => {
    expect(workspaceNameFailure(n)?.code).toBe("InvalidWorkspaceName");
  });
});

describe("FHIR service name rule", () => {
  it.each(["abc", "fhir-1", "a".repeat(24), "a-b"])("accepts %s", (n) => {
    expect(fhirServiceNameFailure(n)).toBeUndefined();
  });
  it.each(["ab", "a".repeat(25), "-abc", "abc-", "Fhir1", "fhir_1"])("rejects %s with InvalidFhirServiceName", (n) => {
    expect(fhirServiceNameFailure(n)?.code).toBe("InvalidFhirServiceName");
  });
});

describe("location normalisation", () => {
  it("lower-cases and removes spaces", () => {
    expect(normalizeLocation("West US 2")).toBe("westus2");
    expect(normalizeLocation("westus2")).toBe("westus2");
  });
});
