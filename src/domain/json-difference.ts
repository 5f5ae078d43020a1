// The first JSON path where two values differ, object keys in code-point order so the answer does not hang
// on key order: shared by re-derivation (planner/plan-difference.ts, a plan against the plan made again) and
// `verify --data --sample` (runner/verify-sample.ts, a source resource against its copy).
import { canonicalJson } from "./canonical-json.js";
import { codePointCompare } from "./code-point-order.js";
import { isJsonObject, type JsonValue } from "./plan.js";

export interface JsonDifference {
  /** Dotted path, `[i]` for array items; "" for the values themselves. */
  path: string;
  left: JsonValue | undefined;
  right: JsonValue | undefined;
}

export function firstJsonDifference(a: JsonValue | undefined, b: JsonValue | undefined, path = ""): JsonDifference | null {
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(codePointCompare);
    for (const k of keys) {
      const d = firstJsonDifference(a[k], b[k], path ? `${path}.${k}` : k);
      if (d) return d;
    }
    return null;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const d = firstJsonDifference(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (a !== undefined && b !== undefined && canonicalJson(a) === canonicalJson(b)) return null;
  return { path, left: a, right: b };
}

/** A value for a one-line message: canonical JSON cut at 80 characters, "absent" for a missing one. */
export function shownJson(v: JsonValue | undefined): string {
  if (v === undefined) return "absent";
  const text = canonicalJson(v);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
