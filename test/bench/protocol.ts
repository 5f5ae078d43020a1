// Messages between the benchmark's parent (run.ts: the sandbox and the report) and its child
// (inventory-bench.ts: the tool and the baseline, started with the sandbox's environment). The child
// announces each boundary with a mark and waits for the parent's ack, so the parent can cut its request
// log and response timestamps exactly at the boundaries (every request of a phase has been answered).

export type MarkName = "tool-start" | "tool-end" | "baseline-start" | "baseline-enumerated" | "baseline-end";

export interface ToolResult {
  wallMs: number;
  /** CPU time (user + system) of the tool's process during the run. */
  cpuMs: number;
  /** TLS connections the process opened during the run (each one a new CONNECT tunnel through the proxy). */
  tlsConnections: number;
  /** process.resourceUsage().maxRSS right after the tool finished, in KiB. */
  maxRssKiB: number;
  accounts: number;
  vaults: number;
  keys: number;
  errors: number;
  verdicts: Record<string, number>;
  /** First time (ms after the tool's start, child clock) each discovery phase was reported. */
  phases: { phase: string; atMs: number }[];
  limiterStats: unknown;
}

export interface BaselineResult {
  enumerationWallMs: number;
  sampleWallMs: number;
  sampleAccounts: number;
  totalAccounts: number;
  tlsConnections: number;
}

export type ChildMessage =
  | { type: "mark"; name: MarkName }
  | { type: "result"; tool: ToolResult | null; toolError: string | null; baseline: BaselineResult | null; baselineError: string | null };

export type ParentMessage = { type: "ack"; name: MarkName };
