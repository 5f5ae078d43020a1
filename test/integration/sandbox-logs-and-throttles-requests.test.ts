// The request log records who called what (principal, subscription, kind) and whether the request was
// throttled; the ARM throttle answers an empty bucket with 429 + Retry-After + an ARM error body, and
// every ARM response carries x-ms-ratelimit-remaining-subscription-* (Learn, "Request limits and throttling").
import { RestError } from "@azure/core-rest-pipeline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseEstate, CALLER_OBJECT_ID, KEY_NAME, RESOURCE_GROUP, SUBSCRIPTION_ID, VAULT_NAME } from "../fixtures/estate-builders.js";
import { collectResponses, startTestSandbox } from "../helpers/sandbox.js";
import { sdkClients } from "../helpers/sdk-clients.js";
import type { Sandbox } from "../../src/sandbox/server.js";

const ARM = "management.azure.com";
let sandbox: Sandbox;
beforeAll(async () => {
  // Reads: a bucket of 3 that refills 1 per 100 s, so the 4th read within the test is throttled.
  sandbox = await startTestSandbox(baseEstate({ behaviour: { throttle: { reads: [3, 0.01], writes: [200, 10], deletes: [200, 10] } } }));
});
afterAll(async () => {
  await sandbox?.close();
});

describe("request log and throttling", () => {
  it("records principal, subscription and kind of Entra, Key Vault and ARM requests", async () => {
    const c = sdkClients("AzureCloud", SUBSCRIPTION_ID, { retryOptions: { maxRetries: 0 } });
    await c.keys(`https://${VAULT_NAME}.vault.azure.net`).getKey(KEY_NAME);
    await c.keyVaultMgmt.vaults.get(RESOURCE_GROUP, VAULT_NAME);
    const log = sandbox.requests();
    expect(log.map((r) => r.seq)).toEqual([...log.map((r) => r.seq)].sort((a, b) => a - b));
    const token = log.find((r) => r.host === "login.microsoftonline.com" && r.method === "POST");
    expect(token).toMatchObject({ status: 200, principal: CALLER_OBJECT_ID });
    const kv = log.filter((r) => r.host === `${VAULT_NAME}.vault.azure.net`);
    expect(kv.map((r) => r.status)).toEqual([401, 200]);
    expect(kv[1]).toMatchObject({ method: "GET", path: `/keys/${KEY_NAME}/`, query: { "api-version": "2025-07-01" },
      principal: CALLER_OBJECT_ID, subscription: SUBSCRIPTION_ID, kind: "read", throttled: false });
    const arm = log.filter((r) => r.host === ARM);
    expect(arm.at(-1)).toMatchObject({ method: "GET", status: 200, principal: CALLER_OBJECT_ID, subscription: SUBSCRIPTION_ID,
      kind: "read", throttled: false, query: { "api-version": "2026-02-01" } });
    expect(arm.at(-1)?.path).toBe(`/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/${RESOURCE_GROUP}/providers/Microsoft.KeyVault/vaults/${VAULT_NAME}`);
    expect(Date.parse(arm.at(-1)!.time)).not.toBeNaN();
  });

  it("throttles the reads of one principal on one subscription with 429, Retry-After and remaining-reads headers", async () => {
    const seen = collectResponses(sandbox);
    const c = sdkClients("AzureCloud", SUBSCRIPTION_ID, { retryOptions: { maxRetries: 0 } });
    // The previous test took 1 of the 3 read tokens: two reads pass, then the bucket is empty.
    const outcomes: (number | string)[] = [];
    for (let i = 0; i < 4; i++) {
      try {
        await c.keyVaultMgmt.vaults.get(RESOURCE_GROUP, VAULT_NAME);
        outcomes.push(200);
      } catch (e) {
        outcomes.push(e instanceof RestError ? e.statusCode ?? "?" : String(e));
      }
    }
    seen.stop();
    expect(outcomes).toEqual([200, 200, 429, 429]);
    const armEvents = seen.filter((e) => e.host === ARM);
    for (const e of armEvents) expect(e.headers["x-ms-ratelimit-remaining-subscription-reads"], `${e.status}`).toMatch(/^\d+$/);
    const ok = armEvents.filter((e) => e.status === 200).map((e) => Number(e.headers["x-ms-ratelimit-remaining-subscription-reads"]));
    expect(ok).toEqual([1, 0]);
    const throttled = armEvents.find((e) => e.status === 429);
    expect(throttled?.headers["retry-after"]).toMatch(/^[1-9]\d*$/);
    expect(throttled?.body).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
    const logged = sandbox.requests().filter((r) => r.host === ARM && r.status === 429);
    expect(logged.length).toBeGreaterThan(0);
    expect(logged.every((r) => r.throttled && r.kind === "read" && r.subscription === SUBSCRIPTION_ID)).toBe(true);
  });
});
