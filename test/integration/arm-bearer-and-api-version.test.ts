// ARM's front door through the real pipeline: 401 for a missing, expired or wrong-audience token (with
// WWW-Authenticate), 400 MissingApiVersionParameter / InvalidApiVersionParameter, 404/405 for what ARM does
// not serve, the wrong tenant's token, and the request/correlation ids on every answer.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RestError } from "@azure/core-rest-pipeline";
import type { Sandbox } from "../../src/sandbox/server.js";
import { startTestSandbox } from "../helpers/sandbox.js";
import { sdkClients } from "../helpers/sdk-clients.js";
import { addForeignTenant, baseEstate, RESOURCE_GROUP, SUBSCRIPTION_ID, TENANT_ID, VAULT_NAME } from "../fixtures/estate-builders.js";
import { armRaw, armToken } from "./arm-raw.js";

const ARM = "https://management.azure.com";
let sandbox: Sandbox;
let clock = Date.parse("2026-06-01T00:00:00Z");
let foreignSub: string;

beforeAll(async () => {
  const estate = baseEstate();
  foreignSub = addForeignTenant(estate);
  sandbox = await startTestSandbox(estate, { now: () => clock });
});
afterAll(async () => { await sandbox?.close(); });

const subUrl = (v = "2022-12-01"): string => `${ARM}/subscriptions/${SUBSCRIPTION_ID}?api-version=${v}`;

describe("bearer token", () => {
  it("answers 401 AuthenticationFailed with WWW-Authenticate when the Authorization header is missing", async () => {
    const r = await armRaw("GET", subUrl());
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe("AuthenticationFailed");
    expect(r.body.error.message).toBe("Authentication failed. The 'Authorization' header is missing.");
    expect(r.headers["www-authenticate"]).toMatch(new RegExp(`^Bearer authorization_uri="https://login.microsoftonline.com/${TENANT_ID}", error="invalid_token", error_description="`));
    expect(r.headers["x-ms-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.headers["x-ms-correlation-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers 401 InvalidAuthenticationToken for a token that is not a JWT the sandbox signed", async () => {
    const r = await armRaw("GET", subUrl(), { token: "not-a-jwt" });
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe("InvalidAuthenticationToken");
  });

  it("answers 401 InvalidAuthenticationTokenAudience for a Key Vault token", async () => {
    const { credential } = sdkClients("AzureCloud", SUBSCRIPTION_ID);
    const r = await armRaw("GET", subUrl(), { token: await armToken(credential, "https://vault.azure.net") });
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe("InvalidAuthenticationTokenAudience");
    expect(r.body.error.message).toContain("'https://vault.azure.net'");
    expect(r.headers["www-authenticate"]).toContain('error="invalid_token"');
  });

  it("answers 401 ExpiredAuthenticationToken once the sandbox clock passes the token's exp", async () => {
    const { credential } = sdkClients("AzureCloud", SUBSCRIPTION_ID);
    const token = await armToken(credential);
    expect((await armRaw("GET", subUrl(), { token })).status).toBe(200);
    clock += 2 * 3600_000;
    try {
      const r = await armRaw("GET", subUrl(), { token });
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe("ExpiredAuthenticationToken");
      expect(r.headers["www-authenticate"]).toContain("error_description=\"The access token expiry UTC time");
    } finally {
      clock -= 2 * 3600_000;
    }
  });

  it("answers 401 InvalidAuthenticationTokenTenant for a subscription of another tenant", async () => {
    const { credential } = sdkClients("AzureCloud", SUBSCRIPTION_ID);
    const r = await armRaw("GET", `${ARM}/subscriptions/${foreignSub}?api-version=2022-12-01`, { token: await armToken(credential) });
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe("InvalidAuthenticationTokenTenant");
  });

  it("answers 404 SubscriptionNotFound for an unknown subscription", async () => {
    const { credential } = sdkClients("AzureCloud", SUBSCRIPTION_ID);
    const r = await armRaw("GET", `${ARM}/subscriptions/99999999-9999-4999-8999-999999999999?api-version=2022-12-01`, { token: await armToken(credential) });
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe("SubscriptionNotFound");
  });
});

describe("api-version", () => {
  it("answers 400 MissingApiVersionParameter without api-version", async () => {
    const { credential } = sdkClients("AzureCloud", SUBSCRIPTION_ID);
    const r = await armRaw("GET", `${ARM}/subscriptions/${SUBSCRIPTION_ID}`, { token: await armToken(credential) });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("MissingApiVersionParameter");
    expect(r.body.error.message).toBe("The api-version query parameter (?api-version=) is required for all requests.");
  });

  it("answers 400 InvalidApiVersionParameter listing the supported versions for an unknown one", async () => {
    const { credential } = sdkClients("AzureCloud", SUBSCRIPTION_ID);
    const url = `${ARM}/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/${RESOURCE_GROUP}/providers/Microsoft.KeyVault/vaults/${VAULT_NAME}?api-version=2099-01-01`;
    const r = await armRaw("GET", url, { token: await armToken(credential) });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("InvalidApiVersionParameter");
    expect(r.body.error.message).toMatch(/^The api-version '2099-01-01' is invalid\. The supported versions are '2026-05-15,.*2026-02-01,.*2015-06-01'\.$/);
  });

  it("accepts older existing versions of a type, as Azure does", async () => {
    const { credential } = sdkClients("AzureCloud", SUBSCRIPTION_ID);
    const token = await armToken(credential);
    for (const v of ["2023-07-01", "2019-09-01", "2026-02-01"]) {
      const url = `${ARM}/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/${RESOURCE_GROUP}/providers/Microsoft.KeyVault/vaults/${VAULT_NAME}?api-version=${v}`;
      expect((await armRaw("GET", url, { token })).status).toBe(200);
    }
    expect((await armRaw("GET", `${ARM}/subscriptions/${SUBSCRIPTION_ID}/resourcegroups/${RESOURCE_GROUP}?api-version=2021-04-01`, { token })).status).toBe(200);
  });

  it("the SDK clients' own versions are accepted (SubscriptionClient 2022-12-01, arm-keyvault 2026-02-01)", async () => {
    const c = sdkClients("AzureCloud", SUBSCRIPTION_ID);
    const s = await c.subscriptions.subscriptions.get(SUBSCRIPTION_ID);
    expect(s.subscriptionId).toBe(SUBSCRIPTION_ID);
    const v = await c.keyVaultMgmt.vaults.get(RESOURCE_GROUP, VAULT_NAME);
    expect(v.name).toBe(VAULT_NAME);
    const log = sandbox.requests().filter((r) => r.host === "management.azure.com").slice(-2);
    expect(log.map((r) => r.query["api-version"])).toEqual(["2022-12-01", "2026-02-01"]);
  });
});

describe("routes ARM does not serve here", () => {
  it("answers 405 for a vault PUT (never lets it succeed)", async () => {
    const c = sdkClients("AzureCloud", SUBSCRIPTION_ID, { retryOptions: { maxRetries: 0 } });
    const e = await c.keyVaultMgmt.vaults.createOrUpdate(RESOURCE_GROUP, "kv-new", {
      location: "westeurope", properties: { tenantId: TENANT_ID, sku: { family: "A", name: "standard" } },
    }).then(() => undefined, (x: unknown) => x);
    expect((e as Error | undefined)?.name).toBe("RestError");
    expect((e as RestError).statusCode).toBe(405);
    expect(sandbox.state.getResource(`/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/${RESOURCE_GROUP}/providers/Microsoft.KeyVault/vaults/kv-new`)).toBeUndefined();
  });

  it("answers 404 InvalidResourceType for an unknown resource type", async () => {
    const { credential } = sdkClients("AzureCloud", SUBSCRIPTION_ID);
    const r = await armRaw("GET", `${ARM}/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Contoso/widgets?api-version=2024-01-01`,
      { token: await armToken(credential) });
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe("InvalidResourceType");
    expect(r.headers["x-ms-ratelimit-remaining-subscription-reads"]).toMatch(/^\d+$/);
  });

  it("echoes x-ms-correlation-request-id when the client sends one", async () => {
    const { credential } = sdkClients("AzureCloud", SUBSCRIPTION_ID);
    const token = await armToken(credential);
    const correlation = "0a0b0c0d-0000-4000-8000-000000000001";
    const r = await armRaw("GET", subUrl(), { token, headers: { "x-ms-correlation-request-id": correlation } });
    expect(r.headers["x-ms-correlation-request-id"]).toBe(correlation);
    expect(r.headers["x-ms-request-id"]).not.toBe(correlation);
  });
});
