// The data copy's journal, NAME.sync.jsonl (issue 11 §2; DATA-MIGRATION.md §9.2, §9.4): per planned account,
// rounds of `$export` from the source and incremental `$import` into the target, each transition one
// fsynced record written before anyone hears of it, so a killed `sync` continues from the last one. Every
// kick-off, status URL, manifest digest and import payload is journaled before it is acted on; no token and
// no resource content ever is (a payload holds only blob URLs and types; counts, not ids).

export const SYNC_JOURNAL_VERSION = 1;

/** The total of per-type counts (exported, imported, rejected: ImportOutcome's records). */
export function totalCount(counts: Readonly<Record<string, number>>): number {
  return Object.values(counts).reduce((n, v) => n + v, 0);
}

/** One manifest output file: what the export wrote and how many resources (versions) it holds. */
export interface ExportOutput {
  type: string;
  url: string;
  count: number;
}

/** What an import job reported, per resource type: resources loaded and lines rejected, and the error files. */
export interface ImportOutcome {
  imported: Record<string, number>;
  errors: Record<string, number>;
  errorUrls: string[];
}

interface Base {
  /** ARM id of the planned (source) account. */
  account: string;
  /** 1-based round of that account. */
  round: number;
}

export type SyncEvent =
  /** A round's window: `_since` is the last committed `_till` (both inclusive: the boundary is exported twice, harmlessly). */
  | (Base & { type: "round-planned"; since: string | null; till: string })
  /** Written before the kick-off is sent: one without `export-accepted` after it was never heard of by Azure, or its job is orphaned. */
  | (Base & { type: "export-kickoff-sent"; attempt: number })
  | (Base & { type: "export-accepted"; attempt: number; statusUrl: string })
  | (Base & { type: "export-completed"; transactionTime: string; manifestSha256: string; outputs: ExportOutput[] })
  /** This attempt ended without output (a failed job, a status that never completed, a 404 for the journaled URL). */
  | (Base & { type: "export-failed"; attempt: number; reason: string; message: string })
  /**
   * The round's SearchParameter resources copied to the target through REST (`$import` refuses them): PUT
   * each by id, meta left out — idempotent, so a resume copies again. `failed` ones are reported, not blocking.
   */
  | (Base & { type: "search-parameters-copied"; copied: number; failed: number; message: string | null })
  /** Written before the POST: registration is idempotent per payload, so a resume re-posts the identical body. */
  | (Base & { type: "import-batch-planned"; batch: number; inputs: { type: string; url: string }[] })
  | (Base & { type: "import-accepted"; batch: number; statusUrl: string })
  | (Base & { type: "import-completed"; batch: number } & ImportOutcome)
  | (Base & { type: "import-failed"; batch: number; message: string })
  /** The watermark: only when every import job of the round completed and every exported resource is accounted for. */
  | (Base & { type: "round-committed"; till: string })
  | (Base & { type: "round-blocked"; reason: string });

export type SyncRecord = SyncEvent & {
  v: 1;
  seq: number;
  /** ISO-8601. */
  at: string;
  runId: string;
};
