// `ahds-migrate sync PLAN`: copy the FHIR data of every planned account into its new FHIR service, in
// rounds (issue 11 §2): `$export` from the source (every version and delete since the last committed
// round), incremental `$import` into the target, NAME.sync.jsonl journaled before anything is reported
// (src/runner/sync-run.ts). Killed at any point, the same command continues.
//
// Before anything is sent it makes the checks `apply` makes (the plan file, staleness, the plan made again
// from its choices: so the sources and targets it talks to are the planner's), then requires a plan made
// with --storage-account and an apply journal in which every step succeeded. It holds NAME.lock — the
// apply lock: one writer per plan. The source account is read (its configured audience: tokens are
// requested for it, never for one derived from the host) and never written; only the export job runs there.
//
// Exit codes: 0 every account's rounds committed; 2 usage; 3 refused plan or lock held; 4 a round is
// blocked (a failed import job, an export that never completed, resources not accounted for); 130 Ctrl-C.
import type { Plan } from "../../domain/plan.js";
import type { SyncRecord } from "../../domain/sync-journal.js";
import { UsageError, UserError } from "../../domain/errors.js";
import type { CommandContext } from "../command-context.js";
import { EXIT } from "../error-handler.js";
import { printErr, printOut } from "../output.js";
import { planPaths } from "../plan-files.js";

export interface SyncOptions {
  once?: boolean;
  /** --safety-lag SECONDS (default 300). */
  safetyLag?: number;
  /** --export-timeout MIN (default 60). */
  exportTimeout?: number;
}

const DEFAULT_SAFETY_LAG_S = 300;
const DEFAULT_EXPORT_TIMEOUT_MIN = 60;
/** Rounds per account without --once: until Ctrl-C (one round per pass, each pass after the last). */
const UNTIL_INTERRUPTED = Number.MAX_SAFE_INTEGER;

export async function syncCommand(planPath: string, o: SyncOptions, ctx: CommandContext): Promise<number> {
  const paths = planPaths(planPath);
  const { loadPlanForRun, refuseStalePlan } = await import("../apply-preflight.js");
  const plan = await loadPlanForRun(planPath, ctx);
  if (!plan.choices.storageAccount) {
    throw new UsageError(`${planPath} was planned without --storage-account, so its targets cannot import.`,
      ["Plan again with --storage-account ID (an existing storage account in the accounts' subscription), apply it, then sync it."]);
  }
  const { createAzureSession } = await import("../../azure/azure-session.js");
  const { dataPlaneClients } = await import("../data-clients.js");
  const { realClock } = await import("../../azure/limiter-clock.js");
  const { refuseUnplannable } = await import("../rederive-plan.js");
  const { readJournal, openJournalOf } = await import("../../runner/journal.js");
  const { replay } = await import("../../runner/replay.js");
  const { acquireLock } = await import("../../runner/lock.js");
  const { SYNC_JOURNAL } = await import("../../runner/sync-journal-file.js");
  const { syncAccounts } = await import("../../runner/sync-run.js");
  const { killAfterFromEnv } = await import("../../runner/run-plan.js");

  const interrupt = new AbortController();
  const onSigint = () => { if (!interrupt.signal.aborted) { printErr("Interrupted: stopping after the request in flight…"); interrupt.abort(); } };
  process.on("SIGINT", onSigint);
  try {
    const session = createAzureSession(ctx.cloud);
    await refuseStalePlan(planPath, plan, session, interrupt.signal);
    await refuseUnplannable(planPath, plan, session, { abortSignal: interrupt.signal });
    refuseUnapplied(planPath, plan, replay((await readJournal(paths.journal)).records, plan).steps);

    const accounts = await dataPlaneClients(plan, session, interrupt.signal);

    const lock = await acquireLock(paths.lock, { clock: realClock, forceUnlock: false });
    try {
      const journal = await openJournalOf(syncJournalPath(planPath), SYNC_JOURNAL, { clock: realClock, beforeAppend: () => lock.assertHeld() });
      try {
        const names = new Map(accounts.map((a) => [a.id.toLowerCase(), a.name]));
        printErr(`Syncing ${plan.planId}: ${accounts.length} account(s); journal ${syncJournalPath(planPath)}.`);
        const results = await syncAccounts(accounts, {
          runId: crypto.randomUUID(), journal, clock: realClock, abortSignal: interrupt.signal,
          container: `ahds-migrate-${plan.planId.replace(/^plan-/, "").slice(0, 8)}`,
          safetyLagMs: (o.safetyLag ?? DEFAULT_SAFETY_LAG_S) * 1000,
          exportTimeoutMs: (o.exportTimeout ?? DEFAULT_EXPORT_TIMEOUT_MIN) * 60_000,
          maxExportAttempts: 3, rounds: o.once ? 1 : UNTIL_INTERRUPTED, killAfterRecord: killAfterFromEnv(),
          onRecord: (r) => printErr(`${names.get(r.account.toLowerCase()) ?? r.account} round ${r.round}: ${describeRecord(r)}`),
        });
        for (const r of results) {
          printOut(`${names.get(r.account.toLowerCase())}: ${r.committed} round(s) committed, watermark ${r.watermark ?? "none"}; `
            + `${sum(r.exported)} exported, ${sum(r.imported)} imported, ${sum(r.errors)} rejected`
            + (r.blocked ? `; BLOCKED: ${r.blocked}` : ""));
          for (const [type, n] of Object.entries(r.errors)) printOut(`  ${type}: ${n} rejected (error files: ${r.errorUrls.join(", ")})`);
          if (r.searchParameterFiles > 0) printOut(`  ${r.searchParameterFiles} SearchParameter file(s) were not imported: copy them through the REST API, then run $reindex.`);
        }
        return results.some((r) => r.blocked) ? EXIT.failedSteps : EXIT.ok;
      } finally {
        await journal.close();
      }
    } finally {
      await lock.release();
    }
  } catch (e) {
    if ((e as Error).name === "AbortError") return EXIT.interrupted;
    throw e;
  } finally {
    process.off("SIGINT", onSigint);
  }
}

const sum = (x: Record<string, number>) => Object.values(x).reduce((n, v) => n + v, 0);

/** One progress line per journaled record (stderr), after it is on disk. */
export function describeRecord(r: SyncRecord): string {
  switch (r.type) {
    case "round-planned": return `window ${r.since ?? "the beginning"} → ${r.till}`;
    case "export-kickoff-sent": return `export sent${r.attempt > 1 ? ` (attempt ${r.attempt})` : ""}`;
    case "export-accepted": return "export accepted, polling it";
    case "export-completed": return `export done: ${r.outputs.reduce((n, o) => n + o.count, 0)} resources in ${r.outputs.length} file(s)`;
    case "export-failed": return `export failed (${r.reason}): ${r.message}`;
    case "import-batch-planned": return `import job ${r.batch} planned: ${r.inputs.length} ${r.inputs[0]?.type ?? ""} file(s)`;
    case "import-accepted": return `import job ${r.batch} accepted, polling it`;
    case "import-completed": return `import job ${r.batch} done: ${sum(r.imported)} imported, ${sum(r.errors)} rejected`;
    case "import-failed": return `import job ${r.batch} failed: ${r.message}`;
    case "round-committed": return `committed: the watermark is ${r.till}`;
    case "round-blocked": return `BLOCKED: ${r.reason}`;
  }
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
