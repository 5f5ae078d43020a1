// One `ahds-migrate sync` run (issue 11 §2): per planned account, rounds of `$export` on the source and
// incremental `$import` into the target, driven by sync-rounds.ts — the journal says what comes next, this
// file does it and journals the result before anyone hears of it. Polls honour Retry-After (else wait a fifth
// of the job's age, 1 s to 30 s); an export that answers nothing but 202 for `exportTimeoutMs` is cancelled and
// journaled as a timeout (a known fhir-server failure, DATA-MIGRATION.md §1.4), then sent again up to
// `maxExportAttempts`. Nothing here writes to the source but the export job itself.
import { createHash } from "node:crypto";
import type { Clock } from "../azure/limiter-clock.js";
import type { FhirClient, FhirResponse } from "../azure/clients.js";
import type { ExportOutput, SyncEvent, SyncRecord } from "../domain/sync-journal.js";
import type { Journal } from "./journal.js";
import type { SyncEntry } from "./sync-journal-file.js";
import { applySyncRecord, nextSyncAction, replaySync, type SyncAction } from "./sync-rounds.js";

export interface SyncAccount {
  id: string;
  name: string;
  source: FhirClient;
  target: FhirClient;
}

export interface SyncRunOptions {
  runId: string;
  journal: Journal<SyncRecord, SyncEntry>;
  clock: Clock;
  abortSignal: AbortSignal;
  /** The container the exports write into (DATA-MIGRATION.md §9.1: one per plan). */
  container: string;
  /** A round's `_till` is now minus this (commit timing against lastUpdated is UNCONFIRMED). */
  safetyLagMs: number;
  exportTimeoutMs: number;
  maxExportAttempts: number;
  /** Rounds to commit per account in this run (`--once`: 1). */
  rounds: number;
  /** Pause between two rounds of one account in this run (without --once: rounds until Ctrl-C). */
  roundIntervalMs?: number;
  /**
   * The cutover (`--final`): the instant writers were stopped plus the safety lag, epoch ms. Rounds run until
   * the watermark reaches it; the last one ends exactly there (after waiting for it), whatever `rounds` says.
   */
  finalTill?: number;
  /** Test-only, as for apply (run-plan.ts): SIGKILL this process right after the k-th record this run appends. */
  killAfterRecord?: number | null;
  onRecord?: (r: SyncRecord) => void;
  /**
   * Pause (the TUI's `p`), as runPlan's gate: awaited before anything new starts (a round, an export, an
   * import batch, the SearchParameter copy); jobs already accepted are still polled to their end and
   * journaled, so a pause holds nothing in doubt.
   */
  gate?: () => Promise<void>;
  /**
   * The preflight probe (DATA-MIGRATION.md §2.5: import reaches storage with a system-assigned identity in
   * fhir-server and the docs; our targets have a user-assigned one, UNCONFIRMED): a blob URL on the
   * integration store that does not exist. Until an account's first round commits, each run imports it into
   * the target while round 1 exports, and waits for the answer before the round's first import job.
   */
  importProbeUrl?: string;
}

export interface AccountSyncResult {
  account: string;
  committed: number;
  watermark: string | null;
  blocked: string | null;
  /** Resources (versions) exported and imported, and lines rejected, per type, in this run's committed rounds. */
  exported: Record<string, number>;
  imported: Record<string, number>;
  errors: Record<string, number>;
  errorUrls: string[];
  /** SearchParameter resources copied through REST in this run, and those the target refused ($reindex is left to the user). */
  searchParameters: { copied: number; failed: number };
}

/** A record of one account without its `account` (added by the account's loop), kept per union member. */
type WithoutAccount<T> = T extends unknown ? Omit<T, "account"> : never;

/**
 * A status poll that answered 202 waits a fifth of the job's age (since it was accepted), 1 s to 30 s
 * (unless Retry-After says otherwise): a job is seen done at most 20 % of its age (or 1 s) after it
 * finished, with few polls on long jobs (about 140 an hour). Doubling from 1 s, as before, saw a 5 s job
 * only at 7 s (the sync bench, test/bench/sync-run.ts).
 */
const MIN_POLL_MS = 1_000;
const MAX_POLL_MS = 30_000;
const POLL_AGE_SHARE = 0.2;

/** The wait before the next status poll of a job this run has polled for `ageMs`. */
export function pollDelayMs(ageMs: number): number {
  return Math.min(MAX_POLL_MS, Math.max(MIN_POLL_MS, ageMs * POLL_AGE_SHARE));
}

/**
 * Every account's rounds at once (results in account order): an account's round is mostly waiting on its
 * own export and import jobs, so one after another would make a plan's sync take the sum of its accounts'.
 * The session's "fhir" limiter budget paces the requests of all of them together; the journal keeps
 * concurrent appends in order. The first account to fail stops the others (they end as interrupted) and
 * its error is the one thrown.
 */
export async function syncAccounts(accounts: readonly SyncAccount[], o: SyncRunOptions): Promise<AccountSyncResult[]> {
  const appended = { n: 0 };
  const failed = new AbortController();
  const inner: SyncRunOptions = { ...o, abortSignal: AbortSignal.any([o.abortSignal, failed.signal]) };
  let failure: { error: unknown } | undefined;
  const results = await Promise.all(accounts.map((a) => syncAccount(a, inner, appended).catch((e: unknown) => {
    failure ??= { error: e };
    failed.abort(e);
    return null;
  })));
  if (failure) throw failure.error;
  return results as AccountSyncResult[];
}

async function syncAccount(a: SyncAccount, o: SyncRunOptions, appended: { n: number }): Promise<AccountSyncResult> {
  const result: AccountSyncResult = { account: a.id, committed: 0, watermark: null, blocked: null, exported: {}, imported: {}, errors: {}, errorUrls: [], searchParameters: { copied: 0, failed: 0 } };
  // The journal replayed once; then each record this run appends is folded in (no replay per action).
  const state = replaySync(o.journal.records(), a.id);
  const append = async (e: WithoutAccount<SyncEvent>) => {
    const r = await o.journal.append({ ...e, account: a.id, runId: o.runId } as SyncEntry);
    applySyncRecord(state, r);
    // Right after the fsync and before anyone hears of it: the harshest instant to die at.
    if (o.killAfterRecord && ++appended.n === o.killAfterRecord) process.kill(process.pid, "SIGKILL");
    o.onRecord?.(r);
    return r;
  };
  let throttledSince: number | null = null;
  // Before the first commit only: afterwards a committed round has shown that import reaches the store.
  const probe = o.importProbeUrl && state.watermark === null ? probeImport(a, o.importProbeUrl, o) : null;
  probe?.catch(() => undefined); // awaited before the first import job; a rejection then is the run's error
  /**
   * Waits before asking again: a job's status by the job's age (`acceptedAt`, journaled, so a resumed run
   * keeps the pace), a throttled `$import` post (null) by how long the posts have been throttled.
   */
  const pause = async (res: FhirResponse | null, acceptedAt: string | null) => {
    const retryAfter = Number(res?.headers.retryAfter);
    const since = acceptedAt === null ? (throttledSince ??= o.clock.now()) : Date.parse(acceptedAt);
    await o.clock.sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : pollDelayMs(o.clock.now() - since), o.abortSignal);
  };
  for (;;) {
    o.abortSignal.throwIfAborted();
    result.watermark = state.watermark;
    // A round blocked by an earlier run is tried again from the watermark; one this run blocked stands.
    const action: SyncAction = nextSyncAction(state, { maxExportAttempts: o.maxExportAttempts, retryBlocked: result.blocked === null });
    // Only this loop changes this account's state, so the action still holds once the gate opens.
    if (o.gate && STARTS_WORK.has(action.kind)) await passGate(o.gate, o.abortSignal);
    switch (action.kind) {
      case "plan-round": {
        if (o.finalTill !== undefined) {
          if (action.since !== null && Date.parse(action.since) >= o.finalTill) return result;
          const wait = o.finalTill - o.clock.now();
          if (wait > 0) await o.clock.sleep(wait, o.abortSignal);
          await append({ type: "round-planned", round: action.round, since: action.since, till: new Date(o.finalTill).toISOString() });
          break;
        }
        if (result.committed >= o.rounds) return result;
        // Between two rounds of this run: wait, so the next window holds what was written meanwhile.
        if (result.committed > 0 && o.roundIntervalMs) await o.clock.sleep(o.roundIntervalMs, o.abortSignal);
        const till = new Date(o.clock.now() - o.safetyLagMs).toISOString();
        if (action.since !== null && Date.parse(till) <= Date.parse(action.since)) return result;
        await append({ type: "round-planned", round: action.round, since: action.since, till });
        break;
      }
      case "kick-export": {
        await append({ type: "export-kickoff-sent", round: action.round, attempt: action.attempt });
        // System export with every version and delete of the window (DATA-MIGRATION.md §1.3).
        const q = new URLSearchParams({ _container: o.container, includeAssociatedData: "_history,_deleted", _till: action.till });
        if (action.since) q.set("_since", action.since);
        const res = await a.source.request("GET", `/$export?${q.toString()}`, undefined, { accept: "application/fhir+json", prefer: "respond-async" });
        if (res.status === 202 && res.headers.contentLocation) await append({ type: "export-accepted", round: action.round, attempt: action.attempt, statusUrl: res.headers.contentLocation });
        else await append({ type: "export-failed", round: action.round, attempt: action.attempt, reason: `kick-off answered ${res.status}`, message: diagnostics(res) });
        break;
      }
      case "poll-export": {
        const res = await a.source.request("GET", pathOf(action.statusUrl));
        const open = state.open!;
        if (res.status === 202) {
          if (o.clock.now() - Date.parse(open.export.acceptedAt!) > o.exportTimeoutMs) {
            await a.source.request("DELETE", pathOf(action.statusUrl));
            await append({ type: "export-failed", round: action.round, attempt: open.export.attempts, reason: "timeout",
              message: `the export answered only 202 for ${Math.round(o.exportTimeoutMs / 60_000)} min; it was cancelled` });
          } else {
            await pause(res, action.acceptedAt);
          }
          break;
        }
        if (res.status === 200) {
          const manifest = res.body as { transactionTime?: string; output?: ExportOutput[]; error?: unknown[] };
          await append({ type: "export-completed", round: action.round, transactionTime: manifest.transactionTime ?? "",
            manifestSha256: createHash("sha256").update(JSON.stringify(res.body)).digest("hex"), outputs: manifest.output ?? [] });
          break;
        }
        await append({ type: "export-failed", round: action.round, attempt: open.export.attempts, reason: `status answered ${res.status}`, message: diagnostics(res) });
        break;
      }
      case "copy-search-parameters": {
        const copied = await copySearchParameters(a, action.since, action.till);
        await append({ type: "search-parameters-copied", round: action.round, ...copied });
        result.searchParameters.copied += copied.copied;
        result.searchParameters.failed += copied.failed;
        break;
      }
      case "plan-batch": {
        const denied = action.batch === 1 && probe ? await probe : null;
        if (denied) {
          await append({ type: "round-blocked", round: action.round, reason: denied });
          result.blocked = denied;
          return result;
        }
        await append({ type: "import-batch-planned", round: action.round, batch: action.batch, inputs: action.inputs });
        break;
      }
      case "post-import": {
        const res = await a.target.request("POST", "/$import", importBody(action.inputs), { prefer: "respond-async" });
        if (res.status === 202 && res.headers.contentLocation) { throttledSince = null; await append({ type: "import-accepted", round: action.round, batch: action.batch, statusUrl: res.headers.contentLocation }); }
        else if (res.status === 429) await pause(res, null);
        else await append({ type: "import-failed", round: action.round, batch: action.batch, message: `${res.status}: ${diagnostics(res)}` });
        break;
      }
      case "poll-import": {
        const res = await a.target.request("GET", pathOf(action.statusUrl));
        if (res.status === 202) { await pause(res, action.acceptedAt); break; }
        if (res.status !== 200) { await append({ type: "import-failed", round: action.round, batch: action.batch, message: `${res.status}: ${diagnostics(res)}` }); break; }
        const body = res.body as { output?: { type: string; count: number }[]; error?: { type: string; count: number; url: string }[] };
        await append({ type: "import-completed", round: action.round, batch: action.batch,
          imported: perType(body.output ?? []), errors: perType(body.error ?? []), errorUrls: (body.error ?? []).map((e) => e.url) });
        break;
      }
      case "commit": {
        const open = state.open!;
        await append({ type: "round-committed", round: action.round, till: action.till });
        result.committed++;
        addCounts(result.exported, perType(open.export.outputs.filter((x) => x.type !== "SearchParameter")));
        for (const b of open.batches) {
          addCounts(result.imported, b.outcome?.imported ?? {});
          addCounts(result.errors, b.outcome?.errors ?? {});
          result.errorUrls.push(...(b.outcome?.errorUrls ?? []));
        }
        break;
      }
      case "block":
        await append({ type: "round-blocked", round: action.round, reason: action.reason });
        result.blocked = action.reason;
        return result;
      case "blocked":
        result.blocked = action.reason;
        return result;
    }
  }
}

/** The actions that start something new: a pause holds them (polls and the commit of a finished round go on). */
const STARTS_WORK: ReadonlySet<SyncAction["kind"]> = new Set(["plan-round", "kick-export", "copy-search-parameters", "plan-batch", "post-import"]);

/** Waits for the gate, or throws once the signal aborts (a closed gate does not outlive Ctrl-C); no listener is left behind. */
async function passGate(gate: () => Promise<void>, signal: AbortSignal): Promise<void> {
  const opened = gate();
  let onAbort = () => undefined as void;
  try {
    await Promise.race([opened, new Promise<never>((_, reject) => {
      onAbort = () => reject(signal.reason);
      if (signal.aborted) onAbort();
      else signal.addEventListener("abort", onAbort, { once: true });
    })]);
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}

/**
 * The round's SearchParameter resources, read from the source through REST (`_lastUpdated` in the round's
 * window, every page) and PUT by id on the target without their meta (the target stamps its own). Current
 * versions only: a deleted SearchParameter is deleted on the target too. Idempotent, so a resume copies again.
 */
async function copySearchParameters(a: SyncAccount, since: string | null, till: string): Promise<{ copied: number; failed: number; message: string | null }> {
  let path: string | null = `/SearchParameter?_count=100&_lastUpdated=le${encodeURIComponent(till)}${since ? `&_lastUpdated=ge${encodeURIComponent(since)}` : ""}`;
  let copied = 0;
  let failed = 0;
  let message: string | null = null;
  while (path) {
    const page = await a.source.request("GET", path);
    if (page.status !== 200) return { copied, failed: failed + 1, message: `the source's SearchParameter search answered ${page.status}: ${diagnostics(page)}` };
    const bundle = page.body as { entry?: { resource?: Record<string, unknown> & { id?: string } }[]; link?: { relation: string; url: string }[] };
    for (const e of bundle.entry ?? []) {
      if (!e.resource?.id) continue;
      const { meta: _meta, ...resource } = e.resource;
      const put = await a.target.request("PUT", `/SearchParameter/${encodeURIComponent(e.resource.id)}`, resource);
      if (put.status === 200 || put.status === 201) copied++;
      else { failed++; message = `${put.status}: ${diagnostics(put)}`; }
    }
    const next = bundle.link?.find((l) => l.relation === "next")?.url;
    path = next ? pathOf(next) : null;
  }
  return { copied, failed, message };
}

/**
 * Imports a file that does not exist (nothing can be loaded) and reads how the job ends: refused with 401/403
 * is the answer a caller without FHIR Data Importer (at kick-off) or an identity that cannot read the store
 * (the job's storage read) gets; any other end — the file not found, most likely — means storage answered
 * the service's identity. Returns why imports cannot work, or null. How Azure words a missing file is
 * UNCONFIRMED, so only 401/403 count as a failed probe. The URL is new per run: the same payload would be
 * answered with the same (old) job.
 */
async function probeImport(a: SyncAccount, url: string, o: SyncRunOptions): Promise<string | null> {
  const posted = await a.target.request("POST", "/$import", importBody([{ type: "Patient", url }]), { prefer: "respond-async" });
  if (posted.status === 401 || posted.status === 403) {
    return `preflight: the new FHIR service refused an import from the signed-in caller (${posted.status}: ${diagnostics(posted)}); grant the signed-in caller FHIR Data Importer on the new service, then run the same command`;
  }
  const statusUrl = posted.status === 202 ? posted.headers.contentLocation : undefined;
  if (!statusUrl) return null; // refused for another reason (a 400 for the missing file): the real jobs will say more
  const acceptedAt = o.clock.now();
  for (;;) {
    const res = await a.target.request("GET", pathOf(statusUrl));
    if (res.status === 202) { await o.clock.sleep(pollDelayMs(o.clock.now() - acceptedAt), o.abortSignal); continue; }
    if (res.status === 401 || res.status === 403) {
      return `preflight: the new FHIR service could not read the storage account with its identity (${res.status}: ${diagnostics(res)}); `
        + "grant that identity Storage Blob Data Contributor on the storage account (apply does), wait for the role to propagate, then run the same command";
    }
    return null;
  }
}

/** The `$import` body of a batch: the same inputs always give the same bytes (registration is idempotent per payload). */
export function importBody(inputs: readonly { type: string; url: string }[]): unknown {
  return { resourceType: "Parameters", parameter: [
    { name: "inputFormat", valueString: "application/fhir+ndjson" }, { name: "mode", valueString: "IncrementalLoad" },
    ...inputs.map((i) => ({ name: "input", part: [{ name: "type", valueString: i.type }, { name: "url", valueUri: i.url }] })),
  ] };
}

const pathOf = (url: string) => { const u = new URL(url); return `${u.pathname}${u.search}`; };

function diagnostics(res: FhirResponse): string {
  const issue = (res.body as { issue?: { diagnostics?: string }[] } | undefined)?.issue?.[0]?.diagnostics;
  return issue ?? `HTTP ${res.status}`;
}

function perType(rows: readonly { type: string; count: number }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) out[r.type] = (out[r.type] ?? 0) + r.count;
  return out;
}

function addCounts(into: Record<string, number>, add: Record<string, number>): void {
  for (const [k, n] of Object.entries(add)) into[k] = (into[k] ?? 0) + n;
}
