import { describe, expect, it } from "vitest";
import { BugError } from "../domain/errors.js";
import { resolveRefs } from "./resolve-refs.js";

describe("resolveRefs", () => {
  const outputs = (id: string) => (id === "a/ensure-identity" ? { principalId: "p-1" } : undefined);

  it("replaces references anywhere in the body and leaves the rest as is", () => {
    const body = { properties: { accessPolicies: [{ tenantId: "t", objectId: { $fromStep: "a/ensure-identity", output: "principalId" } }] } };
    expect(resolveRefs(body, outputs)).toEqual({ properties: { accessPolicies: [{ tenantId: "t", objectId: "p-1" }] } });
    expect(body.properties.accessPolicies[0]!.objectId).toEqual({ $fromStep: "a/ensure-identity", output: "principalId" });
  });

  it("throws a BugError for an output no step journaled", () => {
    expect(() => resolveRefs({ x: { $fromStep: "a/ensure-identity", output: "clientId" } }, outputs)).toThrow(BugError);
    expect(() => resolveRefs({ x: { $fromStep: "b/ensure-identity", output: "principalId" } }, outputs)).toThrow(/b\/ensure-identity/);
  });
});
