import { describe, expect, it } from "vitest";
import { uiEstate } from "../../../test/ui/ui-estate.js";
import { uiPlan } from "../../../test/ui/ui-plan.js";
import { appReducer, initialApp, LIST_CHROME_ROWS, planLinesOf, planViewportRows, type AppState } from "./app.js";
import { keyToAction } from "./keys.js";
import { exportStatusLine, nextStorageReview, openedPlanReview, planReviewReducer, startPlanReview, type PlanReviewState } from "./plan-review.js";

const IDS = ["/subscriptions/s/resourceGroups/r/providers/Microsoft.HealthcareApis/services/a"];

function ready(): Extract<PlanReviewState, { phase: "ready" }> {
  const s = startPlanReview(IDS);
  if (s.phase !== "planning") throw new Error("not planning");
  const r = planReviewReducer(s, { type: "planned", request: s.request, plan: uiPlan() });
  if (r.phase !== "ready") throw new Error("not ready");
  return r;
}

const store = (sub: string, name: string) => `/subscriptions/${sub}/resourceGroups/r/providers/Microsoft.Storage/storageAccounts/${name}`;

describe("nextStorageReview (d)", () => {
  it("cycles none → each storage account of the accounts' subscription by name → none, planning again each time", () => {
    const candidates = [store("s", "zeta"), store("other", "alpha"), store("S", "beta")];
    const first = nextStorageReview(ready(), candidates)!;
    expect(first).toMatchObject({ phase: "planning", accountIds: IDS, storageAccount: store("S", "beta") });
    const second = nextStorageReview(first.phase === "planning" ? { ...ready(), storageAccount: first.storageAccount } : first, candidates)!;
    expect(second.storageAccount).toBe(store("s", "zeta"));
    expect(nextStorageReview({ ...ready(), storageAccount: store("s", "zeta") }, candidates)!.storageAccount).toBeNull();
    // A failed plan can be planned again with another store.
    expect(nextStorageReview({ phase: "failed", accountIds: IDS, storageAccount: null, error: { message: "x", nextStep: undefined } }, candidates)!.storageAccount).toBe(store("S", "beta"));
  });

  it("changes nothing while planning, for a plan file, while apply is asked or an export runs, or with no candidate", () => {
    const candidates = [store("s", "beta")];
    expect(nextStorageReview(startPlanReview(IDS), candidates)).toBeNull();
    expect(nextStorageReview(openedPlanReview({ path: "plans/x.plan.json", plan: uiPlan(), succeeded: [] }), candidates)).toBeNull();
    expect(nextStorageReview({ ...ready(), apply: "confirming" }, candidates)).toBeNull();
    expect(nextStorageReview({ ...ready(), exportStatus: { state: "exporting" } }, candidates)).toBeNull();
    expect(nextStorageReview(ready(), [store("other", "beta")])).toBeNull();
  });
});

describe("planReviewReducer", () => {
  it("takes the answer to the current request only", () => {
    const s = startPlanReview(IDS);
    if (s.phase !== "planning") throw new Error("not planning");
    expect(planReviewReducer(s, { type: "planned", request: {}, plan: uiPlan() })).toBe(s);
    expect(planReviewReducer(s, { type: "plan-failed", request: {}, error: { message: "x", nextStep: undefined } })).toBe(s);
    expect(planReviewReducer(s, { type: "plan-failed", request: s.request, error: { message: "x", nextStep: undefined } }))
      .toEqual({ phase: "failed", accountIds: IDS, storageAccount: null, error: { message: "x", nextStep: undefined } });
    const r = planReviewReducer(s, { type: "planned", request: s.request, plan: uiPlan() });
    expect(r).toMatchObject({ phase: "ready", scroll: 0, exportStatus: { state: "idle" } });
    expect(planReviewReducer(r, { type: "planned", request: s.request, plan: { ...uiPlan(), planId: "other" } })).toBe(r);
  });

  it("clamps scrolling to 0..max", () => {
    const r = ready();
    const scroll = (s: PlanReviewState) => (s.phase === "ready" ? s.scroll : -1);
    expect(scroll(planReviewReducer(r, { type: "scroll", by: 5, max: 3 }))).toBe(3);
    expect(scroll(planReviewReducer(r, { type: "scroll", by: -5, max: 3 }))).toBe(0);
    expect(scroll(planReviewReducer(r, { type: "scroll", by: 2, max: 3 }))).toBe(2);
    expect(scroll(planReviewReducer(r, { type: "scroll", by: 2, max: -4 }))).toBe(0);
    expect(scroll(planReviewReducer(r, { type: "scroll-to", to: "bottom", max: 7 }))).toBe(7);
    expect(scroll(planReviewReducer({ ...r, scroll: 4 }, { type: "scroll-to", to: "top", max: 7 }))).toBe(0);
    const planning = startPlanReview(IDS);
    expect(planReviewReducer(planning, { type: "scroll", by: 1, max: 3 })).toBe(planning);
  });

  it("exports one at a time and applies only the answer to the export in flight", () => {
    const r = ready();
    const exporting = planReviewReducer(r, { type: "export" });
    if (exporting.phase !== "ready") throw new Error("not ready");
    expect(exporting.exportStatus).toEqual({ state: "exporting" });
    expect(planReviewReducer(exporting, { type: "export" })).toBe(exporting);
    const request = exporting.exportStatus;
    expect(planReviewReducer(exporting, { type: "exported", request: { state: "exporting" }, jsonPath: "x", mdPath: "y" })).toBe(exporting);
    const done = planReviewReducer(exporting, { type: "exported", request, jsonPath: "plans/2026-11-28-1.plan.json", mdPath: "plans/2026-11-28-1.plan.md" });
    expect(done.phase === "ready" && done.exportStatus).toEqual({ state: "exported", jsonPath: "plans/2026-11-28-1.plan.json", mdPath: "plans/2026-11-28-1.plan.md" });
    expect(planReviewReducer(done, { type: "export-failed", request, message: "late" })).toBe(done);
    const again = planReviewReducer(done, { type: "export" });
    expect(again.phase === "ready" && again.exportStatus.state).toBe("exporting");
    if (again.phase !== "ready") return;
    const failed = planReviewReducer(again, { type: "export-failed", request: again.exportStatus, message: "Can't write plans/x: permission denied (EACCES)." });
    expect(failed.phase === "ready" && failed.exportStatus).toEqual({ state: "failed", message: "Can't write plans/x: permission denied (EACCES)." });
  });

  it("says what the export did in one line", () => {
    expect(exportStatusLine({ state: "idle" })).toBeNull();
    expect(exportStatusLine({ state: "exporting" })).toBe("Exporting…");
    expect(exportStatusLine({ state: "exported", jsonPath: "plans/2026-11-28-1.plan.json", mdPath: "plans/2026-11-28-1.plan.md" }))
      .toBe("Exported plans/2026-11-28-1.plan.json (+ .plan.md)");
    expect(exportStatusLine({ state: "exported", jsonPath: "a.plan.json", mdPath: "b.md" })).toBe("Exported a.plan.json (+ b.md)");
    expect(exportStatusLine({ state: "failed", message: "no" })).toBe("error: no");
  });
});

describe("appReducer with the plan review", () => {
  const list = (rows = 20): AppState => appReducer(initialApp({ rows, columns: 100 }), { type: "loaded", inventory: uiEstate() });
  const idAt = (s: AppState, i: number) => (s.screen === "list" ? s.list.rows[i]!.id : "");

  it("p plans the selected accounts, or the one under the cursor when none is selected", () => {
    const cursorOnly = appReducer(appReducer(list(), { type: "list", action: { type: "move", by: 2 } }), { type: "key", input: "p", key: {} });
    expect(cursorOnly.screen === "plan" && cursorOnly.review.accountIds).toEqual([idAt(list(), 2)]);
    let s = list();
    for (const by of [3, 1]) s = appReducer(appReducer(s, { type: "list", action: { type: "move", by } }), { type: "list", action: { type: "toggle-select" } });
    const selected = appReducer(s, { type: "plan" });
    expect(selected.screen === "plan" && selected.review).toMatchObject({ phase: "planning", accountIds: [idAt(s, 3), idAt(s, 4)] });
    const back = appReducer(selected, { type: "back" });
    expect(back.screen === "list" && s.screen === "list" && back.list).toBe(s.screen === "list" ? s.list : null);
  });

  it("p on an empty list does nothing", () => {
    const empty = appReducer(initialApp({ rows: 20, columns: 100 }), { type: "loaded", inventory: { ...uiEstate(), accounts: [] } });
    expect(appReducer(empty, { type: "plan" })).toBe(empty);
  });

  it("scrolls by the lines at the current width, a page keeping one line, and resizes the list underneath", () => {
    const p = appReducer(list(16), { type: "plan" });
    if (p.screen !== "plan" || p.review.phase !== "planning") throw new Error("not planning");
    const r = appReducer(p, { type: "review", action: { type: "planned", request: p.review.request, plan: uiPlan() } });
    if (r.screen !== "plan") throw new Error("not plan");
    const max = planLinesOf(r).length - planViewportRows(16);
    const scrollOf = (s: AppState) => (s.screen === "plan" && s.review.phase === "ready" ? s.review.scroll : -1);
    expect(scrollOf(appReducer(r, { type: "scroll-plan", by: "page-down" }))).toBe(planViewportRows(16) - 1);
    expect(scrollOf(appReducer(r, { type: "scroll-plan", by: "bottom" }))).toBe(max);
    expect(scrollOf(appReducer(appReducer(r, { type: "scroll-plan", by: "bottom" }), { type: "scroll-plan", by: "page-up" }))).toBe(max - planViewportRows(16) + 1);
    const narrow = appReducer(r, { type: "resize", rows: 30, columns: 60 });
    expect(narrow.screen === "plan" && [narrow.list.viewportRows, planLinesOf(narrow).length > planLinesOf(r).length]).toEqual([30 - LIST_CHROME_ROWS, true]);
    expect(appReducer(r, { type: "export-plan" })).toMatchObject({ review: { exportStatus: { state: "exporting" } } });
  });

  it("maps the review's keys", () => {
    const p = appReducer(list(), { type: "plan" });
    expect(keyToAction(list(), "p", {})).toEqual({ type: "plan" });
    expect(keyToAction(p, "", { escape: true })).toEqual({ type: "back" });
    expect(keyToAction(p, "", { downArrow: true })).toEqual({ type: "scroll-plan", by: 1 });
    expect(keyToAction(p, "k", {})).toEqual({ type: "scroll-plan", by: -1 });
    expect(keyToAction(p, "", { pageDown: true })).toEqual({ type: "scroll-plan", by: "page-down" });
    expect(keyToAction(p, "", { pageUp: true })).toEqual({ type: "scroll-plan", by: "page-up" });
    expect(keyToAction(p, "", { home: true })).toEqual({ type: "scroll-plan", by: "top" });
    expect(keyToAction(p, "", { end: true })).toEqual({ type: "scroll-plan", by: "bottom" });
    expect(keyToAction(p, "e", {})).toEqual({ type: "export-plan" });
    expect(keyToAction(p, "q", {})).toEqual({ type: "quit" });
    expect(keyToAction(p, "p", {})).toBeNull();
  });
});
