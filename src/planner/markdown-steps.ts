// The step-level parts of the plan's Markdown twin: the data-plane grants table and every step with its
// exact request (the body folded in a <details> block so the page stays scannable on a code review).
import { isJsonObject, type FromStepRef, type JsonValue, type PlanStep } from "../domain/plan.js";
import { htmlText, mdCell, mdCode, mdFence, mdTable, sortedJson } from "./markdown-text.js";
import { roleName, stepTitle } from "./step-title.js";


const ROLE_ASSIGNMENTS = "/providers/Microsoft.Authorization/roleAssignments/";

function isFromStep(v: unknown): v is FromStepRef {
  return v !== null && typeof v === "object" && typeof (v as FromStepRef).$fromStep === "string";
}

function propertiesOf(body: JsonValue): Record<string, JsonValue> {
  return isJsonObject(body) && isJsonObject(body.properties) ? body.properties : {};
}

/** The scope of a role-assignment PUT URL (`{scope}/providers/Microsoft.Authorization/roleAssignments/{name}`). */
function roleAssignmentScope(url: string): string | null {
  let path: string;
  try { path = new URL(url).pathname; } catch { return null; }
  const at = path.toLowerCase().indexOf(ROLE_ASSIGNMENTS.toLowerCase());
  return at > 0 ? path.slice(0, at) : null;
}


/** A literal object id, or the identity the plan creates (its principalId is a `$fromStep` reference). */
function principalText(v: JsonValue | undefined, identityName: string): string {
  if (isFromStep(v)) return `new identity ${mdCode(identityName, true)}`;
  return typeof v === "string" ? mdCode(v, true) : "—";
}

/** Data-plane grants (grant-data-role steps): role, principal, its type, scope. */
export function grantsSection(steps: PlanStep[], identityName: string): string[] {
  const grants = steps.filter((s) => s.kind === "grant-data-role");
  if (grants.length === 0) return ["No data-plane role assignments."];
  const rows = grants.map((s) => {
    const p = propertiesOf(s.request.body);
    const role = typeof p.roleDefinitionId === "string" ? roleName(p.roleDefinitionId) : "—";
    const type = typeof p.principalType === "string" ? p.principalType : "";
    const scope = roleAssignmentScope(s.request.url);
    return [mdCell(role), principalText(p.principalId, identityName), mdCell(type), scope ? mdCode(scope, true) : "—"];
  });
  return mdTable(["Role", "Principal", "Principal type", "Scope"], rows);
}

/** One step: title, id and kind, the exact request line, dependencies, outputs, the body folded. */
export function stepSection(step: PlanStep, n: number, steps: readonly PlanStep[]): string[] {
  const facts = [`${step.kind}${step.longRunning ? ", long-running" : ""}`];
  const lines = [
    `#### ${n}. ${mdCell(stepTitle(steps, step))}`,
    "",
    `- Step: ${mdCode(step.id)} (${facts.join("")})`,
    `- Request: ${mdCode(`${step.request.method} ${step.request.url}`)}`,
    `- Depends on: ${step.dependsOn.length ? step.dependsOn.map((d) => mdCode(d)).join(", ") : "nothing"}`,
  ];
  if (step.outputs.length) lines.push(`- Outputs: ${step.outputs.map((o) => mdCode(o)).join(", ")}`);
  lines.push(
    "",
    `<details><summary>Request body of ${htmlText(step.id)}</summary>`,
    "",
    ...mdFence("json", sortedJson(step.request.body)),
    "",
    "</details>",
  );
  return lines;
}
