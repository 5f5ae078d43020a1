import { describe, expect, it } from "vitest";
import { SandboxState } from "../../state.js";
import {
  addIdentity, addKey, addRoleAssignment, addVault, baseEstate, KEY_NAME, keyUri, LOCATION, ROLE_IDS, TENANT_ID, VAULT_NAME, vaultId,
} from "../../../../test/fixtures/estate-builders.js";
import { cmkFailure, keyAccessFailure, parseKeyUrl } from "./cmk-validation.js";

const NOW = Date.parse("2026-11-01T00:00:00Z");

function stateWith(build: (e: ReturnType<typeof baseEstate>) => void = () => undefined): SandboxState {
  const e = baseEstate();
  build(e);
  return new SandboxState(e, () => NOW);
}

function versionOf(state: SandboxState, vault = VAULT_NAME, key = KEY_NAME): string {
  return state.getKey(vault, key)!.versions[0]!.version;
}

describe("parseKeyUrl", () => {
  it("splits a versioned URL", () => {
    expect(parseKeyUrl("https://kv.vault.azure.net/keys/k/abc", ".vault.azure.net")).toEqual({ vaultName: "kv", keyName: "k", version: "abc" });
  });
  it("returns no version for a versionless URL (with or without trailing slash)", () => {
    expect(parseKeyUrl("https://kv.vault.azure.net/keys/k", ".vault.azure.net")?.version).toBeUndefined();
    expect(parseKeyUrl("https://kv.vault.azure.net/keys/k/", ".vault.azure.net")?.version).toBeUndefined();
  });
  it("rejects other hosts, clouds and paths", () => {
    expect(parseKeyUrl("https://kv.vault.usgovcloudapi.net/keys/k/v", ".vault.azure.net")).toBeUndefined();
    expect(parseKeyUrl("https://kv.vault.azure.net/secrets/k/v", ".vault.azure.net")).toBeUndefined();
    expect(parseKeyUrl("not a url", ".vault.azure.net")).toBeUndefined();
  });
});

describe("cmkFailure: each rule has its own code", () => {
  const check = (state: SandboxState, url: string, location = LOCATION) => cmkFailure(state, { keyUrl: url, serviceLocation: location })?.code;

  it("accepts a valid versioned RSA 3072 key in the same region", () => {
    const s = stateWith();
    expect(check(s, keyUri(VAULT_NAME, KEY_NAME, versionOf(s)))).toBeUndefined();
  });
  it("compares regions ARM-normalised", () => {
    const s = stateWith();
    expect(check(s, keyUri(VAULT_NAME, KEY_NAME, versionOf(s)), "West Europe")).toBeUndefined();
  });
  it("KeyVaultKeyUrlInvalid / KeyVaultKeyUrlNotVersioned", () => {
    const s = stateWith();
    expect(check(s, "https://example.com/keys/k/v")).toBe("KeyVaultKeyUrlInvalid");
    expect(check(s, keyUri())).toBe("KeyVaultKeyUrlNotVersioned");
  });
  it("KeyVaultKeyNameTooLong above 94 characters of vault + key name", () => {
    const s = stateWith();
    expect(check(s, keyUri(VAULT_NAME, "k".repeat(95 - VAULT_NAME.length), "0".repeat(32)))).toBe("KeyVaultKeyNameTooLong");
  });
  it("KeyVaultNotFound / KeyVaultKeyNotFound", () => {
    const s = stateWith();
    expect(check(s, keyUri("nope", KEY_NAME, "0".repeat(32)))).toBe("KeyVaultNotFound");
    expect(check(s, keyUri(VAULT_NAME, "nokey", "0".repeat(32)))).toBe("KeyVaultKeyNotFound");
    expect(check(s, keyUri(VAULT_NAME, KEY_NAME, "0".repeat(32)))).toBe("KeyVaultKeyNotFound");
  });
  it.each([
    [{ enabled: false }, "KeyVaultKeyDisabled"],
    [{ exp: NOW / 1000 - 1 }, "KeyVaultKeyExpired"],
    [{ nbf: NOW / 1000 + 3600 }, "KeyVaultKeyNotYetValid"],
    [{ kty: "EC" as const, keySize: undefined }, "KeyVaultKeyTypeNotSupported"],
    [{ keySize: 4096 }, "KeyVaultKeySizeNotSupported"],
    [{ kty: "RSA-HSM" as const, keySize: 2048 }, undefined],
  ])("key version %j → %s", (v, code) => {
    const s = stateWith((e) => addKey(e, { name: "k2", versions: [v] }));
    expect(check(s, keyUri(VAULT_NAME, "k2", versionOf(s, VAULT_NAME, "k2")))).toBe(code);
  });
  it.each([
    [{ location: "eastus" }, "KeyVaultRegionMismatch"],
    [{ softDelete: false }, "KeyVaultSoftDeleteDisabled"],
    [{ purgeProtection: false }, "KeyVaultPurgeProtectionDisabled"],
    [{ networkAcls: { defaultAction: "Deny" as const, bypass: "None" as const } }, "KeyVaultFirewallBlocksTrustedServices"],
    [{ networkAcls: { defaultAction: "Deny" as const, bypass: "AzureServices" as const } }, undefined],
  ])("vault %j → %s", (o, code) => {
    const s = stateWith((e) => { addVault(e, { name: "kv2", ...o }); addKey(e, { vault: "kv2", name: "k" }); });
    expect(check(s, keyUri("kv2", "k", versionOf(s, "kv2", "k")))).toBe(code);
  });
});

describe("keyAccessFailure", () => {
  it("fails with KeyVaultAccessForbidden naming key and identity when no role is held", () => {
    const s = stateWith((e) => addIdentity(e, { name: "mi" }));
    const mi = s.listResources("Microsoft.ManagedIdentity/userAssignedIdentities")[0]!;
    const url = keyUri(VAULT_NAME, KEY_NAME, versionOf(s));
    const f = keyAccessFailure(s, url, { objectId: String(mi.properties!["principalId"]), tenantId: TENANT_ID, label: mi.id }, NOW);
    expect(f?.code).toBe("KeyVaultAccessForbidden");
    expect(f?.message).toContain(url);
    expect(f?.message).toContain(mi.id);
  });
  it("applies rolePropagationMs to a role granted on the key", () => {
    let principalId = "";
    const s = stateWith((e) => {
      principalId = String(addIdentity(e, { name: "mi" }).properties!["principalId"]);
      addRoleAssignment(e, {
        scope: `${vaultId()}/keys/${KEY_NAME}`, role: ROLE_IDS.keyVaultCryptoServiceEncryptionUser, principalId,
        createdOn: new Date(NOW - 60_000).toISOString(),
      });
    });
    const url = keyUri(VAULT_NAME, KEY_NAME, versionOf(s));
    const p = { objectId: principalId, tenantId: TENANT_ID, label: "mi" };
    s.behaviour.rolePropagationMs = 120_000;
    expect(keyAccessFailure(s, url, p, NOW)?.code).toBe("KeyVaultAccessForbidden");
    s.behaviour.rolePropagationMs = 30_000;
    expect(keyAccessFailure(s, url, p, NOW)).toBeUndefined();
  });
  it("accepts an access-policy vault with get/wrapKey/unwrapKey, refuses one without unwrapKey", () => {
    const principalId = "66666666-6666-4666-8666-666666666666";
    const s = stateWith((e) => {
      addVault(e, { name: "kvap", rbac: false, accessPolicies: [{ tenantId: TENANT_ID, objectId: principalId, permissions: { keys: ["Get", "WrapKey", "UnwrapKey"] } }] });
      addVault(e, { name: "kvap2", rbac: false, accessPolicies: [{ tenantId: TENANT_ID, objectId: principalId, permissions: { keys: ["get", "wrapKey"] } }] });
      addKey(e, { vault: "kvap", name: "k" });
      addKey(e, { vault: "kvap2", name: "k" });
    });
    const p = { objectId: principalId, tenantId: TENANT_ID, label: "mi" };
    expect(keyAccessFailure(s, keyUri("kvap", "k", versionOf(s, "kvap", "k")), p, NOW)).toBeUndefined();
    expect(keyAccessFailure(s, keyUri("kvap2", "k", versionOf(s, "kvap2", "k")), p, NOW)?.code).toBe("KeyVaultAccessForbidden");
  });
});
