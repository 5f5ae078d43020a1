// The one sync sequence, as apply-service.ts is the one apply sequence: `sync` and the TUI's sync screen
// are thin callers of syncPlanFile. The plan FILE (format + digest) → the caller's preflight (flags, TTY) →
// a plan made with --storage-account → staleness → the plan made again from its choices → every apply
// step succeeded → the caller's confirmation (--final) → the data-plane clients (each source's configured
// audience) → NAME.lock (the apply lock: one writer per plan) → NAME.sync.jsonl → syncAccounts.
import type { AzureSession } from "../azure/azure-session.js";
import type { Clock } from "../azure/limiter-clock.js";
import { UsageError, UserError } from "../domain/errors.js";
import type { Plan } from "../domain/plan.js";
import type { SyncRecord } from "../domain/sync-journal.js";
import type { AccountSyncResult, SyncAccount } from "../runner/sync-run.js";
import type { CommandContext } from "./command-context.js";
import { planPaths } from "./plan-files.js";
import { CLOUDS } from "../azure/cloud.js";

/** `sync`'s defaults, which the TUI's sync screen uses too: --safety-lag 300, --export-timeout 60, --interval 900. */
export const SYNC_DEFAULTS = { safetyLagMs: 300_000, exportTimeoutMs: 60 * 60_000, roundIntervalMs: 900_000 } as const;
/** Rounds per account without --once: until Ctrl-C (one round per pass, each pass after the last). */
export const UNTIL_INTERRUPTED = Number.MAX_SAFE_INTEGER;

export interface SyncServiceOptions {
  planPath: string;
  ctx: CommandContext;
  /** Created once the plan file loaded (sign-in is not needed to refuse a bad file). */
  session: () => AzureSession;
  clock: Clock;
  abortSignal: AbortSignal;
  /** Rounds per account in this run: 1 for --once, else until interrupted. Ignored with `final`. */
  rounds: number;
  /** --final: rounds up to the instant the writers were stopped (after `confirm`) plus the safety lag. */
  final?: boolean;
  safetyLagMs: number;
  exportTimeoutMs: number;
  roundIntervalMs: number;
  /** Pause (the TUI's `p`): awaited before anything new is started; jobs in flight are still polled. */
  gate?: () => Promise<void>;
  killAfterRecord?: number | null;
  /** Right after the plan file is loaded, before anything is read from Azure (sync: flag and TTY checks). */
  preflight?: (plan: Plan) => void;
  /** After every check, before the lock; false: nothing is done (sync --final: are the writers stopped?). */
  confirm?: (plan: Plan) => Promise<boolean>;
  /** Holding the lock, the journal read: its records so far (the TUI folds them) and the accounts. */
  onStart?: (plan: Plan, accounts: readonly SyncAccount[], prior: readonly SyncRecord[]) => void;
  /** Each record once it is fsynced. */
  onRecord?: (r: SyncRecord) => void;
}

export type SyncServiceResult =
  | { plan: Plan; session: AzureSession; accounts: SyncAccount[]; results: AccountSyncResult[] }
  /** `confirm` said no: nothing was sent. */
  | { plan: Plan; session: AzureSession; accounts: null; results: null };

export async function syncPlanFile(o: SyncServiceOptions): Promise<SyncServiceResult> {
  const paths = planPaths(o.planPath);
  const { loadPlanForRun, refuseStalePlan } = await import("./apply-preflight.js");
  const plan = await loadPlanForRun(o.planPath, o.ctx);
  o.preflight?.(plan);
  if (!plan.choices.storageAccount) {
    throw new UsageError(`${o.planPath} was planned without --storage-account, so its targets cannot import.`,
      ["Plan again with --storage-account ID (an existing storage account in the accounts' subscription), apply it, then sync it."]);
  }
  const { dataPlaneClients } = await import("./data-clients.js");
  const { refuseUnplannable } = await import("./rederive-plan.js");
  const { readJournal, openJournalOf } = await import("../runner/journal.js");
  const { replay } = await import("../runner/replay.js");
  const { acquireLock } = await import("../runner/lock.js");
  const { SYNC_JOURNAL } = await import("../runner/sync-journal-file.js");
  const { syncAccounts } = await import("../runner/sync-run.js");

  const session = o.session();
  await refuseStalePlan(o.planPath, plan, session, o.abortSignal);
  await refuseUnplannable(o.planPath, plan, session, { abortSignal: o.abortSignal });
  refuseUnapplied(o.planPath, plan, replay((await readJournal(paths.journal)).records, plan).steps);
  if (o.confirm && !(await o.confirm(plan))) return { plan, session, accounts: null, results: null };
  // The cutover instant: writers are stopped now; the last round ends a safety lag later (commit timing vs lastUpdated is UNCONFIRMED).
  const finalTill = o.final ? o.clock.now() + o.safetyLagMs : undefined;
  const accounts = await dataPlaneClients(plan, session, o.abortSignal);

  const lock = await acquireLock(paths.lock, { clock: o.clock, forceUnlock: false });
  try {
    const journal = await openJournalOf(syncJournalPath(o.planPath), SYNC_JOURNAL, { clock: o.clock, beforeAppend: () => lock.assertHeld() });
    try {
      o.onStart?.(plan, accounts, journal.records());
      const results = await syncAccounts(accounts, {
        runId: crypto.randomUUID(), journal, clock: o.clock, abortSignal: o.abortSignal,
        container: syncContainer(plan), safetyLagMs: o.safetyLagMs, exportTimeoutMs: o.exportTimeoutMs,
        maxExportAttempts: 3, rounds: o.rounds, roundIntervalMs: o.roundIntervalMs,
        ...(o.killAfterRecord ? { killAfterRecord: o.killAfterRecord } : {}),
        ...(finalTill !== undefined ? { finalTill } : {}),
        ...(o.gate ? { gate: o.gate } : {}),
        importProbeUrl: importProbeUrl(plan),
        ...(o.onRecord ? { onRecord: o.onRecord } : {}),
      });
      return { plan, session, accounts, results };
    } finally {
      await journal.close();
    }
  } finally {
    await lock.release();
  }
}

/** The container every export of the plan writes into (DATA-MIGRATION.md §9.1: one per plan). */
export function syncContainer(plan: Plan): string {
  return `ahds-migrate-${plan.planId.replace(/^plan-/, "").slice(0, 8)}`;
}

/** A blob that never exists, new per run, in the plan's container on the integration store (sync-run.ts probeImport). */
function importProbeUrl(plan: Plan): string {
  const store = plan.choices.storageAccount!.split("/").pop()!.toLowerCase();
  return `https://${store}${CLOUDS[plan.cloud].blobSuffix}/${syncContainer(plan)}/ahds-migrate-probe/${crypto.randomUUID()}.ndjson`;
}

/** NAME.plan.json → NAME.sync.jsonl. */
export function syncJournalPath(planPath: string): string {
  return planPath.replace(/\.plan\.json$/, ".sync.jsonl");
}

function refuseUnapplied(planPath: string, plan: Plan, steps: Map<string, { status: string }>): void {
  const done = [...steps.values()].filter((s) => s.status === "succeeded").length;
  if (done < plan.steps.length) {
    throw new UserError(`${planPath} is not applied yet (${done} of ${plan.steps.length} steps succeeded): its targets must exist before their data is copied.`,
      [`Run: ahds-migrate apply ${planPath}`]);
  }
}
