import { describe, expect, it } from "vitest";
import { EstateError, parseEstate } from "./estate.js";
import { DEFAULT_BEHAVIOUR } from "./estate-types.js";
import type { Estate } from "./estate-types.js";
import {
  addAccount, addForeignTenant, addKey, addRoleAssignment, baseEstate, CALLER_OBJECT_ID, vaultId,
} from "../../test/fixtures/estate-builders.js";

/** The path of the EstateError that `json` is refused with (fails the test when it is accepted). */
function refusedAt(json: unknown): string {
  try {
    parseEstate(json);
  } catch (e) {
    expect(e).toBeInstanceOf(EstateError);
    expect((e as EstateError).name).toBe("EstateError");
    expect((e as Error).message.startsWith(`${(e as EstateError).jsonPath}: `)).toBe(true);
    return (e as EstateError).jsonPath;
  }
  throw new Error("estate was accepted");
}

function mutated(change: (e: Estate & Record<string, unknown>) => void): unknown {
  const e = baseEstate();
  addAccount(e, { name: "fhir-a" });
  change(e as Estate & Record<string, unknown>);
  return e;
}

describe("parseEstate", () => {
  it("accepts the base fixture and returns a deep copy", () => {
    const input = baseEstate();
    addAccount(input, { name: "fhir-a" });
    const { estate, warnings } = parseEstate(input);
    expect(warnings).toEqual([]);
    expect(estate).toEqual(input);
    expect(estate).not.toBe(input);
    estate.resources[0]!.name = "changed";
    expect(input.resources[0]!.name).not.toBe("changed");
  });

  it("fills behaviour defaults and cloud", () => {
    const input = baseEstate() as unknown as Record<string, unknown>;
    delete input.behaviour;
    delete input.cloud;
    const { estate } = parseEstate(input);
    expect(estate.behaviour).toEqual(DEFAULT_BEHAVIOUR);
    expect(estate.cloud).toBe("AzureCloud");
    const partial = { ...baseEstate(), behaviour: { pageSize: 2, throttle: { reads: [5, 1] } } };
    const b = parseEstate(partial).estate.behaviour;
    expect(b.pageSize).toBe(2);
    expect(b.throttle).toEqual({ reads: [5, 1], writes: [200, 10], deletes: [200, 10] });
    expect(b.latencyMs).toBe(0);
  });

  it("warns about unknown keys instead of refusing them", () => {
    const input = { ...baseEstate(), extra: 1, behaviour: { foo: true } };
    const { warnings } = parseEstate(input);
    expect(warnings).toEqual(["$.extra: unknown key, ignored", "$.behaviour.foo: unknown key, ignored"]);
  });

  it("keeps the sandbox section of a state file", () => {
    const input = { ...baseEstate(), sandbox: { savedAt: "2026-01-01T00:00:00.000Z", operations: [], faultHits: [], faultMatches: [] } };
    const { estate } = parseEstate(input);
    expect((estate as unknown as { sandbox: unknown }).sandbox).toEqual(input.sandbox);
  });

  it.each<[string, (e: Estate & Record<string, unknown>) => void, string]>([
    ["not an object", (e) => { (e as Record<string, unknown>).tenants = "x"; }, "$.tenants"],
    ["formatVersion", (e) => { (e as Record<string, unknown>).formatVersion = 2; }, "$.formatVersion"],
    ["cloud", (e) => { (e as Record<string, unknown>).cloud = "AzureChinaCloud"; }, "$.cloud"],
    ["tenant GUID", (e) => { e.tenants[0]!.tenantId = "contoso"; }, "$.tenants[0].tenantId"],
    ["principal type", (e) => { (e.principals[0] as unknown as Record<string, unknown>).type = "Robot"; }, "$.principals[0].type"],
    ["principal appId", (e) => { e.principals[0]!.appId = "app"; }, "$.principals[0].appId"],
    ["caller unknown app", (e) => { e.caller.clientId = "99999999-9999-4999-8999-999999999999"; }, "$.caller.clientId"],
    ["caller wrong secret", (e) => { e.caller.clientSecret = "other"; }, "$.caller.clientSecret"],
    ["subscription tenant", (e) => { e.subscriptions[0]!.tenantId = "99999999-9999-4999-8999-999999999999"; }, "$.subscriptions[0].tenantId"],
    ["resource group id", (e) => { e.resourceGroups[0]!.id = "/subscriptions/x/rg"; }, "$.resourceGroups[0].id"],
    ["resource group subscription", (e) => {
      e.resourceGroups[0]!.id = "/subscriptions/99999999-9999-4999-8999-999999999999/resourceGroups/rg";
    }, "$.resourceGroups[0].id"],
    ["resource without type", (e) => { delete (e.resources[2] as Record<string, unknown>).type; }, "$.resources[2].type"],
    ["resource name", (e) => { e.resources[1]!.name = "other"; }, "$.resources[1].name"],
    ["resource undeclared group", (e) => { e.resources[3]!.id = e.resources[3]!.id.replace("rg-fhir", "rg-none"); }, "$.resources[3].id"],
    ["vault tenant", (e) => { e.resources[1]!.properties!.tenantId = "nope"; }, "$.resources[1].properties.tenantId"],
    ["vault uri", (e) => { delete e.resources[1]!.properties!.vaultUri; }, "$.resources[1].properties.vaultUri"],
    ["service kind", (e) => { delete e.resources[3]!.kind; }, "$.resources[3].kind"],
    ["service location", (e) => { delete e.resources[3]!.location; }, "$.resources[3].location"],
    ["key vault", (e) => { e.keys[0]!.vaultName = "kv-none"; }, "$.keys[0].vaultName"],
    ["key version", (e) => { e.keys[0]!.versions[0]!.version = "ABC"; }, "$.keys[0].versions[0].version"],
    ["kty", (e) => { (e.keys[0]!.versions[0] as unknown as Record<string, unknown>).kty = "DSA"; }, "$.keys[0].versions[0].kty"],
    ["RSA size", (e) => { e.keys[0]!.versions[0]!.keySize = 3073; }, "$.keys[0].versions[0].keySize"],
    ["exp type", (e) => { (e.keys[0]!.versions[0] as unknown as Record<string, unknown>).exp = "soon"; }, "$.keys[0].versions[0].exp"],
    ["created", (e) => { delete (e.keys[0]!.versions[0] as unknown as Record<string, unknown>).created; }, "$.keys[0].versions[0].created"],
    ["throttle pair", (e) => { (e.behaviour.throttle as unknown as Record<string, unknown>).writes = [0, 1]; }, "$.behaviour.throttle.writes[0]"],
    ["pageSize", (e) => { e.behaviour.pageSize = 0; }, "$.behaviour.pageSize"],
    ["latency", (e) => { e.behaviour.latencyMs = -1; }, "$.behaviour.latencyMs"],
    ["fault status", (e) => { e.behaviour.faults = [{ match: {}, status: 700 }]; }, "$.behaviour.faults[0].status"],
    ["fault rate", (e) => { e.behaviour.faults = [{ match: {}, status: 503, rate: 2 }]; }, "$.behaviour.faults[0].rate"],
    ["fault nth", (e) => { e.behaviour.faults = [{ match: {}, status: 503, nth: 0 }]; }, "$.behaviour.faults[0].nth"],
    ["fault drop", (e) => { e.behaviour.faults = [{ match: {}, drop: "yes" as unknown as boolean }]; }, "$.behaviour.faults[0].drop"],
    ["fault match", (e) => { e.behaviour.faults = [{ status: 503 } as never]; }, "$.behaviour.faults[0].match"],
  ])("refuses an invalid %s with its JSON path", (_what, change, path) => {
    expect(refusedAt(mutated(change))).toBe(path);
  });

  it.each([[256, undefined, "P-256"], [384, undefined, "P-384"], [521, undefined, "P-521"], [384, "P-384", "P-384"], [256, "P-256K", "P-256K"]] as const)(
    "accepts keySize %i on an EC key (crv %s) as the curve %s, as DESIGN.md's estate format writes it", (keySize, crv, curve) => {
      const e = baseEstate();
      addKey(e, { name: "ec", versions: [{ kty: "EC", keySize, ...(crv ? { crv } : {}), exp: null, nbf: null }] });
      const { estate, warnings } = parseEstate(JSON.parse(JSON.stringify(e)));
      expect(warnings).toEqual([]);
      expect(estate.keys.find((k) => k.name === "ec")!.versions[0]!.crv).toBe(curve);
    });

  it.each([[300, undefined, "keySize"], [2048, undefined, "keySize"], [384, "P-256", "crv"]] as const)(
    "refuses keySize %i (crv %s) on an EC key with the JSON path of its %s", (keySize, crv, field) => {
      const e = baseEstate();
      addKey(e, { name: "ec", versions: [{ kty: "EC", keySize, ...(crv ? { crv } : {}), exp: null, nbf: null }] });
      const at = e.keys.findIndex((k) => k.name === "ec");
      expect(refusedAt(e)).toBe(`$.keys[${at}].versions[0].${field}`);
    });

  it("accepts subscriptions[].providerLocations and refuses a type or list it cannot use", () => {
    const ok = mutated((x) => { x.subscriptions[0]!.providerLocations = { "Microsoft.HealthcareApis/workspaces/fhirservices": ["East US"] }; });
    expect(parseEstate(ok).estate.subscriptions[0]!.providerLocations).toEqual({ "Microsoft.HealthcareApis/workspaces/fhirservices": ["East US"] });
    expect(refusedAt(mutated((x) => { x.subscriptions[0]!.providerLocations = { fhirservices: ["East US"] }; })))
      .toBe('$.subscriptions[0].providerLocations["fhirservices"]');
    expect(refusedAt(mutated((x) => { x.subscriptions[0]!.providerLocations = { "Microsoft.HealthcareApis/workspaces": "East US" } as never; })))
      .toBe('$.subscriptions[0].providerLocations["Microsoft.HealthcareApis/workspaces"]');
    expect(refusedAt(mutated((x) => { x.subscriptions[0]!.providerLocations = { "Microsoft.HealthcareApis/workspaces": [""] }; })))
      .toBe('$.subscriptions[0].providerLocations["Microsoft.HealthcareApis/workspaces"]');
  });

  it("refuses a vault whose host name belongs to another cloud", () => {
    const gov = { ...baseEstate(), cloud: "AzureUSGovernment" };
    expect(refusedAt(gov)).toBe("$.resources[1].properties.vaultUri");
    expect(parseEstate(baseEstate({ cloud: "AzureUSGovernment" })).estate.cloud).toBe("AzureUSGovernment");
  });

  it("names the first problem when there are several", () => {
    const e = mutated((x) => { x.keys[0]!.versions[0]!.version = "bad"; x.resources[1]!.properties!.tenantId = "bad"; });
    expect(refusedAt(e)).toBe("$.resources[1].properties.tenantId");
  });

  it("accepts keys at key scope, foreign tenants and faults of every form", () => {
    const e = baseEstate();
    const sub = addForeignTenant(e);
    expect(sub).toMatch(/^[0-9a-f-]{36}$/);
    addKey(e, { name: "ec", versions: [{ kty: "EC", keySize: undefined, crv: "P-256", exp: 1, nbf: null }] });
    addRoleAssignment(e, { scope: `${vaultId()}/keys/cmk`, role: "e147488a-f6f5-4113-8e2d-b22465e65bf6", principalId: CALLER_OBJECT_ID });
    e.behaviour.faults = [
      { match: { method: "GET", pathRegex: "/keys/" }, status: 503, rate: 0.5, count: 2 },
      { match: {}, drop: true, nth: 3 },
      { match: { host: "management.azure.com" }, provisioningState: "Creating" },
    ];
    const { estate, warnings } = parseEstate(JSON.parse(JSON.stringify(e)));
    expect(warnings).toEqual([]);
    expect(estate.behaviour.faults).toHaveLength(3);
  });
});
