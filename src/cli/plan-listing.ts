// The TUI's plans screen (src/ui/plans-view.ts): ./plans/*.plan.json, each loaded as `apply` loads it
// (loadPlanFile: format + digest + schema) with its journal replayed as `status` replays it. No network.
import { readdir } from "node:fs/promises";
import path from "node:path";
import type { StepStatus } from "../domain/journal.js";
import type { OpenedPlan, PlanFiles, PlanListing, PlanRunState } from "../ui/plans-view.js";
import { PLANS_DIR } from "./plan-export.js";
import { loadPlanFile, planPaths } from "./plan-files.js";

export function planFiles(dir: string = PLANS_DIR): PlanFiles {
  return {
    listPlans: () => listPlans(dir),
    openPlan,
  };
}

export async function listPlans(dir: string): Promise<PlanListing[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as { code?: string }).code === "ENOENT") return [];
    throw err;
  }
  // Newest plan first (by createdAt; unreadable plans last), as a user looking for the run they left
  // wants; names break ties (<date>-<n> sorts by day and number).
  const files = names.filter((n) => n.endsWith(".plan.json") && n !== ".plan.json").sort(byNameDesc);
  const listings = await Promise.all(files.map((n) => listing(path.join(dir, n))));
  return listings.sort((a, b) => (b.createdAt ?? "").localeCompare(a.createdAt ?? ""));
}

async function listing(file: string): Promise<PlanListing> {
  try {
    const opened = await openPlan(file);
    const { plan } = opened;
    return {
      path: file, planId: plan.planId, createdAt: plan.createdAt, error: null,
      plannedAccounts: plan.accounts.filter((a) => a.status === "planned").length,
      state: opened.state, succeeded: opened.succeeded.length, steps: plan.steps.length,
    };
  } catch (err) {
    return { path: file, planId: null, createdAt: null, plannedAccounts: 0, state: null, succeeded: 0, steps: 0, error: oneLine(err) };
  }
}

async function openPlan(file: string): Promise<OpenedPlan & { state: PlanRunState }> {
  const plan = await loadPlanFile(file);
  const { readJournal } = await import("../runner/journal.js");
  const { replay } = await import("../runner/replay.js");
  const journal = await readJournal(planPaths(file).journal);
  const replayed = replay(journal.records, plan);
  const statuses = [...replayed.steps.values()].map((s) => s.status);
  return {
    path: file, plan, state: runStateOf(replayed.runs, statuses),
    succeeded: [...replayed.steps.values()].filter((s) => s.status === "succeeded").map((s) => s.stepId),
  };
}

/** PlanRunState (see its comment) from the replay's run count and step statuses. */
export function runStateOf(runs: number, statuses: StepStatus[]): PlanRunState {
  if (runs === 0) return "not-started";
  if (statuses.includes("in-doubt")) return "in-doubt";
  if (statuses.every((s) => s === "succeeded")) return "finished";
  if (statuses.some((s) => s === "failed" || s === "skipped")) return "failed-steps";
  return "interrupted";
}

function byNameDesc(a: string, b: string): number {
  return b.localeCompare(a, "en", { numeric: true });
}

function oneLine(err: unknown): string {
  const m = err instanceof Error ? err.message : String(err);
  return m.split("\n")[0]!;
}
