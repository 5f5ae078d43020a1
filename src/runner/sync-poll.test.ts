import { describe, expect, it } from "vitest";
import { pollDelayMs } from "./sync-run.js";

describe("pollDelayMs", () => {
  it("waits 1 s while a job is young, a fifth of its age later, at most 30 s", () => {
    expect([0, 4_000, 5_000, 10_000, 60_000, 150_000, 3_600_000].map(pollDelayMs)).toEqual([1_000, 1_000, 1_000, 2_000, 12_000, 30_000, 30_000]);
  });

  it("sees a job done at most a fifth of its age (or 1 s) after it finished, in few polls over an hour", () => {
    for (const jobMs of [3_000, 5_000, 42_000, 600_000, 3_600_000]) {
      let t = 0;
      let polls = 1;
      while (t < jobMs) { t += pollDelayMs(t); polls++; }
      expect(t - jobMs, `a job of ${jobMs} ms`).toBeLessThanOrEqual(Math.max(1_000, jobMs * 0.2));
      if (jobMs === 3_600_000) expect(polls).toBeLessThan(150);
    }
  });
});
