// A US Government estate is served on the .us / usgovcloudapi.net names only (DESIGN.md "The
// sandbox"): the SDK clients built for AzureUSGovernment work, the public cloud's names are refused.
import { RestError } from "@azure/core-rest-pipeline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseEstate, KEY_NAME, RESOURCE_GROUP, SUBSCRIPTION_ID, VAULT_NAME } from "../fixtures/estate-builders.js";
import { startTestSandbox } from "../helpers/sandbox.js";
import { sdkClients } from "../helpers/sdk-clients.js";
import type { Sandbox } from "../../src/sandbox/server.js";

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox(baseEstate({ cloud: "AzureUSGovernment" }));
});
afterAll(async () => {
  await sandbox?.close();
});

describe("US Government sandbox", () => {
  it("serves the Gov login, ARM and vault hosts to the SDK clients built for AzureUSGovernment", async () => {
    const c = sdkClients("AzureUSGovernment", SUBSCRIPTION_ID, { retryOptions: { maxRetries: 0 } });
    const key = await c.keys(c.vaultUrl(VAULT_NAME)).getKey(KEY_NAME);
    expect(key.name).toBe(KEY_NAME);
    const vault = await c.keyVaultMgmt.vaults.get(RESOURCE_GROUP, VAULT_NAME);
    expect(vault.name).toBe(VAULT_NAME);
    const hosts = new Set(sandbox.requests().map((r) => r.host));
    expect([...hosts].sort()).toEqual(["kv-fixture.vault.usgovcloudapi.net", "login.microsoftonline.us", "management.usgovcloudapi.net"]);
  });

  it("refuses the public cloud's names", async () => {
    const c = sdkClients("AzureCloud", SUBSCRIPTION_ID, { retryOptions: { maxRetries: 0 } });
    const e = await c.keys(c.vaultUrl(VAULT_NAME)).getKey(KEY_NAME).then(() => undefined, (x: unknown) => x);
    expect(e).toBeInstanceOf(RestError);
    expect((e as RestError).statusCode).toBe(502);
    expect((e as RestError).code).toBe("ProxyHostNotFound");
  });
});
