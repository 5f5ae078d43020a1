import { describe, expect, it } from "vitest";
import type { SyncEvent, SyncRecord } from "../domain/sync-journal.js";
import { importBatches, nextSyncAction, replaySync } from "./sync-rounds.js";

const A = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.HealthcareApis/services/fhir-a";
const B = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.HealthcareApis/services/fhir-b";
const T1 = "2026-12-01T00:00:00.000Z";
const T2 = "2026-12-02T00:00:00.000Z";
const OPTS = { maxExportAttempts: 3 };
const url = (n: string) => `https://migstore.blob.core.windows.net/migration/${n}`;

function journal(...events: SyncEvent[]): SyncRecord[] {
  return events.map((e, i) => ({ ...e, v: 1, seq: i + 1, at: T1, runId: "r" }));
}
const next = (...events: SyncEvent[]) => nextSyncAction(replaySync(journal(...events), A), OPTS);

const planned: SyncEvent = { type: "round-planned", account: A, round: 1, since: null, till: T1 };
const sent: SyncEvent = { type: "export-kickoff-sent", account: A, round: 1, attempt: 1 };
const accepted: SyncEvent = { type: "export-accepted", account: A, round: 1, attempt: 1, statusUrl: "https://fhir-a.azurehealthcareapis.com/_operations/export/1" };
const completed = (outputs: { type: string; url: string; count: number }[]): SyncEvent =>
  ({ type: "export-completed", account: A, round: 1, transactionTime: T1, manifestSha256: "0".repeat(64), outputs });
const TWO = [{ type: "Patient", url: url("Patient-1.ndjson"), count: 3 }, { type: "Observation", url: url("Observation-1.ndjson"), count: 5 }];
const batch = (n: number, type: string, file: string): SyncEvent => ({ type: "import-batch-planned", account: A, round: 1, batch: n, inputs: [{ type, url: url(file) }] });
const importAccepted = (n: number): SyncEvent => ({ type: "import-accepted", account: A, round: 1, batch: n, statusUrl: `https://ws-fhir.fhir.azurehealthcareapis.com/_operations/import/${n}` });
const importDone = (n: number, type: string, imported: number, errors = 0): SyncEvent =>
  ({ type: "import-completed", account: A, round: 1, batch: n, imported: { [type]: imported }, errors: errors ? { [type]: errors } : {}, errorUrls: [] });

describe("replaySync + nextSyncAction: one account's rounds", () => {
  it("starts with round 1 from no watermark, and each later round from the last committed _till", () => {
    expect(next()).toEqual({ kind: "plan-round", round: 1, since: null });
    expect(next(planned, sent, accepted, completed([]), { type: "round-committed", account: A, round: 1, till: T1 }))
      .toEqual({ kind: "plan-round", round: 2, since: T1 });
  });

  it("sends the export again when the kick-off was journaled but never accepted, and polls a journaled status URL", () => {
    expect(next(planned)).toEqual({ kind: "kick-export", round: 1, attempt: 1, since: null, till: T1 });
    expect(next(planned, sent)).toEqual({ kind: "kick-export", round: 1, attempt: 2, since: null, till: T1 });
    expect(next(planned, sent, accepted)).toEqual({ kind: "poll-export", round: 1, statusUrl: (accepted as { statusUrl: string }).statusUrl, acceptedAt: T1 });
  });

  it("retries a failed export, then blocks the round after the attempts allowed, naming the last failure", () => {
    const failed = (attempt: number): SyncEvent => ({ type: "export-failed", account: A, round: 1, attempt, reason: "timeout", message: "no answer but 202 for 60 min" });
    expect(next(planned, sent, accepted, failed(1))).toMatchObject({ kind: "kick-export", attempt: 2 });
    const three = [planned, sent, accepted, failed(1), { ...sent, attempt: 2 } as SyncEvent, failed(2), { ...sent, attempt: 3 } as SyncEvent, failed(3)];
    expect(next(...three)).toEqual({ kind: "block", round: 1, reason: "the export failed 3 time(s); last: timeout: no answer but 202 for 60 min" });
  });

  it("copies the round's SearchParameters through REST first, then plans one batch per type, one at a time (a kill between two continues)", () => {
    const withSp = completed([...TWO, { type: "SearchParameter", url: url("SearchParameter-1.ndjson"), count: 2 }]);
    expect(next(planned, sent, accepted, withSp)).toEqual({ kind: "copy-search-parameters", round: 1, since: null, till: T1 });
    const copied: SyncEvent = { type: "search-parameters-copied", account: A, round: 1, copied: 2, failed: 0, message: null };
    expect(next(planned, sent, accepted, withSp, copied)).toEqual({ kind: "plan-batch", round: 1, batch: 1, inputs: [{ type: "Patient", url: url("Patient-1.ndjson") }] });
    expect(next(planned, sent, accepted, withSp, copied, batch(1, "Patient", "Patient-1.ndjson"))).toEqual({
      kind: "plan-batch", round: 1, batch: 2, inputs: [{ type: "Observation", url: url("Observation-1.ndjson") }],
    });
    // The SearchParameter resources are not imported, nor counted against the imports.
    expect(next(planned, sent, accepted, withSp, copied, batch(1, "Patient", "Patient-1.ndjson"), batch(2, "Observation", "Observation-1.ndjson"),
      importAccepted(1), importAccepted(2), importDone(1, "Patient", 3), importDone(2, "Observation", 5))).toEqual({ kind: "commit", round: 1, till: T1 });
    expect(next(planned, sent, accepted, completed([]))).toEqual({ kind: "commit", round: 1, till: T1 });
  });

  it("posts a planned batch again with the same inputs after a crash, polls accepted ones, and commits when all are accounted for", () => {
    const base = [planned, sent, accepted, completed(TWO), batch(1, "Patient", "Patient-1.ndjson"), batch(2, "Observation", "Observation-1.ndjson")];
    expect(next(...base)).toEqual({ kind: "post-import", round: 1, batch: 1, inputs: [{ type: "Patient", url: url("Patient-1.ndjson") }] });
    expect(next(...base, importAccepted(1))).toMatchObject({ kind: "post-import", batch: 2 });
    expect(next(...base, importAccepted(1), importAccepted(2))).toMatchObject({ kind: "poll-import", batch: 1 });
    expect(next(...base, importAccepted(1), importAccepted(2), importDone(1, "Patient", 3))).toMatchObject({ kind: "poll-import", batch: 2 });
    // Two lines rejected and reported in an error file still account for them.
    expect(next(...base, importAccepted(1), importAccepted(2), importDone(1, "Patient", 3), importDone(2, "Observation", 3, 2)))
      .toEqual({ kind: "commit", round: 1, till: T1 });
  });

  it("never commits over a failed import job, nor when the imports account for fewer resources than were exported", () => {
    const base = [planned, sent, accepted, completed(TWO), batch(1, "Patient", "Patient-1.ndjson"), batch(2, "Observation", "Observation-1.ndjson"),
      importAccepted(1), importAccepted(2), importDone(1, "Patient", 3)];
    expect(next(...base, { type: "import-failed", account: A, round: 1, batch: 2, message: "403 storage" }))
      .toEqual({ kind: "block", round: 1, reason: "import job 2 failed: 403 storage" });
    expect(next(...base, importDone(2, "Observation", 4))).toEqual({ kind: "block", round: 1, reason: "the export wrote 8 resources but the imports account for 7" });
    expect(next(...base, importDone(2, "Observation", 4), { type: "round-blocked", account: A, round: 1, reason: "x" }))
      .toEqual({ kind: "blocked", round: 1, reason: "x" });
    // The next run tries it again: a fresh round from the watermark (none yet: the beginning).
    expect(nextSyncAction(replaySync(journal(...base, importDone(2, "Observation", 4), { type: "round-blocked", account: A, round: 1, reason: "x" }), A), { ...OPTS, retryBlocked: true }))
      .toEqual({ kind: "plan-round", round: 2, since: null });
  });

  it("keeps at most five import jobs in flight, polling the first while more wait", () => {
    const many = Array.from({ length: 7 }, (_, i) => batch(i + 1, "Patient", `Patient-${i + 1}.ndjson`));
    const five = [1, 2, 3, 4, 5].map(importAccepted);
    expect(next(planned, sent, accepted, completed(TWO), ...many, ...five)).toMatchObject({ kind: "poll-import", batch: 1 });
    expect(next(planned, sent, accepted, completed(TWO), ...many, ...five, importDone(1, "Patient", 1))).toMatchObject({ kind: "post-import", batch: 6 });
  });

  it("reads only its own account's records, and ignores records of a round already closed", () => {
    const other = journal({ ...planned, account: B }, { ...sent, account: B });
    expect(nextSyncAction(replaySync(other, A), OPTS)).toEqual({ kind: "plan-round", round: 1, since: null });
    const late = journal(planned, sent, accepted, completed([]), { type: "round-committed", account: A, round: 1, till: T1 },
      { type: "round-planned", account: A, round: 2, since: T1, till: T2 }, { ...accepted, round: 1, statusUrl: "stale" } as SyncEvent);
    expect(nextSyncAction(replaySync(late, A), OPTS)).toEqual({ kind: "kick-export", round: 2, attempt: 1, since: T1, till: T2 });
  });
});

describe("importBatches", () => {
  it("splits a type's files into batches of at most 10,000, types in manifest order", () => {
    const outputs = [...Array.from({ length: 10_001 }, (_, i) => ({ type: "Observation", url: url(`o-${i}`), count: 1 })), { type: "Patient", url: url("p"), count: 1 }];
    expect(importBatches(outputs).batches.map((b) => [b[0]!.type, b.length])).toEqual([["Observation", 10_000], ["Observation", 1], ["Patient", 1]]);
  });
});
