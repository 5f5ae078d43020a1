import { describe, expect, it } from "vitest";
import { describeDifference, differences, firstDifference } from "./compare-planned.js";

const MI = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-a";

describe("firstDifference", () => {
  it("ignores fields Azure adds and compares only what the plan sets", () => {
    const planned = { location: "westeurope", identity: { type: "UserAssigned", userAssignedIdentities: { [MI]: {} } }, properties: {} };
    const actual = {
      location: "West Europe", id: "x", systemData: {},
      identity: { type: "UserAssigned", userAssignedIdentities: { [MI.toLowerCase()]: { principalId: "p", clientId: "c" } } },
      properties: { provisioningState: "Succeeded", eventState: "Disabled" },
    };
    expect(firstDifference(planned, actual)).toBeUndefined();
  });

  it("names the first differing planned field", () => {
    const d = firstDifference({ properties: { encryption: { customerManagedKeyEncryption: { keyEncryptionKeyUrl: "a" } } } },
      { properties: { encryption: { customerManagedKeyEncryption: { keyEncryptionKeyUrl: "b" } } } });
    expect(d?.field).toBe("properties.encryption.customerManagedKeyEncryption.keyEncryptionKeyUrl");
    expect(describeDifference(d!)).toBe('properties.encryption.customerManagedKeyEncryption.keyEncryptionKeyUrl is "b" in Azure, the plan sets "a"');
  });

  it("reports a missing planned field and arrays that differ", () => {
    expect(firstDifference({ tags: { a: "1" } }, { tags: {} })?.field).toBe("tags.a");
    expect(firstDifference({ p: { origins: ["x"] } }, { p: { origins: ["x", "y"] } })?.field).toBe("p.origins");
    expect(firstDifference({ p: { origins: ["x"] } }, { p: { origins: ["x"] } })).toBeUndefined();
  });

  it("compares ARM ids case-insensitively and other strings exactly", () => {
    expect(firstDifference({ r: "/subscriptions/S/x" }, { r: "/subscriptions/s/X" })).toBeUndefined();
    expect(firstDifference({ kind: "fhir-R4" }, { kind: "fhir-r4" })?.field).toBe("kind");
  });

  it("compares lists as multisets, as Azure does: reordered CORS origins (any case) are as planned", () => {
    const planned = { properties: { corsConfiguration: { origins: ["https://a.example", "https://b.example"], methods: ["GET", "POST"], allowCredentials: false } } };
    const reordered = { properties: { corsConfiguration: { origins: ["https://B.example", "https://a.example"], methods: ["post", "GET"], allowCredentials: false } } };
    expect(firstDifference(planned, reordered)).toBeUndefined();
    expect(differences(planned, reordered)).toEqual([]);
    // A multiset: a duplicate does not stand in for a missing element.
    expect(firstDifference({ o: ["a", "b"] }, { o: ["a", "a"] })?.field).toBe("o");
    // Objects in lists (ACR OCI artifacts) match in any order, field by field.
    expect(firstDifference({ oci: [{ loginServer: "x.azurecr.io", imageName: "i" }, { loginServer: "y.azurecr.io" }] },
      { oci: [{ loginServer: "y.azurecr.io", digest: "d" }, { loginServer: "x.azurecr.io", imageName: "i" }] })).toBeUndefined();
    expect(firstDifference({ oci: [{ imageName: "i" }] }, { oci: [{ imageName: "j" }] })?.field).toBe("oci");
  });

  it("compares key URLs and GUIDs case-insensitively, skips unresolved $fromStep references, lists every difference", () => {
    expect(firstDifference({ u: "https://KV.vault.azure.net/keys/K/ABC" }, { u: "https://kv.vault.azure.net/keys/k/abc" })).toBeUndefined();
    expect(firstDifference({ p: "8E3AF657-A8FF-443C-A75C-2FE8C4BCB635" }, { p: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635" })).toBeUndefined();
    expect(firstDifference({ p: { $fromStep: "a/id", output: "principalId" } } as never, { p: "x" })).toBeUndefined();
    expect(differences({ a: 1, b: { c: "x" }, d: "y" }, { a: 2, b: { c: "x" } }).map((d) => d.field)).toEqual(["a", "d"]);
  });
});
