// A run's journal as the e2e tests read it from disk while the CLI writes it: the records (a torn last line
// skipped: a kill came mid-write), and waiting for the journal to reach a chosen record (the kill point).
import { existsSync, readFileSync } from "node:fs";
import type { JournalRecord } from "../../src/domain/journal.js";

export function journalRecords(path: string): JournalRecord[] {
  if (!existsSync(path)) return [];
  const out: JournalRecord[] = [];
  for (const line of readFileSync(path, "utf8").split("\n")) {
    if (!line.trim()) continue;
    try { out.push(JSON.parse(line) as JournalRecord); } catch { /* a torn last line */ }
  }
  return out;
}

/** Resolves once the journal at `path` holds a record `match` accepts (polled every 5 ms, at most `timeoutMs`). */
export async function journalReaches(path: string, match: (records: JournalRecord[]) => boolean, timeoutMs = 30_000): Promise<JournalRecord[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const records = journalRecords(path);
    if (match(records)) return records;
    if (Date.now() > deadline) throw new Error(`${path} did not reach the awaited record within ${timeoutMs} ms (${records.length} records).`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
