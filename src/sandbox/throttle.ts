// ARM's throttle: a token bucket per subscription × principal × operation kind (Learn, "Understand
// how Azure Resource Manager throttles requests": buckets per scope and principal, refilled per
// second). Buckets refill lazily from state.now(), so an injected clock drives them in tests.
import { DEFAULT_BEHAVIOUR } from "./estate-types.js";
import type { OperationKind } from "./http.js";
import type { SandboxState } from "./state.js";

interface Bucket { tokens: number; at: number }

const buckets = new WeakMap<SandboxState, Map<string, Bucket>>();

export interface TokenResult { allowed: boolean; remaining: number; retryAfterSeconds: number }

const SETTING: Record<OperationKind, "reads" | "writes" | "deletes"> = { read: "reads", write: "writes", delete: "deletes" };

/** Take one token for a request; when the bucket is empty, say how long until one is back (≥ 1 s). */
export function takeToken(state: SandboxState, subscription: string, principal: string, kind: OperationKind): TokenResult {
  const setting = SETTING[kind];
  const [size, refillPerSecond] = state.behaviour.throttle?.[setting] ?? DEFAULT_BEHAVIOUR.throttle[setting];
  let perState = buckets.get(state);
  if (!perState) buckets.set(state, (perState = new Map()));
  const key = `${subscription.toLowerCase()}|${principal.toLowerCase()}|${kind}`;
  const now = state.now();
  let b = perState.get(key);
  if (!b) perState.set(key, (b = { tokens: size, at: now }));
  b.tokens = Math.min(size, b.tokens + (Math.max(0, now - b.at) / 1000) * refillPerSecond);
  b.at = now;
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return { allowed: true, remaining: Math.floor(b.tokens), retryAfterSeconds: 0 };
  }
  const wait = refillPerSecond > 0 ? Math.ceil((1 - b.tokens) / refillPerSecond) : 3600;
  return { allowed: false, remaining: 0, retryAfterSeconds: Math.max(1, wait) };
}
