// The plans screen's reducer, and the app-level flow it drives: `o` lists, Enter opens (a stale answer is
// dropped), a plan that cannot load shows why, the opened review is already on disk (no export, `e` off)
// and `a` + `y` go straight to the progress screen with the journal's succeeded steps counted as done.
import { describe, expect, it } from "vitest";
import { uiEstate } from "../../../test/ui/ui-estate.js";
import { uiPlan } from "../../../test/ui/ui-plan.js";
import type { PlanListing } from "../plans-view.js";
import { appReducer, initialApp, plansViewportRows, type AppState } from "./app.js";
import { keyToAction } from "./keys.js";
import { openingOf, plansListReducer, runStateText, startPlansList, type PlansListState } from "./plans-list.js";
import { overallCounts } from "./progress.js";

const PATH = "plans/2026-11-28-1.plan.json";
const listing = (o: Partial<PlanListing> = {}): PlanListing => ({ path: PATH, planId: "plan-3f2a91c0d4e5", createdAt: "2026-11-28T09:00:00.000Z",
  plannedAccounts: 2, state: "interrupted", succeeded: 3, steps: 7, error: null, ...o });
const BROKEN = listing({ path: "plans/bad.plan.json", planId: null, createdAt: null, plannedAccounts: 0, state: null, succeeded: 0, steps: 0,
  error: "plans/bad.plan.json: the digest does not match the plan." });

const listed = (plans: PlanListing[], rows = 3): PlansListState => {
  const s = startPlansList();
  if (s.phase !== "listing") throw new Error("listing");
  return plansListReducer(s, { type: "listed", request: s.request, plans, viewportRows: rows });
};

describe("plansListReducer", () => {
  it("takes only the answer to its own listing request", () => {
    const s = startPlansList();
    expect(plansListReducer(s, { type: "listed", request: {}, plans: [listing()], viewportRows: 3 })).toBe(s);
    expect(s.phase === "listing" && plansListReducer(s, { type: "list-failed", request: s.request, message: "EACCES" })).toEqual({ phase: "failed", message: "EACCES" });
  });

  it("moves within the list, scrolling the viewport; Enter asks to open the plan under the cursor", () => {
    const many = Array.from({ length: 5 }, (_, i) => listing({ path: `plans/2026-11-2${i}-1.plan.json` }));
    let s = plansListReducer(listed(many), { type: "move", by: 4 });
    expect(s).toMatchObject({ cursor: 4, scrollTop: 2 });
    s = plansListReducer(s, { type: "move", by: -Infinity });
    expect(s).toMatchObject({ cursor: 0, scrollTop: 0 });
    s = plansListReducer(s, { type: "open" });
    expect(openingOf(s)?.path).toBe("plans/2026-11-20-1.plan.json");
    // One open at a time; the cursor stays put meanwhile.
    expect(plansListReducer(s, { type: "open" })).toBe(s);
    expect(plansListReducer(s, { type: "move", by: 1 })).toBe(s);
    const failed = plansListReducer(s, { type: "open-failed", request: openingOf(s)!.request, message: "stale" });
    expect(failed).toMatchObject({ opening: null, openError: { path: "plans/2026-11-20-1.plan.json", message: "stale" } });
    expect(plansListReducer(failed, { type: "move", by: 1 })).toMatchObject({ cursor: 1, openError: null });
  });

  it("a plan that failed to list is not opened: its reason is shown again", () => {
    const s = plansListReducer(listed([BROKEN]), { type: "open" });
    expect(s).toMatchObject({ opening: null, openError: { path: "plans/bad.plan.json", message: BROKEN.error } });
  });

  it("says the journal's state with the steps done", () => {
    expect(runStateText(listing())).toBe("interrupted (3/7 steps done)");
    expect(runStateText(listing({ state: "in-doubt" }))).toBe("in doubt (3/7 steps done)");
    expect(runStateText(listing({ state: "not-started", succeeded: 0 }))).toBe("not started (0/7 steps done)");
    expect(runStateText(BROKEN)).toBe("can't load");
  });
});

describe("appReducer: the plans screen", () => {
  const list = (): AppState => appReducer(initialApp({ rows: 20, columns: 100 }), { type: "loaded", inventory: uiEstate() });
  const key = (s: AppState, input: string, k = {}) => appReducer(s, { type: "key", input, key: k });

  it("o lists plans; Enter opens one into a review that applies that file and counts its done steps", () => {
    let s = key(list(), "o");
    expect(s.screen).toBe("plans");
    if (s.screen !== "plans" || s.plans.phase !== "listing") throw new Error("plans");
    s = appReducer(s, { type: "plans", action: { type: "listed", request: s.plans.request, plans: [listing()], viewportRows: 1 } });
    expect(s.screen === "plans" && s.plans.phase === "ready" && s.plans.viewportRows).toBe(plansViewportRows(20));
    s = key(s, "", { return: true });
    const opening = s.screen === "plans" ? openingOf(s.plans) : null;
    expect(opening?.path).toBe(PATH);
    const opened = { path: PATH, plan: uiPlan(), succeeded: ["fhir02/ensure-workspace", "fhir02/ensure-identity", "fhir01/ensure-workspace"] };
    // An answer to another request (the user left and came back) is dropped.
    expect(appReducer(s, { type: "plan-opened", request: {}, opened })).toBe(s);
    s = appReducer(s, { type: "plan-opened", request: opening!.request, opened });
    expect(s.screen).toBe("plan");
    if (s.screen !== "plan" || s.review.phase !== "ready") throw new Error("review");
    expect(s.review.exportStatus).toEqual({ state: "exported", jsonPath: PATH, mdPath: "plans/2026-11-28-1.plan.md" });
    expect(keyToAction(s, "e", {})).toBeNull();
    s = key(key(s, "a"), "y");
    expect(s.screen).toBe("progress");
    if (s.screen !== "progress") throw new Error("progress");
    expect(s.run.planPath).toBe(PATH);
    expect(overallCounts(s.run)).toMatchObject({ total: 7, succeeded: 3, pending: 4 });
  });

  it("Esc from an opened review goes back to the plans screen (listed again), Esc there back to the list", () => {
    let s = key(list(), "o");
    if (s.screen !== "plans" || s.plans.phase !== "listing") throw new Error("plans");
    s = appReducer(s, { type: "plans", action: { type: "listed", request: s.plans.request, plans: [listing()], viewportRows: 3 } });
    s = key(s, "", { return: true });
    const request = s.screen === "plans" ? openingOf(s.plans)!.request : {};
    s = appReducer(s, { type: "plan-opened", request, opened: { path: PATH, plan: uiPlan(), succeeded: [] } });
    s = key(s, "", { escape: true });
    expect(s.screen === "plans" && s.plans.phase).toBe("listing");
    s = key(s, "", { escape: true });
    expect(s.screen).toBe("list");
  });
});
