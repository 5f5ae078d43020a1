import { describe, expect, it } from "vitest";
import { actionMatches, isAllowed, missingActions } from "./permissions.js";

const set = (actions: string[], notActions: string[] = []) => ({ actions, notActions, dataActions: [], notDataActions: [] });

describe("ARM action patterns", () => {
  it.each([
    ["*", "Microsoft.Authorization/roleAssignments/write", true],
    ["Microsoft.Authorization/*", "Microsoft.Authorization/roleAssignments/write", true],
    ["Microsoft.Authorization/*/Write", "Microsoft.Authorization/roleAssignments/write", true],
    ["microsoft.authorization/ROLEASSIGNMENTS/WRITE", "Microsoft.Authorization/roleAssignments/write", true],
    ["*/read", "Microsoft.Authorization/roleAssignments/write", false],
    ["*/read", "Microsoft.KeyVault/vaults/read", true],
    ["Microsoft.Authorization/roleAssignments/read", "Microsoft.Authorization/roleAssignments/write", false],
    ["Microsoft.KeyVault/*", "Microsoft.KeyVault/vaults/accessPolicies/write", true],
    ["Microsoft.KeyVault.*", "Microsoft.KeyVaultX/vaults", false],
  ])("%s matches %s: %s", (pattern, action, expected) => {
    expect(actionMatches(pattern, action)).toBe(expected);
  });

  it("subtracts notActions within the same entry only", () => {
    const contributor = set(["*"], ["Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write", "Microsoft.Authorization/elevateAccess/Action"]);
    expect(isAllowed([contributor], "Microsoft.Authorization/roleAssignments/write")).toBe(false);
    expect(isAllowed([contributor], "Microsoft.HealthcareApis/workspaces/write")).toBe(true);
    const rbacAdmin = set(["Microsoft.Authorization/roleAssignments/*"]);
    expect(isAllowed([contributor, rbacAdmin], "Microsoft.Authorization/roleAssignments/write")).toBe(true);
  });

  it("lists the missing actions in the order asked", () => {
    expect(missingActions([set(["*/read"])], ["a/write", "b/read", "c/write"])).toEqual(["a/write", "c/write"]);
    expect(missingActions([], ["a/write"])).toEqual(["a/write"]);
  });
});
