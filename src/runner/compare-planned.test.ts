import { describe, expect, it } from "vitest";
import { describeDifference, firstDifference } from "./compare-planned.js";

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
});
