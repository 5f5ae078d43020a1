// The clock the limiter waits on (STYLE.md "Inject a Clock into anything that waits"): real timers in
// the product, a fake in tests so refills, Retry-After pauses and back-off run without sleeping.

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason (an AbortError) when it is aborted first. */
  sleep(ms: number, abortSignal?: AbortSignal): Promise<void>;
}

export function abortError(signal?: AbortSignal): Error {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error) return reason;
  const e = new Error("The operation was aborted.");
  e.name = "AbortError";
  return e;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep(ms, abortSignal) {
    if (abortSignal?.aborted) return Promise.reject(abortError(abortSignal));
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        clearTimeout(timer);
        reject(abortError(abortSignal));
      };
      const timer = setTimeout(() => {
        abortSignal?.removeEventListener("abort", onAbort);
        resolve();
      }, Math.max(0, ms));
      abortSignal?.addEventListener("abort", onAbort, { once: true });
    });
  },
};
