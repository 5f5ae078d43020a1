import { describe, expect, it } from "vitest";
import { jsonErrorOffset, positionOf } from "./json-position.js";

describe("jsonErrorOffset", () => {
  it.each([
    ["{}", -1], ["[1, 2.5e3, -0, \"a\\u00e9\", true, false, null, {\"a\": []}]", -1], ["  \"x\" \n", -1],
    ["", 0], ["{", 1], ["{\"a\":}", 5], ["[1,]", 3], ["{\"a\" 1}", 5], ["01", 1], ["[1 2]", 3], ["\"a\nb\"", 2],
    ["\"\\x\"", 2], ["{} x", 3], ["{'a': 1}", 1], ["[-]", 1], ["tru", 0], ["[\"\\u12\"]", 3], ["{\"a\":1,}", 7],
  ])("%j → %i", (text, offset) => {
    expect(jsonErrorOffset(text)).toBe(offset);
    // Agrees with JSON.parse on validity.
    let valid = true;
    try { JSON.parse(text); } catch { valid = false; }
    expect(valid).toBe(offset === -1);
  });

  it("scans 100 000 nested brackets without recursion", () => {
    expect(jsonErrorOffset("[".repeat(100_000) + "]".repeat(100_000))).toBe(-1);
    expect(jsonErrorOffset("[".repeat(100_000))).toBe(100_000);
  });
});

describe("positionOf", () => {
  it("counts 1-based lines and columns", () => {
    expect(positionOf("{\n  \"a\": ,\n}", 9)).toEqual({ line: 2, column: 8 });
    expect(positionOf("x", 0)).toEqual({ line: 1, column: 1 });
  });
});
