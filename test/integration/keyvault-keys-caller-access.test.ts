// Who may read keys, through the real KeyClient: an RBAC vault needs a data-plane role (Owner on the
// subscription carries none) → 403 Forbidden / ForbiddenByRbac; an access-policy vault needs key get (and
// list for listings) → 403 Forbidden / AccessDenied; a role scoped to one key opens that key only; a vault of
// another tenant names that tenant in its challenge and the credential (additionallyAllowedTenants unset)
// refuses without asking Entra: "The current credential is not configured to acquire tokens for tenant …"
// (SDK-RECIPE §4; through DefaultAzureCredential the error's name is AuthenticationError).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RestError } from "@azure/core-rest-pipeline";
import type { ResponseEvent, Sandbox } from "../../src/sandbox/server.js";
import { expectConformingResponses, type ConformanceRecorder } from "../helpers/spec-validator.js";
import { collectResponses, startTestSandbox } from "../helpers/sandbox.js";
import { sdkClients } from "../helpers/sdk-clients.js";
import {
  addForeignTenant, addKey, addRoleAssignment, addVault, baseEstate, CALLER_OBJECT_ID, KEY_NAME, OTHER_TENANT_ID,
  ROLE_IDS, SUBSCRIPTION_ID, TENANT_ID, VAULT_NAME, vaultId,
} from "../fixtures/estate-builders.js";
import { all as drain } from "../helpers/sdk-results.js";

let sandbox: Sandbox;
let conformance: ConformanceRecorder;
let responses: ResponseEvent[];
let clients: ReturnType<typeof sdkClients>;

beforeAll(async () => {
  // The caller is Owner of the subscription but holds no Key Vault data role on the base RBAC vault.
  const estate = baseEstate({ callerCanReadKeys: false });
  addKey(estate, { name: "shared" });
  addRoleAssignment(estate, { scope: `${vaultId()}/keys/shared`, role: ROLE_IDS.keyVaultCryptoServiceEncryptionUser, principalId: CALLER_OBJECT_ID });
  addVault(estate, { name: "kv-list-only", rbac: false,
    accessPolicies: [{ tenantId: TENANT_ID, objectId: CALLER_OBJECT_ID, permissions: { keys: ["List"] } }] });
  addKey(estate, { vault: "kv-list-only" });
  addVault(estate, { name: "kv-get-list", rbac: false,
    accessPolicies: [{ tenantId: TENANT_ID, objectId: CALLER_OBJECT_ID, permissions: { keys: ["Get", "List", "WrapKey", "UnwrapKey"] } }] });
  addKey(estate, { vault: "kv-get-list" });
  addVault(estate, { name: "kv-no-policy", rbac: false });
  addKey(estate, { vault: "kv-no-policy" });
  addForeignTenant(estate);
  addVault(estate, { name: "kv-foreign", tenantId: OTHER_TENANT_ID });
  addKey(estate, { vault: "kv-foreign" });
  sandbox = await startTestSandbox(estate);
  conformance = expectConformingResponses(sandbox);
  responses = collectResponses(sandbox);
  clients = sdkClients("AzureCloud", SUBSCRIPTION_ID);
});
afterAll(async () => {
  conformance?.stop();
  await sandbox?.close();
});

async function restError(p: Promise<unknown>): Promise<RestError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(RestError);
  return e as RestError;
}

/** The error body the sandbox last sent from `host` (the SDK's RestError does not keep it). */
function lastError(host: string): { code?: string; message?: string; innererror?: { code?: string } } {
  const body = responses.filter((r) => r.host === host).at(-1)?.body as { error?: Record<string, unknown> } | undefined;
  return (body?.error ?? {}) as { code?: string; message?: string; innererror?: { code?: string } };
}

describe("caller access to keys", () => {
  it("refuses an RBAC vault without a data-plane role with 403 ForbiddenByRbac, for get and listings", async () => {
    const keys = clients.keys(clients.vaultUrl(VAULT_NAME));
    const e = await restError(keys.getKey(KEY_NAME));
    expect(e.statusCode).toBe(403);
    expect(e.code).toBe("Forbidden");
    expect(e.message).toContain("Caller is not authorized to perform action on resource.");
    expect(lastError(`${VAULT_NAME}.vault.azure.net`).innererror).toEqual({ code: "ForbiddenByRbac" });
    const l = await restError(drain(keys.listPropertiesOfKeyVersions(KEY_NAME)));
    expect(l.statusCode).toBe(403);
    const all = await restError(drain(keys.listPropertiesOfKeys()));
    expect(all.statusCode).toBe(403);
  });

  it("opens exactly the key a key-scoped role names, not the vault-wide listing", async () => {
    const keys = clients.keys(clients.vaultUrl(VAULT_NAME));
    expect((await keys.getKey("shared")).name).toBe("shared");
    expect(await drain(keys.listPropertiesOfKeyVersions("shared"))).toHaveLength(1);
    expect((await restError(keys.getKey(KEY_NAME))).statusCode).toBe(403);
    expect((await restError(drain(keys.listPropertiesOfKeys()))).statusCode).toBe(403);
  });

  it("refuses key get on an access-policy vault whose policy lacks it (403 AccessDenied) while listing works", async () => {
    const keys = clients.keys(clients.vaultUrl("kv-list-only"));
    const e = await restError(keys.getKey(KEY_NAME));
    expect(e.statusCode).toBe(403);
    expect(e.code).toBe("Forbidden");
    expect(e.message).toMatch(/^The user, group or application 'appid=[^;]+;oid=55555555-5555-4555-8555-555555555555;iss=[^']+' does not have keys get permission on key vault 'kv-list-only;location=westeurope'\./);
    expect(lastError("kv-list-only.vault.azure.net").innererror).toEqual({ code: "AccessDenied" });
    expect(await drain(keys.listPropertiesOfKeyVersions(KEY_NAME))).toHaveLength(1);
  });

  it("refuses an access-policy vault with no policy for the caller, and serves one whose policy grants get/list", async () => {
    const none = clients.keys(clients.vaultUrl("kv-no-policy"));
    const e = await restError(drain(none.listPropertiesOfKeys()));
    expect(e.statusCode).toBe(403); // the SDK's pager words its own message ("Pagination failed …")
    expect(lastError("kv-no-policy.vault.azure.net").message).toContain("does not have keys list permission");
    const ok = clients.keys(clients.vaultUrl("kv-get-list"));
    expect((await ok.getKey(KEY_NAME)).key?.n?.length).toBe(384);
    expect((await drain(ok.listPropertiesOfKeys())).map((p) => p.name)).toEqual([KEY_NAME]);
  });

  it("names another tenant's vault tenant in the challenge; the credential refuses that tenant without a token request", async () => {
    const before = sandbox.requests().length;
    const keys = clients.keys(clients.vaultUrl("kv-foreign"));
    const e = await keys.getKey(KEY_NAME).then(() => undefined, (err: unknown) => err as Error);
    // DefaultAzureCredential → EnvironmentCredential wraps ClientSecretCredential's CredentialUnavailableError:
    // the error is an AuthenticationError whose message carries the inner one (identity 4.13.1, observed here).
    expect(e?.name).toBe("AuthenticationError");
    expect(e?.message).toContain(OTHER_TENANT_ID);
    expect(e?.message).toContain("not configured to acquire tokens for tenant");
    const log = sandbox.requests().slice(before);
    expect(log.map((r) => `${r.host} ${r.status}`)).toEqual(["kv-foreign.vault.azure.net 401"]);
    const challenge = responses.filter((r) => r.host === "kv-foreign.vault.azure.net").at(-1)?.headers["www-authenticate"];
    expect(challenge).toBe(`Bearer authorization="https://login.microsoftonline.com/${OTHER_TENANT_ID}", resource="https://vault.azure.net"`);
  });

  it("sends only responses that conform to keys.json", () => {
    expect(conformance.checked.get("GetKey") ?? 0).toBeGreaterThan(0);
    conformance.assertNone();
  });
});
