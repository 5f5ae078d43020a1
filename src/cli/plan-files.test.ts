// The plan's file pair on a real temp directory: NAME rule, atomic write with mode 0644, load + refusals,
// and the Markdown digest check.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { archiveJournal, checkMarkdownDigest, loadPlanFile, planPaths, refuseJournaledOut, writePlanFiles } from "./plan-files.js";
import { writeFileAtomic } from "./atomic-write.js";
import { exitCodeFor } from "./error-handler.js";
import { renderPlanMarkdown } from "../planner/render-markdown.js";
import { planText, sealedPlan } from "../../test/fixtures/plan-files.js";

let dir: string;
beforeAll(() => { dir = mkdtempSync(path.join(tmpdir(), "ahds-plan-files-")); });
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

async function refusal(p: Promise<unknown>): Promise<{ name: string; exit: number; message: string }> {
  try { await p; } catch (err) {
    const e = err as Error;
    return { name: e.name, exit: exitCodeFor(err), message: e.message };
  }
  throw new Error("not refused");
}

describe("planPaths", () => {
  it("derives NAME from an --out ending in .plan.json", () => {
    expect(planPaths("plans/contoso.plan.json")).toEqual({ name: "plans/contoso", plan: "plans/contoso.plan.json",
      markdown: "plans/contoso.plan.md", journal: "plans/contoso.journal.jsonl", lock: "plans/contoso.lock" });
  });

  it.each(["contoso.json", "contoso.plan", "contoso.plan.md", "contoso.PLAN.JSON", ".plan.json", "plans/.plan.json", "contoso.plan.json.bak"])(
    "refuses --out %s as a usage error", (out) => {
      let err: unknown;
      try { planPaths(out); } catch (e) { err = e; }
      expect(exitCodeFor(err)).toBe(2);
      expect((err as Error).message).toBe(`--out must end with .plan.json (got ${out}).`);
    });
});

describe("writePlanFiles + loadPlanFile", () => {
  it("writes both files (0644, no temp files left, directories made) and reads the plan back", async () => {
    const plan = sealedPlan();
    const out = path.join(dir, "new", "sub", "a.plan.json");
    const paths = await writePlanFiles(out, plan, renderPlanMarkdown(plan));
    expect(readFileSync(out, "utf8")).toBe(planText(plan));
    expect(readFileSync(paths.markdown, "utf8")).toContain(`Digest: ${plan.digest}`);
    expect(statSync(out).mode & 0o777).toBe(0o644);
    expect(statSync(paths.markdown).mode & 0o777).toBe(0o644);
    expect(readdirSync(path.dirname(out)).sort()).toEqual(["a.plan.json", "a.plan.md"]);
    expect(await loadPlanFile(out)).toEqual(plan);
    await expect(checkMarkdownDigest(out, plan)).resolves.toBeUndefined();
  });

  it("replaces an existing pair", async () => {
    const out = path.join(dir, "b.plan.json");
    writeFileSync(out, "old");
    const plan = sealedPlan();
    await writePlanFiles(out, plan, "Digest: x");
    expect(readFileSync(out, "utf8")).toBe(planText(plan));
    expect(readFileSync(path.join(dir, "b.plan.md"), "utf8")).toBe("Digest: x\n");
  });

  it("refuses a missing file as a user error (exit 1) and an edited one as edited (exit 3)", async () => {
    expect(await refusal(loadPlanFile(path.join(dir, "none.plan.json")))).toEqual({ name: "UserError", exit: 1,
      message: `Can't read plan ${path.join(dir, "none.plan.json")}: no such file.` });
    const out = path.join(dir, "c.plan.json");
    writeFileSync(out, planText().replace("westeurope", "northeurope"));
    expect(await refusal(loadPlanFile(out))).toMatchObject({ name: "PlanFormatError", exit: 3,
      message: `${out} was edited after planning (digest mismatch): run \`ahds-migrate plan\` again.` });
    expect(await refusal(loadPlanFile(dir))).toMatchObject({ exit: 1, message: `Can't read plan ${dir}: it is a directory.` });
  });
});

describe("checkMarkdownDigest", () => {
  const plan = sealedPlan();
  const other = `sha256:${"0".repeat(64)}`;
  it.each<[string, string | null, RegExp]>([
    ["missing", null, /d\.plan\.md is missing: the plan .*d\.plan\.json is checked together with its Markdown; run `ahds-migrate plan` again\./],
    ["another digest", `# Plan\n\nDigest: ${other}\n`, new RegExp(`d\\.plan\\.md carries digest ${other}, but .*d\\.plan\\.json has ${plan.digest}: they are not the same plan`)],
    ["no digest line", "# Plan\n", /carries no single digest line \(Digest: sha256:…\), so it cannot be matched with/],
    ["two digests", `Digest: ${plan.digest}\nDigest: ${other}\n`, /carries no single digest line/],
  ])("refuses a Markdown twin with %s (exit 3)", async (_name, md, message) => {
    const out = path.join(dir, "d.plan.json");
    rmSync(path.join(dir, "d.plan.md"), { force: true });
    if (md !== null) writeFileSync(path.join(dir, "d.plan.md"), md);
    const r = await refusal(checkMarkdownDigest(out, plan));
    expect(r).toMatchObject({ name: "PlanFormatError", exit: 3 });
    expect(r.message).toMatch(message);
  });
});

describe("writeFileAtomic", () => {
  it("writes 0600 when asked, whatever the umask", async () => {
    const f = path.join(dir, "secret.json");
    await writeFileAtomic(f, "{}", { mode: 0o600 });
    expect(statSync(f).mode & 0o777).toBe(0o600);
  });

  it("removes its temp file when the rename fails (the target is a directory)", async () => {
    const parent = path.join(dir, "rename-fails");
    mkdirSync(path.join(parent, "p.plan.json", "inside"), { recursive: true });
    await expect(writeFileAtomic(path.join(parent, "p.plan.json"), "new")).rejects.toMatchObject({ code: expect.stringMatching(/EISDIR|ENOTEMPTY|EEXIST/) as unknown });
    expect(readdirSync(parent)).toEqual(["p.plan.json"]);
    expect(statSync(path.join(parent, "p.plan.json")).isDirectory()).toBe(true);
  });
});

describe("plan --out beside a journal (refuseJournaledOut, archiveJournal)", () => {
  it("refuses to replace an applied plan unless told; --archive-journal moves the journal aside under the old planId", async () => {
    const d = mkdtempSync(path.join(tmpdir(), "ahds-plan-journaled-"));
    const paths = planPaths(path.join(d, "wave.plan.json"));
    const old = sealedPlan();
    await writePlanFiles(paths.plan, old, renderPlanMarkdown(old));
    await expect(refuseJournaledOut(paths, false)).resolves.toBeUndefined(); // no journal yet
    writeFileSync(paths.journal, '{"v":1}\n');
    const r = await refusal(refuseJournaledOut(paths, false));
    expect(r).toMatchObject({ name: "UserError", exit: 1 });
    expect(r.message).toContain("has been applied");
    await expect(refuseJournaledOut(paths, true)).resolves.toBeUndefined();
    writeFileSync(paths.lock, "{}");
    expect((await refusal(refuseJournaledOut(paths, true))).message).toContain("is being applied");
    rmSync(paths.lock);
    const moved = await archiveJournal(paths);
    expect(moved).toBe(path.join(d, `wave.journal.${old.planId}.jsonl`));
    expect(readFileSync(moved!, "utf8")).toBe('{"v":1}\n');
    expect(readdirSync(d).sort()).toEqual([`wave.journal.${old.planId}.jsonl`, "wave.plan.json", "wave.plan.md"]);
    expect(await archiveJournal(paths)).toBeNull();
  });
});
