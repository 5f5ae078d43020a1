// `ahds-migrate plan`: a reviewable migration plan of the chosen accounts (DESIGN.md "Plan", "Files the
// tool owns"). Thin: flags → choices (refused before signing in), then plan-run.ts (discover → chosen keys
// → assess → buildPlan), then either the two files (--out NAME.plan.json + NAME.plan.md) with a summary on
// stderr, or the Markdown (the JSON with --json) on stdout.
//
// Exit codes (README "plan"): 0 a plan was produced with at least one planned account (accounts that are
// not planned are data, listed with the flag that resolves them); 1 no account could be planned (the plan
// is still written/printed so the reasons can be read and shared); 2 usage.
//
// `plan --check FILE`: the checks apply makes before it runs — format and digest (load-plan.ts), the .plan.md
// twin carries the same digest, every fingerprinted source fact is unchanged in Azure, and the plan made
// again from its choices has the same steps (rederive-plan.ts) — exit 0 "would apply as it is", 2
// unreadable file, 3 refused (edited, unknown format, stale, not what `plan` makes) with the one-line reason
// and the command that re-plans.
import type { PlanChoices, Plan } from "../../domain/plan.js";
import { UsageError, UserError } from "../../domain/errors.js";
import type { CommandContext } from "../command-context.js";
import { printErr, printJson, printOut } from "../output.js";
import { archiveJournal, checkMarkdownDigest, loadPlanFile, planPaths, refuseJournaledOut, writePlanFiles, type PlanPaths } from "../plan-files.js";
import { parsePlanChoices, type RawPlanChoices } from "../plan-choices.js";
import { toolVersion } from "../version.js";
import { createProgressLine } from "../views/inventory-progress.js";

export interface PlanOptions extends RawPlanChoices {
  out?: string;
  json?: boolean;
  check?: string;
  /** --archive-journal: --out may replace a plan that has a journal; the journal is moved aside first. */
  archiveJournal?: boolean;
}

export async function planCommand(o: PlanOptions, ctx: CommandContext): Promise<number> {
  if (o.check !== undefined) return checkPlanCommand(o, ctx);
  const choices = parsePlanChoices(o, ctx.cloud);
  // The NAME rule is checked before anything is read, so a long discovery never ends in a refusal.
  const paths = o.out === undefined ? undefined : planPaths(o.out);
  // So is a journal beside it: a new plan under the same NAME must not resume the old plan's run.
  if (paths) await refuseJournaledOut(paths, o.archiveJournal === true);

  const { createAzureSession } = await import("../../azure/azure-session.js");
  const { planFromAzure } = await import("../plan-run.js");
  const { renderPlanMarkdown } = await import("../../planner/render-markdown.js");
  const session = createAzureSession(ctx.cloud);
  const progress = createProgressLine(process.stderr);
  let plan: Plan;
  try {
    ({ plan } = await planFromAzure(session, choices, {
      toolVersion: toolVersion(),
      onProgress: (p) => progress.update(p),
    }));
  } finally {
    progress.done();
  }
  const markdown = renderPlanMarkdown(plan);
  const counts = countsOf(plan);

  if (paths) {
    if (o.archiveJournal) {
      const moved = await archiveJournal(paths);
      if (moved) printErr(`Moved the journal of the earlier plan aside: ${moved} (its run is kept there; apply starts this plan afresh).`);
    }
    await writePlanFiles(paths.plan, plan, markdown);
    printErr(summary(plan, counts, paths.plan));
    if (o.json) printJson({ planId: plan.planId, digest: plan.digest, files: filesOf(paths), ...counts });
  } else if (o.json) {
    printJson(plan);
  } else {
    printOut(markdown);
  }
  if (counts.accountsPlanned === 0) throw nothingPlanned(plan, choices);
  return 0;
}

interface Counts { accountsPlanned: number; accountsNotPlanned: number; steps: number }

function countsOf(plan: Plan): Counts {
  const planned = plan.accounts.filter((a) => a.status === "planned").length;
  return { accountsPlanned: planned, accountsNotPlanned: plan.accounts.length - planned, steps: plan.steps.length };
}

function filesOf(p: PlanPaths): { plan: string; markdown: string } {
  return { plan: p.plan, markdown: p.markdown };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "Plan plan-1a2b3c4d5e6f written: plans/x.plan.json (+ .plan.md): 5 accounts planned, 2 not planned, 31 steps" + one line per account left out. */
export function summary(plan: Plan, c: Counts, out: string): string {
  const lines = [`Plan ${plan.planId} written: ${out} (+ .plan.md): ${plural(c.accountsPlanned, "account")} planned, `
    + `${c.accountsNotPlanned} not planned, ${plural(c.steps, "step")}`];
  for (const a of plan.accounts.filter((x) => x.status !== "planned")) {
    const reasons = a.notPlanned.map((r) => `${r.code} (${r.resolve})`).join("; ");
    lines.push(`  not planned: ${a.name}: ${reasons || "see the plan"}`);
  }
  return lines.join("\n");
}

function nothingPlanned(plan: Plan, choices: PlanChoices): UserError {
  if (plan.accounts.length === 0) {
    return new UserError(choices.accounts === "all-ready"
      ? "No account is ready to migrate as it is, so the plan is empty."
      : "No account could be planned.",
    ["Run 'ahds-migrate inventory' to see what each account needs, then plan it with --account ID and the flag that resolves it (--kind, --accept, --key, --name)."]);
  }
  const first = plan.accounts[0]!;
  const codes = first.notPlanned.map((r) => r.code).join(", ") || "not planned";
  return new UserError(plan.accounts.length === 1
    ? `${first.name} could not be planned: ${codes}.`
    : `None of the ${plan.accounts.length} selected accounts could be planned (${first.name}: ${codes}).`,
    [first.notPlanned[0]?.resolve ? `Resolve it: ${first.notPlanned[0].resolve.replace(/\.$/, "")}, then plan again.` : "See the plan's not-planned reasons, then plan again."]);
}

const CHOICE_FLAGS: [keyof PlanOptions, string][] = [
  ["account", "--account"], ["allReady", "--all-ready"], ["out", "--out"], ["json", "--json"],
  ["targetResourceGroup", "--target-resource-group"], ["key", "--key"], ["kind", "--kind"], ["accept", "--accept"],
  ["name", "--name"], ["subscription", "--subscription"], ["storageAccount", "--storage-account"],
];

async function checkPlanCommand(o: PlanOptions, ctx: CommandContext): Promise<number> {
  const extra = CHOICE_FLAGS.filter(([k]) => o[k] !== undefined && o[k] !== false).map(([, f]) => f);
  if (extra.length > 0) {
    throw new UsageError(`--check takes only the plan file; ${extra.join(", ")} ${extra.length === 1 ? "is" : "are"} for making a plan.`,
      ["Run 'ahds-migrate plan --check FILE.plan.json' on its own."]);
  }
  const path = o.check!;
  const plan = await loadPlanFile(path);
  await checkMarkdownDigest(path, plan);
  if (plan.cloud !== ctx.cloud) {
    throw new UsageError(`${path} was planned in ${plan.cloud}, but this run talks to ${ctx.cloud}.`,
      [`Run it with --cloud ${plan.cloud} (or the profile it was planned with).`]);
  }

  const { createAzureSession } = await import("../../azure/azure-session.js");
  const { refuseStalePlan } = await import("../apply-preflight.js");
  const { refuseUnplannable } = await import("../rederive-plan.js");
  const session = createAzureSession(ctx.cloud);
  await refuseStalePlan(path, plan, session);
  const progress = createProgressLine(process.stderr);
  try {
    await refuseUnplannable(path, plan, session, { onProgress: (p) => progress.update(p) });
  } finally {
    progress.done();
  }
  const c = countsOf(plan);
  printOut(`${plan.planId} would apply as it is: ${plural(c.accountsPlanned, "account")} planned, ${plural(c.steps, "step")}; `
    + "the digest matches in both files, no source fact it relies on has changed, and `plan` makes the same steps from its choices now.");
  return 0;
}
