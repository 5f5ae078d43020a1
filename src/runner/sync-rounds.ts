// The data copy's round logic, pure (issue 11 §2): the journal of one account (src/domain/sync-journal.ts)
// replayed into its state, and the one next thing to do — so a `sync` killed at any record continues from
// exactly there. Rules it keeps (DATA-MIGRATION.md §6.2, §9.2), each where Microsoft's tool falls short:
//   - the watermark (last committed `_till`) advances only when EVERY import job of the round completed and
//     every exported resource is accounted for (imported, or reported in an error file); a failed job
//     blocks the round, it is never skipped over;
//   - an export accepted but not finished is polled again at its journaled status URL; one sent but never
//     accepted is sent again (the orphan job, if any, is ignored: its folder is never read);
//   - an import batch planned but not accepted is posted again with the identical body — registration is
//     idempotent per payload, so Azure answers with the same job;
//   - batches hold at most 10,000 files, one type each in order, and at most 5 jobs are in flight per target;
//   - SearchParameter files are never imported ($import refuses them): the round copies those resources
//     through REST first (journaled), and `$reindex` is left to the user.
import { totalCount, type ExportOutput, type ImportOutcome, type SyncRecord } from "../domain/sync-journal.js";

export const MAX_FILES_PER_IMPORT = 10_000;
export const MAX_IMPORTS_IN_FLIGHT = 5;

export interface BatchState {
  batch: number;
  inputs: { type: string; url: string }[];
  status: "planned" | "accepted" | "completed" | "failed";
  statusUrl: string | null;
  /** When the job was accepted (its record's `at`): sync paces the job's status polls by its age. */
  acceptedAt: string | null;
  outcome: ImportOutcome | null;
  message: string | null;
}

export interface RoundState {
  round: number;
  since: string | null;
  till: string;
  export: {
    status: "none" | "sent" | "accepted" | "completed" | "failed"; attempts: number; statusUrl: string | null;
    /** When the export-accepted record was written (ISO): where the export timeout counts from. */
    acceptedAt: string | null;
    outputs: ExportOutput[];
    /** The manifest split into import batches, once it completed (importBatches of `outputs`). */
    split: ReturnType<typeof importBatches> | null;
    lastFailure: string | null;
  };
  batches: BatchState[];
  /** The REST copy of the round's SearchParameter resources, once journaled. */
  searchParameters: { copied: number; failed: number; message: string | null } | null;
  blocked: string | null;
}

export interface AccountSyncState {
  account: string;
  /** The last committed `_till` (the next round's `_since`), null before the first commit. */
  watermark: string | null;
  rounds: number;
  /** The round not yet committed, if any. */
  open: RoundState | null;
}

export type SyncAction =
  | { kind: "plan-round"; round: number; since: string | null }
  | { kind: "kick-export"; round: number; attempt: number; since: string | null; till: string }
  | { kind: "poll-export"; round: number; statusUrl: string; acceptedAt: string }
  /** The round exported SearchParameter resources: copy them through REST before the imports (their searches need them). */
  | { kind: "copy-search-parameters"; round: number; since: string | null; till: string }
  /** The next batch to journal (batch n is always the n-th of importBatches(outputs): a kill between two is continued). */
  | { kind: "plan-batch"; round: number; batch: number; inputs: { type: string; url: string }[] }
  | { kind: "post-import"; round: number; batch: number; inputs: { type: string; url: string }[] }
  | { kind: "poll-import"; round: number; batch: number; statusUrl: string; acceptedAt: string }
  | { kind: "commit"; round: number; till: string }
  | { kind: "block"; round: number; reason: string }
  | { kind: "blocked"; round: number; reason: string };

/** The account's state after its records, in line order (the order they were fsynced). */
export function replaySync(records: readonly SyncRecord[], account: string): AccountSyncState {
  const state: AccountSyncState = { account, watermark: null, rounds: 0, open: null };
  for (const r of records) applySyncRecord(state, r);
  return state;
}

/**
 * One record folded into the account's state (in place; records of other accounts change nothing): what
 * replaySync does per line, and what a run does with each record it appends instead of replaying the
 * whole journal before every action.
 */
export function applySyncRecord(state: AccountSyncState, r: SyncRecord): void {
  if (r.account.toLowerCase() !== state.account.toLowerCase()) return;
  if (r.type === "round-planned") {
    state.rounds = Math.max(state.rounds, r.round);
    state.open = { round: r.round, since: r.since, till: r.till, batches: [], blocked: null, searchParameters: null,
      export: { status: "none", attempts: 0, statusUrl: null, acceptedAt: null, outputs: [], split: null, lastFailure: null } };
    return;
  }
  const open = state.open;
  if (!open || open.round !== r.round) return; // a record of a round already closed: nothing changes
  const batch = (n: number) => open.batches.find((b) => b.batch === n);
  switch (r.type) {
    case "export-kickoff-sent": open.export = { ...open.export, status: "sent", attempts: Math.max(open.export.attempts, r.attempt), statusUrl: null, acceptedAt: null }; break;
    case "export-accepted": open.export = { ...open.export, status: "accepted", statusUrl: r.statusUrl, acceptedAt: r.at }; break;
    case "export-completed": open.export = { ...open.export, status: "completed", outputs: r.outputs, split: importBatches(r.outputs) }; break;
    case "export-failed": open.export = { ...open.export, status: "failed", statusUrl: null, acceptedAt: null, lastFailure: `${r.reason}: ${r.message}` }; break;
    case "search-parameters-copied": open.searchParameters = { copied: r.copied, failed: r.failed, message: r.message }; break;
    case "import-batch-planned":
      if (!batch(r.batch)) open.batches.push({ batch: r.batch, inputs: r.inputs, status: "planned", statusUrl: null, acceptedAt: null, outcome: null, message: null });
      break;
    case "import-accepted": { const b = batch(r.batch); if (b && b.status === "planned") { b.status = "accepted"; b.statusUrl = r.statusUrl; b.acceptedAt = r.at; } break; }
    case "import-completed": { const b = batch(r.batch); if (b) { b.status = "completed"; b.outcome = { imported: r.imported, errors: r.errors, errorUrls: r.errorUrls }; } break; }
    case "import-failed": { const b = batch(r.batch); if (b) { b.status = "failed"; b.message = r.message; } break; }
    case "round-committed": state.watermark = r.till; state.open = null; break;
    case "round-blocked": open.blocked = r.reason; break;
  }
}

/** The batches of a manifest: SearchParameter set aside, then per type in manifest order, at most `max` files each. */
export function importBatches(outputs: readonly ExportOutput[], max = MAX_FILES_PER_IMPORT): { batches: { type: string; url: string }[][]; searchParameters: ExportOutput[] } {
  const searchParameters = outputs.filter((o) => o.type === "SearchParameter");
  const byType = new Map<string, { type: string; url: string }[]>();
  for (const o of outputs) {
    if (o.type === "SearchParameter") continue;
    let files = byType.get(o.type);
    if (!files) byType.set(o.type, files = []);
    files.push({ type: o.type, url: o.url });
  }
  const batches: { type: string; url: string }[][] = [];
  for (const files of byType.values()) for (let i = 0; i < files.length; i += max) batches.push(files.slice(i, i + max));
  return { batches, searchParameters };
}

export interface NextOptions {
  /** Export attempts of one round before it is blocked (a failed job, a timeout). */
  maxExportAttempts: number;
  /**
   * A round an EARLIER run blocked is planned afresh from the watermark (round + 1): the cause may be fixed
   * (a role granted, a job that failed), and its files are simply not used again — incremental import loads
   * a version it already holds as loaded, so what the blocked round did import is harmless. Within one run
   * a block stands (the run reports it and stops that account).
   */
  retryBlocked?: boolean;
}

/**
 * The one next thing to do for the account's open round (or `plan-round` when there is none). Import jobs
 * come one action at a time: a planned batch is posted while fewer than five are in flight, else the first
 * in flight is polled (the caller paces polls by Retry-After and asks again).
 */
export function nextSyncAction(state: AccountSyncState, o: NextOptions): SyncAction {
  const open = state.open;
  if (!open) return { kind: "plan-round", round: state.rounds + 1, since: state.watermark };
  if (open.blocked) return o.retryBlocked ? { kind: "plan-round", round: open.round + 1, since: state.watermark } : { kind: "blocked", round: open.round, reason: open.blocked };
  const e = open.export;
  if (e.status === "accepted") return { kind: "poll-export", round: open.round, statusUrl: e.statusUrl!, acceptedAt: e.acceptedAt! };
  if (e.status === "none" || e.status === "sent" || e.status === "failed") {
    if (e.status === "failed" && e.attempts >= o.maxExportAttempts) {
      return { kind: "block", round: open.round, reason: `the export failed ${e.attempts} time(s); last: ${e.lastFailure ?? "unknown"}` };
    }
    return { kind: "kick-export", round: open.round, attempt: e.attempts + 1, since: open.since, till: open.till };
  }
  const { batches, searchParameters } = e.split!; // set with the export-completed record
  if (searchParameters.length > 0 && open.searchParameters === null) return { kind: "copy-search-parameters", round: open.round, since: open.since, till: open.till };
  if (batches.length === 0) return { kind: "commit", round: open.round, till: open.till };
  const planned = new Set(open.batches.map((b) => b.batch));
  const missing = batches.findIndex((_, i) => !planned.has(i + 1));
  if (missing >= 0) return { kind: "plan-batch", round: open.round, batch: missing + 1, inputs: batches[missing]! };
  const failed = open.batches.find((b) => b.status === "failed");
  if (failed) return { kind: "block", round: open.round, reason: `import job ${failed.batch} failed: ${failed.message ?? "unknown"}` };
  const inFlight = open.batches.filter((b) => b.status === "accepted");
  const poll = inFlight[0];
  const post = open.batches.find((b) => b.status === "planned");
  if (post && inFlight.length < MAX_IMPORTS_IN_FLIGHT) return { kind: "post-import", round: open.round, batch: post.batch, inputs: post.inputs };
  if (poll) return { kind: "poll-import", round: open.round, batch: poll.batch, statusUrl: poll.statusUrl!, acceptedAt: poll.acceptedAt! };
  // Every batch completed: commit only when every exported resource is accounted for.
  const exported = e.outputs.filter((x) => x.type !== "SearchParameter").reduce((n, x) => n + x.count, 0);
  const accounted = open.batches.reduce((n, b) => n + totalCount(b.outcome!.imported) + totalCount(b.outcome!.errors), 0);
  if (accounted !== exported) {
    return { kind: "block", round: open.round, reason: `the export wrote ${exported} resources but the imports account for ${accounted}` };
  }
  return { kind: "commit", round: open.round, till: open.till };
}

