// The plans screen's listing on real files: the example plan copied under a <date>-<n> name with a real
// journal (one step succeeded, one started with no end: in doubt), a plan with no journal, a file that is
// not a plan; and the journal's state in one word, table-driven.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { realClock } from "../azure/limiter-clock.js";
import type { StepStatus } from "../domain/journal.js";
import { openJournal } from "../runner/journal.js";
import { listPlans, planFiles, runStateOf } from "./plan-listing.js";
import { planPaths } from "./plan-files.js";

const EXAMPLE = path.resolve("plans/example.plan.json");
const EXAMPLE_PLAN = JSON.parse(readFileSync(EXAMPLE, "utf8")) as { planId: string; steps: unknown[] };
const EXAMPLE_PLAN_ID = EXAMPLE_PLAN.planId;

describe("listPlans", () => {
  it("lists every *.plan.json newest first with planId, createdAt, planned accounts and the journal's state; a broken file says why", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ahds-plans-"));
    const resumed = path.join(dir, "2026-11-02-1.plan.json");
    copyFileSync(EXAMPLE, resumed);
    copyFileSync(EXAMPLE, path.join(dir, "2026-11-01-1.plan.json"));
    writeFileSync(path.join(dir, "2026-11-02-2.plan.json"), "{ not json");
    writeFileSync(path.join(dir, "notes.md"), "not a plan");
    const journal = await openJournal(planPaths(resumed).journal, { clock: realClock });
    await journal.append({ runId: "r1", type: "run-started" });
    await journal.append({ runId: "r1", type: "step-started", stepId: "fhir-research-5c1b6e/ensure-workspace", attempt: 1 });
    await journal.append({ runId: "r1", type: "step-succeeded", stepId: "fhir-research-5c1b6e/ensure-workspace", attempt: 1, reason: "created" });
    await journal.append({ runId: "r1", type: "step-started", stepId: "fhir-research-5c1b6e/ensure-identity", attempt: 1 });
    await journal.close();

    const list = await listPlans(dir);
    // Newest createdAt first (equal here: both are the example plan, so the name decides), unreadable last.
    expect(list.map((p) => path.basename(p.path))).toEqual(["2026-11-02-1.plan.json", "2026-11-01-1.plan.json", "2026-11-02-2.plan.json"]);
    expect(list[2]).toMatchObject({ planId: null, state: null });
    expect(list[2]!.error).toMatch(/\S/);
    expect(list[2]!.error).not.toContain("\n");
    expect(list[0]).toEqual({ path: resumed, planId: EXAMPLE_PLAN_ID, createdAt: "2026-11-01T00:00:00.000Z", plannedAccounts: 7,
      state: "in-doubt", succeeded: 1, steps: EXAMPLE_PLAN.steps.length, error: null });
    expect(list[1]).toMatchObject({ state: "not-started", succeeded: 0, steps: EXAMPLE_PLAN.steps.length, error: null });

    const opened = await planFiles(dir).openPlan(resumed);
    expect(opened.plan.planId).toBe(EXAMPLE_PLAN_ID);
    expect(opened.succeeded).toEqual(["fhir-research-5c1b6e/ensure-workspace"]);
    await expect(planFiles(dir).openPlan(path.join(dir, "2026-11-02-2.plan.json"))).rejects.toThrow();
  });

  it("has nothing to list when ./plans does not exist", async () => {
    expect(await listPlans(path.join(tmpdir(), "ahds-no-such-plans-dir"))).toEqual([]);
  });
});

describe("runStateOf", () => {
  it.each([
    [0, ["pending", "pending"], "not-started"],
    [1, ["succeeded", "succeeded"], "finished"],
    [1, ["succeeded", "pending"], "interrupted"],
    [2, ["failed", "skipped"], "failed-steps"],
    [1, ["failed", "in-doubt"], "in-doubt"],
  ] as [number, StepStatus[], string][])("%s run(s) of %j → %s", (runs, statuses, state) => {
    expect(runStateOf(runs, statuses)).toBe(state);
  });
});
