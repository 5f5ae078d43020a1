import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SPECS_DIR, SPECS_SKIP_MESSAGE, specsAvailable, validateResponse } from "./spec-validator.js";
import type { ValidationResult } from "./spec-validator.js";

if (!specsAvailable) console.warn(SPECS_SKIP_MESSAGE);

const ARM = "management.azure.com";
const SUB = "33333333-3333-4333-8333-333333333333";
const RG = `/subscriptions/${SUB}/resourceGroups/rg-fhir`;

function example(rel: string): { parameters: Record<string, unknown>; responses: Record<string, { body?: unknown }> } {
  return JSON.parse(readFileSync(path.join(SPECS_DIR, "specification", rel), "utf8"));
}

function errorsOf(r: ValidationResult): string[] {
  if (r.skipped) throw new Error(`skipped: ${r.reason}`);
  return r.violations.flatMap((v) => v.errors);
}

const service = {
  id: `${RG}/providers/Microsoft.HealthcareApis/services/fhir-a`, name: "fhir-a", type: "Microsoft.HealthcareApis/services",
  kind: "fhir-R4", location: "westeurope", etag: "\"00000000\"",
  properties: { provisioningState: "Succeeded", accessPolicies: [], cosmosDbConfiguration: { offerThroughput: 1000 } },
};
const vault = {
  id: `${RG}/providers/Microsoft.KeyVault/vaults/kv`, name: "kv", type: "Microsoft.KeyVault/vaults", location: "westeurope",
  properties: { tenantId: "11111111-1111-4111-8111-111111111111", sku: { family: "A", name: "standard" }, vaultUri: "https://kv.vault.azure.net/" },
};

describe.skipIf(!specsAvailable)("spec validator", () => {
  it("tolerates only the documented spec gaps: ARM's common error body, `error` on a failed async operation", () => {
    const sub = validateResponse({ method: "GET", host: ARM, path: `/subscriptions/${SUB}`, status: 401,
      body: { error: { code: "InvalidAuthenticationToken", message: "The access token is invalid." } } });
    expect(sub).toMatchObject({ skipped: false, violations: [], tolerated: "arm-common-error" });
    expect(errorsOf(validateResponse({ method: "GET", host: ARM, path: `/subscriptions/${SUB}`, status: 401, body: { error: "nope" } })))
      .not.toEqual([]);
    const op = `/subscriptions/${SUB}/providers/Microsoft.HealthcareApis/locations/westeurope/operationresults/abc`;
    const failed = { id: op, name: "abc", status: "Failed", startTime: "2026-01-01T00:00:00Z", error: { code: "KeyVaultAccessForbidden", message: "m" } };
    expect(validateResponse({ method: "GET", host: ARM, path: op, status: 200, body: failed }))
      .toMatchObject({ violations: [], tolerated: "async-operation-error" });
    expect(errorsOf(validateResponse({ method: "GET", host: ARM, path: op, status: 200, body: { ...failed, error: { code: 1 } } })))
      .not.toEqual([]);
    expect(errorsOf(validateResponse({ method: "GET", host: ARM, path: op, status: 200, body: { ...failed, extra: 1 } })))
      .not.toEqual([]);
  });

  it("accepts Azure's own examples (services, FHIR service, workspace, identity, role assignment, key)", () => {
    const cases: [string, string, string, string, number][] = [
      ["healthcareapis/resource-manager/Microsoft.HealthcareApis/stable/2024-03-31/examples/legacy/ServiceGet.json", ARM, "GET",
        `${RG}/providers/Microsoft.HealthcareApis/services/service1`, 200],
      ["healthcareapis/resource-manager/Microsoft.HealthcareApis/stable/2024-03-31/examples/legacy/ServiceList.json", ARM, "GET",
        `/subscriptions/${SUB}/providers/Microsoft.HealthcareApis/services`, 200],
      ["healthcareapis/resource-manager/Microsoft.HealthcareApis/stable/2024-03-31/examples/fhirservices/FhirServices_Get.json", ARM, "GET",
        `${RG}/providers/Microsoft.HealthcareApis/workspaces/ws/fhirservices/fhir`, 200],
      ["healthcareapis/resource-manager/Microsoft.HealthcareApis/stable/2024-03-31/examples/workspaces/Workspaces_Get.json", ARM, "GET",
        `${RG}/providers/Microsoft.HealthcareApis/workspaces/ws`, 200],
      ["healthcareapis/resource-manager/Microsoft.HealthcareApis/stable/2024-03-31/examples/OperationResultsGet.json", ARM, "GET",
        `/subscriptions/${SUB}/providers/Microsoft.HealthcareApis/locations/westus/operationresults/abc`, 200],
      ["msi/resource-manager/Microsoft.ManagedIdentity/stable/2024-11-30/examples/IdentityGet.json", ARM, "GET",
        `${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1`, 200],
      ["keyvault/Security.KeyVault.Keys/examples/2025-07-01/GetKey-example.json", "kv.vault.azure.net", "GET", "/keys/cmk/", 200],
      ["keyvault/Security.KeyVault.Keys/examples/2025-07-01/GetKeyVersions-example.json", "kv.vault.azure.net", "GET", "/keys/cmk/versions", 200],
      ["keyvault/Security.KeyVault.Keys/examples/2025-06-01/GetKeys-example.json", "kv.vault.azure.net", "GET", "/keys", 200],
    ];
    for (const [file, host, method, p, status] of cases) {
      const body = example(file).responses[String(status)]!.body;
      expect(errorsOf(validateResponse({ method, host, path: p, status, body })), file).toEqual([]);
    }
  });

  it("finds operations by template: scopes spanning segments, case-insensitive literals, the key trailing slash", () => {
    const ra = (p: string) => validateResponse({ method: "GET", host: ARM, path: p, status: 200, body: { value: [] } });
    const at = (p: string) => { const r = ra(p); return r.skipped ? "skipped" : r.operationId; };
    expect(at(`/subscriptions/${SUB}/providers/Microsoft.Authorization/roleAssignments`)).toBe("RoleAssignments_ListForSubscription");
    expect(at(`${RG}/providers/Microsoft.KeyVault/vaults/kv/keys/k/providers/Microsoft.Authorization/roleAssignments`))
      .toMatch(/^RoleAssignments_ListFor(Resource|Scope)$/);
    expect(at(`/SUBSCRIPTIONS/${SUB}/PROVIDERS/microsoft.healthcareapis/SERVICES`)).toBe("Services_List");
    const key = (p: string) => { const r = validateResponse({ method: "GET", host: "kv.vault.azure.net", path: p, status: 404, body: { error: { code: "KeyNotFound", message: "x" } } }); return r.skipped ? "skipped" : r.operationId; };
    expect(key("/keys/cmk")).toBe("GetKey");
    expect(key("/keys/cmk/")).toBe("GetKey");
    expect(key("/keys/cmk/0123456789abcdef0123456789abcdef")).toBe("GetKey");
    expect(validateResponse({ method: "POST", host: "login.microsoftonline.com", path: "/t/oauth2/v2.0/token", status: 200, body: {} }).skipped).toBe(true);
    expect(validateResponse({ method: "GET", host: ARM, path: `/subscriptions/${SUB}/providers/Microsoft.Storage/storageAccounts`, status: 200, body: {} }).skipped).toBe(true);
  });

  it("accepts a well-formed service and vault", () => {
    expect(errorsOf(validateResponse({ method: "GET", host: ARM, path: service.id, status: 200, body: service }))).toEqual([]);
    expect(errorsOf(validateResponse({ method: "GET", host: ARM, path: vault.id, status: 200, body: vault }))).toEqual([]);
  });

  it("rejects wrong bodies: a wrong kind, a vault without properties, an unknown property, a missing body, an unknown status", () => {
    const fhir = `${RG}/providers/Microsoft.HealthcareApis/workspaces/ws/fhirservices/fhir`;
    expect(errorsOf(validateResponse({ method: "GET", host: ARM, path: fhir, status: 200, body: { id: fhir, kind: 42 } })).join("\n"))
      .toMatch(/\/kind/);
    expect(errorsOf(validateResponse({ method: "GET", host: ARM, path: service.id, status: 200, body: { ...service, kind: "fhir-R5" } })).join("\n"))
      .toMatch(/\/kind: must be equal to one of the allowed values/);
    const noProps = { ...vault } as Record<string, unknown>;
    delete noProps.properties;
    expect(errorsOf(validateResponse({ method: "GET", host: ARM, path: vault.id, status: 200, body: noProps })).join("\n"))
      .toMatch(/must have required property 'properties'/);
    expect(errorsOf(validateResponse({ method: "GET", host: ARM, path: vault.id, status: 200,
      body: { ...vault, properties: { ...vault.properties, frobnicate: true } } })).join("\n")).toMatch(/\/properties: .*'frobnicate'/);
    expect(errorsOf(validateResponse({ method: "GET", host: ARM, path: vault.id, status: 200, body: undefined })).join("\n"))
      .toMatch(/body is empty/);
    expect(errorsOf(validateResponse({ method: "GET", host: "kv.vault.azure.net", path: "/keys/cmk/", status: 403,
      body: { error: { code: "Forbidden", message: "x", innererror: { code: "KeyDisabled" } } } }))).toEqual([]);
    expect(errorsOf(validateResponse({ method: "GET", host: "kv.vault.azure.net", path: "/keys/cmk/", status: 403,
      body: { code: "Forbidden" } })).length).toBeGreaterThan(0);
    expect(errorsOf(validateResponse({ method: "GET", host: ARM, path: `/subscriptions/${SUB}`, status: 200,
      body: { subscriptionId: SUB, state: "Sleeping" } })).join("\n")).toMatch(/\/state/);
  });
});
