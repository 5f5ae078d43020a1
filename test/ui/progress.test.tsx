// The apply flow through the real App at 100 columns: `a` on the plan review asks, `y` exports (unless
// exported) and starts the run; a scripted stream of journaled records drives the progress screen (rows,
// bars, overall ETA, <Static> log, rate and 429s), `p` pauses and resumes, Ctrl-C stops, and the end
// shows the summary, the verify result and the command to run next.
import { afterEach, describe, expect, it } from "vitest";
import { KEYS, loaded, renderUi, type RenderedUi } from "./render-ui.js";
import { uiEstate } from "./ui-estate.js";
import { recordingPlans, uiPlan } from "./ui-plan.js";
import { manualClock, recordMaker, scriptedRun } from "./ui-run.js";

let ui: RenderedUi | undefined;
afterEach(() => { ui?.unmount(); ui = undefined; });

type Run = ReturnType<typeof scriptedRun>;

/** The plan review of uiPlan (fhir-02 + fhir-01 planned), ready for keys. */
async function review(run: Run, o: { rows?: number; clock?: ReturnType<typeof manualClock> } = {}) {
  const rec = recordingPlans();
  const clock = o.clock ?? manualClock();
  ui = renderUi(loaded(uiEstate()), { plans: rec.plans, runs: run.runs, rows: o.rows ?? 24, now: clock.now, ticker: clock.ticker });
  const u = ui;
  await u.waitFor((f) => f.includes("fhir-01"));
  u.press(KEYS.space, KEYS.down, KEYS.space);
  await u.waitFor((f) => f.includes("2 selected"));
  u.press("p");
  await u.waitFor((f) => f.includes("Planning 2 account(s)…"));
  rec.resolvePlan();
  await u.waitFor((f) => f.includes("plan-3f2a91c0d4e5"));
  return { u, rec };
}

/** Through the confirmation onto the progress screen. */
async function applying(run: Run, o: Parameters<typeof review>[1] = {}) {
  const r = await review(run, o);
  r.u.press("a");
  await r.u.waitFor((f) => f.includes("to Azure? y/n"));
  r.u.press("y");
  await r.u.waitFor((f) => f.includes("apply plan-3f2a91c0d4e5"));
  return r;
}

const W = "fhir02/ensure-workspace";
const ID = "fhir02/ensure-identity";
const ROLE = "fhir02/grant-key-role";
const FHIR = "fhir02/create-fhir-service";
const DATA = "fhir02/grant-data-role";
const W1 = "fhir01/ensure-workspace";
const FHIR1 = "fhir01/create-fhir-service";

describe("apply from the plan review", () => {
  it("a asks first; n (or Esc) cancels; y exports the plan and starts the run on it", async () => {
    const run = scriptedRun();
    const { u, rec } = await review(run);
    u.press("a");
    let frame = await u.waitFor((f) => f.includes("to Azure? y/n"));
    expect(frame.split("\n").at(-2)).toBe("Apply plan-3f2a91c0d4e5 to Azure? y/n");
    // Only the answer counts while asking: a scroll key does nothing.
    u.press("j", "n");
    frame = await u.waitFor((f) => !f.includes("y/n"));
    expect(frame.split("\n").at(-2)).toBe("e writes ./plans/<date>-<n>.plan.json and its .plan.md · data copy: none (d picks a storage account)");
    expect(frame.split("\n")[1]).toContain("lines 1–");
    u.press("a");
    await u.waitFor((f) => f.includes("y/n"));
    u.press(KEYS.escape);
    await u.waitFor((f) => !f.includes("y/n"));
    expect(run.started).toEqual([]);
    expect(rec.exported).toEqual([]);
    u.press("a");
    await u.waitFor((f) => f.includes("y/n"));
    u.press("y");
    frame = await u.waitFor((f) => f.includes("apply plan-3f2a91c0d4e5"));
    expect(rec.exported).toEqual([uiPlan()]);
    expect(run.started).toEqual([uiPlan()]);
    expect(frame.split("\n")).toEqual([
      "ahds-migrate · AzureCloud · apply plan-3f2a91c0d4e5",
      "fhir-02            ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░ 0/5",
      "fhir-01            ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░ 0/2",
      "overall            ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░ 0/7     ETA —",
      "0.0 requests/s · 0 throttled (429) · 0 step(s) in flight",
      "p pause  ctrl-c stop",
    ]);
  });

  it("a plan already exported is applied from that file, not exported again", async () => {
    const run = scriptedRun();
    const { u, rec } = await review(run);
    u.press("e");
    await u.waitFor((f) => f.includes("Exported"));
    u.press("a");
    await u.waitFor((f) => f.includes("y/n"));
    u.press("y");
    await u.waitFor((f) => f.includes("apply plan-3f2a91c0d4e5"));
    expect(rec.exported).toHaveLength(1);
    expect(run.started).toHaveLength(1);
  });
});

describe("progress screen", () => {
  it("shows each journaled record as it comes: bars, the finished steps' log, rate, 429s, ETA; then the summary and verify", async () => {
    const verified: string[] = [];
    const run = scriptedRun({ verify: async (plan) => { verified.push(plan.planId); return { differences: [] }; } });
    const clock = manualClock();
    const { u } = await applying(run, { clock });
    const r = recordMaker();
    run.emit(r("run-started", 0), r("step-started", 0, { stepId: W, attempt: 1 }), r("step-started", 0, { stepId: ID, attempt: 1 }),
      r("step-started", 0, { stepId: W1, attempt: 1 }));
    let frame = await u.waitFor((f) => f.includes("3 step(s) in flight"));
    expect(frame).toContain("fhir-02            ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░ 0/5     ▸ Workspace fhir02");
    run.emit(r("step-succeeded", 4, { stepId: ID, attempt: 1, reason: "created", outputs: { principalId: "p", clientId: "c" } }),
      r("step-succeeded", 6, { stepId: W1, attempt: 1, reason: "already-satisfied" }));
    run.setStats({ requestsPerSecond: 2.5, throttled429: 3 });
    clock.tick(6);
    frame = await u.waitFor((f) => f.includes("2.5 requests/s"));
    expect(frame.split("\n")).toEqual([
      "✔ Identity fhir02-fhir-id created",
      "✔ Workspace fhir01 already satisfied",
      "ahds-migrate · AzureCloud · apply plan-3f2a91c0d4e5",
      "fhir-02            ██████░░░░░░░░░░░░░░░░░░░░░░░░ 1/5     ▸ Workspace fhir02",
      "fhir-01            ███████████████░░░░░░░░░░░░░░░ 1/2",
      // 5 steps left, 3 at a time → 2 rounds of the 5 s mean.
      "overall            ████████░░░░░░░░░░░░░░░░░░░░░░ 2/7     elapsed 0:06 · ETA 0:10",
      "2.5 requests/s · 3 throttled (429) · 1 step(s) in flight",
      "p pause  ctrl-c stop",
    ]);
    run.emit(r("step-succeeded", 10, { stepId: W, attempt: 1, reason: "created" }),
      r("step-started", 10, { stepId: ROLE, attempt: 1 }), r("step-succeeded", 11, { stepId: ROLE, attempt: 1, reason: "already-satisfied" }),
      r("step-started", 11, { stepId: FHIR, attempt: 1 }), r("step-operation-accepted", 11, { stepId: FHIR, attempt: 1, operationUrl: "https://op" }),
      r("step-started", 11, { stepId: FHIR1, attempt: 1 }),
      r("step-succeeded", 40, { stepId: FHIR, attempt: 1, reason: "created" }), r("step-succeeded", 41, { stepId: FHIR1, attempt: 1, reason: "created" }),
      r("step-started", 41, { stepId: DATA, attempt: 1 }), r("step-succeeded", 42, { stepId: DATA, attempt: 1, reason: "created" }),
      r("run-finished", 42, { reason: "completed" }));
    clock.tick(42);
    run.finish("completed");
    frame = await u.waitFor((f) => f.includes("Verified"));
    expect(verified).toEqual(["plan-3f2a91c0d4e5"]);
    expect(frame.split("\n")).toEqual([
      "✔ Identity fhir02-fhir-id created",
      "✔ Workspace fhir01 already satisfied",
      "✔ Workspace fhir02 created",
      "✔ Key role assignment for fhir02-fhir-id already satisfied",
      "✔ FHIR service fhir02/fhir created",
      "✔ FHIR service fhir01/fhir created",
      // The log wraps rather than cuts: a failure's message and request id must stay readable.
      "✔ Role assignment FHIR Data Contributor for ServicePrincipal 44444444-4444-4444-4444-444444444444",
      " on FHIR service fhir02/fhir created",
      "ahds-migrate · AzureCloud · apply plan-3f2a91c0d4e5",
      "fhir-02            ██████████████████████████████ 5/5     done",
      "fhir-01            ██████████████████████████████ 2/2     done",
      "overall            ██████████████████████████████ 7/7     elapsed 0:42",
      "2.5 requests/s · 3 throttled (429) · 0 step(s) in flight",
      "Run completed: 7 succeeded (2 already satisfied), 0 failed, 0 skipped",
      "Verified: Azure matches the plan.",
      // A completed run is not a completed migration (issue 9 §5): the data is still on the source.
      "The new FHIR services are empty: the data is not copied yet, so the migration is not complete.",
      "Check any time with: ahds-migrate verify plans/2026-11-28-1.plan.json",
      "q quit",
    ]);
    // The ticker stops with the run.
    expect(clock.live()).toBe(0);
    u.press("q");
    expect(await u.quitted()).toBe("quit");
  });

  it("a failed step shows its code and request id; dependents are skipped; the summary says what to run; no verify", async () => {
    let verifies = 0;
    const run = scriptedRun({ verify: async () => { verifies++; return { differences: [] }; } });
    const { u } = await applying(run);
    const r = recordMaker();
    run.emit(r("run-started", 0), r("step-started", 0, { stepId: W1, attempt: 1 }),
      r("step-failed", 3, { stepId: W1, attempt: 1, error: { code: "InvalidWorkspaceName", message: "The name is taken.", requestId: "req-9" } }),
      r("step-skipped", 3, { stepId: FHIR1, reason: "upstream-failed" }));
    let frame = await u.waitFor((f) => f.includes("skipped:"));
    expect(frame.split("\n").slice(0, 2)).toEqual([
      "✖ Workspace fhir01 failed: InvalidWorkspaceName: The name is taken. (request req-9)",
      "- FHIR service fhir01/fhir skipped: a step it needs failed",
    ]);
    expect(frame).toContain("fhir-01            ██████████████████████████████ 2/2     ✖ 1 failed");
    // q does nothing while the run is live.
    u.press("q");
    run.emit(r("run-finished", 4, { reason: "failed-steps" }));
    run.finish("failed-steps");
    frame = await u.waitFor((f) => f.includes("q quit"));
    expect(u.quits).toEqual([]);
    expect(frame.split("\n").slice(-5)).toEqual([
      "overall            ████████░░░░░░░░░░░░░░░░░░░░░░ 2/7     elapsed 0:00",
      "0.0 requests/s · 0 throttled (429) · 0 step(s) in flight",
      "Run finished with failed steps: 0 succeeded, 1 failed, 1 skipped, 5 not started",
      "Fix what failed, then resume (done steps are kept): ahds-migrate apply plans/2026-11-28-1.plan.json",
      "r resume here (done steps are kept)  q quit",
    ]);
    expect(verifies).toBe(0);
    // Leaving now exits as `apply` would: 4, steps failed.
    u.press("q");
    expect(await u.quitted()).toBe("quit");
    expect(u.runExits).toEqual([4]);
  });

  it("p pauses (no new steps) and resumes; Ctrl-C stops, waits for the run, and shows how to resume", async () => {
    const run = scriptedRun();
    const { u } = await applying(run);
    const r = recordMaker();
    run.emit(r("run-started", 0), r("step-started", 0, { stepId: W, attempt: 1 }));
    await u.waitFor((f) => f.includes("1 step(s) in flight"));
    u.press("p");
    let frame = await u.waitFor((f) => f.includes("Paused"));
    expect(run.calls).toEqual(["pause"]);
    expect(frame.split("\n").slice(-2)).toEqual(["Paused: no new steps start; 1 step(s) in flight finish.", "p resume  ctrl-c stop"]);
    u.press("p");
    frame = await u.waitFor((f) => f.includes("p pause"));
    expect(frame).not.toContain("Paused");
    expect(run.calls).toEqual(["pause", "resume"]);
    u.press(KEYS.ctrlC);
    frame = await u.waitFor((f) => f.includes("Stopping"));
    expect(run.calls).toEqual(["pause", "resume", "abort"]);
    expect(frame.split("\n").slice(-2)).toEqual([
      "Stopping: no new steps start; waiting for 1 step(s) in flight to be journaled…",
      "ctrl-c leave now (in-flight steps are reconciled on resume)",
    ]);
    expect(u.quits).toEqual([]);
    run.emit(r("step-succeeded", 5, { stepId: W, attempt: 1, reason: "created" }), r("run-finished", 5, { reason: "interrupted" }));
    run.finish("interrupted");
    frame = await u.waitFor((f) => f.includes("Run interrupted"));
    expect(frame.split("\n").slice(-3)).toEqual([
      "Run interrupted: 1 succeeded, 0 failed, 0 skipped, 6 not started",
      "Interrupted. Resume with: ahds-migrate apply plans/2026-11-28-1.plan.json",
      "r resume here (done steps are kept)  q quit",
    ]);
    // r runs the same plan file again: runPlan replays the journal and reports only the new run's records.
    u.press("r");
    frame = await u.waitFor((f) => f.includes("p pause"));
    expect(run.started).toHaveLength(2);
    const r2 = recordMaker("run-2");
    run.emit(r2("run-started", 60, { reason: "resume" }), r2("step-started", 60, { stepId: W1, attempt: 1 }));
    frame = await u.waitFor((f) => f.includes("▸ Workspace fhir01"));
    expect(frame).toContain("fhir-02            ██████░░░░░░░░░░░░░░░░░░░░░░░░ 1/5");
    run.finish("interrupted");
    await u.waitFor((f) => f.includes("Run interrupted"));
    // q after an interrupted run still exits 130 (run-ui.tsx exitCodeOf).
    u.press("q");
    expect(await u.quitted()).toBe("quit");
    expect(u.runExits).toEqual([130]);
  });

  it("a second Ctrl-C while stopping leaves at once", async () => {
    const run = scriptedRun();
    const { u } = await applying(run);
    u.press(KEYS.ctrlC);
    await u.waitFor((f) => f.includes("Stopping"));
    u.press(KEYS.ctrlC);
    expect(await u.quitted()).toBe("interrupt");
  });

  it("verify differences are listed (three, then a count); a run that cannot start shows why", async () => {
    const run = scriptedRun({ verify: async () => ({ differences: ["a: x is 1, the plan says 2", "b", "c", "d", "e"] }) });
    const { u } = await applying(run);
    run.finish("completed");
    const frame = await u.waitFor((f) => f.includes("difference(s)"));
    expect(frame.split("\n").slice(-8, -1)).toEqual([
      "Run completed: 0 succeeded, 0 failed, 0 skipped, 7 not started",
      "Verify found 5 difference(s):",
      "  a: x is 1, the plan says 2",
      "  b",
      "  c",
      "  … and 2 more",
      "Check any time with: ahds-migrate verify plans/2026-11-28-1.plan.json",
    ]);
    u.press("q");
    await u.quitted();
    expect(u.runExits).toEqual([4]);
    ui?.unmount();
    const broken = scriptedRun({ startError: new Error("plans/2026-11-28-1.plan.json is locked by process 42 on host-a.\n  at x") });
    const b = await applying(broken);
    const f2 = await b.u.waitFor((f) => f.includes("error:"));
    expect(f2.split("\n").slice(-4)).toEqual([
      "error: Can't apply plan-3f2a91c0d4e5: plans/2026-11-28-1.plan.json is locked by process 42 on",
      "host-a.",
      "Fix the cause, then run: ahds-migrate apply plans/2026-11-28-1.plan.json",
      "r resume here (done steps are kept)  q quit",
    ]);
    b.u.press("q");
    await b.u.quitted();
    expect(b.u.runExits).toEqual([1]);
  });

  it("with more accounts than rows, those with steps in flight stay in view", async () => {
    const run = scriptedRun();
    const { u } = await applying(run, { rows: 10 });
    const r = recordMaker();
    run.emit(r("step-started", 0, { stepId: W1, attempt: 1 }));
    const frame = await u.waitFor((f) => f.includes("▸ Workspace fhir01"));
    expect(frame.split("\n").slice(1, 3)).toEqual([
      "fhir-01            ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░ 0/2     ▸ Workspace fhir01",
      "… and 1 more account(s)",
    ]);
  });
});
