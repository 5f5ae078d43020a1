import { describe, expect, it } from "vitest";
import { uiPlan } from "../../../test/ui/ui-plan.js";
import { recordMaker, T0 } from "../../../test/ui/ui-run.js";
import type { JournalRecord } from "../../domain/journal.js";
import {
  accountCounts, etaMs, exitHint, overallCounts, progressReducer, runExitCode, startProgress, stepNoun, wantsVerify, type ProgressAction, type ProgressState,
} from "./progress.js";

const PATH = "plans/2026-11-28-1.plan.json";
const fold = (s: ProgressState, ...records: JournalRecord[]) => records.reduce((x, record) => progressReducer(x, { type: "record", record }), s);
const act = (s: ProgressState, ...actions: ProgressAction[]) => actions.reduce(progressReducer, s);

describe("startProgress", () => {
  it("has a row per planned account with its steps, nothing for a not-planned one, every step pending", () => {
    const s = startProgress(uiPlan(), PATH);
    expect(s.accounts.map((a) => [a.name, a.stepIds.length])).toEqual([["fhir-02", 5], ["fhir-01", 2]]);
    expect(overallCounts(s)).toMatchObject({ total: 7, pending: 7, finished: 0 });
    expect(s).toMatchObject({ phase: "running", paused: false, planId: "plan-3f2a91c0d4e5", planPath: PATH, verify: { state: "none" } });
  });

  it("names each step kind by what it makes", () => {
    const plan = uiPlan();
    expect(plan.steps.map((st) => stepNoun(plan, st))).toEqual([
      "Workspace fhir02", "Identity fhir02-fhir-id", "Key role assignment for fhir02-fhir-id", "FHIR service fhir02/fhir",
      "Role assignment FHIR Data Contributor for ServicePrincipal 44444444-4444-4444-4444-444444444444 on FHIR service fhir02/fhir",
      "Workspace fhir01", "FHIR service fhir01/fhir",
    ]);
    const rg = { ...plan.steps[0]!, kind: "ensure-resource-group" as const };
    const ap = { ...plan.steps[2]!, kind: "grant-key-access-policy" as const };
    expect([stepNoun(plan, rg), stepNoun(plan, ap)]).toEqual(["Resource group fhir-rg", "Key access policy for fhir02-fhir-id"]);
    expect(stepNoun(plan, { ...plan.steps[0]!, accountId: "/nowhere" })).toBe("Workspace fhir02 in fhir-rg (eastus)");
  });
});

describe("progressReducer: records", () => {
  it("folds started → succeeded/failed/skipped into step states, counts and the log", () => {
    const r = recordMaker();
    let s = fold(startProgress(uiPlan(), PATH),
      r("run-started", 0),
      r("step-started", 0, { stepId: "fhir02/ensure-workspace", attempt: 1 }),
      r("step-started", 1, { stepId: "fhir01/ensure-workspace", attempt: 1 }));
    expect(s.runStartedAt).toBe(T0);
    expect(s.maxInFlight).toBe(2);
    expect(overallCounts(s)).toMatchObject({ running: 2, finished: 0 });
    s = fold(s,
      r("step-operation-accepted", 2, { stepId: "fhir02/ensure-workspace", attempt: 1, operationUrl: "https://x/op" }),
      r("step-succeeded", 10, { stepId: "fhir02/ensure-workspace", attempt: 1, reason: "created" }),
      r("step-succeeded", 5, { stepId: "fhir01/ensure-workspace", attempt: 1, reason: "already-satisfied" }),
      r("step-started", 10, { stepId: "fhir02/ensure-identity", attempt: 1 }),
      r("step-succeeded", 12, { stepId: "fhir02/ensure-identity", attempt: 1, reason: "reconciled" }),
      r("step-started", 12, { stepId: "fhir02/grant-key-role", attempt: 1 }),
      r("step-failed", 13, { stepId: "fhir02/grant-key-role", attempt: 1, error: { code: "AuthorizationFailed", message: "No write on the key.", requestId: "req-1" } }),
      r("step-skipped", 13, { stepId: "fhir02/create-fhir-service", reason: "upstream-failed" }),
      r("step-skipped", 13, { stepId: "fhir02/grant-data-role", reason: "upstream-failed" }));
    expect(s.log.map((e) => [e.key, e.tone, e.text])).toEqual([
      ["5", "ok", "Workspace fhir02 created"],
      ["6", "ok", "Workspace fhir01 already satisfied"],
      ["8", "ok", "Identity fhir02-fhir-id found as planned (reconciled)"],
      ["10", "failed", "Key role assignment for fhir02-fhir-id failed: AuthorizationFailed: No write on the key. (request req-1)"],
      ["11", "skipped", "FHIR service fhir02/fhir skipped: a step it needs failed"],
      ["12", "skipped", "Role assignment FHIR Data Contributor for ServicePrincipal 44444444-4444-4444-4444-444444444444 on FHIR service fhir02/fhir skipped: a step it needs failed"],
    ]);
    expect(s.durationsMs).toEqual([10_000, 4_000, 2_000, 1_000]);
    expect(s.alreadySatisfied).toBe(1);
    expect(accountCounts(s, s.accounts[0]!)).toMatchObject({ total: 5, finished: 5, succeeded: 2, failed: 1, skipped: 2 });
    expect(accountCounts(s, s.accounts[1]!)).toMatchObject({ total: 2, finished: 1, pending: 1 });
    expect(overallCounts(s)).toMatchObject({ total: 7, finished: 6, succeeded: 3, failed: 1, skipped: 2, running: 0, pending: 1 });
  });

  it("keeps an interrupted skip as still to do, ignores unknown steps, and takes run-finished's outcome", () => {
    const r = recordMaker();
    const s0 = startProgress(uiPlan(), PATH);
    const s = fold(s0, r("step-skipped", 1, { stepId: "fhir01/ensure-workspace", reason: "interrupted" }), r("run-finished", 2, { reason: "interrupted" }));
    expect(s.steps["fhir01/ensure-workspace"]!.status).toBe("pending");
    expect(s.log.map((e) => e.text)).toEqual(["Workspace fhir01 not started: the run was interrupted"]);
    expect(s.outcome).toBe("interrupted");
    expect(fold(s0, r("step-started", 1, { stepId: "other/step", attempt: 1 }))).toBe(s0);
  });

  it("a failure without an error record still says so", () => {
    const r = recordMaker();
    const s = fold(startProgress(uiPlan(), PATH), r("step-failed", 1, { stepId: "fhir01/ensure-workspace", attempt: 1 }));
    expect(s.log[0]!.text).toBe("Workspace fhir01 failed: no reason recorded");
  });
});

describe("ETA", () => {
  it("is null before any step finished, then the mean duration times the rounds left at the run's concurrency", () => {
    const r = recordMaker();
    let s = fold(startProgress(uiPlan(), PATH), r("run-started", 0),
      r("step-started", 0, { stepId: "fhir02/ensure-workspace", attempt: 1 }), r("step-started", 0, { stepId: "fhir02/ensure-identity", attempt: 1 }));
    expect(etaMs(s)).toBeNull();
    s = fold(s, r("step-succeeded", 4, { stepId: "fhir02/ensure-identity", attempt: 1, reason: "created" }),
      r("step-succeeded", 8, { stepId: "fhir02/ensure-workspace", attempt: 1, reason: "created" }));
    // 5 left, 2 at a time → 3 rounds of the 6 s mean.
    expect(etaMs(s)).toBe(18_000);
  });

  it("is null once nothing is left", () => {
    const r = recordMaker();
    let s = startProgress(uiPlan(), PATH);
    for (const st of uiPlan().steps) s = fold(s, r("step-started", 0, { stepId: st.id, attempt: 1 }), r("step-succeeded", 1, { stepId: st.id, attempt: 1, reason: "created" }));
    expect(etaMs(s)).toBeNull();
  });
});

describe("progressReducer: pause, stop, end, verify", () => {
  it("pauses and resumes only while running; Ctrl-C stops; the end clears pause", () => {
    const s = startProgress(uiPlan(), PATH);
    const paused = act(s, { type: "toggle-pause" });
    expect(paused.paused).toBe(true);
    expect(act(paused, { type: "toggle-pause" }).paused).toBe(false);
    const stopping = act(paused, { type: "stop" });
    expect(stopping.phase).toBe("stopping");
    expect(act(stopping, { type: "toggle-pause" })).toBe(stopping);
    expect(act(stopping, { type: "stop" })).toBe(stopping);
    const done = act(stopping, { type: "finished", outcome: "interrupted" });
    expect(done).toMatchObject({ phase: "finished", paused: false, outcome: "interrupted" });
    expect(act(done, { type: "run-failed", message: "late" })).toBe(done);
    expect(act(done, { type: "toggle-pause" })).toBe(done);
  });

  it("resumes only a run that ended short of completed, as a new request with the steps kept", () => {
    const r = recordMaker();
    const s = fold(startProgress(uiPlan(), PATH), r("step-started", 0, { stepId: "fhir01/ensure-workspace", attempt: 1 }),
      r("step-succeeded", 1, { stepId: "fhir01/ensure-workspace", attempt: 1, reason: "created" }));
    expect(act(s, { type: "resume" })).toBe(s);
    expect(act(s, { type: "finished", outcome: "completed" }, { type: "resume" }).phase).toBe("finished");
    for (const ended of [act(s, { type: "finished", outcome: "interrupted" }), act(s, { type: "finished", outcome: "failed-steps" }), act(s, { type: "run-failed", message: "locked" })]) {
      const again = act(ended, { type: "resume" });
      expect(again).toMatchObject({ phase: "running", outcome: null, runError: null, verify: { state: "none" } });
      expect(again.request).not.toBe(s.request);
      expect(again.steps["fhir01/ensure-workspace"]!.status).toBe("succeeded");
    }
  });

  it("a run that cannot start is broken, with its message", () => {
    const s = act(startProgress(uiPlan(), PATH), { type: "run-failed", message: "The plan is stale." });
    expect(s).toMatchObject({ phase: "broken", runError: "The plan is stale." });
    expect(act(s, { type: "finished", outcome: "completed" })).toBe(s);
    expect(exitHint(s)).toBe(`Fix the cause, then run: ahds-migrate apply ${PATH}`);
  });

  it("asks for verify only after a completed run, once, and takes its answer only while verifying", () => {
    const s = startProgress(uiPlan(), PATH);
    expect(wantsVerify(s)).toBe(false);
    expect(wantsVerify(act(s, { type: "finished", outcome: "failed-steps" }))).toBe(false);
    const done = act(s, { type: "finished", outcome: "completed" });
    expect(wantsVerify(done)).toBe(true);
    expect(act(done, { type: "verified", result: { differences: [] } })).toBe(done);
    const verifying = act(done, { type: "verifying" });
    expect(wantsVerify(verifying)).toBe(false);
    expect(act(verifying, { type: "verifying" })).toBe(verifying);
    expect(act(verifying, { type: "verified", result: { differences: ["x"] } }).verify).toEqual({ state: "verified", differences: ["x"] });
    expect(act(verifying, { type: "verify-failed", message: "403" }).verify).toEqual({ state: "failed", message: "403" });
    expect(act(s, { type: "verifying" })).toBe(s);
  });

  it("ticks set the clock and the limiter's figures", () => {
    const s = act(startProgress(uiPlan(), PATH), { type: "tick", now: T0 + 5000, stats: { requestsPerSecond: 2.5, throttled429: 3 } });
    expect(s).toMatchObject({ nowMs: T0 + 5000, stats: { requestsPerSecond: 2.5, throttled429: 3 } });
  });

  it("hints what to run next for each ending", () => {
    const s = startProgress(uiPlan(), PATH);
    expect(exitHint(s)).toBeNull();
    expect(exitHint(act(s, { type: "finished", outcome: "interrupted" }))).toBe(`Interrupted. Resume with: ahds-migrate apply ${PATH}`);
    expect(exitHint(act(s, { type: "finished", outcome: "failed-steps" })))
      .toBe(`Fix what failed, then resume (done steps are kept): ahds-migrate apply ${PATH}`);
    expect(exitHint(act(s, { type: "finished", outcome: "completed" }))).toBe(`Check any time with: ahds-migrate verify ${PATH}`);
  });
});

describe("runExitCode (leaving the UI after a run, DESIGN.md exit codes)", () => {
  const start = () => startProgress(uiPlan(), PATH);
  it.each([
    ["still running", [] as ProgressAction[], null],
    ["completed, not verified", [{ type: "finished", outcome: "completed" }], null],
    ["completed, verified as planned", [{ type: "finished", outcome: "completed" }, { type: "verifying" }, { type: "verified", result: { differences: [] } }], null],
    ["completed, verify found differences", [{ type: "finished", outcome: "completed" }, { type: "verifying" }, { type: "verified", result: { differences: ["x"] } }], 4],
    ["failed steps", [{ type: "finished", outcome: "failed-steps" }], 4],
    ["interrupted", [{ type: "stop" }, { type: "finished", outcome: "interrupted" }], 130],
    ["could not run", [{ type: "run-failed", message: "locked" }], 1],
  ] as [string, ProgressAction[], number | null][])("%s → %s", (_name, actions, code) => {
    expect(runExitCode(act(start(), ...actions))).toBe(code);
  });
});
