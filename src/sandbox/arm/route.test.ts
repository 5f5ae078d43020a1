import { describe, expect, it } from "vitest";
import { findRoute, matchPattern, type ArmRoute } from "./route.js";

describe("matchPattern", () => {
  it("matches literal segments case-insensitively and decodes {x} segments", () => {
    expect(matchPattern("/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}", "/subscriptions/s1/resourceGroups/rg%20one"))
      .toEqual({ subscriptionId: "s1", resourceGroupName: "rg one" });
  });

  it("accepts a trailing slash and refuses extra or missing segments", () => {
    expect(matchPattern("/subscriptions/{s}", "/subscriptions/abc/")).toEqual({ s: "abc" });
    expect(matchPattern("/subscriptions/{s}", "/subscriptions/abc/resourceGroups")).toBeUndefined();
    expect(matchPattern("/subscriptions/{s}", "/subscriptions")).toBeUndefined();
  });

  it("binds {scope*} to one or more segments, lazily, up to the literal tail", () => {
    const p = "/{scope*}/providers/Microsoft.Authorization/roleAssignments/{name}";
    const key = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv/keys/k1";
    expect(matchPattern(p, `${key}/providers/Microsoft.Authorization/roleAssignments/abc`)).toEqual({ scope: key, name: "abc" });
    expect(matchPattern(p, "/subscriptions/s/providers/microsoft.authorization/roleassignments/abc"))
      .toEqual({ scope: "/subscriptions/s", name: "abc" });
    expect(matchPattern(p, "/providers/Microsoft.Authorization/roleAssignments/abc")).toBeUndefined();
  });
});

describe("findRoute", () => {
  const route = (method: string, pattern: string): ArmRoute =>
    ({ method, pattern, resourceType: "T", action: "a", kind: "read", handle: () => ({ status: 200 }) });
  const routes = [route("GET", "/subscriptions/{s}"), route("PUT", "/subscriptions/{s}/resourcegroups/{rg}")];

  it("returns the first route whose method and pattern match", () => {
    expect(findRoute(routes, "get", "/subscriptions/x").match?.params).toEqual({ s: "x" });
  });

  it("tells a path served for another method (405) from an unknown path (404)", () => {
    expect(findRoute(routes, "DELETE", "/subscriptions/x")).toEqual({ pathMatched: true });
    expect(findRoute(routes, "GET", "/tenants")).toEqual({ pathMatched: false });
  });
});
