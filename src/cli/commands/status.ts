// `ahds-migrate status PLAN [--json]`: where an apply of PLAN stands, from the files alone (DESIGN.md "Files
// the tool owns": status checks only format and digest and needs no network — no session, no sign-in).
// The plan (format + digest), its journal replayed (a torn last line reported on stderr, never fatal) and
// its lock, as a table per account or one JSON document.
//
// Exit codes: 0 the status was printed; 2 the plan file is unreadable or malformed; 3 the plan was edited
// or has an unknown format, or the journal is corrupt before its last line.
import type { StepState } from "../../domain/journal.js";
import type { Plan, PlanStep } from "../../domain/plan.js";
import type { CommandContext } from "../command-context.js";
import { printErr, printJson, printOut } from "../output.js";
import { loadPlanFile, planPaths } from "../plan-files.js";
import { journalWarnings } from "../journal-warnings.js";
import { stepTitle } from "../../planner/step-title.js";

export interface StatusOptions {
  json?: boolean;
}

export async function statusCommand(planPath: string, o: StatusOptions, _ctx: CommandContext): Promise<number> {
  const paths = planPaths(planPath);
  const plan = await loadPlanFile(planPath);
  const { readJournal } = await import("../../runner/journal.js");
  const { replay } = await import("../../runner/replay.js");
  const { readLock, holderAlive } = await import("../../runner/lock.js");
  const journal = await readJournal(paths.journal);
  const r = replay(journal.records, plan);
  const warnings = journalWarnings(paths.journal, journal, r, "in doubt until the next apply checks them against Azure");
  for (const w of warnings.reading) printErr(w);
  const other = r.planIds.find((id) => id !== plan.planId);
  if (other !== undefined) {
    printErr(`warning: ${paths.journal} is the journal of ${other}, not of ${plan.planId}: apply refuses it until it is moved aside.`);
  }
  if (warnings.conflicts) printErr(warnings.conflicts);
  if (r.unknownStepIds.length > 0) {
    printErr(`warning: ${paths.journal} names ${r.unknownStepIds.length} step(s) this plan does not have (e.g. ${r.unknownStepIds[0]}): `
      + "it may be the journal of an earlier plan written to the same file name.");
  }
  const lockRead = await readLock(paths.lock);
  const lock = lockRead === null ? undefined
    : lockRead === "unreadable" ? { unreadable: true as const }
      : { ...lockRead, alive: holderAlive(lockRead) };

  const rows = plan.steps.map((s) => ({ step: s, state: r.steps.get(s.id)! }));
  if (o.json) {
    printJson({
      planId: plan.planId,
      digest: plan.digest,
      runs: r.runs,
      lastRun: r.lastRun,
      journal: { path: paths.journal, records: journal.records.length, tornLastLine: journal.tornLastLine, anomalies: journal.anomalies,
        planIds: r.planIds, conflictingStepIds: r.conflictingStepIds },
      counts: countsOf(rows.map((x) => x.state)),
      steps: rows.map(({ step, state }) => ({
        id: step.id, accountId: step.accountId, kind: step.kind, title: stepTitle(plan.steps, step),
        status: state.status, attempts: state.attempts, reason: state.reason, operationUrl: state.operationUrl, conflict: state.conflict,
        outputs: state.outputs, error: state.error,
      })),
      ...(lock ? { lock } : {}),
    });
    return 0;
  }
  printOut(renderTable(plan, rows, r.runs, r.lastRun, lock));
  return 0;
}

type Counts = Record<StepState["status"], number>;

function countsOf(states: StepState[]): Counts {
  const c: Counts = { pending: 0, "in-doubt": 0, succeeded: 0, failed: 0, skipped: 0 };
  for (const s of states) c[s.status]++;
  return c;
}

type LockView = { unreadable: true } | { pid: number; host: string; startedAt: string; alive: boolean | null };

function renderTable(plan: Plan, rows: { step: PlanStep; state: StepState }[],
  runs: number, lastRun: { finishReason: string | null } | null, lock: LockView | undefined): string {
  const c = countsOf(rows.map((x) => x.state));
  const runText = runs === 0 ? "never applied"
    : `${runs} run${runs === 1 ? "" : "s"}, the last ${lastRun?.finishReason ?? "did not finish (killed or still running)"}`;
  const lines = [`${plan.planId} (${plan.digest}): ${runText}.`,
    `Steps: ${c.succeeded} succeeded, ${c.failed} failed, ${c["in-doubt"]} in doubt, ${c.skipped} skipped, ${c.pending} pending (of ${rows.length}).`];
  if (lock) lines.push(lockLine(lock));
  for (const a of plan.accounts) {
    lines.push("", `${a.name} (${a.id})`);
    const mine = rows.filter((x) => x.step.accountId === a.id);
    if (mine.length === 0) {
      lines.push(`  not planned: ${a.notPlanned.map((n) => n.code).join(", ") || "see the plan"}`);
      continue;
    }
    const width = Math.max(...mine.map((x) => x.state.status.length), "STATUS".length);
    lines.push(`  ${"STATUS".padEnd(width)}  ATTEMPTS  STEP — REASON`);
    for (const { step, state } of mine) {
      const why = reasonOf(state);
      lines.push(`  ${state.status.padEnd(width)}  ${String(state.attempts).padStart(8)}  ${stepTitle(plan.steps, step)}${why ? ` — ${why}` : ""}`);
    }
  }
  return lines.join("\n");
}

function reasonOf(s: StepState): string {
  if (s.error) return `${s.error.code}: ${s.error.message}${s.error.requestId ? ` (request id ${s.error.requestId})` : ""}`;
  if (s.conflict) return "in doubt: two runs journaled different outcomes; the next apply checks it against Azure";
  if (s.status === "in-doubt") return s.operationUrl ? `in doubt, operation ${s.operationUrl}` : "started, no outcome journaled";
  return s.reason ?? "";
}

function lockLine(l: LockView): string {
  if ("unreadable" in l) return "Lock: present but unreadable (apply refuses it without --force-unlock).";
  const who = `process ${l.pid} on ${l.host}, since ${l.startedAt}`;
  if (l.alive === true) return `Lock: held by ${who} (running).`;
  if (l.alive === false) return `Lock: left by ${who}, which is gone (the next apply takes it over).`;
  return `Lock: held by ${who} (another host: cannot check it from here).`;
}
