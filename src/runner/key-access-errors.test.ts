import { describe, expect, it } from "vitest";
import { keyAccessRule } from "./key-access-errors.js";

const KEY = { vaultName: "kv-contoso", keyName: "fhir-cmk" };
const e = (code: string, message: string) => ({ code, message, requestId: null });

describe("keyAccessRule: which failed creates are key-grant propagation", () => {
  it.each([
    ["a KeyVault… access code", e("KeyVaultAccessForbidden", "no"), "code names key-vault access"],
    ["403 wording naming the vault", e("Forbidden", "The client 'x' does not have permission to perform 'wrapKey' on key vault 'kv-contoso'."), "access wording naming the planned vault or key"],
    ["an unwrap failure", e("InternalServerError", "Failed to unwrap the data encryption key with 'https://kv-contoso.vault.azure.net/keys/fhir-cmk/1': access denied."), "access wording naming the planned vault or key"],
    ["unwrap without access wording", e("InternalServerError", "Unwrap of the key failed."), "wrap/unwrap of the key failed"],
    ["the key vault unreachable", e("BadRequest", "The managed identity cannot access the key vault."), "access wording naming the planned vault or key"],
  ])("%s", (_n, error, rule) => {
    expect(keyAccessRule(error, KEY)).toBe(rule);
  });

  it.each([
    ["a quota", e("QuotaExceeded", "The subscription has reached its limit of 10 FHIR services.")],
    ["the caller's own authorization", e("AuthorizationFailed", "The client 'me' does not have authorization to perform action 'Microsoft.HealthcareApis/workspaces/fhirservices/write'.")],
    ["a bad setting", e("BadRequest", "The CORS max age must be between 0 and 99999.")],
    ["a forbidden of another vault's key", e("Forbidden", "Access denied to https://kv-other.example/keys/x")],
  ])("%s is not", (_n, error) => {
    expect(keyAccessRule(error, KEY)).toBeNull();
  });
});
