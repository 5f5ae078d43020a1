import { describe, expect, it } from "vitest";
import { firstJsonDifference, shownJson } from "./json-difference.js";

describe("firstJsonDifference", () => {
  it("ignores key order and names the first differing path in code-point order", () => {
    expect(firstJsonDifference({ b: 1, a: [1, { x: 2 }] }, { a: [1, { x: 2 }], b: 1 })).toBeNull();
    expect(firstJsonDifference({ b: 2, a: [1, { x: 2 }] }, { a: [1, { x: 3 }], b: 1 })).toEqual({ path: "a[1].x", left: 2, right: 3 });
  });

  it("tells an absent member and a longer array from a null one", () => {
    expect(firstJsonDifference({ a: null }, {})).toEqual({ path: "a", left: null, right: undefined });
    expect(firstJsonDifference([1], [1, 2])).toEqual({ path: "[1]", left: undefined, right: 2 });
    expect(firstJsonDifference("x", { x: 1 })).toEqual({ path: "", left: "x", right: { x: 1 } });
  });

  it("shows values cut at 80 characters, a missing one as absent", () => {
    expect(shownJson(undefined)).toBe("absent");
    expect(shownJson("y".repeat(100))).toHaveLength(78);
  });
});
