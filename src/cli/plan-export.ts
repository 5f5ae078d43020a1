// The TUI's `e`: writes the plan under review to ./plans/<date>-<n>.plan.json + .plan.md (DESIGN.md "Files
// the tool owns"), <date> the plan's createdAt day (UTC, so the name matches the plan's own timestamp) and
// <n> the next number not yet used that day by either file, so an export never replaces an earlier plan.
import { readdir } from "node:fs/promises";
import path from "node:path";
import { UserError } from "../domain/errors.js";
import type { Plan } from "../domain/plan.js";
import { renderPlanMarkdown } from "../planner/render-markdown.js";
import { writePlanFiles } from "./plan-files.js";

export const PLANS_DIR = "plans";

/** `dir/<day>-<n>.plan.json` with n one above the highest used for that day (1 when none). */
export async function nextPlanPath(dir: string, day: string): Promise<string> {
  let names: string[] = [];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as { code?: string }).code !== "ENOENT") throw err;
  }
  // A journal or lock left by an earlier plan of that number counts too: a new plan must not inherit its run.
  const used = names.map((n) => new RegExp(`^${day}-(\\d+)\\.(plan\\.json|plan\\.md|journal\\.jsonl|lock)$`).exec(n)).filter((m) => m !== null).map((m) => Number(m[1]));
  return path.join(dir, `${day}-${Math.max(0, ...used) + 1}.plan.json`);
}

export async function exportPlanToDir(plan: Plan, dir: string = PLANS_DIR): Promise<{ jsonPath: string; mdPath: string }> {
  let target = path.join(dir, `${plan.createdAt.slice(0, 10)}-?.plan.json`);
  try {
    target = await nextPlanPath(dir, plan.createdAt.slice(0, 10));
    const paths = await writePlanFiles(target, plan, renderPlanMarkdown(plan));
    return { jsonPath: paths.plan, mdPath: paths.markdown };
  } catch (err) {
    throw new UserError(`Can't write ${target}: ${reasonOf(err)}.`,
      [`Check that ${path.resolve(dir)} is a writable directory, then press e again.`]);
  }
}

const REASONS: Record<string, string> = {
  EACCES: "permission denied", EPERM: "permission denied", EROFS: "the file system is read-only",
  ENOSPC: "no space left on the device", ENOTDIR: "a path component is not a directory", EISDIR: "it is a directory",
};

function reasonOf(err: unknown): string {
  const e = err as { code?: string; message?: string };
  if (e.code && REASONS[e.code]) return `${REASONS[e.code]} (${e.code})`;
  return (e.message ?? String(err)).split("\n")[0]!.replace(/\.$/, "");
}
