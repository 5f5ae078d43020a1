// The apply benchmark's child (started by apply-run.ts with the sandbox's environment, SDK-RECIPE §2: node
// reads NODE_EXTRA_CA_CERTS only at start). Plans every ready account as `plan --all-ready` does
// (createAzureSession + discover + assess + buildPlan, src/cli/plan-run.ts), writes the plan files, and in
// "run" mode applies the plan with runPlan, the real executors and a real journal, then reports its figures.
//   node apply-bench.js '{"mode":"run","dir":"/tmp/…","concurrency":16}'
import path from "node:path";
import { performance } from "node:perf_hooks";
import { createAzureSession } from "../../src/azure/azure-session.js";
import { realClock } from "../../src/azure/limiter-clock.js";
import { parsePlanChoices } from "../../src/cli/plan-choices.js";
import { planPaths, writePlanFiles } from "../../src/cli/plan-files.js";
import { planFromAzure } from "../../src/cli/plan-run.js";
import { refuseUnplannable } from "../../src/cli/rederive-plan.js";
import { toolVersion } from "../../src/cli/version.js";
import { renderPlanMarkdown } from "../../src/planner/render-markdown.js";
import { EXECUTORS } from "../../src/runner/executors.js";
import { openJournal } from "../../src/runner/journal.js";
import { runPlan } from "../../src/runner/run-plan.js";
import type { ApplyChildArgs, ApplyChildMessage, ApplyChildResult, ApplyParentMessage } from "./apply-protocol.js";

/** Operations take seconds here; a minute means something is wrong, and the bench must stop by itself. */
const OPERATION_TIMEOUT_MS = 60_000;
const PROPAGATION_TIMEOUT_MS = 60_000;

let acked: (() => void) | null = null;
process.on("message", (m: ApplyParentMessage) => {
  if (m?.type === "ack") acked?.();
});

function send(m: ApplyChildMessage): Promise<void> {
  return new Promise((resolve, reject) => process.send!(m, (err: Error | null) => (err ? reject(err) : resolve())));
}

async function markPlanned(): Promise<void> {
  const done = new Promise<void>((resolve) => { acked = resolve; });
  await send({ type: "mark", name: "planned" });
  await done;
}

async function main(a: ApplyChildArgs): Promise<ApplyChildResult> {
  const session = createAzureSession("AzureCloud");
  const t0 = performance.now();
  const { plan } = await planFromAzure(session, parsePlanChoices({ allReady: true }, "AzureCloud"), { toolVersion: toolVersion() });
  const planPath = path.join(a.dir, "bench.plan.json");
  await writePlanFiles(planPath, plan, renderPlanMarkdown(plan));
  const planMs = performance.now() - t0;
  const base = {
    planMs, plannedAccounts: plan.accounts.filter((x) => x.status === "planned").length,
    notPlannedAccounts: plan.accounts.filter((x) => x.status !== "planned").length, steps: plan.steps.length, planPath,
  };
  // What apply does before its first write (issue 10 §3): the plan made again from its choices. Timed
  // here, before the "planned" mark, so the run's request log and ratios stay the run's own.
  let rederiveMs: number | null = null;
  if (a.mode === "run") {
    const t = performance.now();
    await refuseUnplannable(planPath, plan, session);
    rederiveMs = performance.now() - t;
  }
  await markPlanned();
  if (a.mode === "plan") {
    return { ...base, rederiveMs, runMs: null, journalPath: null, outcome: null, counts: null, maxRssKiB: process.resourceUsage().maxRSS, limiterStats: session.limiter.stats() };
  }
  const journalPath = planPaths(planPath).journal;
  const journal = await openJournal(journalPath, { clock: realClock });
  const t1 = performance.now();
  try {
    const summary = await runPlan(plan, {
      session, journal, executors: EXECUTORS, concurrency: a.concurrency, clock: realClock,
      operationTimeoutMs: OPERATION_TIMEOUT_MS, propagationTimeoutMs: PROPAGATION_TIMEOUT_MS,
    });
    const runMs = performance.now() - t1;
    return {
      ...base, rederiveMs, runMs, journalPath, outcome: summary.outcome, counts: summary.counts,
      maxRssKiB: process.resourceUsage().maxRSS, limiterStats: session.limiter.stats(),
    };
  } finally {
    await journal.close();
  }
}

const message = (e: unknown): string => (e instanceof Error ? e.stack ?? e.message : String(e));

main(JSON.parse(process.argv[2] ?? "{}") as ApplyChildArgs).then(
  async (result) => { await send({ type: "result", result, error: null }); process.exit(0); },
  async (e: unknown) => { await send({ type: "result", result: null, error: message(e) }).catch(() => undefined); process.exit(1); },
);
