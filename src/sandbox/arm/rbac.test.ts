import { describe, expect, it } from "vitest";
import { SandboxState } from "../state.js";
import { DEFAULT_BEHAVIOUR, type Estate } from "../estate-types.js";
import { actionMatches, hasAction, hasDataAction, permissionsAt, scopeCovers } from "./rbac.js";

const SUB = "/subscriptions/00000000-0000-4000-8000-000000000001";
const RG = `${SUB}/resourceGroups/rg`;
const VAULT = `${RG}/providers/Microsoft.KeyVault/vaults/kv`;
const KEY = `${VAULT}/keys/k1`;

function assignment(name: string, scope: string, roleGuid: string, principalId: string) {
  return {
    id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`, name, type: "Microsoft.Authorization/roleAssignments",
    properties: { scope, roleDefinitionId: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`, principalId },
  };
}

function state(): SandboxState {
  const estate: Estate = {
    formatVersion: 1, cloud: "AzureCloud", tenants: [], principals: [], caller: { tenantId: "t", clientId: "c", clientSecret: "s" },
    subscriptions: [], resourceGroups: [{ id: RG, location: "westeurope" }], keys: [], behaviour: structuredClone(DEFAULT_BEHAVIOUR),
    resources: [
      assignment("a1", SUB, "acdd72a7-3385-48ef-bd42-f606fba81ae7", "reader"),
      assignment("a2", RG, "b24988ac-6180-42a0-ab88-20f7382dd24c", "contributor"),
      assignment("a3", KEY, "e147488a-f6f5-4113-8e2d-b22465e65bf6", "keyuser"),
      assignment("a4", VAULT, "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", "uaa"),
    ],
  };
  return new SandboxState(estate);
}

describe("actionMatches", () => {
  it("matches Azure wildcards case-insensitively", () => {
    expect(actionMatches("*", "Microsoft.KeyVault/vaults/write")).toBe(true);
    expect(actionMatches("*/read", "Microsoft.KeyVault/vaults/read")).toBe(true);
    expect(actionMatches("*/read", "Microsoft.KeyVault/vaults/write")).toBe(false);
    expect(actionMatches("Microsoft.Authorization/*", "microsoft.authorization/roleAssignments/write")).toBe(true);
    expect(actionMatches("Microsoft.Authorization/*/Write", "Microsoft.Authorization/roleAssignments/write")).toBe(true);
    expect(actionMatches("Microsoft.Authorization/*/Write", "Microsoft.Authorization/roleAssignments/read")).toBe(false);
    expect(actionMatches("Microsoft.KeyVault/vaults/*/read", "Microsoft.KeyVault/vaults/keys/read")).toBe(true);
    expect(actionMatches("Microsoft.KeyVault/vaults/keys/read", "Microsoft.KeyVault/vaults/keysXread")).toBe(false);
  });
});

describe("scopeCovers", () => {
  it("covers itself and descendants segment-wise, not siblings with a common prefix", () => {
    expect(scopeCovers(SUB, KEY)).toBe(true);
    expect(scopeCovers(RG.toUpperCase(), VAULT)).toBe(true);
    expect(scopeCovers(`${SUB}/resourceGroups/r`, RG)).toBe(false);
    expect(scopeCovers(KEY, VAULT)).toBe(false);
    expect(scopeCovers("/", KEY)).toBe(true);
  });
});

describe("hasAction / permissionsAt inheritance", () => {
  const s = state();

  it("a subscription Reader reads everything below but writes nothing", () => {
    expect(hasAction(s, "reader", KEY, "Microsoft.KeyVault/vaults/keys/read")).toBe(true);
    expect(hasAction(s, "reader", RG, "Microsoft.Resources/subscriptions/resourceGroups/write")).toBe(false);
  });

  it("a group Contributor writes in the group except authorization, and nothing above it", () => {
    expect(hasAction(s, "contributor", VAULT, "Microsoft.KeyVault/vaults/accessPolicies/write")).toBe(true);
    expect(hasAction(s, "contributor", VAULT, "Microsoft.Authorization/roleAssignments/write")).toBe(false);
    expect(hasAction(s, "contributor", SUB, "Microsoft.Resources/subscriptions/read")).toBe(false);
  });

  it("a role at a key applies at the key only", () => {
    expect(hasDataAction(s, "keyuser", KEY, "Microsoft.KeyVault/vaults/keys/unwrap/action")).toBe(true);
    expect(hasDataAction(s, "keyuser", `${VAULT}/keys/k2`, "Microsoft.KeyVault/vaults/keys/unwrap/action")).toBe(false);
    expect(permissionsAt(s, "keyuser", VAULT)).toEqual([]);
  });

  it("a vault User Access Administrator assigns at the vault and its keys, not at the group", () => {
    expect(hasAction(s, "uaa", `${KEY}/providers/Microsoft.Authorization/roleAssignments/x`, "Microsoft.Authorization/roleAssignments/write")).toBe(true);
    expect(hasAction(s, "uaa", RG, "Microsoft.Authorization/roleAssignments/write")).toBe(false);
  });

  it("an unknown principal holds nothing", () => {
    expect(permissionsAt(s, "nobody", KEY)).toEqual([]);
  });
});
