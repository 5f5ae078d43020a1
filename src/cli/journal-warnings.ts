// What `apply` and `status` say about a journal before they use it, in the same words (issue 8: a journal
// two runners wrote is read, not refused, and said once): a torn last line and the traces two writers
// left (`reading`), and the steps they disagree on (`conflicts`). `apply` refuses a journal of another
// plan between the two, so it never promises to check steps of a journal it will not run.
import type { JournalRead } from "../runner/journal.js";
import type { Replayed } from "../runner/replay.js";

export interface JournalWarnings {
  reading: string[];
  /** null when no step has disagreeing outcomes. */
  conflicts: string | null;
}

/** The warning lines for `journalPath`; `conflictsThen` ends the line about disagreeing steps (what happens to them). */
export function journalWarnings(journalPath: string, read: Pick<JournalRead, "tornLastLine" | "tornLineNumber" | "anomalies">,
  replayed: Pick<Replayed, "conflictingStepIds">, conflictsThen: string): JournalWarnings {
  const reading: string[] = [];
  if (read.tornLastLine) {
    reading.push(`warning: ${journalPath} line ${read.tornLineNumber}: an incomplete last record (a run was killed while writing it) — ignored.`);
  }
  for (const a of read.anomalies) reading.push(`warning: ${journalPath}: ${a}.`);
  const ids = replayed.conflictingStepIds;
  const conflicts = ids.length === 0 ? null
    : `warning: ${journalPath}: ${ids.length} step(s) have disagreeing outcomes from two runs (${ids.join(", ")}): ${conflictsThen}.`;
  return { reading, conflicts };
}
