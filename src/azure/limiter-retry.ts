// Which outcomes of one attempt the limiter retries, and how long it waits — the same rules as the SDK's
// defaultRetryPolicy (azure-facts §4.1 "Azure SDK defaults", SDK-RECIPE §7), applied once, by us:
// 429 (and 503) honour retry-after-ms / x-ms-retry-after-ms / Retry-After; 408 and 5xx except 501/505 and
// transport errors back off exponentially with jitter; a 429 without Retry-After backs off too (the SDK
// would not retry it at all, but ARM's bucket refills, so waiting helps).
import { retryAfterMsFrom } from "./errors.js";
import type { LimitedService } from "./limiter-request.js";

/** Node/undici error codes of a connection that failed or broke (the SDK's exponential strategy list). */
const TRANSPORT_CODES = new Set(["ECONNRESET", "ECONNREFUSED", "ETIMEDOUT", "ESOCKETTIMEDOUT", "ENOTFOUND", "ENOENT",
  "EPIPE", "EAI_AGAIN", "REQUEST_SEND_ERROR"]);

export interface AttemptOutcome {
  /** HTTP status, when an answer came back (as a response or inside a RestError). */
  status?: number;
  header(name: string): string | undefined;
  /** `code` of a thrown error without a status. */
  errorCode?: string;
  errorMessage?: string;
}

export type RetryVerdict =
  | { retry: false }
  | { retry: true; throttled: boolean; /** Server-named wait, when it sent one. */ retryAfterMs?: number;
      /** Fewer attempts than the limiter's default for this outcome. */ maxAttempts?: number };

/**
 * A host that does not resolve (ENOTFOUND; behind a proxy, a 502 for a vault host — Key Vault itself does
 * not answer 502) is a vault that is gone, not a hiccup: FINDINGS.md "Vault gone" asks for a *bounded*
 * retry, so one retry, not the full budget with back-off (seconds per vanished vault).
 */
const HOST_GONE_ATTEMPTS = 2;
const HOST_GONE_CODES = new Set(["ENOTFOUND", "EAI_AGAIN"]);

export function retryVerdict(o: AttemptOutcome, nowMs: number, service: LimitedService = "arm"): RetryVerdict {
  const s = o.status;
  if ((s === undefined && o.errorCode !== undefined && HOST_GONE_CODES.has(o.errorCode)) || (s === 502 && service === "keyvault")) {
    return { retry: true, throttled: false, maxAttempts: HOST_GONE_ATTEMPTS };
  }
  if (s === undefined) {
    const transport = (o.errorCode !== undefined && TRANSPORT_CODES.has(o.errorCode)) || /socket hang up/i.test(o.errorMessage ?? "");
    return transport ? { retry: true, throttled: false } : { retry: false };
  }
  if (s === 429 || s === 503) {
    const retryAfterMs = retryAfterMsFrom((h) => o.header(h), nowMs);
    return { retry: true, throttled: s === 429, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }
  if (s === 408 || (s >= 500 && s !== 501 && s !== 505)) return { retry: true, throttled: false };
  return { retry: false };
}

/** Exponential back-off for retry number `retry` (1-based): half fixed, half random, capped. */
export function backoffMs(retry: number, baseMs: number, maxMs: number, random: () => number): number {
  const capped = Math.min(maxMs, baseMs * 2 ** Math.max(0, retry - 1));
  return Math.round(capped / 2 + random() * (capped / 2));
}
