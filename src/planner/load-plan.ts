// Reading a plan file's text into a Plan (DESIGN.md "Files the tool owns", exit codes): pure, the file is
// read at the edge (src/cli/plan-files.ts). The checks run in an order that gives each refusal its true
// reason:
//   1. not JSON                                  → UsageError (exit 2), with line and column;
//   2. formatVersion other than 1                → PlanFormatError (exit 3) — before the schema, so a
//      plan of a later format is not reported as malformed;
//   3. digest or planId not what the content gives → PlanFormatError (exit 3): edited after planning —
//      before the schema too, so a hand edit is named as an edit whatever it broke;
//   4. JSON Schema of format 1, then the step graph (validate-plan.ts) → UsageError (exit 2) naming the
//      JSON path of the first problem (reachable only by a plan re-digested after an edit, or a tool bug);
//   5. every step asks only what the planner writes for its kind (step-rules.ts) → PlanFormatError (exit 3):
//      a well-formed plan re-sealed after an edit that would grant or touch more (issue 10 §1). Nothing is
//      sent or journaled: every command that runs a plan reads it through here first.
import { PLAN_FORMAT_VERSION, type Plan } from "../domain/plan.js";
import { PlanFormatError, UsageError } from "../domain/errors.js";
import { verifyDigest } from "./digest.js";
import { jsonErrorOffset, positionOf } from "./json-position.js";
import { firstPlanProblem } from "./validate-plan.js";
import { firstStepViolation } from "./step-rules.js";

const REPLAN = "run `ahds-migrate plan` again";

/** `source` names the file in messages (the path as the user gave it). */
export function parsePlan(text: string, source: string): Plan {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    const offset = jsonErrorOffset(text);
    const { line, column } = positionOf(text, offset < 0 ? 0 : offset);
    throw new UsageError(`Can't read plan ${source}: not JSON (line ${line}, column ${column}).`,
      [`Pass the .plan.json file that \`ahds-migrate plan --out\` wrote, or ${REPLAN}.`]);
  }
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
    throw new UsageError(`Can't read plan ${source}: $ must be a JSON object (a plan of format ${PLAN_FORMAT_VERSION}).`);
  }
  const version = (doc as Record<string, unknown>).formatVersion;
  if (typeof version === "number" && version !== PLAN_FORMAT_VERSION) {
    throw new PlanFormatError(
      `${source} has format ${version}; this ahds-migrate reads format ${PLAN_FORMAT_VERSION}. Upgrade ahds-migrate or re-plan.`);
  }
  if (!verifyDigest(doc)) {
    throw new PlanFormatError(`${source} was edited after planning (digest mismatch): ${REPLAN}.`);
  }
  const problem = firstPlanProblem(doc);
  if (problem) {
    throw new UsageError(`Can't read plan ${source}: ${problem.path}: ${problem.message}`,
      [`The file matches its digest but not plan format ${PLAN_FORMAT_VERSION}: ${REPLAN}.`]);
  }
  const violation = firstStepViolation(doc as Plan);
  if (violation) {
    throw new PlanFormatError(`${source} is refused: step ${violation.stepId} breaks the ${violation.rule} rule: it ${violation.detail}.`,
      ["The plan asks Azure for something `ahds-migrate plan` never writes; nothing was sent. Find who edited it, then " + REPLAN + "."]);
  }
  return doc as Plan;
}
