// What the apply benchmark computes from the journal and the sandbox: measured step durations
// (step-started → its terminal record, last attempt), the longest per-account critical path through the
// plan's dependency DAG, the concurrency bound, and polls per long-running operation (GETs of its
// operationresults URL) against ceil(duration ÷ Retry-After) + 2.
import type { JournalRecord } from "../../src/domain/journal.js";
import type { PlanStep } from "../../src/domain/plan.js";
import type { RequestLogEntry } from "../../src/sandbox/request-log.js";

/** Measured duration of each step that reached a terminal record, ms (the attempt that ended it). */
export function stepDurations(records: JournalRecord[]): Map<string, number> {
  const started = new Map<string, number>();
  const out = new Map<string, number>();
  for (const r of records) {
    if (!r.stepId) continue;
    const t = Date.parse(r.at);
    if (r.type === "step-started") started.set(r.stepId, t);
    else if ((r.type === "step-succeeded" || r.type === "step-failed") && started.has(r.stepId)) out.set(r.stepId, t - started.get(r.stepId)!);
  }
  return out;
}

export interface CriticalPath {
  ms: number;
  accountId: string;
  /** The chain, first step first, with each step's measured duration. */
  chain: { stepId: string; kind: string; ms: number }[];
  /** Σ of every step's duration ÷ concurrency: no schedule with that many steps in flight beats it. */
  concurrencyBoundMs: number;
  sumMs: number;
}

export function criticalPath(steps: PlanStep[], durations: Map<string, number>, concurrency: number): CriticalPath {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const memo = new Map<string, { ms: number; prev: string | null }>();
  const longest = (id: string): number => {
    const hit = memo.get(id);
    if (hit) return hit.ms;
    let best = 0;
    let prev: string | null = null;
    for (const d of byId.get(id)?.dependsOn ?? []) {
      const v = longest(d);
      if (v > best) { best = v; prev = d; }
    }
    const ms = best + (durations.get(id) ?? 0);
    memo.set(id, { ms, prev });
    return ms;
  };
  let top: PlanStep | null = null;
  for (const s of steps) if (!top || longest(s.id) > longest(top.id)) top = s;
  const chain: CriticalPath["chain"] = [];
  for (let id: string | null = top?.id ?? null; id; id = memo.get(id)!.prev) {
    chain.unshift({ stepId: id, kind: byId.get(id)!.kind, ms: durations.get(id) ?? 0 });
  }
  const sumMs = [...durations.values()].reduce((a, b) => a + b, 0);
  return { ms: top ? longest(top.id) : 0, accountId: top?.accountId ?? "", chain, concurrencyBoundMs: sumMs / Math.max(1, concurrency), sumMs };
}

export interface OperationPolls {
  id: string;
  resourceType: string;
  durationMs: number;
  /** Retry-After (s) of the PUT that started it, as the sandbox sent it. */
  retryAfterS: number | null;
  polls: number;
  goal: number;
}

const OPERATION = /\/operationresults\/([^/?]+)$/i;

/** Operation id of an Azure-AsyncOperation / Location URL or request path. */
export const operationIdOf = (urlOrPath: string): string | null => OPERATION.exec(urlOrPath.split("?")[0]!)?.[1]?.toLowerCase() ?? null;

export function pollsPerOperation(
  operations: { id: string; resourceType: string; startedAt: number; endsAt: number }[],
  log: RequestLogEntry[],
  retryAfter: Map<string, number>,
): OperationPolls[] {
  const polls = new Map<string, number>();
  for (const e of log) {
    const id = e.method === "GET" ? operationIdOf(e.path) : null;
    if (id) polls.set(id, (polls.get(id) ?? 0) + 1);
  }
  return operations.map((op) => {
    const id = op.id.toLowerCase();
    const durationMs = op.endsAt - op.startedAt;
    const ra = retryAfter.get(id) ?? null;
    // Retry-After 0 (or none): the goal has no bound of its own; count one poll per started second.
    const goal = Math.ceil(durationMs / 1000 / (ra && ra > 0 ? ra : 1)) + 2;
    return { id, resourceType: op.resourceType, durationMs, retryAfterS: ra, polls: polls.get(id) ?? 0, goal };
  });
}

/** "resourceGroups", "workspaces/fhirservices", "roleAssignments (list)", "operationresults" … of an ARM request path. */
export function armTargetOf(requestPath: string): string {
  const p = decodeURIComponent(requestPath.split("?")[0]!);
  const i = p.toLowerCase().lastIndexOf("/providers/");
  const parts = (i < 0 ? p : p.slice(i + "/providers/".length)).split("/").filter(Boolean);
  // Without a provider: /subscriptions/{s}/resourceGroups/{rg}; with one: {namespace}/{type}/{name}/{type}/{name}…
  const rest = i < 0 ? parts : parts.slice(1);
  const types = rest.filter((_, k) => k % 2 === 0).filter((x) => !/^[0-9a-f-]{36}$/i.test(x) || i < 0);
  const list = rest.length % 2 === 1;
  if (/\/operationresults\//i.test(p)) return "operationresults";
  return `${(i < 0 ? types.slice(1) : types).join("/") || p}${list ? " (list)" : ""}`;
}
