// Fault injection from behaviour.faults (DESIGN.md "Estate file"): answer a status, drop the
// connection, accept and never answer (hang), or (for long-running operations) leave the operation stuck in a provisioning state.
// Per rule the state counts matching requests (faultMatches, for `nth`) and hits (faultHits, for
// `count`); both are persisted so a restarted sandbox does not fire a one-shot fault twice.
import type { FaultRule } from "./estate-types.js";
import type { SandboxResponse } from "./http.js";
import type { SandboxState } from "./state.js";

export type FaultAction = { drop: true; rule: number } | { hang: true; drop: false; rule: number }
  | { drop: false; rule: number; response: SandboxResponse };

const CODES: Record<number, string> = {
  400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound", 408: "RequestTimeout", 409: "Conflict",
  429: "TooManyRequests", 500: "InternalServerError", 502: "BadGateway", 503: "ServiceUnavailable", 504: "GatewayTimeout",
};

function matches(rule: FaultRule, method: string, host: string, path: string): boolean {
  const m = rule.match ?? {};
  if (m.method && m.method.toUpperCase() !== method.toUpperCase()) return false;
  if (m.host && m.host.toLowerCase() !== host.toLowerCase()) return false;
  if (m.pathRegex && !new RegExp(m.pathRegex).test(path)) return false;
  return true;
}

/**
 * Count a matching request against `rule` and decide whether it is hit: `nth` = only the n-th match
 * (1-based), `count` = at most that many hits, `rate` = probability (seeded random, drawn only for
 * requests that pass nth/count so a run is reproducible).
 */
function countAndDecide(state: SandboxState, i: number, rule: FaultRule, random: () => number): boolean {
  const matchNo = (state.faultMatches[i] ?? 0) + 1;
  state.faultMatches[i] = matchNo;
  state.faultHits[i] = state.faultHits[i] ?? 0;
  if (rule.nth !== undefined && matchNo !== rule.nth) return false;
  if (rule.count !== undefined && (state.faultHits[i] ?? 0) >= rule.count) return false;
  if (rule.rate !== undefined && !(random() < rule.rate)) return false;
  state.faultHits[i] = (state.faultHits[i] ?? 0) + 1;
  return true;
}

function fillCounters(state: SandboxState): void {
  const n = state.behaviour.faults.length;
  for (let i = 0; i < n; i++) {
    state.faultMatches[i] = state.faultMatches[i] ?? 0;
    state.faultHits[i] = state.faultHits[i] ?? 0;
  }
}

/**
 * The request-level fault for a request, if any. Every status/drop rule that matches counts the
 * request; the first rule that hits decides. `provisioningState` rules are skipped here (see stuckState).
 * `changed` is called when counters moved, so they are persisted.
 */
export function requestFault(state: SandboxState, random: () => number, method: string, host: string, path: string,
  changed: () => void): FaultAction | undefined {
  const rules = state.behaviour.faults ?? [];
  let hit: FaultAction | undefined;
  let counted = false;
  rules.forEach((rule, i) => {
    if (rule.provisioningState !== undefined && rule.status === undefined && !rule.drop && !rule.hang) return;
    if (!matches(rule, method, host, path)) return;
    if (!counted) fillCounters(state);
    counted = true;
    if (hit) {
      state.faultMatches[i] = (state.faultMatches[i] ?? 0) + 1;
      return;
    }
    if (!countAndDecide(state, i, rule, random)) return;
    hit = rule.drop ? { drop: true, rule: i } : rule.hang ? { hang: true, drop: false, rule: i }
      : { drop: false, rule: i, response: faultResponse(state, host, rule.status ?? 503, i) };
  });
  if (counted) changed();
  return hit;
}

/**
 * For the LRO code, once per operation it starts: the provisioning state the operation must stay in,
 * from the first `provisioningState` rule that matches the starting request and hits (nth/count/rate
 * count operations here, not requests).
 */
export function stuckState(state: SandboxState, random: () => number, method: string, host: string, path: string,
  changed: () => void): string | undefined {
  const rules = state.behaviour.faults ?? [];
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    if (!rule || rule.provisioningState === undefined || !matches(rule, method, host, path)) continue;
    fillCounters(state);
    const hit = countAndDecide(state, i, rule, random);
    changed();
    if (hit) return rule.provisioningState;
  }
  return undefined;
}

/** An injected error in the dialect of the host it is served on. */
export function faultResponse(state: SandboxState, host: string, status: number, rule: number): SandboxResponse {
  const code = CODES[status] ?? (status >= 500 ? "InternalServerError" : "BadRequest");
  const message = `Injected fault (behaviour.faults[${rule}]): ${status} ${code}.`;
  // 429/503 carry Retry-After like Azure's throttling and outages; without it the SDK would not
  // retry a 429 at all (SDK-RECIPE §7).
  const headers: Record<string, string> = status === 429 || status === 503 ? { "retry-after": "1" } : {};
  if (host === state.hosts.login) {
    // Entra's OAuth error shape (RFC 6749 §5.2 plus AADSTS fields).
    const error = status >= 500 ? "temporarily_unavailable" : "invalid_request";
    return { status, headers, body: { error, error_description: `AADSTS90033: ${message}`, error_codes: [90033],
      timestamp: new Date(state.now()).toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z") } };
  }
  if (host === state.hosts.graph) {
    return { status, headers, body: { error: { code, message, innerError: { date: new Date(state.now()).toISOString() } } } };
  }
  return { status, headers, body: { error: { code, message } } };
}
