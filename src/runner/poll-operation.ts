// Polls a long-running ARM operation (azure-facts §4.2, SDK-RECIPE §6) on the injected clock, so the
// runner owns the operation URL (journaled before the first poll) and a crash can keep polling it.
// Azure-AsyncOperation: the status resource answers 200 with `status` and, on Failed/Canceled,
// `error{code,message}`. Location: 202 while running, another 2xx when done. Each poll's Retry-After
// (seconds, 0 allowed) sets the next wait. States that never end (a service stuck `Suspended`: core-lro
// would poll forever, azure-facts §4.2) end at the operation timeout, reported with the last state seen.
import type { AzureSession } from "../azure/azure-session.js";
import { sendArmRequest, type ArmResponse } from "../azure/arm-request.js";
import { retryAfterMsFrom } from "../azure/errors.js";
import type { Clock } from "../azure/limiter-clock.js";
import type { JournalError } from "../domain/journal.js";

/** Without Retry-After "use your own back-off" (azure-facts §4.2); core-lro's 2 s is too eager for 90-min operations. */
export const DEFAULT_POLL_INTERVAL_MS = 5_000;
/** Terraform's create timeout of azurerm_healthcare_fhir_service (azure-facts §4.2). */
export const DEFAULT_OPERATION_TIMEOUT_MS = 90 * 60_000;

export interface PollContext {
  session: AzureSession;
  clock: Clock;
  abortSignal: AbortSignal;
  operationTimeoutMs: number;
}

export type PollResult =
  | { kind: "succeeded"; body: unknown }
  | { kind: "failed"; status: "Failed" | "Canceled"; error: JournalError }
  /** The timeout passed with the operation still in `lastState` (e.g. "Running", "Suspended"). */
  | { kind: "timed-out"; lastState: string; waitedMs: number }
  /** The status URL itself answered an error (404: the operation is unknown, 403 …). */
  | { kind: "http-error"; error: JournalError };

const TERMINAL = new Set(["succeeded", "failed", "canceled", "cancelled"]);

export function armErrorOf(r: ArmResponse, fallback = "RequestFailed"): JournalError {
  const e = (r.body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  return {
    code: typeof e?.code === "string" ? e.code : `${fallback}`,
    message: typeof e?.message === "string" ? e.message : `ARM answered HTTP ${r.status}.`,
    requestId: r.requestId,
  };
}

/** The state a poll answer reports: `status` of an operation resource, else the resource's provisioningState. */
function stateOf(r: ArmResponse): string | undefined {
  const b = r.body as { status?: unknown; properties?: { provisioningState?: unknown } } | undefined;
  if (typeof b?.status === "string") return b.status;
  if (typeof b?.properties?.provisioningState === "string") return b.properties.provisioningState;
  return undefined;
}

export interface PollOptions {
  /** When the operation started (default now): the timeout runs from here. */
  startedAt?: number;
}

/** Polls an operation URL, or a resource URL by its provisioningState (a PUT answered without a polling header). */
export async function pollOperation(ctx: PollContext, url: string, opts: PollOptions = {}): Promise<PollResult> {
  const start = opts.startedAt ?? ctx.clock.now();
  let lastState = "Unknown";
  for (;;) {
    const r = await sendArmRequest(ctx.session, { method: "GET", url, abortSignal: ctx.abortSignal });
    if (r.status >= 400) return { kind: "http-error", error: armErrorOf(r) };
    const state = stateOf(r);
    // Location mode: 202 = running, another 2xx = done (its body is the result). A resource without a
    // provisioningState has finished and succeeded (azure-facts §4.2).
    const done = state === undefined ? r.status !== 202 : TERMINAL.has(state.toLowerCase());
    if (done) {
      const s = (state ?? "Succeeded").toLowerCase();
      if (s === "succeeded") return { kind: "succeeded", body: r.body };
      const err = (r.body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
      return {
        kind: "failed", status: s === "failed" ? "Failed" : "Canceled",
        error: {
          code: typeof err?.code === "string" ? err.code : s === "failed" ? "OperationFailed" : "OperationCanceled",
          message: typeof err?.message === "string" ? err.message : `The operation ended ${state ?? "Failed"}.`,
          requestId: r.requestId,
        },
      };
    }
    lastState = state ?? "Running";
    const now = ctx.clock.now();
    const waitedMs = now - start;
    if (waitedMs >= ctx.operationTimeoutMs) return { kind: "timed-out", lastState, waitedMs };
    const next = retryAfterMsFrom((h) => r.headers[h.toLowerCase()], now) ?? DEFAULT_POLL_INTERVAL_MS;
    // Never sleep past the deadline: the last poll happens at the timeout, not a Retry-After later.
    await ctx.clock.sleep(Math.min(next, Math.max(0, start + ctx.operationTimeoutMs - now)), ctx.abortSignal);
  }
}

/** "90 min", "45 s": durations in failure messages. */
export function humanDuration(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms >= 60_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${Math.round(ms / 1000)} s`;
}
