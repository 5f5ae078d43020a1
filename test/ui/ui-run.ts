// A run the UI tests script: startRun records the plan and hands the test the UI's onEvent, so a test
// feeds JournalRecords as runPlan would (already journaled), then ends the run with an outcome. Pause,
// resume and abort calls are recorded; stats are whatever the test sets. Also a ticker the test turns.
import type { JournalRecord, JournalRecordType } from "../../src/domain/journal.js";
import type { Plan } from "../../src/domain/plan.js";
import type { RunActions, RunOutcome, RunStats, VerifyResult } from "../../src/ui/run-view.js";

export const T0 = Date.parse("2026-11-28T10:00:00.000Z");

/** A journal record `seconds` after T0 (seq counts up per call of the returned function). */
export function recordMaker(runId = "run-1") {
  let seq = 0;
  return (type: JournalRecordType, seconds: number, extra: Partial<JournalRecord> = {}): JournalRecord =>
    ({ v: 1, seq: ++seq, at: new Date(T0 + seconds * 1000).toISOString(), runId, type, ...extra });
}

export function scriptedRun(o: { verify?: (plan: Plan) => Promise<VerifyResult>; startError?: Error } = {}) {
  const calls: string[] = [];
  const started: Plan[] = [];
  let onEvent: (r: JournalRecord) => void = () => undefined;
  let settle: { resolve(o: { outcome: RunOutcome }): void; reject(e: unknown): void } = { resolve: () => undefined, reject: () => undefined };
  let stats: RunStats = { requestsPerSecond: 0, throttled429: 0 };
  const runs: RunActions = {
    startRun(plan, listener) {
      if (o.startError) throw o.startError;
      started.push(plan);
      onEvent = listener;
      const done = new Promise<{ outcome: RunOutcome }>((resolve, reject) => { settle = { resolve, reject }; });
      return { done, pause: () => calls.push("pause"), resume: () => calls.push("resume"), abort: () => calls.push("abort"), stats: () => stats };
    },
    ...(o.verify ? { verify: o.verify } : {}),
  };
  return {
    runs, calls, started,
    emit: (...records: JournalRecord[]) => { for (const r of records) onEvent(r); },
    finish: (outcome: RunOutcome) => settle.resolve({ outcome }),
    fail: (e: unknown) => settle.reject(e),
    setStats: (s: RunStats) => { stats = s; },
  };
}

/** A ticker and clock the test drives: `tick(seconds)` moves the clock and fires the UI's tick. */
export function manualClock() {
  let now = T0;
  const listeners = new Set<() => void>();
  return {
    now: () => now,
    ticker: (onTick: () => void) => { listeners.add(onTick); return () => { listeners.delete(onTick); }; },
    tick(seconds: number) { now = T0 + seconds * 1000; for (const l of listeners) l(); },
    live: () => listeners.size,
  };
}
