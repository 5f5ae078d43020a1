// `$fromStep` references (DESIGN.md "Plan"): values only known at apply time, e.g. the identity's
// principalId, replaced by the outputs the referenced step journaled. A missing output means the engine
// ran a step before what it depends on, or the planner referenced an output no step produces: a bug.
import { BugError } from "../domain/errors.js";
import type { JsonValue } from "../domain/plan.js";

export type OutputsOf = (stepId: string) => Record<string, string> | undefined;

function isRef(v: JsonValue): v is { $fromStep: string; output: string } {
  return typeof v === "object" && v !== null && !Array.isArray(v)
    && typeof v["$fromStep"] === "string" && typeof v["output"] === "string" && Object.keys(v).length === 2;
}

/** A copy of `value` with every reference replaced by the referenced step's journaled output. */
export function resolveRefs(value: JsonValue, outputsOf: OutputsOf): JsonValue {
  if (Array.isArray(value)) return value.map((v) => resolveRefs(v, outputsOf));
  if (typeof value !== "object" || value === null) return value;
  if (isRef(value)) {
    const out = outputsOf(value.$fromStep)?.[value.output];
    if (out === undefined) {
      throw new BugError(`Step ${value.$fromStep} has no journaled output "${value.output}" (referenced by a later step).`);
    }
    return out;
  }
  const copy: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(value)) copy[k] = resolveRefs(v, outputsOf);
  return copy;
}
