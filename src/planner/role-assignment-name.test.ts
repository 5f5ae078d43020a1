import { describe, expect, it } from "vitest";
import { ROLE_ASSIGNMENT_NAMESPACE, roleAssignmentName, uuidV5 } from "./role-assignment-name.js";

const DNS_NAMESPACE = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
const SCOPE = "/subscriptions/33333333-3333-4333-8333-333333333333/resourceGroups/rg-fhir/providers/Microsoft.KeyVault/vaults/kv-fixture/keys/cmk";
const IDENTITY = "/subscriptions/33333333-3333-4333-8333-333333333333/resourceGroups/rg-fhir/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-fhirprod-fhir";
const ROLE = "e147488a-f6f5-4113-8e2d-b22465e65bf6";

describe("uuidV5", () => {
  it("matches known RFC 9562 v5 vectors (Python uuid.uuid5)", () => {
    expect(uuidV5(DNS_NAMESPACE, "python.org")).toBe("886313e1-3b8a-5372-9b90-0c9aee199e5d");
    expect(uuidV5(DNS_NAMESPACE, "www.example.com")).toBe("2ed6657d-e927-568b-95e1-2665a8aea6a2");
  });
  it("refuses a namespace that is not a UUID", () => {
    expect(() => uuidV5("nope", "x")).toThrow("not a UUID");
  });
});

describe("roleAssignmentName", () => {
  it("is the v5 UUID of scope|principal|role, lower-cased, in the tool's namespace", () => {
    // Computed independently with Python: uuid.uuid5(UUID(ns), "<scope lower>|<identity lower>|<role>").
    expect(roleAssignmentName(SCOPE, IDENTITY, ROLE)).toBe("3ffe7eb8-eeb8-5a25-88a3-312f40a2eb37");
    expect(ROLE_ASSIGNMENT_NAMESPACE).toBe("7c0f5a4e-3d0b-4c1e-9f6a-2b8d5e1a9c34");
  });
  it("ignores case and a trailing slash, and changes with each part", () => {
    const base = roleAssignmentName(SCOPE, IDENTITY, ROLE);
    expect(roleAssignmentName(`${SCOPE.toUpperCase()}/`, IDENTITY.toLowerCase(), ROLE.toUpperCase())).toBe(base);
    expect(roleAssignmentName(`${SCOPE}2`, IDENTITY, ROLE)).not.toBe(base);
    expect(roleAssignmentName(SCOPE, `${IDENTITY}2`, ROLE)).not.toBe(base);
    expect(roleAssignmentName(SCOPE, IDENTITY, "12338af0-0e69-4776-bea7-57ae8d297424")).not.toBe(base);
    expect(base).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
