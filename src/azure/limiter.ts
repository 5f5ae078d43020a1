// The one rate limiter every Azure request of a session goes through (DESIGN.md "Rate limits live in
// src/azure"): a p-queue bounds the requests in flight, per-subscription token buckets pace ARM reads,
// writes and deletes (Azure's own sizes, azure-facts §4.1), and one retry budget replaces the SDK's
// default retries — clients are built with `retryOptions: { maxRetries: 0 }` (azure-session.ts), so a
// 429 or 503 is never retried 3 × 3 times. The buckets are corrected by what ARM says remains
// (`x-ms-ratelimit-remaining-*`) and paused by a 429's Retry-After. Key Vault and Graph requests share the
// queue and the retry budget but not the ARM buckets (Key Vault limits are per vault).
// A caller may run reads at a priority (`prioritized`): when requests wait for the queue, higher-priority
// ones go first, so the critical path of a discovery (key reads) does not queue behind hundreds of
// independent listings that could fill idle slots later.
import { AsyncLocalStorage } from "node:async_hooks";
import PQueue from "p-queue";
import { RestError, type PipelinePolicy, type PipelineRequest, type PipelineResponse, type SendRequest } from "@azure/core-rest-pipeline";
import { TokenBucket } from "./limiter-bucket.js";
import { abortError, realClock, type Clock } from "./limiter-clock.js";
import { armKindOf, armScopeOf, remainingHeaderOf, type ArmOperationKind, type LimitedService } from "./limiter-request.js";
import { backoffMs, retryVerdict } from "./limiter-retry.js";
import { childSignal } from "./signal-fanout.js";

/** [bucket size, refill per second]. */
export type BucketSetting = [size: number, refillPerSecond: number];

export interface ArmLimiterOptions {
  /** Requests in flight at once, all services together (default 16). */
  concurrency?: number;
  /** Per subscription (and for the tenant scope); defaults are ARM's: reads 250/25, writes 200/10, deletes 200/10. */
  buckets?: Partial<Record<"reads" | "writes" | "deletes", BucketSetting>>;
  /** Attempts per request, the first included (default 5). */
  maxAttempts?: number;
  /** Retries the whole limiter may spend (default 100); each answered, non-retried attempt earns back `retryBudgetRefill`. */
  retryBudget?: number;
  /** Budget earned back per successful attempt (default 0.1: at most one retry per ten good requests, in the long run). */
  retryBudgetRefill?: number;
  /** First exponential back-off step (default 1000 ms, the SDK's) and its cap (default 30000 ms). */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /**
   * One attempt's time from send to the whole answer (default 100 s, the Azure SDK for .NET's network
   * timeout). A request with no answer by then (a half-open kept-alive tunnel) is aborted and retried as
   * a transport error — without it one hung GET or PUT blocks its step and the run forever (issue 8).
   */
  attemptTimeoutMs?: number;
  /** Longest Retry-After honoured (default 300 s): a larger one is waited this long, then the request retried. */
  maxRetryAfterMs?: number;
  /** Attempts for a request the server keeps throttling with Retry-After (default 20; those retries cost no budget). */
  maxThrottledAttempts?: number;
  clock?: Clock;
  /** Jitter source (default Math.random). */
  random?: () => number;
}

/** "fhir": the FHIR data planes of the data copy (issue 11 §7), a budget of their own beside ARM's. */
export type LimitedKind = ArmOperationKind | "keyvault" | "graph" | "fhir";

export interface LimiterStats {
  /** Attempts sent (a retry is another request; a Key Vault 401 challenge round trip is inside one attempt). */
  requests: number;
  retries: number;
  /** 429 answers seen (each was handled here, none by an SDK retry policy). */
  throttled429: number;
  /** Attempts abandoned at the attempt timeout (no answer in time). */
  timeouts: number;
  /** Clock time spent waiting for bucket tokens, Retry-After pauses and back-off. */
  waitedMs: number;
  byKind: Record<LimitedKind, number>;
  inFlight: number;
  maxInFlight: number;
  retryBudgetLeft: number;
}

export const LIMITER_POLICY_NAME = "ahdsMigrateLimiterPolicy";
/** The Azure SDK for .NET's default network timeout per attempt (issue 8: none was set at all). */
export const DEFAULT_ATTEMPT_TIMEOUT_MS = 100_000;
/** Retry-After above this (a bogus hour, a clock skew) is cut to it; src/azure/README.md says so. */
export const MAX_RETRY_AFTER_MS = 300_000;

/** Queue priorities (p-queue: higher first); requests made outside `prioritized` run at NORMAL. */
export const PRIORITY = { LOW: -1, NORMAL: 0, HIGH: 1, CRITICAL: 2 } as const;

const DEFAULT_BUCKETS: Record<ArmOperationKind, BucketSetting> = { read: [250, 25], write: [200, 10], delete: [200, 10] };

interface BucketState {
  bucket: TokenBucket;
  /** Requests holding a token whose answer has not been read yet (not yet counted in ARM's header, maybe). */
  inFlight: number;
  /** Token takers wait in line (FIFO) instead of all waking at once. */
  tail: Promise<void>;
}

export class ArmLimiter {
  readonly concurrency: number;
  private readonly queue: PQueue;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly settings: Record<ArmOperationKind, BucketSetting>;
  private readonly buckets = new Map<string, BucketState>();
  private readonly maxAttempts: number;
  private readonly budgetSize: number;
  private readonly budgetRefill: number;
  private readonly retryDelayMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly attemptTimeoutMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly maxThrottledAttempts: number;
  private budget: number;
  private readonly counters: Omit<LimiterStats, "retryBudgetLeft" | "byKind"> = {
    requests: 0, retries: 0, throttled429: 0, timeouts: 0, waitedMs: 0, inFlight: 0, maxInFlight: 0,
  };
  private readonly byKind: Record<LimitedKind, number> = { read: 0, write: 0, delete: 0, keyvault: 0, graph: 0, fhir: 0 };
  /** The priority of the requests `fn` of `prioritized` starts (async context: SDK pipelines and pagers inherit it). */
  private readonly priority = new AsyncLocalStorage<number>();

  constructor(options: ArmLimiterOptions = {}) {
    this.concurrency = options.concurrency ?? 16;
    this.queue = new PQueue({ concurrency: this.concurrency });
    this.clock = options.clock ?? realClock;
    this.random = options.random ?? Math.random;
    const b = options.buckets ?? {};
    this.settings = { read: b.reads ?? DEFAULT_BUCKETS.read, write: b.writes ?? DEFAULT_BUCKETS.write,
      delete: b.deletes ?? DEFAULT_BUCKETS.delete };
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 5);
    this.budgetSize = options.retryBudget ?? 100;
    this.budget = this.budgetSize;
    this.budgetRefill = options.retryBudgetRefill ?? 0.1;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 30_000;
    this.attemptTimeoutMs = options.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? MAX_RETRY_AFTER_MS;
    this.maxThrottledAttempts = options.maxThrottledAttempts ?? 20;
  }

  /**
   * The pipeline policy for one service's clients. It must run before the bearer-token / Key Vault challenge
   * policy (clients.ts places it), so a token is fetched after the wait and a 401 challenge round trip
   * happens inside one attempt, and before the SDK's retry policy, which is switched off.
   */
  policy(service: LimitedService): PipelinePolicy {
    return { name: LIMITER_POLICY_NAME, sendRequest: (request, next) => this.send(service, request, next) };
  }

  /**
   * Runs `fn`; every request it starts (directly, through pagers, retries and the Key Vault challenge) waits
   * in the queue at `priority` instead of NORMAL. Order only: buckets, budget and concurrency are unchanged.
   */
  prioritized<T>(priority: number, fn: () => T): T {
    return this.priority.run(priority, fn);
  }

  stats(): LimiterStats {
    return { ...this.counters, byKind: { ...this.byKind }, retryBudgetLeft: Math.floor(this.budget) };
  }

  /** Tokens the local bucket of `scope` ("tenant" or a subscription id) and kind holds now. */
  tokensAvailable(scope: string, kind: ArmOperationKind): number {
    return this.bucketOf(scope.toLowerCase(), kind).bucket.available(this.clock.now());
  }

  /** Resolves when no request is queued or running. */
  onIdle(): Promise<void> {
    return this.queue.onIdle();
  }

  private bucketOf(scope: string, kind: ArmOperationKind): BucketState {
    const key = `${scope}|${kind}`;
    let s = this.buckets.get(key);
    if (!s) {
      const [size, refill] = this.settings[kind];
      s = { bucket: new TokenBucket(size, refill, this.clock.now()), inFlight: 0, tail: Promise.resolve() };
      this.buckets.set(key, s);
    }
    return s;
  }

  private takeToken(s: BucketState, signal: AbortSignal | undefined): Promise<void> {
    const turn = s.tail.then(async () => {
      for (;;) {
        if (signal?.aborted) throw abortError(signal);
        const wait = s.bucket.take(this.clock.now());
        if (wait === 0) return;
        this.counters.waitedMs += wait;
        await this.clock.sleep(wait, signal);
      }
    });
    s.tail = turn.catch(() => undefined);
    return signal ? raceAbort(turn, signal) : turn;
  }

  private async wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
    if (ms <= 0) return;
    this.counters.waitedMs += ms;
    await this.clock.sleep(ms, signal);
  }

  private async send(service: LimitedService, request: PipelineRequest, next: SendRequest): Promise<PipelineResponse> {
    // This request's own child of the caller's (shared) signal: every listener below hangs on it, not on
    // the shared one (signal-fanout.ts).
    const shared = toAbortSignal(request.abortSignal);
    const child = shared ? childSignal(shared) : undefined;
    try {
      return await this.sendWith(service, request, next, child?.signal);
    } finally {
      child?.release();
    }
  }

  private async sendWith(service: LimitedService, request: PipelineRequest, next: SendRequest,
    signal: AbortSignal | undefined): Promise<PipelineResponse> {
    const arm = service === "arm" ? { scope: armScopeOf(request.url), kind: armKindOf(request.method) } : undefined;
    const bucket = arm ? this.bucketOf(arm.scope, arm.kind) : undefined;
    const kind: LimitedKind = arm?.kind ?? (service as "keyvault" | "graph" | "fhir");
    const priority = this.priority.getStore() ?? PRIORITY.NORMAL;
    for (let attempt = 1; ; attempt++) {
      if (bucket) await this.takeToken(bucket, signal);
      if (bucket) bucket.inFlight++;
      let response: PipelineResponse | undefined;
      let error: unknown;
      // The attempt's own deadline, started when it is sent (not while it waits in the queue).
      const attemptTimer = new AbortController();
      try {
        response = await this.queue.add(async () => {
          this.counters.requests++;
          this.byKind[kind]++;
          this.counters.inFlight++;
          this.counters.maxInFlight = Math.max(this.counters.maxInFlight, this.counters.inFlight);
          const original = request.abortSignal;
          const timer = setTimeout(() => attemptTimer.abort(), this.attemptTimeoutMs);
          timer.unref?.();
          request.abortSignal = signal ? AbortSignal.any([signal, attemptTimer.signal]) : attemptTimer.signal;
          try {
            return await next(request);
          } finally {
            clearTimeout(timer);
            request.abortSignal = original;
            this.counters.inFlight--;
          }
        }, { priority, ...(signal ? { signal } : {}) });
      } catch (e) {
        error = e;
      }
      if (attemptTimer.signal.aborted && !signal?.aborted) {
        // Not the caller's abort: no answer in time. A transport error, retried like a dropped connection.
        this.counters.timeouts++;
        // A RestError without a status, like any transport failure the SDK reports (errors.ts maps it).
        error = new RestError(`No answer from ${hostOf(request.url)} within ${Math.round(this.attemptTimeoutMs / 1000)} s `
          + "(per-attempt timeout; the request was abandoned).", { code: "ETIMEDOUT", request });
        response = undefined;
      }
      const now = this.clock.now();
      // A classic client's deserialization policy (inside this one) throws a RestError carrying the response.
      const failed = error as { statusCode?: number; code?: string; message?: string; response?: PipelineResponse } | undefined;
      const status = response?.status ?? failed?.statusCode;
      const headers = response?.headers ?? failed?.response?.headers;
      const header = (name: string) => headers?.get(name);
      if (bucket && arm) {
        const remaining = Number(header(remainingHeaderOf(arm.scope, arm.kind)) ?? NaN);
        if (Number.isFinite(remaining)) bucket.bucket.clamp(remaining, bucket.inFlight - 1, now);
        bucket.inFlight--;
      }
      if (signal?.aborted) throw error ?? abortError(signal);
      const verdict = retryVerdict({ status, header, errorCode: failed?.code, errorMessage: failed?.message }, now, service);
      if (verdict.retry && verdict.throttled) {
        this.counters.throttled429++;
        // Nothing more goes to this subscription and kind until Retry-After has passed (Learn: a request sent
        // earlier is not processed and gets a new Retry-After).
        if (bucket) bucket.bucket.pause(now + Math.min(verdict.retryAfterMs ?? 0, this.maxRetryAfterMs), now);
      }
      if (!verdict.retry) {
        if (error === undefined) this.budget = Math.min(this.budgetSize, this.budget + this.budgetRefill);
        if (error !== undefined) throw error;
        return response!;
      }
      // A 429 the server timed (Retry-After) is the server pacing us, not an error: it costs no retry
      // budget (issue 8: 120 throttled PUTs in a row spent it, failing steps from #111 on), only attempts.
      const timed = verdict.throttled && verdict.retryAfterMs !== undefined;
      const attempts = timed ? this.maxThrottledAttempts : Math.min(this.maxAttempts, verdict.maxAttempts ?? Infinity);
      if (attempt >= attempts || (!timed && this.budget < 1)) {
        // Out of attempts: the caller gets the last answer (or error) exactly as the SDK would have.
        if (error !== undefined) throw error;
        return response!;
      }
      if (!timed) this.budget -= 1;
      this.counters.retries++;
      const throttledArm = verdict.throttled && bucket && verdict.retryAfterMs !== undefined;
      // A paused bucket already holds the request until Retry-After; anything else waits here.
      if (!throttledArm) {
        await this.wait(verdict.retryAfterMs !== undefined ? Math.min(verdict.retryAfterMs, this.maxRetryAfterMs)
          : backoffMs(attempt, this.retryDelayMs, this.maxRetryDelayMs, this.random), signal);
      }
    }
  }
}

/** core-rest-pipeline types the request's signal as AbortSignalLike; p-queue and timers need a real one. */
function toAbortSignal(like: PipelineRequest["abortSignal"]): AbortSignal | undefined {
  if (!like || like instanceof AbortSignal) return like as AbortSignal | undefined;
  const c = new AbortController();
  if (like.aborted) c.abort();
  else like.addEventListener("abort", () => c.abort(), { once: true });
  return c.signal;
}

function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortError(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    p.then((v) => { signal.removeEventListener("abort", onAbort); resolve(v); },
      (e: unknown) => { signal.removeEventListener("abort", onAbort); reject(e); });
  });
}

function hostOf(url: string): string {
  try { return new URL(url).host; } catch { return "Azure"; }
}
