// The sync screen's state (`s` on the plans screen): per planned account its round, what the round is doing,
// the watermark and its age, the next round's time; per resource type the resources exported, imported and
// rejected; a log line per committed, failed or blocked round. A fold of the sync journal's records — the
// earlier ones handed over once the run holds the lock, then each new one once it is fsynced — so the
// screen says what NAME.sync.jsonl says. Pure (STYLE.md); App.tsx (use-sync.ts) runs the effects it asks for.
import type { Plan } from "../../domain/plan.js";
import { totalCount, type SyncRecord } from "../../domain/sync-journal.js";
import type { SyncOutcome, SyncStarted } from "../sync-view.js";
import type { LogEntry } from "./progress.js";

export type SyncStage = "waiting" | "exporting" | "importing" | "committed" | "blocked";

export interface SyncAccountProgress {
  id: string;
  name: string;
  /** Rounds committed in the whole journal, and the last round's number (open or committed). */
  committed: number;
  round: number;
  stage: SyncStage;
  /** The last committed `_till` (ISO), null before the first commit. */
  watermark: string | null;
  /** The open round's import jobs: planned and finished (completed or failed). */
  jobs: { planned: number; finished: number };
  /** Epoch ms of a round-committed record of THIS run (the next round starts an interval later). */
  committedAt: number | null;
  blocked: string | null;
  /** This round's resources so far (the log line of its commit). */
  roundExported: number;
  roundImported: number;
  roundRejected: number;
}

/** Per resource type over the whole journal: versions exported, imported (or copied through REST) and rejected. */
export interface TypeCounts { exported: number; imported: number; rejected: number }

export interface SyncProgressState {
  planId: string;
  planPath: string;
  /** Identity of the run request: App starts one sync per token. */
  request: object;
  /** confirming (y/n) → running → (Ctrl-C) stopping → finished; "broken" when it could not run at all. */
  phase: "confirming" | "running" | "stopping" | "finished" | "broken";
  /** The run holds the lock and handed over the journal (before that, the checks are running). */
  started: boolean;
  paused: boolean;
  accounts: SyncAccountProgress[];
  types: Record<string, TypeCounts>;
  /** Committed, failed and blocked rounds of this run, in journal order (the screen's <Static> log). */
  log: LogEntry[];
  roundIntervalMs: number | null;
  runStartedAt: number | null;
  nowMs: number | null;
  outcome: SyncOutcome | null;
  runError: string | null;
}

export type SyncProgressAction =
  | { type: "confirm" }
  | { type: "started"; started: SyncStarted; now: number }
  | { type: "record"; record: SyncRecord }
  | { type: "tick"; now: number }
  | { type: "toggle-pause" }
  | { type: "stop" }
  /** `r` after a run that ended: rounds again on the same file (the journal says where to continue). */
  | { type: "again" }
  | { type: "finished"; outcome: SyncOutcome }
  | { type: "run-failed"; message: string };

const blankAccount = (id: string, name: string): SyncAccountProgress => ({
  id, name, committed: 0, round: 0, stage: "waiting", watermark: null, jobs: { planned: 0, finished: 0 },
  committedAt: null, blocked: null, roundExported: 0, roundImported: 0, roundRejected: 0,
});

export function startSyncProgress(plan: Plan, planPath: string): SyncProgressState {
  const accounts = plan.accounts.filter((a) => a.status === "planned").map((a) => blankAccount(a.id, a.name));
  return { planId: plan.planId, planPath, request: {}, phase: "confirming", started: false, paused: false, accounts, types: {}, log: [],
    roundIntervalMs: null, runStartedAt: null, nowMs: null, outcome: null, runError: null };
}


/** One record folded in; `live`: of this run (logged, and a commit times the next round), else an earlier run's. */
function foldRecord(s: SyncProgressState, r: SyncRecord, live: boolean): SyncProgressState {
  const i = s.accounts.findIndex((a) => a.id.toLowerCase() === r.account.toLowerCase());
  if (i < 0) return s;
  const a = s.accounts[i]!;
  let next: SyncAccountProgress = { ...a, round: Math.max(a.round, r.round) };
  let types = s.types;
  const add = (counts: Record<string, number>, field: keyof TypeCounts) => {
    types = { ...types };
    for (const [type, n] of Object.entries(counts)) {
      const t = types[type] ?? { exported: 0, imported: 0, rejected: 0 };
      types[type] = { ...t, [field]: t[field] + n };
    }
  };
  let line: LogEntry | null = null;
  const say = (tone: LogEntry["tone"], text: string) => { line = { key: `${r.runId}:${r.seq}`, tone, text: `${a.name} round ${r.round}: ${text}` }; };
  switch (r.type) {
    case "round-planned":
      next = { ...next, stage: "exporting", blocked: null, jobs: { planned: 0, finished: 0 }, roundExported: 0, roundImported: 0, roundRejected: 0 };
      break;
    case "export-kickoff-sent": case "export-accepted": break;
    case "export-completed": {
      const exported: Record<string, number> = {};
      for (const o of r.outputs) exported[o.type] = (exported[o.type] ?? 0) + o.count;
      add(exported, "exported");
      next = { ...next, stage: "importing", roundExported: totalCount(exported) };
      break;
    }
    case "export-failed": say("failed", `export attempt ${r.attempt} failed (${r.reason}): ${r.message}`); break;
    case "search-parameters-copied":
      add({ SearchParameter: r.copied }, "imported");
      add({ SearchParameter: r.failed }, "rejected");
      next = { ...next, roundImported: next.roundImported + r.copied, roundRejected: next.roundRejected + r.failed };
      if (r.failed > 0) say("failed", `${r.failed} SearchParameter(s) refused by the target (${r.message}); copy them yourself`);
      break;
    case "import-batch-planned": next = { ...next, jobs: { ...next.jobs, planned: next.jobs.planned + 1 } }; break;
    case "import-accepted": break;
    case "import-completed":
      add(r.imported, "imported");
      add(r.errors, "rejected");
      next = { ...next, jobs: { ...next.jobs, finished: next.jobs.finished + 1 },
        roundImported: next.roundImported + totalCount(r.imported), roundRejected: next.roundRejected + totalCount(r.errors) };
      break;
    case "import-failed":
      next = { ...next, jobs: { ...next.jobs, finished: next.jobs.finished + 1 } };
      say("failed", `import job ${r.batch} failed: ${r.message}`);
      break;
    case "round-committed":
      next = { ...next, stage: "committed", committed: next.committed + 1, watermark: r.till, committedAt: live ? Date.parse(r.at) : null };
      say(next.roundRejected > 0 ? "failed" : "ok", `committed up to ${r.till}: ${next.roundExported} exported, ${next.roundImported} imported, ${next.roundRejected} rejected`);
      break;
    case "round-blocked":
      next = { ...next, stage: "blocked", blocked: r.reason };
      say("failed", `BLOCKED: ${r.reason}`);
      break;
  }
  const accounts = s.accounts.map((x, k) => (k === i ? next : x));
  return { ...s, accounts, types, log: live && line ? [...s.log, line] : s.log };
}

export function syncProgressReducer(s: SyncProgressState, a: SyncProgressAction): SyncProgressState {
  switch (a.type) {
    case "confirm": return s.phase === "confirming" ? { ...s, phase: "running", request: {} } : s;
    case "started": {
      if (s.phase !== "running" && s.phase !== "stopping") return s;
      // The journal as it stands replaces what an earlier run of this screen folded (it holds those records too).
      let folded: SyncProgressState = { ...s, accounts: s.accounts.map((x) => blankAccount(x.id, x.name)), types: {} };
      for (const r of a.started.prior) folded = foldRecord(folded, r, false);
      return { ...folded, started: true, roundIntervalMs: a.started.roundIntervalMs, runStartedAt: a.now, nowMs: a.now };
    }
    case "record": return s.started ? foldRecord(s, a.record, true) : s;
    case "tick": return { ...s, nowMs: a.now };
    case "toggle-pause": return s.phase === "running" ? { ...s, paused: !s.paused } : s;
    case "stop": return s.phase === "running" ? { ...s, phase: "stopping" } : s;
    case "again": return s.phase === "finished" || s.phase === "broken"
      ? { ...s, phase: "running", request: {}, started: false, outcome: null, runError: null } : s;
    case "finished": return s.phase === "running" || s.phase === "stopping" ? { ...s, phase: "finished", paused: false, outcome: a.outcome } : s;
    case "run-failed": return s.phase === "running" || s.phase === "stopping" ? { ...s, phase: "broken", paused: false, runError: a.message } : s;
  }
}

/** Whether the sync is live (App ticks the clock, and q waits for its end). */
export function syncLive(s: SyncProgressState): boolean {
  return s.phase === "running" || s.phase === "stopping";
}

/** Milliseconds until the account's next round starts, or null when none is scheduled (in a round, ended, blocked). */
export function nextRoundInMs(s: SyncProgressState, a: SyncAccountProgress): number | null {
  if (s.phase !== "running" || a.stage !== "committed" || a.committedAt === null || s.roundIntervalMs === null || s.nowMs === null) return null;
  return Math.max(0, a.committedAt + s.roundIntervalMs - s.nowMs);
}

/** How old the account's watermark is (what a cutover now would still have to copy), null before the first commit. */
export function watermarkAgeMs(s: SyncProgressState, a: SyncAccountProgress): number | null {
  return a.watermark === null || s.nowMs === null ? null : Math.max(0, s.nowMs - Date.parse(a.watermark));
}

/** The exit code leaving the UI after this sync (DESIGN.md): 4 a round blocked, 130 interrupted, 1 could not run; null otherwise. */
export function syncExitCode(s: SyncProgressState): number | null {
  if (s.phase === "broken") return 1;
  if (s.phase !== "finished") return null;
  if (s.outcome === "interrupted") return 130;
  if (s.outcome === "blocked" || s.accounts.some((a) => a.stage === "blocked")) return 4;
  return null;
}
