// Resuming a plan file from the TUI through the real App at 100 columns: `o` on the account list lists
// the plan files an injected listPlans reports (with each journal's state), Enter opens one through an
// injected openPlan (a plan that cannot load shows its one-line reason), and `a` + `y` on its review start
// the run on that very file with the journal's succeeded steps shown done — no export first.
import { afterEach, describe, expect, it } from "vitest";
import type { OpenedPlan, PlanFiles, PlanListing } from "../../src/ui/plans-view.js";
import { KEYS, loaded, renderUi, type RenderedUi } from "./render-ui.js";
import { uiEstate } from "./ui-estate.js";
import { recordingPlans, uiPlan } from "./ui-plan.js";
import { manualClock, scriptedRun } from "./ui-run.js";

let ui: RenderedUi | undefined;
afterEach(() => { ui?.unmount(); ui = undefined; });

const GOOD = "plans/2026-11-28-1.plan.json";
const BAD = "plans/2026-11-28-2.plan.json";
const LISTING: PlanListing[] = [
  { path: BAD, planId: null, createdAt: null, plannedAccounts: 0, state: null, succeeded: 0, steps: 0,
    error: "the digest does not match its contents." },
  { path: GOOD, planId: "plan-3f2a91c0d4e5", createdAt: "2026-11-28T09:00:00.000Z", plannedAccounts: 2, state: "interrupted", succeeded: 3, steps: 7, error: null },
];

/** listPlans/openPlan the test scripts: openPlan of GOOD gives uiPlan with three steps done; anything else fails. */
function scriptedFiles(o: { listError?: Error } = {}) {
  const opened: string[] = [];
  const files: PlanFiles = {
    listPlans: async () => { if (o.listError) throw o.listError; return LISTING; },
    openPlan: async (path): Promise<OpenedPlan> => {
      opened.push(path);
      if (path !== GOOD) throw new Error(`${path} is stale: plan again.`);
      return { path, plan: uiPlan(), succeeded: ["fhir02/ensure-workspace", "fhir02/ensure-identity", "fhir01/ensure-workspace"] };
    },
  };
  return { files, opened };
}

async function plansScreen(f: ReturnType<typeof scriptedFiles>, run = scriptedRun()) {
  const rec = recordingPlans();
  const clock = manualClock();
  ui = renderUi(loaded(uiEstate()), { plans: rec.plans, planFiles: f.files, runs: run.runs, rows: 24, now: clock.now, ticker: clock.ticker });
  await ui.waitFor((f) => f.includes("fhir-01"));
  ui.press("o");
  await ui.waitFor((fr) => fr.includes("plan file(s) in ./plans"));
  return { u: ui, rec, run };
}

describe("the plans screen (o)", () => {
  it("lists each plan file with its planId, creation, planned accounts and journal state; a broken one says why", async () => {
    const { u } = await plansScreen(scriptedFiles());
    const frame = u.frame();
    expect(frame.split("\n")).toEqual([
      "ahds-migrate · AzureCloud · 2 plan file(s) in ./plans",
      "  FILE                     PLAN               CREATED (UTC)    ACCOUNTS JOURNAL",
      "› 2026-11-28-2.plan.json   can't load: the digest does not match its contents.",
      "  2026-11-28-1.plan.json   plan-3f2a91c0d4e5  2026-11-28 09:00 2        interrupted (3/7 steps done)",
      "1 of 2",
      "↑↓ move  enter open (a there applies or resumes)  s sync its data  esc back  q quit",
    ]);
  });

  it("Enter on a plan that cannot load shows its reason; on a good one opens its review, where a + y resume it from the file", async () => {
    const f = scriptedFiles();
    const { u, rec, run } = await plansScreen(f);
    u.press(KEYS.enter);
    let frame = await u.waitFor((fr) => fr.includes("error: Can't open"));
    expect(frame.split("\n").at(-2)).toBe(`error: Can't open ${BAD}: the digest does not match its contents.`);
    // Listing already knew it could not load: the CLI is not asked again.
    expect(f.opened).toEqual([]);
    u.press(KEYS.down, KEYS.enter);
    frame = await u.waitFor((fr) => fr.includes("plan plan-3f2a91c0d4e5"));
    expect(f.opened).toEqual([GOOD]);
    expect(frame.split("\n").slice(-2)).toEqual([
      `From ${GOOD}: a applies it, resuming its journal (3 step(s) done are kept)`,
      "esc back to plans  ↑↓ PgUp PgDn Home End scroll  a apply (resumes)  q quit",
    ]);
    // e does nothing here: the plan is its file already.
    u.press("e", "a");
    await u.waitFor((fr) => fr.includes("to Azure? y/n"));
    u.press("y");
    frame = await u.waitFor((fr) => fr.includes("apply plan-3f2a91c0d4e5"));
    expect(rec.exported).toEqual([]);
    expect(run.started).toEqual([uiPlan()]);
    expect(frame.split("\n").slice(1, 4)).toEqual([
      "fhir-02            ████████████░░░░░░░░░░░░░░░░░░ 2/5",
      "fhir-01            ███████████████░░░░░░░░░░░░░░░ 1/2",
      "overall            ████████████░░░░░░░░░░░░░░░░░░ 3/7     ETA —",
    ]);
    run.finish("interrupted");
    frame = await u.waitFor((fr) => fr.includes("Resume with"));
    expect(frame).toContain(`Interrupted. Resume with: ahds-migrate apply ${GOOD}`);
  });

  it("a plan that fails to open shows the reason; Esc goes back to the list", async () => {
    const f = scriptedFiles();
    const listing = [{ ...LISTING[1]!, path: "plans/2026-11-27-1.plan.json" }];
    f.files.listPlans = async () => listing;
    const { u } = await plansScreen(f);
    u.press(KEYS.enter);
    const frame = await u.waitFor((fr) => fr.includes("error:"));
    expect(frame.split("\n").at(-2)).toBe("error: Can't open plans/2026-11-27-1.plan.json: plans/2026-11-27-1.plan.json is stale: plan again.");
    u.press(KEYS.escape);
    await u.waitFor((fr) => fr.includes("o plans"));
  });

  it("a listing that fails says why", async () => {
    const rec = recordingPlans();
    ui = renderUi(loaded(uiEstate()), { plans: rec.plans, planFiles: scriptedFiles({ listError: new Error("EACCES: permission denied, scandir 'plans'") }).files, rows: 24 });
    await ui.waitFor((f) => f.includes("fhir-01"));
    ui.press("o");
    const frame = await ui.waitFor((f) => f.includes("error:"));
    expect(frame.split("\n").slice(0, 3)).toEqual([
      "ahds-migrate · AzureCloud · plans",
      "error: Can't list ./plans: EACCES: permission denied, scandir 'plans'",
      "esc back  q quit",
    ]);
  });
});
