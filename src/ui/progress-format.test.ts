import { describe, expect, it } from "vitest";
import { bar, clockTime, rate } from "./progress-format.js";

describe("progress-format", () => {
  it.each([
    [0, 7, 7, "░░░░░░░"], [6, 7, 7, "██████░"], [7, 7, 7, "███████"], [1, 3, 10, "███░░░░░░░"], [0, 0, 4, "████"], [9, 7, 3, "███"], [1, 1, 0, ""],
  ])("bar(%i, %i, %i) = %s (full only when all is done)", (done, total, width, expected) => {
    expect(bar(done, total, width)).toBe(expected);
  });

  it.each([[0, "0:00"], [1, "0:01"], [59_001, "1:00"], [600_000, "10:00"], [3_723_000, "1:02:03"], [-5, "0:00"]])("clockTime(%i) = %s", (ms, expected) => {
    expect(clockTime(ms)).toBe(expected);
  });

  it("rate has one decimal below 10 per second", () => {
    expect([rate(0), rate(2.46), rate(9.94), rate(12.4)]).toEqual(["0.0", "2.5", "9.9", "12"]);
  });
});
