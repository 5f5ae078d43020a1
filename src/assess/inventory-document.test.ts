import { describe, expect, it } from "vitest";
import { assess } from "./assess.js";
import { inventoryDocument } from "./inventory-document.js";
import { NOW, SUB, TENANT, firstAccount, readySnapshot, theVault } from "../../test/fixtures/snapshot-builder.js";

describe("inventoryDocument (FINDINGS.md format 1)", () => {
  const s = readySnapshot();
  theVault(s).purgeProtection = false;
  firstAccount(s).kind = "fhir-Stu3";
  s.subscriptions.push({ subscriptionId: "sub-x", displayName: "Denied", tenantId: TENANT, error: "403 AuthorizationFailed" });
  s.errors = [{ scope: "/subscriptions/sub-x", message: "403 AuthorizationFailed" }];
  const doc = inventoryDocument(s, assess(s, { now: NOW }), "1.2.3");

  it("keeps the contract's key order at every level", () => {
    expect(Object.keys(doc)).toEqual(["formatVersion", "tool", "cloud", "generatedAt", "subscriptions", "accounts", "errors"]);
    expect(Object.keys(doc.subscriptions[0]!)).toEqual(["subscriptionId", "displayName", "tenantId", "error"]);
    const account = doc.accounts[0]!;
    expect(Object.keys(account)).toEqual(["id", "name", "subscriptionId", "resourceGroup", "location", "kind", "provisioningState", "cmk", "verdict", "findings"]);
    expect(Object.keys(account.cmk!)).toEqual(["keyUri", "vaultUri", "vaultName", "keyName", "vaultId", "vaultLocation", "vaultTenantId",
      "currentVersion", "keyType", "keySize", "enabled", "expiresOn", "recoveryLevel", "softDelete", "purgeProtection", "permissionModel",
      "networkDefaultAction", "networkBypass"]);
    expect(account.findings.map((f) => Object.keys(f))).toEqual([["code", "severity", "message", "fix"], ["code", "severity", "message"]]);
  });

  it("carries the tool, verdicts, subscription errors and errors through", () => {
    expect(doc).toMatchObject({ formatVersion: 1, tool: { name: "ahds-migrate", version: "1.2.3" }, cloud: "AzureCloud", generatedAt: NOW.toISOString() });
    expect(doc.accounts[0]).toMatchObject({ subscriptionId: SUB, kind: "fhir-Stu3", provisioningState: "Succeeded", verdict: "needs-action" });
    expect(doc.accounts[0]!.findings.map((f) => f.code)).toEqual(["vault-purge-protection-off", "kind-stu3"]);
    expect(doc.subscriptions[1]!.error).toBe("403 AuthorizationFailed");
    expect(doc.errors).toEqual([{ scope: "/subscriptions/sub-x", message: "403 AuthorizationFailed" }]);
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });
});
