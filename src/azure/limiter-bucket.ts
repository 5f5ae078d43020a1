// One ARM token bucket (azure-facts §4.1: ARM throttles per subscription/tenant, principal and operation
// kind with a bucket of N tokens refilled R per second). The limiter keeps a local copy per subscription
// and kind; ARM's own count, read from `x-ms-ratelimit-remaining-*`, can only lower it, never raise it, so a
// stale or reordered header is harmless. Pure: time comes in as an argument.

/** Refill is fractional; without slack, 0.1 + 0.2 style rounding would ask for a 1 ms extra wait. */
const EPSILON = 1e-6;

export class TokenBucket {
  private tokens: number;
  /** Time (epoch ms) up to which `tokens` is accounted. */
  private at: number;
  private pausedUntil = 0;

  constructor(readonly size: number, readonly refillPerSecond: number, now: number) {
    this.tokens = size;
    this.at = now;
  }

  private refill(now: number): void {
    if (now <= this.at) return;
    this.tokens = Math.min(this.size, this.tokens + ((now - this.at) / 1000) * this.refillPerSecond);
    this.at = now;
  }

  /** Takes a token and returns 0, or returns how many ms to wait before asking again. */
  take(now: number): number {
    if (now < this.pausedUntil) return this.pausedUntil - now;
    this.refill(now);
    if (this.tokens >= 1 - EPSILON) {
      this.tokens -= 1;
      return 0;
    }
    if (this.refillPerSecond <= 0) return 60_000;
    return Math.max(1, Math.ceil(((1 - this.tokens) / this.refillPerSecond) * 1000 - EPSILON));
  }

  /**
   * ARM says `remaining` tokens are left after one of our requests; `inFlight` other requests of this bucket
   * may not be counted in it yet, so assume they will be. May go below zero: the debt is paid back by refill.
   */
  clamp(remaining: number, inFlight: number, now: number): void {
    this.refill(now);
    this.tokens = Math.min(this.tokens, remaining - inFlight);
  }

  /**
   * A 429 said "retry after `untilMs`" (Learn, "Request limits and throttling": a request sent before then
   * is not processed). Nothing goes out before that time; ARM answers at least one request then, and the
   * bucket refills from there.
   */
  pause(untilMs: number, now: number): void {
    this.refill(now);
    if (untilMs <= now) {
      this.tokens = Math.min(this.tokens, 1);
      return;
    }
    this.pausedUntil = Math.max(this.pausedUntil, untilMs);
    this.tokens = 1;
    this.at = this.pausedUntil;
  }

  /** Tokens available at `now` (for stats and tests). */
  available(now: number): number {
    if (now < this.pausedUntil) return 0;
    this.refill(now);
    return this.tokens;
  }
}
