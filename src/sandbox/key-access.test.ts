import { describe, expect, it } from "vitest";
import { SandboxState } from "./state.js";
import { DEFAULT_BEHAVIOUR, type ArmResource, type Estate } from "./estate-types.js";
import { keyPermissions, normalizeKeyPermission } from "./key-access.js";

const SUB = "/subscriptions/00000000-0000-4000-8000-000000000001";
const VAULT = `${SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv`;
const T = "11111111-1111-4111-8111-111111111111";
const MI = { objectId: "22222222-2222-4222-8222-222222222222", tenantId: T };

function ra(name: string, scope: string, roleGuid: string, createdOn?: string): ArmResource {
  return {
    id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`, name, type: "Microsoft.Authorization/roleAssignments",
    properties: { scope, principalId: MI.objectId, roleDefinitionId: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`,
      ...(createdOn ? { createdOn } : {}) },
  };
}

function setup(resources: ArmResource[], rolePropagationMs = 0, now = Date.parse("2026-01-01T00:10:00Z")): SandboxState {
  const estate: Estate = {
    formatVersion: 1, cloud: "AzureCloud", tenants: [], principals: [], caller: { tenantId: T, clientId: "c", clientSecret: "s" },
    subscriptions: [], resourceGroups: [], keys: [], resources, behaviour: { ...structuredClone(DEFAULT_BEHAVIOUR), rolePropagationMs },
  };
  return new SandboxState(estate, () => now);
}

const rbacVault: ArmResource = { id: VAULT, name: "kv", type: "Microsoft.KeyVault/vaults", properties: { enableRbacAuthorization: true, accessPolicies: [] } };

describe("keyPermissions on an RBAC vault", () => {
  it("maps Crypto Service Encryption User at the vault to get/list/wrapKey/unwrapKey on every key", () => {
    const s = setup([ra("a", VAULT, "e147488a-f6f5-4113-8e2d-b22465e65bf6")]);
    expect([...keyPermissions(s, MI, rbacVault, "cmk")].sort()).toEqual(["get", "list", "unwrapKey", "wrapKey"]);
  });

  it("grants a key-scoped role on that key only", () => {
    const s = setup([ra("a", `${VAULT}/keys/cmk`, "12338af0-0e69-4776-bea7-57ae8d297424")]);
    expect(keyPermissions(s, MI, rbacVault, "cmk").has("unwrapKey")).toBe(true);
    expect(keyPermissions(s, MI, rbacVault, "other").size).toBe(0);
  });

  it("gives Crypto Officer (keys/*) every key permission, Reader-style control-plane roles none", () => {
    const officer = setup([ra("a", SUB, "14b46e9e-c2b7-41b4-b07b-48a6ebf60603")]);
    expect(keyPermissions(officer, MI, rbacVault, "cmk")).toEqual(new Set(["get", "list", "update", "create", "import", "delete", "backup",
      "restore", "recover", "encrypt", "decrypt", "wrapKey", "unwrapKey", "sign", "verify", "release", "rotate", "getrotationpolicy",
      "setrotationpolicy"]));
    const owner = setup([ra("a", SUB, "8e3af657-a8ff-443c-a75c-2fe8c4bcb635")]);
    expect(keyPermissions(owner, MI, rbacVault, "cmk").size).toBe(0);
  });

  it("counts an assignment only rolePropagationMs after its createdOn", () => {
    const created = "2026-01-01T00:00:00.000Z";
    const s = setup([ra("a", VAULT, "e147488a-f6f5-4113-8e2d-b22465e65bf6", created)], 60_000);
    expect(keyPermissions(s, MI, rbacVault, "cmk", Date.parse(created) + 59_999).size).toBe(0);
    expect(keyPermissions(s, MI, rbacVault, "cmk", Date.parse(created) + 60_000).has("wrapKey")).toBe(true);
  });

  it("ignores access policies on an RBAC vault", () => {
    const v = { ...rbacVault, properties: { enableRbacAuthorization: true, accessPolicies: [{ tenantId: T, objectId: MI.objectId, permissions: { keys: ["all"] } }] } };
    expect(keyPermissions(setup([]), MI, v, "cmk").size).toBe(0);
  });
});

describe("keyPermissions on an access-policy vault", () => {
  const vault = (policies: unknown[]): ArmResource =>
    ({ id: VAULT, name: "kv", type: "Microsoft.KeyVault/vaults", properties: { enableRbacAuthorization: false, accessPolicies: policies } });

  it("reads the entry of that tenant + object id, normalizing case", () => {
    const v = vault([{ tenantId: T.toUpperCase(), objectId: MI.objectId, permissions: { keys: ["Get", "WRAPKEY", "unwrapkey"] } },
      { tenantId: T, objectId: "someone-else", permissions: { keys: ["all"] } }]);
    expect([...keyPermissions(setup([]), MI, v, "cmk")].sort()).toEqual(["get", "unwrapKey", "wrapKey"]);
  });

  it("ignores RBAC roles, other tenants and compound (applicationId) entries; expands all", () => {
    const s = setup([ra("a", VAULT, "14b46e9e-c2b7-41b4-b07b-48a6ebf60603")]);
    expect(keyPermissions(s, MI, vault([{ tenantId: "other", objectId: MI.objectId, permissions: { keys: ["get"] } },
      { tenantId: T, objectId: MI.objectId, applicationId: "app", permissions: { keys: ["get"] } }]), "cmk").size).toBe(0);
    expect(keyPermissions(s, MI, vault([{ tenantId: T, objectId: MI.objectId, permissions: { keys: ["all"] } }]), "cmk").has("unwrapKey")).toBe(true);
  });

  it("normalizes permission names", () => {
    expect(normalizeKeyPermission("GETROTATIONPOLICY")).toBe("getrotationpolicy");
    expect(normalizeKeyPermission("wrapkey")).toBe("wrapKey");
  });
});
