// The first problem of a plan document, as a JSON path and a message: first the JSON Schema of format 1
// (plan-schema.ts), then what a schema cannot say — step ids unique, every dependsOn and `$fromStep`
// naming an earlier step (so the steps form a DAG in file order) and an output that step declares, every
// step belonging to a planned account. The runner relies on all of these; a plan that breaks one is
// malformed input (exit 2), not a plan to half-run.
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import { PATTERN_DESCRIPTIONS, PLAN_SCHEMA } from "./plan-schema.js";

export interface PlanProblem {
  /** `$.steps[3].request.url` */
  path: string;
  message: string;
}

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  // Compiled on first use: a CLI run that never loads a plan does not pay for it.
  compiled ??= new Ajv2020({ allErrors: false, allowUnionTypes: true, strict: true }).compile(PLAN_SCHEMA);
  return compiled;
}

/** At most 60 characters of a value from the file, so a huge name cannot flood the one-line message. */
export function clip(s: string): string {
  return s.length <= 60 ? s : `${s.slice(0, 57)}...`;
}

/** `/steps/3/request/url` → `$.steps[3].request.url` (JSON Pointer, RFC 6901, unescaped). */
export function jsonPath(pointer: string): string {
  if (pointer === "") return "$";
  return "$" + pointer.split("/").slice(1).map((raw) => {
    const seg = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (/^(0|[1-9][0-9]*)$/.test(seg)) return `[${seg}]`;
    if (/^[A-Za-z_$][A-Za-z0-9_$]{0,59}$/.test(seg)) return `.${seg}`;
    return `[${JSON.stringify(clip(seg))}]`;
  }).join("");
}

function describe(e: ErrorObject): PlanProblem {
  const at = jsonPath(e.instancePath);
  const child = (name: string) => `${at}${jsonPath(`/${name.replace(/~/g, "~0").replace(/\//g, "~1")}`).slice(1)}`;
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "required": return { path: child(String(p.missingProperty)), message: "is required" };
    case "additionalProperties": return { path: child(String(p.additionalProperty)), message: "is not a field of plan format 1" };
    case "pattern": {
      const pattern = String(p.pattern);
      return { path: at, message: PATTERN_DESCRIPTIONS[pattern] ? `must be ${PATTERN_DESCRIPTIONS[pattern]}` : `must match ${clip(pattern)}` };
    }
    case "enum": {
      const values = (p.allowedValues as unknown[]).map((v) => JSON.stringify(v));
      // The finding codes are 33: name a few and point to the list rather than flood the line.
      const shown = values.length > 8 ? `${values.slice(0, 4).join(", ")}, … (${values.length} values, see plans/plan.schema.json)` : values.join(", ");
      return { path: at, message: `must be one of ${shown}` };
    }
    case "const": return { path: at, message: `must be ${JSON.stringify(p.allowedValue)}` };
    default: return { path: at, message: e.message ?? e.keyword };
  }
}

export function firstPlanProblem(doc: unknown): PlanProblem | null {
  const validate = validator();
  if (!validate(doc)) {
    const e = validate.errors?.[0];
    return e ? describe(e) : { path: "$", message: "does not match plan format 1" };
  }
  return semanticProblem(doc as SchemaValidPlan);
}

interface SchemaValidPlan {
  accounts: { id: string; status: string }[];
  steps: { id: string; accountId: string; dependsOn: string[]; outputs: string[]; request: { body: unknown } }[];
}

function semanticProblem(plan: SchemaValidPlan): PlanProblem | null {
  const accounts = new Map<string, string>();
  for (const [i, a] of plan.accounts.entries()) {
    const k = a.id.toLowerCase();
    if (accounts.has(k)) return { path: `$.accounts[${i}].id`, message: `repeats account ${clip(a.id)}` };
    accounts.set(k, a.status);
  }
  const earlier = new Map<string, string[]>();
  // Each step's ancestors (direct and transitive dependencies): a `$fromStep` may name any of them.
  const ancestors = new Map<string, Set<string>>();
  for (const [i, s] of plan.steps.entries()) {
    const at = `$.steps[${i}]`;
    if (earlier.has(s.id)) return { path: `${at}.id`, message: `repeats step id ${clip(s.id)}` };
    const status = accounts.get(s.accountId.toLowerCase());
    if (status === undefined) return { path: `${at}.accountId`, message: `names no account of the plan (${clip(s.accountId)})` };
    if (status !== "planned") return { path: `${at}.accountId`, message: `names an account that is not planned (${clip(s.accountId)})` };
    for (const [j, d] of s.dependsOn.entries()) {
      if (!earlier.has(d)) return { path: `${at}.dependsOn[${j}]`, message: `names no earlier step (${clip(d)})` };
    }
    const mine = new Set<string>();
    for (const d of s.dependsOn) { mine.add(d); for (const a of ancestors.get(d) ?? []) mine.add(a); }
    const ref = fromStepProblem(s.request.body, `${at}.request.body`, earlier, mine);
    if (ref) return ref;
    earlier.set(s.id, s.outputs);
    ancestors.set(s.id, mine);
  }
  return null;
}

/** The first `$fromStep` reference in `body` that names no earlier dependency or an output it does not declare. */
function fromStepProblem(body: unknown, at: string, earlier: Map<string, string[]>, deps: Set<string>): PlanProblem | null {
  // Explicit stack: a request body nested thousands deep must not overflow the call stack.
  const stack: [unknown, string][] = [[body, at]];
  while (stack.length > 0) {
    const [v, path] = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${path}[${i}]`]);
      continue;
    }
    const o = v as Record<string, unknown>;
    if ("$fromStep" in o) {
      const keys = Object.keys(o).sort().join(",");
      if (keys !== "$fromStep,output" || typeof o.$fromStep !== "string" || typeof o.output !== "string") {
        return { path, message: "must be exactly { \"$fromStep\": string, \"output\": string }" };
      }
      const outputs = earlier.get(o.$fromStep);
      if (!outputs || !deps.has(o.$fromStep)) return { path: `${path}.$fromStep`, message: `names no step this step depends on (${clip(o.$fromStep)})` };
      if (!outputs.includes(o.output)) return { path: `${path}.output`, message: `is not an output of ${clip(o.$fromStep)}` };
      continue;
    }
    for (const k of Object.keys(o).reverse()) stack.push([o[k], `${path}${jsonPath(`/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`).slice(1)}`]);
  }
  return null;
}
