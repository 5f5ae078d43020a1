// `ahds-migrate verify PLAN [--json]`: read every target the plan names back from Azure and compare it field
// by field with the plan (src/runner/verify.ts) — the FHIR service's key URL, identity, authentication, CORS,
// export, ACR, every role assignment and its scope, the key access policies. Refuses a plan that was edited
// or is stale, like apply. Read-only.
//
// Exit codes (README "verify"): 0 everything reads back as planned; 2 usage or unreadable plan; 3 plan
// refused (edited, unknown format, stale); 4 differences found (each printed, or in the JSON document).
import type { CommandContext } from "../command-context.js";
import { EXIT } from "../error-handler.js";
import { printErr, printJson, printOut } from "../output.js";
import { planPaths } from "../plan-files.js";
import { loadPlanForRun, refuseStalePlan } from "../apply-preflight.js";
import { DATA_NOT_COPIED } from "../../domain/retirement.js";
import { stepTitle } from "../../planner/step-title.js";

export interface VerifyOptions {
  json?: boolean;
}

export async function verifyCommand(planPath: string, o: VerifyOptions, ctx: CommandContext): Promise<number> {
  planPaths(planPath);
  const plan = await loadPlanForRun(planPath, ctx);
  const { createAzureSession } = await import("../../azure/azure-session.js");
  const { verifyPlan } = await import("../../runner/verify.js");
  const session = createAzureSession(ctx.cloud);
  await refuseStalePlan(planPath, plan, session);
  const differences = await verifyPlan(plan, session);

  if (o.json) printJson({ planId: plan.planId, steps: plan.steps.length, matches: differences.length === 0, differences });
  if (differences.length === 0) {
    const msg = `${plan.planId} verified: all ${plan.steps.length} targets read back as planned. ${DATA_NOT_COPIED}`;
    if (o.json) printErr(msg);
    else printOut(msg);
    return EXIT.ok;
  }
  const titles = new Map(plan.steps.map((s) => [s.id, stepTitle(plan.steps, s)]));
  const lines = differences.map((d) => `  ${titles.get(d.stepId) ?? d.stepId}: ${d.field}: expected ${d.expected}, found ${d.actual}`);
  const head = `error: ${differences.length} ${differences.length === 1 ? "difference" : "differences"} between ${planPath} and Azure:`;
  if (o.json) printErr([head, ...lines].join("\n"));
  else printErr([head, ...lines, `  A step not applied yet reads as "not found": run 'ahds-migrate status ${planPath}' to see where the run stands.`].join("\n"));
  return EXIT.failedSteps;
}
