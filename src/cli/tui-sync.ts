// The TUI's `s` on the plans screen (src/ui/sync-view.ts SyncActions): sync-service.ts, the one sequence
// `ahds-migrate sync PLAN` runs too — the plan file loaded back, staleness, the plan made again, every apply
// step succeeded, NAME.lock, NAME.sync.jsonl — then rounds until Ctrl-C with sync's defaults, the UI as the
// observer of the journal. Pause is syncAccounts' gate: nothing new starts, jobs in flight are polled to
// their end and journaled, so a crash while paused leaves nothing in doubt that the pause held back.
import type { AzureSession } from "../azure/azure-session.js";
import type { SyncActions, SyncOutcome } from "../ui/sync-view.js";
import type { CommandContext } from "./command-context.js";
import { pauseGate, planCommand } from "./tui-run.js";

export interface TuiSyncOptions {
  ctx: Pick<CommandContext, "cloud" | "debug" | "profile" | "profilePath">;
  /** The session inventory signed in with (one limiter for ARM and the FHIR data planes). */
  session: () => AzureSession;
}

export function tuiSyncActions(o: TuiSyncOptions): SyncActions {
  return {
    // With --profile when the UI runs on one, as apply's resume command names it.
    commandLine: (planPath) => planCommand(o.ctx, "sync", planPath),
    startSync(planPath, observer) {
      const abort = new AbortController();
      const gate = pauseGate();
      const done = (async (): Promise<{ outcome: SyncOutcome }> => {
        const { realClock } = await import("../azure/limiter-clock.js");
        const { syncPlanFile, SYNC_DEFAULTS, UNTIL_INTERRUPTED } = await import("./sync-service.js");
        try {
          const run = await syncPlanFile({
            planPath, ctx: o.ctx as CommandContext, session: o.session, clock: realClock, abortSignal: abort.signal, gate: gate.wait,
            rounds: UNTIL_INTERRUPTED, ...SYNC_DEFAULTS,
            onStart: (_plan, _accounts, prior) => observer.started({ prior, roundIntervalMs: SYNC_DEFAULTS.roundIntervalMs }),
            onRecord: (r) => observer.record(r),
          });
          return { outcome: run.results?.some((r) => r.blocked) ? "blocked" : "caught-up" };
        } catch (e) {
          if ((e as Error).name === "AbortError") return { outcome: "interrupted" };
          throw e;
        }
      })();
      return { done, pause: gate.pause, resume: gate.resume, abort: () => abort.abort() };
    },
  };
}
