// Shared by runner-step-*.test.ts: a sandbox and the product's Azure session on ONE virtual clock (the
// limiter, the executors' polls and back-off, and the sandbox's operation timeline and role propagation
// all read it), a plan built by the product's own planner from the estate, and a step context the way the
// run engine gives it (outputs of earlier steps, in-doubt state, accepted operation URLs).
import { createAzureSession, type AzureSession } from "../../src/azure/azure-session.js";
import type { ArmLimiterOptions } from "../../src/azure/limiter.js";
import type { Plan, PlanStep, StepKind } from "../../src/domain/plan.js";
import type { StepContext, StepOutcome } from "../../src/runner/executor.js";
import { EXECUTORS } from "../../src/runner/executors.js";
import type { Estate } from "../../src/sandbox/estate-types.js";
import type { RequestLogEntry } from "../../src/sandbox/request-log.js";
import type { Sandbox } from "../../src/sandbox/server.js";
import { startTestSandbox } from "../helpers/sandbox.js";
import { virtualClock, type VirtualClock } from "./limiter-virtual-clock.js";
import { planWith } from "./plan-estate.js";
import type { RawPlanChoices } from "../../src/cli/plan-choices.js";

export interface Harness {
  sandbox: Sandbox;
  clock: VirtualClock;
  session: AzureSession;
  plan: Plan;
  /** Outputs journaled so far, by step id (what the engine hands to outputsOf). */
  outputs: Map<string, Record<string, string>>;
  /** Operation URLs the executors reported accepted, in order. */
  accepted: string[];
  close(): Promise<void>;
}

export async function startHarness(estate: Estate, choices: RawPlanChoices, limiter: Partial<ArmLimiterOptions> = {}): Promise<Harness> {
  const clock = virtualClock();
  const sandbox = await startTestSandbox(estate, { now: () => clock.now() });
  const plan = (await planWith(estate, choices)).plan;
  const session = createAzureSession(estate.cloud, { limiter: { clock, retryDelayMs: 5, maxRetryDelayMs: 20, ...limiter } });
  return {
    sandbox, clock, session, plan, outputs: new Map(), accepted: [],
    close: () => sandbox.close(),
  };
}

export interface RunOptions {
  inDoubt?: { operationUrl: string | null; operationStartedAt?: number | null } | null;
  operationTimeoutMs?: number;
  propagationTimeoutMs?: number;
  abortSignal?: AbortSignal;
  /** Called when an executor reports an accepted operation (a test's "meanwhile, in Azure …"). */
  onAccepted?: (url: string) => void;
}

export function contextFor(h: Harness, o: RunOptions = {}): StepContext {
  return {
    session: h.session, plan: h.plan,
    outputsOf: (id) => h.outputs.get(id),
    inDoubt: o.inDoubt ? { operationUrl: o.inDoubt.operationUrl, operationStartedAt: o.inDoubt.operationStartedAt ?? null } : null,
    operationAccepted: async (url) => { h.accepted.push(url); o.onAccepted?.(url); },
    clock: h.clock,
    abortSignal: o.abortSignal ?? new AbortController().signal,
    operationTimeoutMs: o.operationTimeoutMs ?? 90 * 60_000,
    propagationTimeoutMs: o.propagationTimeoutMs ?? 15 * 60_000,
  };
}

/** Runs one step with its kind's executor and journals its outputs as the engine would. */
export async function runStep(h: Harness, step: PlanStep, o: RunOptions = {}): Promise<StepOutcome> {
  const outcome = await EXECUTORS[step.kind].execute(step, contextFor(h, o));
  if (outcome.status === "succeeded" && outcome.outputs) h.outputs.set(step.id, outcome.outputs);
  return outcome;
}

/** Every step of one account in plan order (the plan lists steps after what they depend on). */
export async function runAccount(h: Harness, accountName: string, o: RunOptions = {}): Promise<Map<string, StepOutcome>> {
  const out = new Map<string, StepOutcome>();
  for (const step of stepsOf(h.plan, accountName)) out.set(step.kind === "grant-data-role" ? step.id : step.kind, await runStep(h, step, o));
  return out;
}

export function stepsOf(plan: Plan, accountName: string): PlanStep[] {
  return plan.steps.filter((s) => s.accountId.toLowerCase().endsWith(`/services/${accountName}`));
}

export function stepOf(plan: Plan, accountName: string, kind: StepKind): PlanStep {
  const s = stepsOf(plan, accountName).find((x) => x.kind === kind);
  if (!s) throw new Error(`no ${kind} step for ${accountName}`);
  return s;
}

/** Requests after `since` (a seq), for "what did this run send". */
export function requestsSince(sandbox: Sandbox, since: number): RequestLogEntry[] {
  return sandbox.requests().filter((r) => r.seq > since);
}

export function lastSeq(sandbox: Sandbox): number {
  return sandbox.requests().at(-1)?.seq ?? 0;
}

/** Writes (PUT/PATCH/POST/DELETE) to a path, e.g. the same step's PUT sent twice. */
export function writesTo(entries: RequestLogEntry[], pathPart: string): RequestLogEntry[] {
  return entries.filter((r) => r.method !== "GET" && r.path.toLowerCase().includes(pathPart.toLowerCase()));
}

/** The product never deletes and never writes to the source accounts (Microsoft.HealthcareApis/services). */
export function forbiddenRequests(entries: RequestLogEntry[]): RequestLogEntry[] {
  return entries.filter((r) => r.method === "DELETE"
    || (r.method !== "GET" && /\/providers\/Microsoft\.HealthcareApis\/services\//i.test(r.path)));
}

export function pathOf(url: string): string {
  return new URL(url).pathname;
}
