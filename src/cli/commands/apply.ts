// `ahds-migrate apply PLAN`: carry out a reviewed plan (DESIGN.md "Apply", "Files the tool owns"); the same
// command resumes. Thin over apply-service.ts (the TUI's `a` runs the same): plan file (format + digest) →
// --yes / TTY → staleness → NAME.lock → confirmation on a TTY → NAME.journal.jsonl → runPlan, with one
// progress line per journaled outcome on stderr ("Workspace fhirclaims in rg-fhir (westeurope) created").
//
// Exit codes (README "apply"): 0 every step succeeded; 2 usage (no --yes without a terminal, bad flags,
// unreadable plan); 3 plan refused (edited, unknown format, stale, locked by another run); 4 the run
// finished with failed steps; 130 interrupted (Ctrl-C) — the resume command is printed.
import { createInterface } from "node:readline/promises";
import type { JournalRecord } from "../../domain/journal.js";
import type { Plan } from "../../domain/plan.js";
import { CancelledError, UsageError } from "../../domain/errors.js";
import type { RunSummary } from "../../runner/run-plan.js";
import type { CommandContext } from "../command-context.js";
import { EXIT } from "../error-handler.js";
import { printErr, printJson, printOut } from "../output.js";
import { planPaths } from "../plan-files.js";
import { DATA_NOT_COPIED } from "../../domain/retirement.js";
import { stepTitle } from "../../planner/step-title.js";
import { createProgressLine } from "../views/inventory-progress.js";

export interface ApplyOptions {
  yes?: boolean;
  concurrency?: number;
  json?: boolean;
  forceUnlock?: boolean;
  /** Minutes (program.ts parses them). */
  operationTimeout?: number;
  propagationTimeout?: number;
}

/**
 * Steps in flight at once. Most of a step's time is spent waiting between polls of a long-running
 * operation, and requests to Azure are paced separately by the session's limiter (16 in flight,
 * per-subscription buckets, DESIGN.md "Rate limits live in src/azure"): a low step count would only
 * serialize the waiting (the apply benchmark: 100 accounts take 6.96x their critical path at 16 steps,
 * 1.16x at 128).
 */
export const DEFAULT_CONCURRENCY = 128;
export const MAX_CONCURRENCY = 512;
/** Terraform's default for long-running operations (issue 5). */
export const DEFAULT_OPERATION_TIMEOUT_MIN = 90;
export const DEFAULT_PROPAGATION_TIMEOUT_MIN = 15;

export async function applyCommand(planPath: string, o: ApplyOptions, ctx: CommandContext): Promise<number> {
  const paths = planPaths(planPath);
  const onTty = process.stdin.isTTY === true && process.stderr.isTTY === true;
  const { createAzureSession } = await import("../../azure/azure-session.js");
  const { realClock } = await import("../../azure/limiter-clock.js");
  const { applyPlanFile } = await import("../apply-service.js");

  const interrupt = new AbortController();
  // Ctrl-C: the first one stops starting steps, repeats are the same request.
  const onSigint = () => { if (!interrupt.signal.aborted) { printErr("Interrupted: finishing the steps in flight…"); interrupt.abort(); } };
  process.on("SIGINT", onSigint);
  let titles = new Map<string, string>();
  const progress = createProgressLine(process.stderr);
  try {
    const result = await applyPlanFile({
      planPath, ctx, session: createAzureSession(ctx.cloud), clock: realClock, abortSignal: interrupt.signal,
      concurrency: o.concurrency ?? DEFAULT_CONCURRENCY,
      operationTimeoutMs: (o.operationTimeout ?? DEFAULT_OPERATION_TIMEOUT_MIN) * 60_000,
      propagationTimeoutMs: (o.propagationTimeout ?? DEFAULT_PROPAGATION_TIMEOUT_MIN) * 60_000,
      forceUnlock: o.forceUnlock === true,
      notice: printErr,
      onRederiveProgress: (p) => progress.update(p),
      onRederived: () => progress.done(),
      preflight: () => {
        if (!o.yes && !onTty) {
          throw new UsageError("apply changes Azure and needs a confirmation: pass --yes when not running in a terminal.",
            [`Review the plan (${paths.markdown}), then run: ${resumeCommand(planPath, ctx, true)}`]);
        }
      },
      ...(o.yes ? {} : { confirm: (plan: Plan) => confirm(plan, interrupt.signal) }),
      onStart: (plan, prior) => {
        titles = new Map(plan.steps.map((s) => [s.id, stepTitle(plan.steps, s)]));
        printErr(prior > 0
          ? `Resuming ${plan.planId}: ${plan.steps.length} steps, continuing from ${paths.journal}.`
          : `Applying ${plan.planId}: ${plan.steps.length} steps; journal ${paths.journal}.`);
      },
      onEvent: (r) => { const line = progressLine(r, titles); if (line) printErr(line); },
    });
    if (result.summary === null) {
      printErr("Nothing applied.");
      return EXIT.ok;
    }
    return finish(result.plan, planPath, result.summary, o, ctx);
  } finally {
    progress.done();
    process.off("SIGINT", onSigint);
  }
}

function finish(plan: Plan, planPath: string, s: RunSummary, o: ApplyOptions, ctx: CommandContext): number {
  const failed = s.steps.filter((x) => x.status === "failed");
  if (o.json) {
    printJson({
      planId: plan.planId, runId: s.runId, outcome: s.outcome, counts: s.counts,
      steps: s.steps.map((x) => ({ id: x.stepId, status: x.status, attempts: x.attempts, reason: x.reason, outputs: x.outputs, error: x.error })),
    });
  }
  if (s.outcome === "interrupted") {
    throw new CancelledError(`Interrupted: ${s.counts.succeeded} of ${plan.steps.length} steps done; `
      + "steps that were in progress are checked against Azure when the run resumes.", resumeCommand(planPath, ctx, o.yes === true));
  }
  if (s.outcome === "failed-steps") {
    printErr(`error: ${failed.length} ${failed.length === 1 ? "step" : "steps"} failed, ${s.counts.skipped} skipped (they depend on a failed step); `
      + `${s.counts.succeeded} of ${plan.steps.length} succeeded.`);
    for (const f of failed) printErr(`  ${f.stepId}: ${f.error?.code ?? "Error"}: ${f.error?.message ?? ""}${f.error?.requestId ? ` (request id ${f.error.requestId})` : ""}`);
    printErr(`  Fix the cause, then run the same command again: ${resumeCommand(planPath, ctx, o.yes === true)}`);
    return EXIT.failedSteps;
  }
  const msg = `${plan.planId} applied: ${plan.steps.length} steps succeeded. ${DATA_NOT_COPIED}\n`
    + `Check it with: ahds-migrate verify ${planPath}`;
  if (o.json) printErr(msg);
  else printOut(msg);
  return EXIT.ok;
}

const REASON_WORDS: Record<string, string> = {
  created: "created", "already-satisfied": "already as planned", reconciled: "reconciled (it was in progress when the last run stopped)",
};

/** One line per journaled outcome (noun first: "Workspace … created"); nothing for the other records. */
export function progressLine(r: JournalRecord, titles: Map<string, string>): string | null {
  const title = r.stepId ? titles.get(r.stepId) ?? r.stepId : "";
  switch (r.type) {
    case "step-succeeded": return `${title} ${REASON_WORDS[r.reason ?? ""] ?? "done"}`;
    case "step-failed": return `${title} failed: ${r.error?.code ?? "Error"}: ${r.error?.message ?? ""}${r.error?.requestId ? ` (request id ${r.error.requestId})` : ""}`;
    case "step-skipped": return `${title} skipped: a step it depends on failed`;
    // Long-running (a FHIR service takes minutes): say it is under way; its operation URL is in the journal.
    case "step-operation-accepted": return `${title}: accepted by Azure, in progress`;
    default: return null;
  }
}

/** The command that resumes this run (the same one: apply continues from the journal). */
export function resumeCommand(planPath: string, ctx: CommandContext, yes: boolean): string {
  const q = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`);
  return ["ahds-migrate", ...(ctx.profilePath ? ["--profile", q(ctx.profilePath)] : []), "apply", q(planPath), ...(yes ? ["--yes"] : [])].join(" ");
}

async function confirm(plan: Plan, abortSignal: AbortSignal): Promise<boolean> {
  const accounts = plan.accounts.filter((a) => a.status === "planned").length;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`Apply ${plan.planId} to Azure: ${plan.steps.length} steps for ${accounts} accounts? [y/N] `, { signal: abortSignal });
    return /^y(es)?$/i.test(answer.trim());
  } catch {
    return false;
  } finally {
    rl.close();
  }
}
