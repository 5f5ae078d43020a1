// What every executor shares: failures as values, the read of a target, and "ensure a resource" —
// read before write (as planned → already-satisfied; differing in a planned field → conflict naming the
// field; missing or left Failed → PUT), an accepted operation journaled (ctx.operationAccepted) before it
// is polled, the in-doubt reconciliation (keep polling a journaled operation URL, else read Azure), and a
// final read that verifies the result as planned.
import { sendArmRequest, type ArmResponse } from "../azure/arm-request.js";
import { AzureError, UserError } from "../domain/errors.js";
import type { JournalError } from "../domain/journal.js";
import type { JsonValue, PlanStep } from "../domain/plan.js";
import type { StepContext, StepOutcome } from "./executor.js";
import { describeDifference, firstDifference } from "./compare-planned.js";
import { armErrorOf, humanDuration, pollOperation, type PollResult } from "./poll-operation.js";
import { resolveRefs } from "./resolve-refs.js";

export function failed(code: string, message: string, requestId: string | null = null): StepOutcome {
  return { status: "failed", error: { code, message, requestId } };
}

export function failedWith(error: JournalError): StepOutcome {
  return { status: "failed", error };
}

/** The conflict failure: the target exists but differs from the plan in a field the plan sets. */
export function conflict(step: PlanStep, what: string, detail: string, requestId: string | null): StepOutcome {
  return failed("TargetConflict", `${what} already exists and differs from the plan: ${detail}. ` +
    `Step ${step.id} does not overwrite it; change or remove it in Azure, or re-plan.`, requestId);
}

/**
 * Runs an executor body, turning what the Azure layer throws (AzureError after the limiter's retry budget,
 * a sign-in UserError) into a failed outcome. Aborts and bugs still throw: an aborted step stays in doubt.
 */
export async function asOutcome(run: () => Promise<StepOutcome>): Promise<StepOutcome> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof AzureError) return failed(e.code ?? (e.status ? `HTTP${e.status}` : "RequestFailed"), e.message, e.requestId ?? null);
    if (e instanceof UserError) return failed("SignInFailed", e.message);
    throw e;
  }
}

export function resolvedBody(step: PlanStep, ctx: StepContext): JsonValue {
  return resolveRefs(step.request.body, ctx.outputsOf);
}

export async function get(ctx: StepContext, url: string): Promise<ArmResponse> {
  return sendArmRequest(ctx.session, { method: "GET", url, abortSignal: ctx.abortSignal });
}

export async function put(ctx: StepContext, url: string, body: JsonValue): Promise<ArmResponse> {
  return sendArmRequest(ctx.session, { method: "PUT", url, body, abortSignal: ctx.abortSignal });
}

export function provisioningStateOf(body: unknown): string | undefined {
  const s = (body as { properties?: { provisioningState?: unknown } } | undefined)?.properties?.provisioningState;
  return typeof s === "string" ? s : undefined;
}

const TERMINAL = new Set(["succeeded", "failed", "canceled"]);

/**
 * PUT and follow it to its end: Azure-AsyncOperation (else Location) is journaled, then polled; a PUT
 * answered without a polling header but with a non-terminal provisioningState is polled by reading the
 * resource; otherwise the answer is the result (identities, resource groups).
 */
export async function putAndSettle(ctx: StepContext, url: string, body: JsonValue): Promise<PollResult> {
  const r = await put(ctx, url, body);
  if (r.status >= 400) return { kind: "http-error", error: armErrorOf(r) };
  const opUrl = r.headers["azure-asyncoperation"] ?? r.headers["location"];
  if (opUrl) {
    await ctx.operationAccepted(opUrl);
    return pollOperation(ctx, opUrl);
  }
  const state = provisioningStateOf(r.body);
  if (state && !TERMINAL.has(state.toLowerCase())) return pollOperation(ctx, url);
  if (state?.toLowerCase() === "failed") return { kind: "failed", status: "Failed", error: { code: "ProvisioningFailed", message: "The resource ended Failed.", requestId: r.requestId } };
  return { kind: "succeeded", body: r.body };
}

export interface EnsureSpec {
  /** "Workspace fhirclaims", for messages. */
  what: string;
  /** Output values journaled for $fromStep references (from the final read of the resource). */
  outputs?: (resource: unknown) => Record<string, string>;
  /**
   * A failure that heals by itself (role propagation): `match` names the rule an error meets (null: not
   * transient). The PUT is sent again with back-off until ctx.propagationTimeoutMs, then the step fails
   * with `timeoutCode`, the rule, and Azure's own last message.
   */
  transient?: { match(error: JournalError): string | null; timeoutCode: string; explain: string };
}

/** Back-off between PUTs waiting for role propagation: 15 s doubling to 2 min. */
export function propagationDelayMs(retry: number): number {
  return Math.min(120_000, 15_000 * 2 ** retry);
}

/** A resource the plan PUTs whole (resource group, workspace, identity, FHIR service). */
export async function ensureResource(step: PlanStep, ctx: StepContext, spec: EnsureSpec): Promise<StepOutcome> {
  const url = step.request.url;
  const body = resolvedBody(step, ctx);
  let firstTransientAt: number | undefined;
  let sentPut = false;
  let pending: PollResult | undefined;

  // In doubt with a journaled operation: that operation decides (never a second create while it runs).
  if (ctx.inDoubt?.operationUrl) {
    // The timeout runs from when the operation was first accepted, not from this resume (issue 8).
    const r = await pollOperation(ctx, ctx.inDoubt.operationUrl,
      ctx.inDoubt.operationStartedAt !== null ? { startedAt: ctx.inDoubt.operationStartedAt } : {});
    // An operation ARM no longer knows (404) says nothing: read the resource instead.
    if (r.kind !== "http-error") pending = r;
  }
  if (!pending) {
    const read = await get(ctx, url);
    if (read.status === 200) {
      const d = firstDifference(body, read.body);
      if (d) return conflict(step, spec.what, describeDifference(d), read.requestId);
      const state = provisioningStateOf(read.body)?.toLowerCase();
      if (state === undefined || state === "succeeded") {
        return done(ctx.inDoubt ? "reconciled" : "already-satisfied", read.body);
      }
      // Still provisioning (our earlier attempt, or another run): poll the resource, never PUT over it.
      // Failed/Canceled: as planned but not usable — PUT it again below (the RP's retry for a failed create).
      if (!TERMINAL.has(state)) pending = await pollOperation(ctx, url);
    } else if (read.status !== 404) {
      return failedWith(armErrorOf(read));
    }
  }

  for (let retry = 0; ; retry++) {
    if (!pending) {
      pending = await putAndSettle(ctx, url, body);
      sentPut = true;
    }
    const result: PollResult = pending;
    pending = undefined;
    if (result.kind === "succeeded") {
      // Verify: read it back and compare with the plan (also picks up outputs such as principalId).
      const read = await get(ctx, url);
      if (read.status !== 200) return failedWith(armErrorOf(read));
      const d = firstDifference(body, read.body);
      if (d) return conflict(step, spec.what, describeDifference(d), read.requestId);
      return done(ctx.inDoubt ? "reconciled" : sentPut ? "created" : "already-satisfied", read.body);
    }
    if (result.kind === "timed-out") return timedOut(ctx, url, spec.what, result.lastState, result.waitedMs);
    const t = spec.transient;
    const rule = t ? t.match(result.error) : null;
    if (result.kind === "http-error" && !rule) return failedWith(result.error);
    if (t && rule) {
      // From the first key-access failure, not from the step's start: a create that ran 15 minutes
      // before failing still gets the whole propagation window (issue 8).
      firstTransientAt ??= ctx.clock.now();
      const elapsed = ctx.clock.now() - firstTransientAt;
      if (elapsed >= ctx.propagationTimeoutMs) {
        return failed(t.timeoutCode, `${t.explain} after ${humanDuration(ctx.propagationTimeoutMs)} ` +
          `(--propagation-timeout; retried because the error matched "${rule}"). Azure said ${result.error.code}: ${result.error.message}`,
        result.error.requestId);
      }
      await ctx.clock.sleep(Math.min(propagationDelayMs(retry), ctx.propagationTimeoutMs - elapsed), ctx.abortSignal);
      continue;
    }
    return failedWith(result.error);
  }

  function done(reason: "created" | "already-satisfied" | "reconciled", resource: unknown): StepOutcome {
    const outputs = spec.outputs?.(resource);
    return { status: "succeeded", reason, ...(outputs ? { outputs } : {}) };
  }
}

/** The operation timeout, named with the state the resource is left in (e.g. stuck Suspended). */
async function timedOut(ctx: StepContext, url: string, what: string, lastState: string, waitedMs: number): Promise<StepOutcome> {
  const read = await get(ctx, url).catch(() => undefined);
  const state = read?.status === 200 ? provisioningStateOf(read.body) : undefined;
  const stuck = state && !["creating", "updating", "accepted", "running", "provisioning"].includes(state.toLowerCase());
  return failed("OperationTimeout",
    `${what} did not finish within ${humanDuration(ctx.operationTimeoutMs)} (--operation-timeout; waited ${humanDuration(waitedMs)}): ` +
    `the operation is still ${lastState}${state ? ` and the resource is ${state}` : ""}` +
    `${stuck ? ` (a state that does not end by itself)` : ""}.`, read?.requestId ?? null);
}
