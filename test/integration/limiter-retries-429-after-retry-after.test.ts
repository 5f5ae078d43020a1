// When ARM throttles anyway (here the limiter's bucket is deliberately larger than the sandbox's), every
// 429 is handled by the limiter's policy and by it alone: the read waits for Retry-After, then goes out
// once more. The SDK's own retry is off — were it stacked, it would swallow 429s the limiter never sees.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAzureSession } from "../../src/azure/azure-session.js";
import type { Sandbox } from "../../src/sandbox/server.js";
import { startTestSandbox } from "../helpers/sandbox.js";
import { baseEstate, RESOURCE_GROUP, SUBSCRIPTION_ID, VAULT_NAME } from "../fixtures/estate-builders.js";
import { virtualClock } from "./limiter-virtual-clock.js";

const clock = virtualClock();
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startTestSandbox(baseEstate({ behaviour: { throttle: { reads: [10, 5], writes: [200, 10], deletes: [200, 10] } } }),
    { now: () => clock.now() });
});
afterAll(async () => { await sandbox?.close(); });

describe("limiter retries a 429 after its Retry-After", () => {
  it("retries each 429 exactly once per answer, never before Retry-After, and all 40 reads succeed", async () => {
    const session = createAzureSession("AzureCloud", { limiter: { clock, buckets: { reads: [1000, 1000] }, maxAttempts: 10 } });
    const vaults = await Promise.all(Array.from({ length: 40 }, () =>
      session.arm(SUBSCRIPTION_ID).keyVaultMgmt.vaults.get(RESOURCE_GROUP, VAULT_NAME)));
    expect(vaults).toHaveLength(40);

    const log = sandbox.requests().filter((r) => r.host === "management.azure.com");
    const throttled = log.filter((r) => r.status === 429);
    expect(throttled.length).toBeGreaterThan(0);
    expect(throttled.every((r) => r.throttled)).toBe(true);
    // Each 429 is followed by exactly one more request: 40 successes + one retry per 429.
    expect(log.filter((r) => r.status === 200)).toHaveLength(40);
    expect(log).toHaveLength(40 + throttled.length);
    // The limiter saw every 429 the sandbox sent (no SDK retry in between) and retried each one.
    const stats = session.limiter.stats();
    expect(stats).toMatchObject({ throttled429: throttled.length, retries: throttled.length, requests: log.length });
    // Retry-After was 1 s: after the first 429 nothing reached ARM until that second had passed
    // (requests already on their way arrive at the same instant).
    const first = Date.parse(throttled[0]!.time);
    const early = log.filter((r) => { const t = Date.parse(r.time); return t > first && t < first + 1000; });
    expect(early).toEqual([]);
    expect(Math.max(...log.map((r) => Date.parse(r.time)))).toBeGreaterThanOrEqual(first + 1000);
  });
});
