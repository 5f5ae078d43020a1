// Messages between the apply benchmark's parent (apply-run.ts: the sandbox, the CLI runs, the report) and
// its child (apply-bench.ts: plan + runPlan in a node started with the sandbox's environment). The child
// marks the end of planning and waits for the ack, so the parent can cut the sandbox log exactly there.

/** "run": plan every ready account, then runPlan it; "plan": only plan and write the plan files (for the CLI). */
export type ApplyChildMode = "run" | "plan";

export interface ApplyChildArgs {
  mode: ApplyChildMode;
  /** Temp directory for the plan files and the journal. */
  dir: string;
  concurrency: number;
}

export interface ApplyChildResult {
  planMs: number;
  /** refuseUnplannable (the plan made again, as apply does before its first write); null in "plan" mode. */
  rederiveMs: number | null;
  /** runPlan wall time (child performance.now), null in "plan" mode. */
  runMs: number | null;
  plannedAccounts: number;
  notPlannedAccounts: number;
  steps: number;
  planPath: string;
  journalPath: string | null;
  outcome: string | null;
  counts: Record<string, number> | null;
  /** process.resourceUsage().maxRSS after the run, KiB. */
  maxRssKiB: number;
  limiterStats: unknown;
}

export type ApplyChildMessage =
  | { type: "mark"; name: "planned" }
  | { type: "result"; result: ApplyChildResult | null; error: string | null };

export type ApplyParentMessage = { type: "ack"; name: "planned" };
