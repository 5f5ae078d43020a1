import { describe, expect, it } from "vitest";
import type { PlanStep } from "../domain/plan.js";
import type { StepContext, StepExecutor } from "../runner/executor.js";
import { gatedExecutors, pauseGate, requestRate } from "./tui-run.js";

const turn = () => new Promise((res) => setImmediate(res));

describe("pauseGate", () => {
  it("lets steps through while open, holds them while paused until resume, and rejects a held step on abort", async () => {
    const gate = pauseGate();
    const abort = new AbortController();
    await gate.wait(abort.signal);
    gate.pause();
    gate.pause();
    const passed: string[] = [];
    const held = gate.wait(abort.signal).then(() => passed.push("a"));
    await turn();
    expect(passed).toEqual([]);
    gate.resume();
    await held;
    expect(passed).toEqual(["a"]);
    gate.resume();
    gate.pause();
    const aborted = gate.wait(abort.signal);
    abort.abort(new Error("stop"));
    await expect(aborted).rejects.toThrow("stop");
    await expect(gate.wait(abort.signal)).rejects.toThrow("stop");
  });

  it("gated executors start the real executor only once the gate is open", async () => {
    const gate = pauseGate();
    const ran: string[] = [];
    const inner: StepExecutor = { kind: "ensure-workspace", execute: async (step) => { ran.push(step.id); return { status: "succeeded", reason: "created" }; } };
    const gated = gatedExecutors({ "ensure-workspace": inner } as Record<PlanStep["kind"], StepExecutor>, gate);
    gate.pause();
    const ctx = { abortSignal: new AbortController().signal } as StepContext;
    const outcome = gated["ensure-workspace"].execute({ id: "w" } as PlanStep, ctx);
    await turn();
    expect(ran).toEqual([]);
    gate.resume();
    expect(await outcome).toEqual({ status: "succeeded", reason: "created" });
    expect(ran).toEqual(["w"]);
  });
});

describe("requestRate", () => {
  it("is the requests since the previous reading per second, with the 429s so far", () => {
    let now = 1_000;
    let stats = { requests: 10, throttled429: 0 };
    const rate = requestRate(() => stats, () => now);
    now = 3_000;
    stats = { requests: 15, throttled429: 2 };
    expect(rate()).toEqual({ requestsPerSecond: 2.5, throttled429: 2 });
    expect(rate()).toEqual({ requestsPerSecond: 0, throttled429: 2 });
    now = 3_500;
    stats = { requests: 16, throttled429: 2 };
    expect(rate()).toEqual({ requestsPerSecond: 2, throttled429: 2 });
  });
});

describe("tuiRunActions.commandLine", () => {
  it("names the profile the UI runs on, as apply's resume command does", async () => {
    const { tuiRunActions } = await import("./tui-run.js");
    const ctx = { cloud: "AzureCloud" as const, debug: false, profile: undefined, profilePath: ".ahds-migrate/sandbox profile.json" };
    const runs = tuiRunActions({ ctx, session: () => { throw new Error("unused"); }, planPathOf: () => undefined });
    expect(runs.commandLine!("apply", "plans/2026-11-28-1.plan.json")).toBe("ahds-migrate --profile '.ahds-migrate/sandbox profile.json' apply plans/2026-11-28-1.plan.json");
    expect(runs.commandLine!("verify", "plans/x.plan.json")).toBe("ahds-migrate --profile '.ahds-migrate/sandbox profile.json' verify plans/x.plan.json");
    expect(tuiRunActions({ ctx: { ...ctx, profilePath: undefined }, session: () => { throw new Error("unused"); }, planPathOf: () => undefined })
      .commandLine!("apply", "p.plan.json")).toBe("ahds-migrate apply p.plan.json");
  });
});
