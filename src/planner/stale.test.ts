// staleFacts: one line per changed fingerprinted fact, naming it; [] for an identical fingerprint.
import { describe, expect, it } from "vitest";
import type { PlanFingerprint } from "../domain/plan.js";
import { assertFresh, staleFacts, stalePlanError, type CurrentFingerprint } from "./stale.js";
import { exitCodeFor } from "../cli/error-handler.js";

const SUB = "/subscriptions/33333333-3333-4333-8333-333333333333/resourceGroups/rg";
const H = (c: string) => c.repeat(64);
const planned = (): PlanFingerprint => ({
  accounts: [{ id: `${SUB}/providers/Microsoft.HealthcareApis/services/fhir-a`, etag: "\"01\"", propertiesSha256: H("a") }],
  keys: [{ vaultName: "contoso-kv", keyName: "fhir-cmk", version: "4c2d5e6f7a8b", currentVersion: "4c2d5e6f7a8b", attributesSha256: H("b") }],
  vaults: [{ id: `${SUB}/providers/Microsoft.KeyVault/vaults/contoso-kv`, location: "westeurope", softDelete: true, purgeProtection: true,
    permissionModel: "rbac", networkAclsSha256: H("c") }],
});

describe("staleFacts", () => {
  it("finds nothing in an identical fingerprint (ids and versions compare without case)", () => {
    const c = planned() as CurrentFingerprint;
    c.accounts[0]!.id = c.accounts[0]!.id.toUpperCase();
    c.keys[0]!.vaultName = "Contoso-KV";
    expect(staleFacts(planned(), c)).toEqual([]);
    expect(() => assertFresh("x.plan.json", planned(), c)).not.toThrow();
  });

  it.each<[string, (c: CurrentFingerprint) => void, string[]]>([
    ["account etag", (c) => { c.accounts[0]!.etag = "\"02\""; }, ["account fhir-a changed since planning (etag \"02\", planned \"01\")"]],
    ["account etag and properties", (c) => { c.accounts[0]!.etag = null; c.accounts[0]!.propertiesSha256 = H("d"); },
      ["account fhir-a changed since planning (etag none, planned \"01\"; its properties differ)"]],
    ["account gone", (c) => { c.accounts = []; c.unreadable = [{ kind: "account", ref: planned().accounts[0]!.id, message: "not-found: gone" }]; },
      ["account fhir-a can no longer be read: not-found: gone"]],
    ["new current key version", (c) => { c.keys[0]!.currentVersion = "9b1e1c2d3e4f5a6b"; },
      ["key fhir-cmk in contoso-kv has a new current version 9b1e1c2d… (planned 4c2d5e6f…)"]],
    ["pinned version disabled", (c) => {
      c.keys[0]!.attributesSha256 = H("e");
      c.keyAttributes = [{ vaultName: "contoso-kv", keyName: "fhir-cmk", version: "4c2d5e6f7a8b", enabled: false, expiresOn: null, notBefore: null, recoveryLevel: "Recoverable" }];
    }, ["key fhir-cmk in contoso-kv: version 4c2d5e6f… changed since planning (now disabled, no expiry, recovery level Recoverable)"]],
    ["pinned version expiry set (no notes)", (c) => { c.keys[0]!.attributesSha256 = H("e"); },
      ["key fhir-cmk in contoso-kv: version 4c2d5e6f… changed since planning"]],
    ["key unreadable", (c) => { c.keys = []; c.unreadable = [{ kind: "key", ref: "contoso-kv/fhir-cmk/4c2d5e6f7a8b", message: "forbidden: no access" }]; },
      ["key fhir-cmk in contoso-kv can no longer be read: forbidden: no access"]],
    ["vault location", (c) => { c.vaults[0]!.location = "northeurope"; }, ["vault contoso-kv is now in northeurope (planned westeurope)"]],
    ["vault soft delete", (c) => { c.vaults[0]!.softDelete = false; }, ["vault contoso-kv has soft delete off (planned on)"]],
    ["vault purge protection", (c) => { c.vaults[0]!.purgeProtection = false; }, ["vault contoso-kv has purge protection off (planned on)"]],
    ["vault permission model", (c) => { c.vaults[0]!.permissionModel = "accessPolicy"; }, ["vault contoso-kv now uses access policies (planned Azure RBAC)"]],
    ["vault network ACLs", (c) => {
      c.vaults[0]!.networkAclsSha256 = H("f");
      c.vaultNetwork = [{ id: c.vaults[0]!.id, defaultAction: "Deny", bypass: "None" }];
    }, ["vault contoso-kv network ACLs changed since planning (now default action Deny, bypass None)"]],
    ["vault unreadable without a note", (c) => { c.vaults = []; }, ["vault contoso-kv can no longer be read: not found"]],
  ])("names %s", (_name, change, expected) => {
    const c: CurrentFingerprint = planned();
    change(c);
    expect(staleFacts(planned(), c)).toEqual(expected);
  });

  it("lists every changed fact, accounts then vaults then keys", () => {
    const c: CurrentFingerprint = planned();
    c.keys[0]!.currentVersion = "9b1e1c2d3e4f";
    c.vaults[0]!.purgeProtection = false;
    c.accounts[0]!.propertiesSha256 = H("0");
    expect(staleFacts(planned(), c)).toEqual([
      "account fhir-a changed since planning (its properties differ)",
      "vault contoso-kv has purge protection off (planned on)",
      "key fhir-cmk in contoso-kv has a new current version 9b1e1c2d… (planned 4c2d5e6f…)",
    ]);
  });
});

describe("stalePlanError", () => {
  it("says the first fact and the next step on one line, and lists every fact (exit 3)", () => {
    const one = stalePlanError("x.plan.json", ["key fhir-cmk in contoso-kv has a new current version 9b1e1c2d… (planned 4c2d5e6f…)"]);
    expect(one.message).toBe("x.plan.json is stale: key fhir-cmk in contoso-kv has a new current version 9b1e1c2d… (planned 4c2d5e6f…); run `ahds-migrate plan` again.");
    expect(one.nextSteps).toEqual([]);
    expect(exitCodeFor(one)).toBe(3);
    const two = stalePlanError("x.plan.json", ["a", "b"]);
    expect(two.message).toBe("x.plan.json is stale: a (and 1 more); run `ahds-migrate plan` again.");
    expect(two.nextSteps).toEqual(["Changed since planning:", "- a", "- b"]);
  });
});
