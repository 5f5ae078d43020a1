// ARM's token-bucket throttle seen through the real clients: x-ms-ratelimit-remaining-subscription-* on every
// answer, counting down per kind; an empty bucket answers 429 TooManyRequests with Retry-After and an ARM
// error body; other kinds and the tenant-level bucket are separate. The sandbox clock stands still unless a test moves it, so nothing refills by itself.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/server.js";
import { collectResponses, startTestSandbox } from "../helpers/sandbox.js";
import { sdkClients } from "../helpers/sdk-clients.js";
import { baseEstate, LOCATION, RESOURCE_GROUP, SUBSCRIPTION_ID, VAULT_NAME } from "../fixtures/estate-builders.js";

let sandbox: Sandbox;
let clock = Date.parse("2026-06-01T00:00:00Z");

beforeAll(async () => {
  sandbox = await startTestSandbox(baseEstate({ behaviour: { throttle: { reads: [4, 2], writes: [3, 1], deletes: [3, 1] } } }), { now: () => clock });
});
afterAll(async () => { await sandbox?.close(); });

describe("ARM throttling", () => {
  it("counts reads down in the header and answers 429 with Retry-After once the bucket is empty", async () => {
    const c = sdkClients("AzureCloud", SUBSCRIPTION_ID, { retryOptions: { maxRetries: 0 } });
    const seen = collectResponses(sandbox);
    for (let i = 0; i < 4; i++) await c.keyVaultMgmt.vaults.get(RESOURCE_GROUP, VAULT_NAME);
    const e = await c.keyVaultMgmt.vaults.get(RESOURCE_GROUP, VAULT_NAME).then(() => undefined, (x: unknown) => x) as { statusCode?: number; code?: string };
    seen.stop();
    expect(e.statusCode).toBe(429);
    expect(e.code).toBe("TooManyRequests");
    const arm = seen.filter((r) => r.host === "management.azure.com");
    expect(arm.map((r) => r.headers["x-ms-ratelimit-remaining-subscription-reads"])).toEqual(["3", "2", "1", "0", "0"]);
    const last = arm.at(-1)!;
    expect(last.status).toBe(429);
    expect(last.headers["retry-after"]).toBe("1");
    expect(last.body).toMatchObject({ error: { code: "TooManyRequests" } });
    const log = sandbox.requests().filter((r) => r.host === "management.azure.com");
    expect(log.at(-1)).toMatchObject({ status: 429, throttled: true, kind: "read", subscription: SUBSCRIPTION_ID });
  });

  it("keeps writes in their own bucket with their own header", async () => {
    const c = sdkClients("AzureCloud", SUBSCRIPTION_ID, { retryOptions: { maxRetries: 0 } });
    const seen = collectResponses(sandbox);
    await c.msi.userAssignedIdentities.createOrUpdate(RESOURCE_GROUP, "mi-throttle", { location: LOCATION });
    seen.stop();
    expect(seen.at(-1)!.headers["x-ms-ratelimit-remaining-subscription-writes"]).toBe("2");
  });

  it("counts the tenant-level subscription list apart from the subscription's reads", async () => {
    const c = sdkClients("AzureCloud", SUBSCRIPTION_ID, { retryOptions: { maxRetries: 0 } });
    const seen = collectResponses(sandbox);
    const subs = [];
    for await (const s of c.subscriptions.subscriptions.list()) subs.push(s);
    seen.stop();
    expect(subs).toHaveLength(1);
    expect(seen.at(-1)!.headers["x-ms-ratelimit-remaining-tenant-reads"]).toBe("3");
  });

  it("serves reads again once Retry-After seconds have passed on the sandbox clock", async () => {
    const c = sdkClients("AzureCloud", SUBSCRIPTION_ID, { retryOptions: { maxRetries: 0 } });
    const denied = await c.keyVaultMgmt.vaults.get(RESOURCE_GROUP, VAULT_NAME).then(() => undefined, (x: unknown) => x) as { statusCode?: number };
    expect(denied.statusCode).toBe(429);
    clock += 1000;
    const v = await c.keyVaultMgmt.vaults.get(RESOURCE_GROUP, VAULT_NAME);
    expect(v.name).toBe(VAULT_NAME);
  });
});
