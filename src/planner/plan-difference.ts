// Re-derivation (issue 10 §3): the first way a loaded plan differs from the plan `plan` makes again from the
// same recorded choices and the facts read now (src/cli/rederive-plan.ts). What is compared is what the
// runner sends and what later commands act on: every step (account, kind, URL, body, dependencies, whether
// it is long-running, its outputs) and, per account, its status, target and key linkage. Not compared: the
// titles (rendered from the request, step-title.ts), the findings, settings rows and follow-ups (reviewer
// text, rebuilt from the same facts; an earlier run of the plan itself adds `target-exists`), createdAt,
// the tool version and the digest.
// ARM resource paths are case-insensitive (ARM "Resource naming"), so a URL's path compares lower-cased.
import { codePointCompare } from "../domain/code-point-order.js";
import { firstJsonDifference, shownJson } from "../domain/json-difference.js";
import { type JsonValue, type Plan, type PlanStep } from "../domain/plan.js";

/** Where the two differ first, as a sentence fragment naming the account or step; null when they agree. */
export function firstPlanDifference(plan: Plan, rebuilt: Plan): string | null {
  const accounts = new Map(rebuilt.accounts.map((a) => [a.id.toLowerCase(), a]));
  // Whether each account is planned first: a fact read differently now (a listing that failed, a finding
  // that appeared) is named by its reason rather than by the steps it removes.
  for (const a of plan.accounts) {
    const twin = accounts.get(a.id.toLowerCase());
    if (!twin) return `account ${a.name} is not one it selects`;
    if (a.status === twin.status) continue;
    if (twin.status === "planned") return `account ${a.name} is ${a.status}, but it plans it now`;
    const why = twin.notPlanned.map((r) => `${r.code}: ${r.message}`).join("; ");
    return `account ${a.name} is planned, but it would not plan it now (${why || "no reason given"})`;
  }
  const listed = new Set(plan.accounts.map((a) => a.id.toLowerCase()));
  const more = rebuilt.accounts.find((a) => !listed.has(a.id.toLowerCase()));
  if (more) return `it selects account ${more.name} (${more.status}), which the plan lacks`;

  const made = new Map(rebuilt.steps.map((s) => [s.id, s]));
  for (const step of plan.steps) {
    const twin = made.get(step.id);
    if (!twin) return `step ${step.id} is not one it makes (${rebuiltHas(rebuilt, step)})`;
    const d = stepDifference(step, twin);
    if (d) return `step ${step.id}: ${d}`;
  }
  const have = new Set(plan.steps.map((s) => s.id));
  const missing = rebuilt.steps.find((s) => !have.has(s.id));
  if (missing) return `it makes step ${missing.id} (${missing.kind}), which the plan lacks`;

  for (const a of plan.accounts) {
    const twin = accounts.get(a.id.toLowerCase())!;
    const d = jsonDifference(
      { target: a.target as unknown as JsonValue, keyLinkage: a.keyLinkage as unknown as JsonValue },
      { target: twin.target as unknown as JsonValue, keyLinkage: twin.keyLinkage as unknown as JsonValue }, "");
    if (d) return `account ${a.name}: ${d}`;
  }
  return null;
}

function rebuiltHas(rebuilt: Plan, step: PlanStep): string {
  const others = rebuilt.steps.filter((s) => s.accountId.toLowerCase() === step.accountId.toLowerCase());
  return others.length === 0 ? "it plans no step for that account" : `for that account it makes ${others.length} other step(s)`;
}

function stepDifference(a: PlanStep, b: PlanStep): string | null {
  if (a.accountId.toLowerCase() !== b.accountId.toLowerCase()) return `its account is ${a.accountId}, but it makes it for ${b.accountId}`;
  if (a.kind !== b.kind) return `its kind is ${a.kind}, but it makes a ${b.kind}`;
  if (comparableUrl(a.request.url) !== comparableUrl(b.request.url)) return `it asks ${a.request.url}, but it makes ${b.request.url}`;
  const body = jsonDifference(a.request.body, b.request.body, "body");
  if (body) return body;
  const deps = jsonDifference([...a.dependsOn].sort(codePointCompare), [...b.dependsOn].sort(codePointCompare), "dependsOn");
  if (deps) return deps;
  if (a.longRunning !== b.longRunning) return `longRunning is ${a.longRunning}, but it makes ${b.longRunning}`;
  return jsonDifference(a.outputs, b.outputs, "outputs");
}

function comparableUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host.toLowerCase()}${decodeURIComponent(u.pathname).toLowerCase()}${u.search}`;
  } catch {
    return url; // the schema admits only absolute URLs; an unparsable one compares as it is
  }
}

function jsonDifference(a: JsonValue | undefined, b: JsonValue | undefined, path: string): string | null {
  const d = firstJsonDifference(a, b, path);
  return d ? `${d.path || "the value"} is ${shownJson(d.left)}, but it makes ${shownJson(d.right)}` : null;
}
