// The plan's digest and id (DESIGN.md "Files the tool owns"): SHA-256 over the RFC 8785 canonical JSON of
// the plan without `digest` and `planId`, written "sha256:<hex>"; the id is "plan-" + its first 12 hex
// characters. Any edit to the file after planning (a step URL, an account, the digest itself) no longer
// matches and the loader refuses the plan as edited.
import type { Plan } from "../domain/plan.js";
import { canonicalJson, sha256Hex } from "../domain/canonical-json.js";

/** The hex SHA-256 of everything in `plan` but `digest` and `planId`. Throws when it is not JSON-able. */
export function digestHexOf(plan: object): string {
  const { digest: _digest, planId: _planId, ...rest } = plan as Record<string, unknown>;
  return sha256Hex(canonicalJson(rest));
}

export function planIdOf(hex: string): string {
  return `plan-${hex.slice(0, 12)}`;
}

/** `plan` with its digest and planId filled in (a new object; `plan` is not changed). */
export function sealPlan(plan: Plan): Plan {
  const hex = digestHexOf(plan);
  return { ...plan, planId: planIdOf(hex), digest: `sha256:${hex}` };
}

/**
 * True when `plan.digest` and `plan.planId` are the ones its content gives. Never throws: a document that
 * canonical JSON cannot encode (a number out of range, a lone surrogate) is simply not this plan.
 */
export function verifyDigest(plan: object): boolean {
  const p = plan as Record<string, unknown>;
  let hex: string;
  try { hex = digestHexOf(p); } catch { return false; }
  return p.digest === `sha256:${hex}` && p.planId === planIdOf(hex);
}
