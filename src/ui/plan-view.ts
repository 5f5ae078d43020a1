// What the plan review needs from outside the UI, as two functions the CLI builds
// (src/cli/commands/interactive.ts: buildPlan over the loaded snapshot, renderPlanMarkdown + writePlanFiles
// into ./plans) and UI tests build in-process. The UI itself never plans or touches files.
import type { Plan } from "../domain/plan.js";

/**
 * Plans the given accounts (ARM ids) with no other choices but the data-copy storage account (`d` on the
 * review; `plan --storage-account`); throws with a one-line message on failure.
 */
export type MakePlan = (accountIds: string[], o?: { storageAccount: string | null }) => Promise<Plan>;

/** Writes the plan and its Markdown (DESIGN.md "Files the tool owns": ./plans/<date>-<n>.plan.json + .md). */
export type ExportPlan = (plan: Plan) => Promise<{ jsonPath: string; mdPath: string }>;

export interface PlanActions {
  makePlan: MakePlan;
  exportPlan: ExportPlan;
}
