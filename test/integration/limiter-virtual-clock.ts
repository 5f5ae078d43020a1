// A virtual clock for the limiter and the sandbox together: `sleep(ms)` moves time forward to the
// sleeper's deadline at once (never backwards), so buckets refill, Retry-After pauses pass and back-off
// ends without waiting, and both sides agree on what time it is. `sleeps` records every wait asked for.
import type { Clock } from "../../src/azure/limiter-clock.js";

export interface VirtualClock extends Clock {
  /** Moves time forward (a test's "later"). */
  advance(ms: number): void;
  sleeps: number[];
}

export function virtualClock(start = Date.parse("2026-06-01T00:00:00Z")): VirtualClock {
  let t = start;
  const sleeps: number[] = [];
  return {
    now: () => t,
    advance(ms) { t += ms; },
    sleeps,
    sleep(ms, abortSignal) {
      sleeps.push(ms);
      const deadline = t + Math.max(0, ms);
      return new Promise<void>((resolve, reject) => {
        // One macrotask turn, so sleepers and responses interleave as they would with timers.
        setImmediate(() => {
          if (abortSignal?.aborted) {
            reject(abortSignal.reason instanceof Error ? abortSignal.reason : Object.assign(new Error("aborted"), { name: "AbortError" }));
            return;
          }
          if (deadline > t) t = deadline;
          resolve();
        });
      });
    },
  };
}
