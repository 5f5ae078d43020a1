// The limiter's policy driven with scripted answers and a virtual clock: pacing per subscription and
// kind, ARM's remaining-count clamp, Retry-After pauses, back-off, the retry budget, abort and concurrency.
// (The same behaviour through the real SDK clients and the sandbox: test/integration/limiter-*.test.ts.)
import { describe, expect, it } from "vitest";
import { createHttpHeaders, createPipelineRequest, RestError, type PipelineRequest, type PipelineResponse } from "@azure/core-rest-pipeline";
import { ArmLimiter, PRIORITY, type ArmLimiterOptions } from "./limiter.js";
import { toDomainError } from "./errors.js";
import { virtualClock } from "../../test/integration/limiter-virtual-clock.js";

const SUB_A = "aaaaaaaa-0000-4000-8000-000000000001";
const SUB_B = "bbbbbbbb-0000-4000-8000-000000000002";
const arm = (sub: string | null, method = "GET") => createPipelineRequest({
  url: sub ? `https://management.azure.com/subscriptions/${sub}/providers/Microsoft.KeyVault/vaults?api-version=2026-02-01`
    : "https://management.azure.com/subscriptions?api-version=2022-12-01", method: method as "GET",
});

type Answer = { status: number; headers?: Record<string, string> } | { throws: Error };

function answer(request: PipelineRequest, a: Answer): PipelineResponse {
  if ("throws" in a) throw a.throws;
  return { request, status: a.status, headers: createHttpHeaders(a.headers ?? {}), bodyAsText: "{}" };
}

function setup(opts: ArmLimiterOptions, script: (req: PipelineRequest, n: number) => Answer = () => ({ status: 200 })) {
  const clock = virtualClock();
  const limiter = new ArmLimiter({ clock, random: () => 0.5, ...opts });
  const sent: { url: string; method: string; at: number }[] = [];
  const policy = limiter.policy("arm");
  const send = (req: PipelineRequest) => policy.sendRequest(req, async (r) => {
    sent.push({ url: r.url, method: r.method, at: clock.now() });
    return answer(r, script(r, sent.length));
  });
  return { clock, limiter, sent, send, start: clock.now() };
}

describe("ArmLimiter buckets", () => {
  it("paces reads of one subscription to its bucket and leaves other subscriptions, kinds and the tenant alone", async () => {
    const t = setup({ buckets: { reads: [3, 2] } });
    await Promise.all(Array.from({ length: 5 }, () => t.send(arm(SUB_A))));
    expect(t.sent.map((s) => s.at - t.start)).toEqual([0, 0, 0, 500, 1000]);
    const before = t.clock.now();
    await Promise.all([t.send(arm(SUB_B)), t.send(arm(SUB_A, "PUT")), t.send(arm(null))]);
    expect(t.sent.slice(5).every((s) => s.at === before)).toBe(true);
    expect(t.limiter.stats()).toMatchObject({ requests: 8, retries: 0, byKind: { read: 7, write: 1 }, waitedMs: 1000 });
  });

  it("lowers its bucket to what ARM says remains", async () => {
    const t = setup({ buckets: { reads: [250, 25] } },
      () => ({ status: 200, headers: { "x-ms-ratelimit-remaining-subscription-reads": "0" } }));
    await t.send(arm(SUB_A));
    expect(t.limiter.tokensAvailable(SUB_A, "read")).toBe(0);
    await t.send(arm(SUB_A));
    expect(t.sent[1]!.at - t.sent[0]!.at).toBe(40);
  });

  it("reads the tenant header for tenant-level calls", async () => {
    const t = setup({}, () => ({ status: 200, headers: { "x-ms-ratelimit-remaining-tenant-reads": "7",
      "x-ms-ratelimit-remaining-subscription-reads": "0" } }));
    await t.send(arm(null));
    expect(t.limiter.tokensAvailable("tenant", "read")).toBe(7);
  });

  it("on 429 pauses that subscription's bucket for Retry-After, then retries, while writes go on", async () => {
    const t = setup({}, (r, n) => (n === 1 ? { status: 429, headers: { "retry-after": "2" } } : { status: 200 }));
    const read = t.send(arm(SUB_A));
    const response = await read;
    expect(response.status).toBe(200);
    expect(t.sent.map((s) => s.at - t.start)).toEqual([0, 2000]);
    expect(t.limiter.stats()).toMatchObject({ requests: 2, retries: 1, throttled429: 1 });
    const at = t.clock.now();
    await t.send(arm(SUB_A, "PUT"));
    expect(t.sent[2]!.at).toBe(at);
  });

  it("holds every queued read of a paused subscription until Retry-After has passed", async () => {
    const t = setup({}, (r, n) => (n === 1 ? { status: 429, headers: { "retry-after-ms": "1500" } } : { status: 200 }));
    await t.send(arm(SUB_A));
    const pausedAt = t.sent[0]!.at;
    expect(t.sent[1]!.at - pausedAt).toBe(1500);
  });

  it("backs off exponentially on a 429 without Retry-After", async () => {
    const t = setup({ retryDelayMs: 100 }, (r, n) => (n <= 2 ? { status: 429 } : { status: 200 }));
    await t.send(arm(SUB_A));
    // random 0.5 → 75 % of 100 ms, then of 200 ms
    expect(t.sent.map((s) => s.at - t.start)).toEqual([0, 75, 75 + 150]);
  });
});

describe("ArmLimiter retries", () => {
  it("retries 503, 500, 408 and transport errors, not 404", async () => {
    const answers: Answer[] = [{ status: 503 }, { status: 500 }, { status: 408 },
      { throws: new RestError("socket hang up", { code: "ECONNRESET" }) }, { status: 200 }];
    const t = setup({ retryDelayMs: 10, maxAttempts: 5 }, (r, n) => answers[n - 1]!);
    expect((await t.send(arm(SUB_A))).status).toBe(200);
    expect(t.limiter.stats().retries).toBe(4);
    const u = setup({}, () => ({ status: 404 }));
    expect((await u.send(arm(SUB_A))).status).toBe(404);
    expect(u.limiter.stats().requests).toBe(1);
  });

  it("does not retry 501 or an unknown error", async () => {
    const t = setup({}, () => ({ status: 501 }));
    expect((await t.send(arm(SUB_A))).status).toBe(501);
    const u = setup({}, () => ({ throws: new TypeError("boom") }));
    await expect(u.send(arm(SUB_A))).rejects.toThrow("boom");
    expect(t.limiter.stats().requests + u.limiter.stats().requests).toBe(2);
  });

  it("retries a host that does not resolve once, not the full budget (FINDINGS.md: vault gone after a bounded retry)", async () => {
    const t = setup({ maxAttempts: 5, retryDelayMs: 10 }, () => ({ throws: new RestError("getaddrinfo ENOTFOUND x.vault.azure.net", { code: "ENOTFOUND" }) }));
    await expect(t.send(arm(SUB_A))).rejects.toThrow("ENOTFOUND");
    expect(t.sent).toHaveLength(2);
    // A 502 is a transient ARM failure worth the full budget on ARM…
    const u = setup({ maxAttempts: 5, retryDelayMs: 10 }, () => ({ status: 502 }));
    expect((await u.send(arm(SUB_A))).status).toBe(502);
    expect(u.sent).toHaveLength(5);
  });

  it("returns the last answer after maxAttempts, which the SDK turns into an AzureError", async () => {
    const t = setup({ maxAttempts: 3, retryDelayMs: 10 }, () => ({ status: 503, headers: { "x-ms-request-id": "r-1" } }));
    const response = await t.send(arm(SUB_A));
    expect(response.status).toBe(503);
    expect(t.sent).toHaveLength(3);
  });

  it("rethrows the last RestError (a classic client's deserialization throws one), mapped to a retryable AzureError", async () => {
    const t = setup({ maxAttempts: 4, retryDelayMs: 10 }, (req) => {
      const response = answer(req, { status: 500, headers: { "x-ms-request-id": "11111111-2222-4333-8444-555555555555" } });
      return { throws: new RestError("Internal error", { statusCode: 500, code: "InternalServerError", request: req, response }) };
    });
    const err = await t.send(arm(SUB_A)).then(() => undefined, (e: unknown) => e);
    expect(t.sent).toHaveLength(4);
    expect(toDomainError(err, "the vault list")).toMatchObject({ name: "AzureError", status: 500, code: "InternalServerError",
      retryable: true, requestId: "11111111-2222-4333-8444-555555555555" });
  });

  it("stops retrying anywhere once the limiter-wide budget is spent", async () => {
    const t = setup({ retryBudget: 2, retryBudgetRefill: 0, retryDelayMs: 10 }, () => ({ status: 500 }));
    await t.send(arm(SUB_A));
    await t.send(arm(SUB_B));
    expect(t.sent).toHaveLength(4); // 1 + 2 retries, then 1 with no budget left
    expect(t.limiter.stats()).toMatchObject({ retries: 2, retryBudgetLeft: 0 });
  });

  it("a 429 with Retry-After costs no retry budget: 120 throttled PUTs in a row all succeed (issue 8)", async () => {
    // Each PUT is throttled once (timed), then answered. Before: the budget of 100 ran out at #101 and the
    // 429 reached the caller (a failed step).
    const t = setup({ retryBudget: 100, retryBudgetRefill: 0 }, (_r, n) => (n % 2 === 1 ? { status: 429, headers: { "retry-after": "1" } } : { status: 201 }));
    const statuses: number[] = [];
    for (let i = 0; i < 120; i++) statuses.push((await t.send(arm(SUB_A, "PUT"))).status);
    expect(statuses.every((x) => x === 201)).toBe(true);
    expect(t.limiter.stats()).toMatchObject({ throttled429: 120, retries: 120, retryBudgetLeft: 100 });
  });

  it("caps Retry-After at maxRetryAfterMs and still bounds a request the server throttles forever", async () => {
    const t = setup({ maxRetryAfterMs: 5_000, maxThrottledAttempts: 4 }, () => ({ status: 429, headers: { "retry-after": "86400" } }));
    const r = await t.send(arm(SUB_A, "PUT"));
    expect(r.status).toBe(429);
    expect(t.sent.map((x) => x.at - t.start)).toEqual([0, 5_000, 10_000, 15_000]);
  });

  it("abandons an attempt with no answer within attemptTimeoutMs and retries it as a transport error", async () => {
    const limiter = new ArmLimiter({ attemptTimeoutMs: 30, retryDelayMs: 1, maxRetryDelayMs: 1 });
    let attempts = 0;
    const hang = (r: PipelineRequest) => new Promise<PipelineResponse>((_res, rej) => {
      // What the SDK's node client does on abort: reject with an AbortError.
      r.abortSignal!.addEventListener("abort", () => rej(Object.assign(new Error("The operation was aborted."), { name: "AbortError" })));
    });
    const res = await limiter.policy("arm").sendRequest(arm(SUB_A, "PUT"), async (r) => {
      attempts++;
      return attempts < 3 ? hang(r) : answer(r, { status: 200 });
    });
    expect(res.status).toBe(200);
    expect(limiter.stats()).toMatchObject({ timeouts: 2, retries: 2 });

    // Out of attempts: the caller gets a RestError without a status (a transport failure), mapped to a retryable AzureError.
    const always = new ArmLimiter({ attemptTimeoutMs: 20, maxAttempts: 2, retryDelayMs: 1, maxRetryDelayMs: 1 });
    const err = await always.policy("arm").sendRequest(arm(SUB_A, "PUT"), async (r) => hang(r)).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "RestError", code: "ETIMEDOUT" });
    expect(toDomainError(err, "the PUT")).toMatchObject({ name: "AzureError", code: "ETIMEDOUT", retryable: true });
  });

  it("a caller's abort during an attempt is the caller's, not a timeout", async () => {
    const limiter = new ArmLimiter({ attemptTimeoutMs: 10_000 });
    const ctrl = new AbortController();
    const req = createPipelineRequest({ url: arm(SUB_A).url, method: "GET", abortSignal: ctrl.signal });
    const p = limiter.policy("arm").sendRequest(req, (r) => new Promise<PipelineResponse>((_res, rej) => {
      r.abortSignal!.addEventListener("abort", () => rej(Object.assign(new Error("aborted"), { name: "AbortError" })));
      ctrl.abort();
    }));
    await expect(p).rejects.toMatchObject({ name: "AbortError" });
    expect(limiter.stats()).toMatchObject({ timeouts: 0, retries: 0 });
    expect(req.abortSignal).toBe(ctrl.signal);
  });

  it("rejects a request aborted while it waits for its bucket, without sending it", async () => {
    const t = setup({ buckets: { reads: [1, 0.001] } });
    await t.send(arm(SUB_A));
    const controller = new AbortController();
    const req = arm(SUB_A);
    req.abortSignal = controller.signal;
    const pending = t.send(req);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    expect(t.sent).toHaveLength(1);
  });
});

describe("ArmLimiter queue", () => {
  it("never has more than `concurrency` requests in flight, across services", async () => {
    const clock = virtualClock();
    const limiter = new ArmLimiter({ clock, concurrency: 3 });
    let inFlight = 0;
    let peak = 0;
    const next = async (request: PipelineRequest) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight--;
      return answer(request, { status: 200 });
    };
    const kv = createPipelineRequest({ url: "https://kv.vault.azure.net/keys/k/?api-version=2025-07-01" });
    await Promise.all([
      ...Array.from({ length: 10 }, () => limiter.policy("arm").sendRequest(arm(SUB_A), next)),
      ...Array.from({ length: 10 }, () => limiter.policy("keyvault").sendRequest(kv, next)),
    ]);
    expect(peak).toBe(3);
    expect(limiter.stats()).toMatchObject({ requests: 20, maxInFlight: 3, byKind: { read: 10, keyvault: 10 } });
  });

  it("lets requests started under prioritized() overtake waiting ones, in priority order, without changing concurrency", async () => {
    const clock = virtualClock();
    const limiter = new ArmLimiter({ clock, concurrency: 1 });
    const order: string[] = [];
    const next = (label: string) => async (request: PipelineRequest) => {
      order.push(label);
      await new Promise((r) => setImmediate(r));
      return answer(request, { status: 200 });
    };
    const send = (label: string) => limiter.policy("arm").sendRequest(arm(SUB_A), next(label));
    const kv = createPipelineRequest({ url: "https://kv.vault.azure.net/keys/k/?api-version=2025-07-01" });
    let release = () => {};
    const blocker = limiter.policy("keyvault").sendRequest(kv, async (request) => {
      order.push("running");
      await new Promise<void>((r) => (release = r));
      return answer(request, { status: 200 });
    });
    const rest = [
      send("normal-1"), send("normal-2"),
      limiter.prioritized(PRIORITY.LOW, () => send("low")),
      limiter.prioritized(PRIORITY.CRITICAL, async () => {
        // The priority follows the async context into awaited work, as an SDK pager or pipeline does.
        await Promise.resolve();
        return limiter.policy("keyvault").sendRequest(kv, next("critical"));
      }),
      limiter.prioritized(PRIORITY.HIGH, () => send("high")),
    ];
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r)); // all five reach the queue
    release();
    await Promise.all([blocker, ...rest]);
    expect(order).toEqual(["running", "critical", "high", "normal-1", "normal-2", "low"]);
  });
});
