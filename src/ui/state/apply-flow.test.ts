// `a` on the plan review: the confirmation, export-before-apply and the hand-over to the progress screen
// (plan-review.ts, app.ts), and the progress screen's keys (keys.ts) — pure, without a terminal.
import { describe, expect, it } from "vitest";
import { uiEstate } from "../../../test/ui/ui-estate.js";
import { uiPlan } from "../../../test/ui/ui-plan.js";
import { appReducer, initialApp, type AppAction, type AppState } from "./app.js";
import { keyToAction } from "./keys.js";
import { applyReady, applyStatusLine, planReviewReducer, startPlanReview, type PlanReviewState } from "./plan-review.js";

function ready(): Extract<PlanReviewState, { phase: "ready" }> {
  const s = startPlanReview(["a"]);
  const r = s.phase === "planning" ? planReviewReducer(s, { type: "planned", request: s.request, plan: uiPlan() }) : s;
  if (r.phase !== "ready") throw new Error("not ready");
  return r;
}

const JSON_PATH = "plans/2026-11-28-1.plan.json";

describe("planReviewReducer: apply", () => {
  it("asks, then exports before it applies; a failed export cancels the apply", () => {
    const r = ready();
    expect(applyStatusLine(r)).toBeNull();
    const asking = planReviewReducer(r, { type: "apply" });
    expect(asking.phase === "ready" && applyStatusLine(asking)).toBe("Apply plan-3f2a91c0d4e5 to Azure? y/n");
    expect(planReviewReducer(asking, { type: "apply" })).toBe(asking);
    expect(planReviewReducer(asking, { type: "cancel-apply" })).toEqual(r);
    const starting = planReviewReducer(asking, { type: "confirm-apply" });
    if (starting.phase !== "ready") throw new Error("not ready");
    expect(starting).toMatchObject({ apply: "starting", exportStatus: { state: "exporting" } });
    expect(applyStatusLine(starting)).toBe("Exporting the plan before applying…");
    expect(applyReady(starting)).toBeNull();
    const exported = planReviewReducer(starting, { type: "exported", request: starting.exportStatus, jsonPath: JSON_PATH, mdPath: "x.md" });
    expect(applyReady(exported)).toBe(JSON_PATH);
    const failed = planReviewReducer(starting, { type: "export-failed", request: starting.exportStatus, message: "EACCES" });
    expect(failed).toMatchObject({ apply: "idle", exportStatus: { state: "failed", message: "EACCES" } });
    expect(planReviewReducer(r, { type: "confirm-apply" })).toBe(r);
  });

  it("an exported plan is applied from its file at once; an export in flight is awaited, not repeated", () => {
    const r = ready();
    const exporting = planReviewReducer(r, { type: "export" });
    if (exporting.phase !== "ready") throw new Error("not ready");
    const during = planReviewReducer(planReviewReducer(exporting, { type: "apply" }), { type: "confirm-apply" });
    expect(during.phase === "ready" && during.exportStatus).toBe(exporting.exportStatus);
    const done = planReviewReducer(exporting, { type: "exported", request: exporting.exportStatus, jsonPath: JSON_PATH, mdPath: "x.md" });
    const applied = planReviewReducer(planReviewReducer(done, { type: "apply" }), { type: "confirm-apply" });
    expect(applyReady(applied)).toBe(JSON_PATH);
  });
});

describe("appReducer: plan review → progress", () => {
  const planReady = (): AppState => {
    let s = appReducer(initialApp({ rows: 20, columns: 100 }), { type: "loaded", inventory: uiEstate() });
    s = appReducer(s, { type: "plan" });
    if (s.screen !== "plan" || s.review.phase !== "planning") throw new Error("not planning");
    return appReducer(s, { type: "review", action: { type: "planned", request: s.review.request, plan: uiPlan() } });
  };
  const keys = (s: AppState, ...inputs: string[]) => inputs.reduce((x, input) => appReducer(x, { type: "key", input, key: {} }), s);

  it("a, y and the export's answer open the progress screen on that plan and file", () => {
    const s = keys(planReady(), "a", "y");
    expect(s.screen).toBe("plan");
    const exporting = s.screen === "plan" && s.review.phase === "ready" ? s.review.exportStatus : null;
    const p = appReducer(s, { type: "review", action: { type: "exported", request: exporting!, jsonPath: JSON_PATH, mdPath: "x.md" } });
    expect(p.screen).toBe("progress");
    if (p.screen !== "progress") return;
    expect(p.plan).toEqual(uiPlan());
    expect(p.run).toMatchObject({ planPath: JSON_PATH, phase: "running", planId: "plan-3f2a91c0d4e5" });
    // The review's keys are gone: Esc does not go back to the list mid-run, q waits for the end.
    expect(appReducer(p, { type: "key", input: "", key: { escape: true } })).toBe(p);
    expect(keys(p, "q")).toBe(p);
  });

  it("maps the confirmation's and the progress screen's keys", () => {
    const asking = keys(planReady(), "a");
    expect(keyToAction(asking, "y", {})).toEqual({ type: "review", action: { type: "confirm-apply" } });
    expect(keyToAction(asking, "n", {})).toEqual({ type: "review", action: { type: "cancel-apply" } });
    expect(keyToAction(asking, "", { escape: true })).toEqual({ type: "review", action: { type: "cancel-apply" } });
    expect(keyToAction(asking, "j", {})).toBeNull();
    expect(keyToAction(asking, "q", {})).toEqual({ type: "quit" });
    const s = keys(planReady(), "a", "y");
    const exporting = s.screen === "plan" && s.review.phase === "ready" ? s.review.exportStatus : null;
    const p = appReducer(s, { type: "review", action: { type: "exported", request: exporting!, jsonPath: JSON_PATH, mdPath: "x.md" } });
    const run = (action: Extract<AppAction, { type: "run" }>["action"]) => ({ type: "run", action });
    expect(keyToAction(p, "p", {})).toEqual(run({ type: "toggle-pause" }));
    expect(keyToAction(p, "c", { ctrl: true })).toEqual(run({ type: "stop" }));
    expect(keyToAction(p, "q", {})).toBeNull();
    const stopping = appReducer(p, { type: "run", action: { type: "stop" } });
    expect(keyToAction(stopping, "c", { ctrl: true })).toEqual({ type: "interrupt" });
    const done = appReducer(stopping, { type: "run", action: { type: "finished", outcome: "interrupted" } });
    expect(keyToAction(done, "q", {})).toEqual({ type: "quit" });
    expect(keyToAction(done, "r", {})).toEqual(run({ type: "resume" }));
    expect(keyToAction(p, "r", {})).toBeNull();
  });
});
