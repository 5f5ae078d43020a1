// NAME.sync.jsonl on disk (issue 11 §2): the apply journal's file rules (journal.ts — append + fsync before
// anyone hears of a record, a torn last line cut, `seq` across runs, a corrupt middle line refused) with
// the data copy's records (src/domain/sync-journal.ts).
import { SYNC_JOURNAL_VERSION, type SyncEvent, type SyncRecord } from "../domain/sync-journal.js";
import type { JournalFormat } from "./journal.js";

const TYPES = new Set<SyncRecord["type"]>([
  "round-planned", "export-kickoff-sent", "export-accepted", "export-completed", "export-failed", "search-parameters-copied", "import-batch-planned",
  "import-accepted", "import-completed", "import-failed", "round-committed", "round-blocked",
]);

function problem(x: unknown): string | null {
  if (x === null || typeof x !== "object" || Array.isArray(x)) return "not a JSON object";
  const r = x as Record<string, unknown>;
  if (r.v !== SYNC_JOURNAL_VERSION) return `"v" is ${JSON.stringify(r.v)}, this ahds-migrate reads sync journal version ${SYNC_JOURNAL_VERSION}`;
  if (typeof r.seq !== "number" || !Number.isInteger(r.seq) || r.seq < 1) return `"seq" must be an integer ≥ 1`;
  if (typeof r.at !== "string" || Number.isNaN(Date.parse(r.at))) return `"at" must be an ISO-8601 time`;
  if (typeof r.runId !== "string" || r.runId === "") return `"runId" must be a non-empty string`;
  if (typeof r.type !== "string" || !TYPES.has(r.type as SyncRecord["type"])) return `"type" ${JSON.stringify(r.type)} is not a sync journal record type`;
  if (typeof r.account !== "string" || r.account === "") return `"account" must be an account id`;
  if (typeof r.round !== "number" || !Number.isInteger(r.round) || r.round < 1) return `"round" must be an integer ≥ 1`;
  return null;
}

function anomalies(records: readonly SyncRecord[], lineOf: readonly number[]): string[] {
  const back = records.findIndex((r, i) => i > 0 && r.seq <= records[i - 1]!.seq);
  return back < 0 ? [] : [`"seq" repeats or goes back at line ${lineOf[back]}: replay reads the records in line order`];
}

export const SYNC_JOURNAL: JournalFormat<SyncRecord> = { version: SYNC_JOURNAL_VERSION, problem, anomalies };

/** What a caller appends: the journal adds v, seq and at. */
export type SyncEntry = SyncEvent & { runId: string };
