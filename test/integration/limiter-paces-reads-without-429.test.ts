// With a 20-token read bucket, no 429 reaches the SDK: the session's limiter, its bucket sized like the
// sandbox's ARM bucket (20 tokens, 5 per second), paces 60 parallel reads through the real clients so
// that ARM never throttles. The limiter and the sandbox share a virtual clock, so the 8 s of pacing take
// no real time. The control: the same burst with the SDK's default client (no limiter) is throttled.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAzureSession } from "../../src/azure/azure-session.js";
import type { Sandbox } from "../../src/sandbox/server.js";
import { startTestSandbox } from "../helpers/sandbox.js";
import { sdkClients } from "../helpers/sdk-clients.js";
import { baseEstate, RESOURCE_GROUP, SUBSCRIPTION_ID, VAULT_NAME } from "../fixtures/estate-builders.js";
import { virtualClock } from "./limiter-virtual-clock.js";

const clock = virtualClock();
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startTestSandbox(baseEstate({ behaviour: { throttle: { reads: [20, 5], writes: [200, 10], deletes: [200, 10] } } }),
    { now: () => clock.now() });
});
afterAll(async () => { await sandbox?.close(); });

const armLog = () => sandbox.requests().filter((r) => r.host === "management.azure.com");

describe("limiter paces ARM reads to the bucket", () => {
  it("serves 60 parallel vault reads with zero 429s", async () => {
    const session = createAzureSession("AzureCloud", { limiter: { clock, buckets: { reads: [20, 5] } } });
    const start = clock.now();
    const vaults = await Promise.all(Array.from({ length: 60 }, () =>
      session.arm(SUBSCRIPTION_ID).keyVaultMgmt.vaults.get(RESOURCE_GROUP, VAULT_NAME)));
    expect(vaults.every((v) => v.name === VAULT_NAME)).toBe(true);
    const log = armLog();
    expect(log).toHaveLength(60);
    expect(log.filter((r) => r.throttled || r.status === 429)).toEqual([]);
    expect(session.limiter.stats()).toMatchObject({ requests: 60, retries: 0, throttled429: 0, byKind: { read: 60 } });
    // 40 reads beyond the bucket at 5 per second: at least 8 s of (virtual) pacing.
    expect(clock.now() - start).toBeGreaterThanOrEqual(8000);
  });

  it("control: the same burst without the limiter is throttled by the sandbox", async () => {
    clock.advance(60_000); // the sandbox bucket is full again
    const before = armLog().length;
    const c = sdkClients("AzureCloud", SUBSCRIPTION_ID, { retryOptions: { maxRetries: 0 } });
    const results = await Promise.allSettled(Array.from({ length: 60 }, () => c.keyVaultMgmt.vaults.get(RESOURCE_GROUP, VAULT_NAME)));
    expect(results.filter((r) => r.status === "rejected").length).toBe(40);
    expect(armLog().slice(before).filter((r) => r.status === 429)).toHaveLength(40);
  });
});
