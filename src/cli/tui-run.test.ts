import { describe, expect, it } from "vitest";
import { pauseGate, requestRate } from "./tui-run.js";

const turn = () => new Promise((res) => setImmediate(res));

describe("pauseGate", () => {
  it("is open until paused, then holds every wait until resume; pausing twice needs one resume", async () => {
    const gate = pauseGate();
    await gate.wait();
    gate.pause();
    gate.pause();
    const passed: string[] = [];
    const held = Promise.all([gate.wait().then(() => passed.push("a")), gate.wait().then(() => passed.push("b"))]);
    await turn();
    expect(passed).toEqual([]);
    gate.resume();
    await held;
    expect(passed).toEqual(["a", "b"]);
    gate.resume();
    await gate.wait();
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
