// A sync the UI tests script: startSync records the plan path and hands the test the UI's observer, so a
// test reports `started` (the journal so far) and feeds SyncRecords as syncPlanFile would (already
// fsynced), then ends the run with an outcome. Pause, resume and abort calls are recorded.
import type { SyncEvent, SyncRecord } from "../../src/domain/sync-journal.js";
import type { SyncActions, SyncObserver, SyncOutcome } from "../../src/ui/sync-view.js";
import { T0 } from "./ui-run.js";

/** A sync record `seconds` after T0 (seq counts up per call of the returned function). */
export function syncRecordMaker(runId = "sync-1") {
  let seq = 0;
  return (seconds: number, event: SyncEvent): SyncRecord =>
    ({ ...event, v: 1, seq: ++seq, at: new Date(T0 + seconds * 1000).toISOString(), runId });
}

export function scriptedSync() {
  const calls: string[] = [];
  const started: string[] = [];
  let observer: SyncObserver = { started: () => undefined, record: () => undefined };
  let settle: { resolve(o: { outcome: SyncOutcome }): void; reject(e: unknown): void } = { resolve: () => undefined, reject: () => undefined };
  const syncs: SyncActions = {
    startSync(planPath, o) {
      started.push(planPath);
      observer = o;
      const done = new Promise<{ outcome: SyncOutcome }>((resolve, reject) => { settle = { resolve, reject }; });
      return { done, pause: () => calls.push("pause"), resume: () => calls.push("resume"), abort: () => calls.push("abort") };
    },
    commandLine: (planPath) => `ahds-migrate --profile p.json sync ${planPath}`,
  };
  return {
    syncs, calls, started,
    begin: (prior: SyncRecord[] = [], roundIntervalMs = 900_000) => observer.started({ prior, roundIntervalMs }),
    emit: (...records: SyncRecord[]) => { for (const r of records) observer.record(r); },
    finish: (outcome: SyncOutcome) => settle.resolve({ outcome }),
    fail: (e: unknown) => settle.reject(e),
  };
}
