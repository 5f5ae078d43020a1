// What the sync screen needs from outside the UI: `startSync` (src/cli/tui-sync.ts wires it to
// syncPlanFile — the sequence `ahds-migrate sync PLAN` runs — with the session, the lock and NAME.sync.jsonl
// of the plan file). The UI observes the rounds only through the journaled records it is handed, first the
// journal's earlier ones, then each new one once it is fsynced; it never talks to a FHIR service itself.
import type { SyncRecord } from "../domain/sync-journal.js";

/** How a sync run ended: every account caught up (the watermark is as far as it can go now), a round blocked, or Ctrl-C. */
export type SyncOutcome = "caught-up" | "blocked" | "interrupted";

/** Once every check passed and the lock is held: the journal so far, and the pause between two rounds. */
export interface SyncStarted {
  prior: readonly SyncRecord[];
  roundIntervalMs: number;
}

export interface SyncObserver {
  started(s: SyncStarted): void;
  record(r: SyncRecord): void;
}

export interface SyncHandle {
  /** Settles when the run ended; rejects only when it could not run (a refused plan, the lock held, I/O). */
  done: Promise<{ outcome: SyncOutcome }>;
  /** Start nothing new (a round, an export, an import job); jobs in flight are polled to their end. */
  pause(): void;
  resume(): void;
  /** Ctrl-C: stop after the request in flight; the journal says where the next run continues. */
  abort(): void;
}

export interface SyncActions {
  /** Rounds on the plan FILE at `planPath` until aborted (as `ahds-migrate sync PLAN` without --once). */
  startSync(planPath: string, observer: SyncObserver): SyncHandle;
  /** `ahds-migrate [--profile …] sync PLAN` as the user would type it; default bare. */
  commandLine?: (planPath: string) => string;
}

export const bareSyncCommand = (planPath: string): string => `ahds-migrate sync ${planPath}`;
