import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sealedPlan } from "../../test/fixtures/plan-files.js";
import { exportPlanToDir, nextPlanPath } from "./plan-export.js";

let dir = "";
beforeEach(async () => { dir = await mkdtemp(path.join(tmpdir(), "plan-export-")); });
afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

describe("nextPlanPath", () => {
  it("starts at 1 when the directory is missing or holds nothing of that day", async () => {
    expect(await nextPlanPath(path.join(dir, "missing"), "2026-11-28")).toBe(path.join(dir, "missing", "2026-11-28-1.plan.json"));
    await writeFile(path.join(dir, "2026-11-27-4.plan.json"), "{}");
    await writeFile(path.join(dir, "README.md"), "");
    expect(await nextPlanPath(dir, "2026-11-28")).toBe(path.join(dir, "2026-11-28-1.plan.json"));
  });

  it("takes one above the highest number used by either file of that day", async () => {
    for (const f of ["2026-11-28-1.plan.json", "2026-11-28-1.plan.md", "2026-11-28-3.plan.md", "2026-11-28-x.plan.json", "2026-11-28-12.journal.jsonl"]) {
      await writeFile(path.join(dir, f), "");
    }
    // A journal left by plan 12 (whose plan file is gone) counts too: plan 12's run must not be inherited.
    expect(await nextPlanPath(dir, "2026-11-28")).toBe(path.join(dir, "2026-11-28-13.plan.json"));
  });
});

describe("exportPlanToDir", () => {
  it("writes the pair under the plan's createdAt day and never replaces an earlier export", async () => {
    const plan = sealedPlan();
    const day = plan.createdAt.slice(0, 10);
    const first = await exportPlanToDir(plan, path.join(dir, "plans"));
    const second = await exportPlanToDir(plan, path.join(dir, "plans"));
    expect(first).toEqual({ jsonPath: path.join(dir, "plans", `${day}-1.plan.json`), mdPath: path.join(dir, "plans", `${day}-1.plan.md`) });
    expect(second.jsonPath).toBe(path.join(dir, "plans", `${day}-2.plan.json`));
    expect((await readdir(path.join(dir, "plans"))).sort()).toEqual([`${day}-1.plan.json`, `${day}-1.plan.md`, `${day}-2.plan.json`, `${day}-2.plan.md`]);
  });

  it("refuses in one line with a next step when the directory cannot be written", async () => {
    await writeFile(path.join(dir, "plans"), "a file where the directory should be");
    const err = await exportPlanToDir(sealedPlan(), path.join(dir, "plans")).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "UserError", message: expect.stringMatching(/^Can't write .*plans\/\d{4}-\d\d-\d\d-\?\.plan\.json: a path component is not a directory \(ENOTDIR\)\.$/) });
    expect((err as { nextSteps: string[] }).nextSteps[0]).toContain("writable directory");
    await mkdir(path.join(dir, "ro"), { mode: 0o500 });
    if (process.getuid?.() !== 0) {
      const denied = await exportPlanToDir(sealedPlan(), path.join(dir, "ro")).catch((e: unknown) => e);
      expect((denied as Error).message).toMatch(/^Can't write .*ro\/\d{4}-\d\d-\d\d-1\.plan\.json: permission denied \(EACCES\)\.$/);
    }
  });
});
