// `ahds-migrate sync PLAN`: copy the FHIR data of every planned account into its new FHIR service, in
// rounds (issue 11 §2): `$export` from the source (every version and delete since the last committed
// round), incremental `$import` into the target, NAME.sync.jsonl journaled before anything is reported
// (src/runner/sync-run.ts). Killed at any point, the same command continues. `--final` is the cutover: the
// writers stopped (asked, unless --yes), rounds up to that instant plus the safety lag, `verify --data`, and
// the change list every client needs (URL, audience, who holds access).
//
// The sequence is sync-service.ts (shared with the TUI's sync screen): before anything is sent it makes
// the checks `apply` makes (the plan file, staleness, the plan made again from its choices: so the sources
// and targets it talks to are the planner's), then requires a plan made with --storage-account and an
// apply journal in which every step succeeded. It holds NAME.lock — the apply lock: one writer per plan. The source account is read (its configured audience: tokens are
// requested for it, never for one derived from the host) and never written; only the export job runs there.
//
// Exit codes: 0 every account's rounds committed; 2 usage; 3 refused plan or lock held; 4 a round is
// blocked (a failed import job, an export that never completed, resources not accounted for); 130 Ctrl-C.
import type { Plan } from "../../domain/plan.js";
import { totalCount, type SyncRecord } from "../../domain/sync-journal.js";
import { UsageError } from "../../domain/errors.js";
import type { CommandContext } from "../command-context.js";
import { EXIT } from "../error-handler.js";
import { printErr, printOut } from "../output.js";
import { stepTitle } from "../../planner/step-title.js";

export interface SyncOptions {
  once?: boolean;
  /** --final: the cutover (writers stopped: one last round up to now, then verify --data and the client changes). */
  final?: boolean;
  /** --yes: with --final, do not ask (required when not in a terminal). */
  yes?: boolean;
  /** --safety-lag SECONDS (default 300). */
  safetyLag?: number;
  /** --export-timeout MIN (default 60). */
  exportTimeout?: number;
  /** --interval SECONDS between two rounds without --once (default 900). */
  interval?: number;
}


export async function syncCommand(planPath: string, o: SyncOptions, ctx: CommandContext): Promise<number> {
  const { createAzureSession } = await import("../../azure/azure-session.js");
  const { rejectedLines } = await import("../import-errors.js");
  const { realClock } = await import("../../azure/limiter-clock.js");
  const { killAfterFromEnv } = await import("../../runner/run-plan.js");
  const { syncPlanFile, syncJournalPath, SYNC_DEFAULTS, UNTIL_INTERRUPTED } = await import("../sync-service.js");

  const interrupt = new AbortController();
  const onSigint = () => { if (!interrupt.signal.aborted) { printErr("Interrupted: stopping after the request in flight…"); interrupt.abort(); } };
  process.on("SIGINT", onSigint);
  try {
    let names = new Map<string, string>();
    const run = await syncPlanFile({
      planPath, ctx, session: () => createAzureSession(ctx.cloud), clock: realClock, abortSignal: interrupt.signal,
      rounds: o.once ? 1 : UNTIL_INTERRUPTED, final: o.final === true,
      safetyLagMs: o.safetyLag !== undefined ? o.safetyLag * 1000 : SYNC_DEFAULTS.safetyLagMs,
      exportTimeoutMs: o.exportTimeout !== undefined ? o.exportTimeout * 60_000 : SYNC_DEFAULTS.exportTimeoutMs,
      roundIntervalMs: o.interval !== undefined ? o.interval * 1000 : SYNC_DEFAULTS.roundIntervalMs,
      killAfterRecord: killAfterFromEnv(),
      preflight: () => {
        if (o.final && o.once) throw new UsageError("--final and --once cannot be combined: --final runs rounds until the cutover instant.", ["Run 'ahds-migrate sync PLAN --final'."]);
        if (o.final && !o.yes && !(process.stdin.isTTY && process.stderr.isTTY)) {
          throw new UsageError("sync --final cuts over and needs a confirmation that the sources' writers are stopped: pass --yes when not running in a terminal.",
            [`Stop every writer of the source accounts, then run: ahds-migrate sync ${planPath} --final --yes`]);
        }
      },
      ...(o.final && !o.yes ? { confirm: (plan: Plan) => confirmCutover(plan, interrupt.signal) } : {}),
      onStart: (plan, accounts) => {
        names = new Map(accounts.map((a) => [a.id.toLowerCase(), a.name]));
        printErr(`Syncing ${plan.planId}: ${accounts.length} account(s); journal ${syncJournalPath(planPath)}.`);
      },
      onRecord: (r) => printErr(`${names.get(r.account.toLowerCase()) ?? r.account} round ${r.round}: ${describeRecord(r)}`),
    });
    if (!run.results) {
      printErr("Nothing done: the cutover needs the sources' writers stopped first.");
      return EXIT.ok;
    }
    const { plan, session, accounts, results } = run;
    for (const r of results) {
      printOut(`${names.get(r.account.toLowerCase())}: ${r.committed} round(s) committed, watermark ${r.watermark ?? "none"}; `
        + `${totalCount(r.exported)} exported, ${totalCount(r.imported)} imported, ${totalCount(r.errors)} rejected`
        + (r.blocked ? `; BLOCKED: ${r.blocked}` : ""));
      for (const line of await rejectedLines(session.credential, r.errors, r.errorUrls)) printOut(line);
      if (r.searchParameters.copied + r.searchParameters.failed > 0) {
        printOut(`  SearchParameter: ${r.searchParameters.copied} copied through REST${r.searchParameters.failed ? `, ${r.searchParameters.failed} refused (copy them yourself)` : ""}; run $reindex on the new FHIR service before relying on them.`);
      }
    }
    if (results.some((r) => r.blocked)) return EXIT.failedSteps;
    if (!o.final) return EXIT.ok;
    const { verifyData } = await import("../../runner/verify-data.js");
    const check = await verifyData(accounts, new Map(results.map((r) => [r.account.toLowerCase(), r.watermark])));
    if (check.differences.length > 0 || check.unreadable.length > 0) {
      printErr([`error: after the last round the data still differs (${check.differences.length} type(s)):`,
        ...check.differences.map((d) => `  ${d.account} ${d.type}: current ${d.current.source}/${d.current.target}, versions ${d.versions.source}/${d.versions.target} (source/target)`),
        ...check.unreadable.map((u) => `  ${u}`),
        "  A writer may still be running: stop it, then run the same command again."].join("\n"));
      return EXIT.failedSteps;
    }
    printOut(`Cut over: ${check.rows.length} type(s) hold the same counts on both sides. Move every client:`);
    for (const line of clientChanges(plan, accounts)) printOut(line);
    return EXIT.ok;
  } catch (e) {
    if ((e as Error).name === "AbortError") return EXIT.interrupted;
    throw e;
  } finally {
    process.off("SIGINT", onSigint);
  }
}


/** One progress line per journaled record (stderr), after it is on disk. */
export function describeRecord(r: SyncRecord): string {
  switch (r.type) {
    case "round-planned": return `window ${r.since ?? "the beginning"} → ${r.till}`;
    case "export-kickoff-sent": return `export sent${r.attempt > 1 ? ` (attempt ${r.attempt})` : ""}`;
    case "export-accepted": return "export accepted, polling it";
    case "export-completed": return `export done: ${r.outputs.reduce((n, o) => n + o.count, 0)} resources in ${r.outputs.length} file(s)`;
    case "export-failed": return `export failed (${r.reason}): ${r.message}`;
    case "search-parameters-copied": return `${r.copied} SearchParameter(s) copied through REST${r.failed ? `, ${r.failed} refused (${r.message})` : ""}; run $reindex on the target once the data is in`;
    case "import-batch-planned": return `import job ${r.batch} planned: ${r.inputs.length} ${r.inputs[0]?.type ?? ""} file(s)`;
    case "import-accepted": return `import job ${r.batch} accepted, polling it`;
    case "import-completed": return `import job ${r.batch} done: ${totalCount(r.imported)} imported, ${totalCount(r.errors)} rejected`;
    case "import-failed": return `import job ${r.batch} failed: ${r.message}`;
    case "round-committed": return `committed: the watermark is ${r.till}`;
    case "round-blocked": return `BLOCKED: ${r.reason}`;
  }
}

/** What each client of an account must change at the cutover: the URL, the token audience, who holds access. */
function clientChanges(plan: Plan, accounts: readonly { id: string; name: string }[]): string[] {
  const out: string[] = [];
  for (const a of plan.accounts.filter((x) => x.status === "planned" && accounts.some((y) => y.id === x.id))) {
    out.push(`${a.name} → ${a.target.fhirUrl}`);
    out.push(`  request tokens for ${a.target.fhirUrl}/.default (the new audience) from tenant ${plan.tenantId}`);
    const grants = plan.steps.filter((s) => s.accountId === a.id && s.kind === "grant-data-role" && /\/fhirservices\//i.test(s.request.url));
    for (const g of grants) out.push(`  access: ${stepTitle(plan.steps, g)}`);
    if (grants.length === 0) out.push("  access: no data role was granted by the plan: grant your clients a FHIR data role on the new service");
  }
  return out;
}

async function confirmCutover(plan: Plan, abortSignal: AbortSignal): Promise<boolean> {
  const { createInterface } = await import("node:readline/promises");
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const n = plan.accounts.filter((a) => a.status === "planned").length;
    const answer = await rl.question(`Cut over ${plan.planId}: are the writers of all ${n} source account(s) stopped? [y/N] `, { signal: abortSignal });
    return /^y(es)?$/i.test(answer.trim());
  } catch {
    return false;
  } finally {
    rl.close();
  }
}
