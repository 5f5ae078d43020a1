import { describe, expect, it } from "vitest";
import { uiPlan } from "../../../test/ui/ui-plan.js";
import { T0 } from "../../../test/ui/ui-run.js";
import { syncRecordMaker } from "../../../test/ui/ui-sync.js";
import type { SyncRecord } from "../../domain/sync-journal.js";
import { nextRoundInMs, startSyncProgress, syncExitCode, syncProgressReducer, watermarkAgeMs, type SyncProgressAction, type SyncProgressState } from "./sync-progress.js";

const PATH = "plans/2026-11-28-1.plan.json";
const act = (s: SyncProgressState, ...actions: SyncProgressAction[]) => actions.reduce(syncProgressReducer, s);
const [A2] = uiPlan().accounts.filter((a) => a.status === "planned").map((a) => a.id) as [string];
const TILL = "2026-11-28T09:55:00.000Z";

/** One round of A2: planned, exported (Patient 3), one import job (2 imported, 1 rejected), committed at T0 + `at` s. */
function round(rec: ReturnType<typeof syncRecordMaker>, n: number, at: number): SyncRecord[] {
  return [
    rec(at - 3, { type: "round-planned", account: A2, round: n, since: null, till: TILL }),
    rec(at - 2, { type: "export-completed", account: A2, round: n, transactionTime: TILL, manifestSha256: "m", outputs: [{ type: "Patient", url: "u", count: 3 }] }),
    rec(at - 2, { type: "import-batch-planned", account: A2, round: n, batch: 1, inputs: [{ type: "Patient", url: "u" }] }),
    rec(at - 1, { type: "import-completed", account: A2, round: n, batch: 1, imported: { Patient: 2 }, errors: { Patient: 1 }, errorUrls: ["e"] }),
    rec(at, { type: "round-committed", account: A2, round: n, till: TILL }),
  ];
}

const running = () => act(startSyncProgress(uiPlan(), PATH), { type: "confirm" });
const started = (s: SyncProgressState, prior: SyncRecord[] = []) => act(s, { type: "started", started: { prior, roundIntervalMs: 60_000 }, now: T0 });
const records = (s: SyncProgressState, rs: SyncRecord[]) => act(s, ...rs.map((record): SyncProgressAction => ({ type: "record", record })));

describe("syncProgressReducer", () => {
  it("folds the journal's earlier records without logging them or timing a next round from them", () => {
    const s = started(running(), round(syncRecordMaker("old"), 1, -100));
    const a = s.accounts.find((x) => x.id === A2)!;
    expect([a.committed, a.round, a.stage, a.watermark, a.committedAt]).toEqual([1, 1, "committed", TILL, null]);
    expect(s.types).toEqual({ Patient: { exported: 3, imported: 2, rejected: 1 } });
    expect(s.log).toEqual([]);
    expect(nextRoundInMs(s, a)).toBeNull();
    expect(watermarkAgeMs(s, a)).toBe(T0 - Date.parse(TILL));
  });

  it("logs this run's commits and counts the next round from the commit record's time", () => {
    const s = act(records(started(running()), round(syncRecordMaker(), 1, 10)), { type: "tick", now: T0 + 25_000 });
    const a = s.accounts.find((x) => x.id === A2)!;
    expect(s.log.map((l) => [l.tone, l.text])).toEqual([["failed", `fhir-02 round 1: committed up to ${TILL}: 3 exported, 2 imported, 1 rejected`]]);
    expect(nextRoundInMs(s, a)).toBe(45_000);
    // Stopping: no next round is coming.
    expect(nextRoundInMs(act(s, { type: "stop" }), a)).toBeNull();
  });

  it("ignores records before the run handed over the journal, and a second run re-folds the journal instead of adding to it", () => {
    const rec = syncRecordMaker();
    const first = round(rec, 1, 10);
    expect(records(running(), first).types).toEqual({});
    const once = act(records(started(running()), first), { type: "finished", outcome: "interrupted" });
    const again = started(act(once, { type: "again" }), first);
    expect(again.types).toEqual({ Patient: { exported: 3, imported: 2, rejected: 1 } });
    expect(again.accounts.find((x) => x.id === A2)!.committed).toBe(1);
    // The first run's log stays on screen (it is in <Static> already).
    expect(again.log).toHaveLength(1);
  });

  it("exits as sync would: 4 blocked, 130 interrupted, 1 could not run, nothing when caught up or still confirming", () => {
    const s = started(running());
    expect(syncExitCode(startSyncProgress(uiPlan(), PATH))).toBeNull();
    expect(syncExitCode(act(s, { type: "finished", outcome: "caught-up" }))).toBeNull();
    expect(syncExitCode(act(s, { type: "finished", outcome: "blocked" }))).toBe(4);
    expect(syncExitCode(act(s, { type: "stop" }, { type: "finished", outcome: "interrupted" }))).toBe(130);
    expect(syncExitCode(act(s, { type: "run-failed", message: "lock held" }))).toBe(1);
    // A round blocked by the journal, even when the run then ended otherwise.
    const blocked = records(s, [syncRecordMaker()(1, { type: "round-blocked", account: A2, round: 1, reason: "r" })]);
    expect(syncExitCode(act(blocked, { type: "finished", outcome: "caught-up" }))).toBe(4);
  });
});
