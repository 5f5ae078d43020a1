// `ahds-migrate verify PLAN [--json]`: read every target the plan names back from Azure and compare it field
// by field with the plan (src/runner/verify.ts) — the FHIR service's key URL, identity, authentication, CORS,
// export, ACR, every role assignment and its scope, the key access policies. Refuses a plan that was edited
// or is stale, like apply. Read-only. `--data` compares the FHIR data of both sides instead (issue 11 §4).
//
// Exit codes (README "verify"): 0 everything reads back as planned; 2 usage or unreadable plan; 3 plan
// refused (edited, unknown format, stale); 4 differences found (each printed, or in the JSON document).
import type { AzureSession } from "../../azure/azure-session.js";
import type { Plan } from "../../domain/plan.js";
import type { CommandContext } from "../command-context.js";
import { EXIT } from "../error-handler.js";
import { UsageError } from "../../domain/errors.js";
import { printErr, printJson, printOut } from "../output.js";
import { planPaths } from "../plan-files.js";
import { loadPlanForRun, refuseStalePlan } from "../apply-preflight.js";
import { DATA_NOT_COPIED } from "../../domain/retirement.js";
import { stepTitle } from "../../planner/step-title.js";
import type { TypeCount } from "../../runner/verify-data.js";

export interface VerifyOptions {
  json?: boolean;
  /** --data: compare the FHIR data of both sides instead of the targets' settings (issue 11 §4). */
  data?: boolean;
  /** --sample N (with --data): N resources per type compared field by field, every version (verify-sample.ts). */
  sample?: number;
}

export async function verifyCommand(planPath: string, o: VerifyOptions, ctx: CommandContext): Promise<number> {
  planPaths(planPath);
  if (o.sample !== undefined && !o.data) throw new UsageError("--sample compares FHIR data and needs --data.", [`Run 'ahds-migrate verify ${planPath} --data --sample ${o.sample}'.`]);
  const plan = await loadPlanForRun(planPath, ctx);
  const { createAzureSession } = await import("../../azure/azure-session.js");
  const { verifyPlan } = await import("../../runner/verify.js");
  const session = createAzureSession(ctx.cloud);
  await refuseStalePlan(planPath, plan, session);
  if (o.data) return verifyDataCommand(planPath, plan, session, o);
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

/**
 * `verify --data`: per account and type, current resources and versions (bounded by the watermark) on both
 * sides (src/runner/verify-data.ts); with `--sample N`, N resources per type compared version by version
 * (src/runner/verify-sample.ts). Exit 0 when they agree, 4 naming every type and both numbers, and every
 * resource version that differs with its first differing field.
 */
async function verifyDataCommand(planPath: string, plan: Plan, session: AzureSession, o: VerifyOptions): Promise<number> {
  const { dataPlaneClients } = await import("../data-clients.js");
  const { verifyData } = await import("../../runner/verify-data.js");
  const { verifySample } = await import("../../runner/verify-sample.js");
  const { readJournalOf } = await import("../../runner/journal.js");
  const { SYNC_JOURNAL } = await import("../../runner/sync-journal-file.js");
  const { replaySync } = await import("../../runner/sync-rounds.js");
  const { syncJournalPath } = await import("../sync-service.js");
  const accounts = await dataPlaneClients(plan, session);
  const records = (await readJournalOf(syncJournalPath(planPath), SYNC_JOURNAL)).records;
  const watermarks = new Map(accounts.map((a) => [a.id.toLowerCase(), replaySync(records, a.id).watermark]));
  const check = await verifyData(accounts, watermarks);
  const sampled = o.sample === undefined ? undefined : await verifySample(accounts, typesWithVersions(accounts, check.rows), watermarks, o.sample);
  const unreadable = [...check.unreadable, ...(sampled?.unreadable ?? [])];
  const matches = check.differences.length === 0 && unreadable.length === 0 && (sampled?.differences.length ?? 0) === 0;
  if (o.json) printJson({ planId: plan.planId, matches, ...check, unreadable, ...(sampled ? { sample: { perType: o.sample, ...sampled, unreadable: undefined } } : {}) });
  const line = (r: (typeof check.rows)[number]) => `  ${r.account} ${r.type}: current ${r.current.source} on the source, ${r.current.target} on the target; `
    + `versions up to the watermark ${r.versions.source} and ${r.versions.target}`;
  const sampledLine = sampled ? [`  sampled: ${sampled.resources} resource(s), ${sampled.versions} version(s) up to the watermark compared field by field`] : [];
  if (matches) {
    const msg = `${plan.planId} data verified: ${check.rows.length} type(s) in ${accounts.length} account(s) hold the same counts on both sides`
      + (sampled ? `, and the ${sampled.resources} sampled resource(s) are the same.` : ".");
    if (o.json) printErr(msg);
    else printOut([msg, ...check.rows.map(line), ...sampledLine].join("\n"));
    return EXIT.ok;
  }
  printErr([`error: the data of ${planPath} differs between the sources and the targets:`, ...check.differences.map(line),
    ...(sampled?.differences ?? []).map((d) => `  ${d.account} ${d.resource}: ${d.what}`), ...unreadable.map((u) => `  ${u}`),
    `  While a source is live its current counts run ahead: stop its writers and run 'ahds-migrate sync ${planPath} --once', then verify again.`].join("\n"));
  return EXIT.failedSteps;
}

/** The types to sample per account: those with a version on the source, as the counts found them. */
function typesWithVersions(accounts: readonly { id: string; name: string }[], rows: readonly TypeCount[]): Map<string, string[]> {
  return new Map(accounts.map((a) => [a.id.toLowerCase(), rows.filter((r) => r.account === a.name && r.versions.source > 0).map((r) => r.type)]));
}
