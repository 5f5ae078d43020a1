// The plan review over real parts: the CLI's own wiring (estatePlans: buildPlan over the loaded snapshot and
// assessments, renderPlanMarkdown + writePlanFiles into a plans directory) behind the real App. The exported
// pair must load back through loadPlanFile (digest verified) and carry the same digest in the Markdown.
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { assess } from "../../src/assess/assess.js";
import { estatePlans, inventoryViewOf } from "../../src/cli/commands/interactive.js";
import { loadPlanFile } from "../../src/cli/plan-files.js";
import type { Snapshot } from "../../src/domain/snapshot.js";
import { markdownDigest } from "../../src/planner/render-markdown.js";
import { bareKindSnapshot, twoAccountSnapshot } from "../fixtures/plan-snapshots.js";
import { KEYS, loaded, renderUi, type RenderedUi } from "./render-ui.js";

let ui: RenderedUi | undefined;
let dir: string | undefined;
afterEach(async () => {
  ui?.unmount(); ui = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

const NOW = new Date("2026-11-28T10:00:00.000Z");

async function reviewOf(snapshot: Snapshot, rows = 200): Promise<RenderedUi> {
  dir = await mkdtemp(path.join(tmpdir(), "plan-review-"));
  const assessments = assess(snapshot);
  const plans = estatePlans(() => ({ snapshot, assessments }), { plansDir: path.join(dir, "plans"), now: () => NOW });
  ui = renderUi(loaded(inventoryViewOf(snapshot, assessments)), { plans, rows });
  await ui.waitFor((f) => f.includes(" of ") && f.includes("selected"));
  return ui;
}

describe("plan review over buildPlan and the plan files", () => {
  it("plans the selected accounts, shows their steps, and e exports a pair that loads back; again → the next number", async () => {
    const u = await reviewOf(twoAccountSnapshot());
    u.press(KEYS.space, KEYS.down, KEYS.space);
    await u.waitFor((f) => f.includes("2 selected"));
    u.press("p");
    const frame = await u.waitFor((f) => f.includes("plan plan-"));
    const lines = frame.split("\n");
    expect(lines[1]).toMatch(/^digest sha256:[0-9a-f]{12}… · 2 planned \/ 0 not planned · \d+ step\(s\)$/);
    expect(lines.filter((l) => / → \S+\/fhir$/.test(l))).toHaveLength(2);
    expect(lines.filter((l) => l.startsWith("  Steps ("))).toHaveLength(2);
    expect(frame).toContain("  Key access    role Key Vault Crypto Service Encryption User for the identity, scoped to key");
    expect(frame).not.toContain("Not planned");
    u.press("e");
    let status = (await u.waitFor((f) => f.includes("Exported"))).split("\n").at(-2)!;
    const jsonPath = path.join(dir!, "plans", "2026-11-28-1.plan.json");
    expect(status).toBe(`Exported ${jsonPath} (+ .plan.md)`);
    const plan = await loadPlanFile(jsonPath);
    expect(lines[0]).toBe(`ahds-migrate · AzureCloud · plan ${plan.planId}`);
    expect(plan.accounts.map((a) => a.status)).toEqual(["planned", "planned"]);
    expect(markdownDigest(await readFile(path.join(dir!, "plans", "2026-11-28-1.plan.md"), "utf8"))).toBe(plan.digest);
    u.press("e");
    status = (await u.waitFor((f) => f.includes("2026-11-28-2.plan.json"))).split("\n").at(-2)!;
    expect(status).toBe(`Exported ${path.join(dir!, "plans", "2026-11-28-2.plan.json")} (+ .plan.md)`);
    expect((await readdir(path.join(dir!, "plans"))).sort()).toEqual(["2026-11-28-1.plan.json", "2026-11-28-1.plan.md", "2026-11-28-2.plan.json", "2026-11-28-2.plan.md"]);
  });

  it("an account the planner cannot plan is listed under Not planned with the flag that resolves it", async () => {
    const u = await reviewOf(bareKindSnapshot());
    u.press("p");
    const frame = await u.waitFor((f) => f.includes("plan plan-"));
    expect(frame).toContain("0 planned / 1 not planned · 0 step(s)");
    expect(frame).toContain("No account could be planned; the reasons follow.");
    const lines = frame.split("\n");
    const at = lines.indexOf("Not planned (1)");
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 2]).toMatch(/^ {4}✖ kind-unversioned: /);
    expect(frame).toMatch(/resolve: .*--kind/);
  });
});
