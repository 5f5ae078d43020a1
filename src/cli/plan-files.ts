// The plan's two files (DESIGN.md "Files the tool owns"): NAME.plan.json (the plan) and NAME.plan.md (the
// same for humans, carrying the digest), where NAME is the `--out` path without `.plan.json` — any other
// suffix is refused, so NAME.journal.jsonl and NAME.lock land next to them predictably. Both are written
// atomically; the Markdown first, so a crash between the two leaves a pair whose digests differ, which
// `plan --check` refuses, rather than a new plan beside a stale description.
import { readFile, rename, stat } from "node:fs/promises";
import type { Plan } from "../domain/plan.js";
import { PlanFormatError, UsageError, UserError } from "../domain/errors.js";
import { parsePlan } from "../planner/load-plan.js";
import { markdownDigest } from "../planner/render-markdown.js";
import { writeFileAtomic } from "./atomic-write.js";

const SUFFIX = ".plan.json";

export interface PlanPaths {
  /** NAME */
  name: string;
  plan: string;
  markdown: string;
  journal: string;
  lock: string;
}

/** The files of the plan at `outPath`, which must end in `.plan.json` (UsageError otherwise). */
export function planPaths(outPath: string): PlanPaths {
  if (!outPath.endsWith(SUFFIX) || outPath.length === SUFFIX.length || /[\\/]\.plan\.json$/.test(outPath)) {
    throw new UsageError(`--out must end with ${SUFFIX} (got ${outPath}).`,
      [`Name the plan like plans/contoso.plan.json: its Markdown goes next to it as plans/contoso.plan.md.`]);
  }
  const name = outPath.slice(0, -SUFFIX.length);
  return { name, plan: outPath, markdown: `${name}.plan.md`, journal: `${name}.journal.jsonl`, lock: `${name}.lock` };
}

/** Writes NAME.plan.md then NAME.plan.json, each atomically (mode 0644: plans hold no secrets). */
export async function writePlanFiles(outPath: string, plan: Plan, markdown: string): Promise<PlanPaths> {
  const paths = planPaths(outPath);
  await writeFileAtomic(paths.markdown, markdown.endsWith("\n") ? markdown : `${markdown}\n`);
  await writeFileAtomic(paths.plan, `${JSON.stringify(plan, null, 2)}\n`);
  return paths;
}

/** Reads and checks the plan at `path` (parsePlan: exit 2 malformed, exit 3 format or digest). */
export async function loadPlanFile(path: string): Promise<Plan> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw readError(err, path, "plan");
  }
  return parsePlan(text, path);
}

/** NAME.plan.md must exist and carry the plan's digest: otherwise the reviewed text is not this plan. */
export async function checkMarkdownDigest(planPath: string, plan: Plan): Promise<void> {
  const md = planPaths(planPath).markdown;
  let text: string;
  try {
    text = await readFile(md, "utf8");
  } catch (err) {
    const e = err as { code?: string };
    if (e.code === "ENOENT") {
      throw new PlanFormatError(`${md} is missing: the plan ${planPath} is checked together with its Markdown; run \`ahds-migrate plan\` again.`);
    }
    throw readError(err, md, "plan's Markdown");
  }
  const found = markdownDigest(text);
  if (found !== plan.digest) {
    throw new PlanFormatError(found === null
      ? `${md} carries no single digest line (Digest: sha256:…), so it cannot be matched with ${planPath} (${plan.digest}); run \`ahds-migrate plan\` again.`
      : `${md} carries digest ${found}, but ${planPath} has ${plan.digest}: they are not the same plan; run \`ahds-migrate plan\` again.`);
  }
}

function readError(err: unknown, path: string, what: string): UserError {
  const e = err as { code?: string; message?: string };
  if (e.code === "ENOENT") return new UserError(`Can't read ${what} ${path}: no such file.`, ["Check the path, or make a plan with 'ahds-migrate plan --out FILE.plan.json'."]);
  if (e.code === "EISDIR") return new UserError(`Can't read ${what} ${path}: it is a directory.`);
  if (e.code === "EACCES" || e.code === "EPERM") return new UserError(`Can't read ${what} ${path}: permission denied.`);
  return new UserError(`Can't read ${what} ${path}: ${e.message ?? String(err)}`);
}

/**
 * `plan --out NAME.plan.json` where NAME.journal.jsonl exists: step ids are deterministic, so a new plan
 * under the old name would resume the old run and count steps done with the old request bodies as done
 * (issue 8). Refused unless --archive-journal; never while an apply holds NAME.lock.
 */
export async function refuseJournaledOut(paths: PlanPaths, archive: boolean): Promise<void> {
  if (!(await nonEmpty(paths.journal))) return;
  if (await nonEmpty(paths.lock)) {
    throw new UserError(`${paths.plan} is being applied (${paths.lock} exists): a new plan can't replace it now.`,
      ["Wait for the apply to finish (or write the new plan to another --out), then plan again."]);
  }
  if (archive) return;
  throw new UserError(`${paths.plan} has been applied (${paths.journal} exists): a new plan under the same name would resume that run.`,
    [`Write the new plan to another --out, or pass --archive-journal to move ${paths.journal} aside and replace the plan.`]);
}

/** Renames NAME.journal.jsonl to NAME.journal.<planId of the old plan, or a time>.jsonl; the new name, or null when there was none. */
export async function archiveJournal(paths: PlanPaths, now: Date = new Date()): Promise<string | null> {
  if (!(await nonEmpty(paths.journal))) return null;
  const oldId = await loadPlanFile(paths.plan).then((p) => p.planId, () => `archived-${now.toISOString().replace(/[:.]/g, "-")}`);
  const to = `${paths.name}.journal.${oldId}.jsonl`;
  await rename(paths.journal, to);
  return to;
}

async function nonEmpty(file: string): Promise<boolean> {
  try {
    return (await stat(file)).size > 0;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw err;
  }
}
