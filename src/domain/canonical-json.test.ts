import { describe, expect, it } from "vitest";
import { canonicalJson, sha256Hex } from "./canonical-json.js";

describe("canonicalJson (RFC 8785)", () => {
  it("serializes the RFC 8785 §3.2.2 example", () => {
    const input = JSON.parse(String.raw`{
      "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
      "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
      "literals": [null, true, false]
    }`) as unknown;
    expect(canonicalJson(input)).toBe(
      String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`);
  });

  it("sorts members by UTF-16 code units (RFC 8785 §3.2.3 example)", () => {
    const input = JSON.parse(String.raw`{
      "\u20ac": "Euro Sign", "\r": "Carriage Return", "\ufb33": "Hebrew Letter Dalet With Dagesh", "1": "One",
      "\ud83d\ude00": "Emoji: Grinning Face", "\u0080": "Control", "\u00f6": "Latin Small Letter O With Diaeresis"
    }`) as Record<string, string>;
    // Expected order per RFC 8785 §3.2.3: \r, 1, \u0080, \u00f6, \u20ac, \ud83d\ude00, \ufb33.
    const order = ["\r", "1", "\u0080", "\u00f6", "\u20ac", "\ud83d\ude00", "\ufb33"];
    expect(canonicalJson(input)).toBe(`{${order.map((k) => `${JSON.stringify(k)}:${JSON.stringify(input[k])}`).join(",")}}`);
    expect(canonicalJson(input).startsWith(String.raw`{"\r":"Carriage Return","1":"One"`)).toBe(true);
  });

  it.each([
    [0, "0"], [-0, "0"], [5e-324, "5e-324"], [-5e-324, "-5e-324"], [1.7976931348623157e308, "1.7976931348623157e+308"],
    [9007199254740992, "9007199254740992"], [295147905179352830000, "295147905179352830000"], [1e21, "1e+21"],
    [1e-7, "1e-7"], [0.000001, "0.000001"], [-1.5, "-1.5"], [333333333.3333332, "333333333.3333332"],
  ])("serializes the number %s as %s (RFC 8785 Appendix B)", (n, text) => {
    expect(canonicalJson(n)).toBe(text);
  });

  it("sorts nested objects, keeps array order and leaves out undefined members", () => {
    expect(canonicalJson({ b: [3, { z: 1, a: 2 }], a: undefined, c: { y: null, x: "s" } }))
      .toBe(`{"b":[3,{"a":2,"z":1}],"c":{"x":"s","y":null}}`);
  });

  it("writes no whitespace and escapes control characters in lower-case hex", () => {
    expect(canonicalJson({ "a b": "\u0001\t\u001f" })).toBe(`{"a b":"\\u0001\\t\\u001f"}`);
  });

  it.each([
    ["NaN", NaN], ["Infinity", Infinity], ["-Infinity", -Infinity], ["undefined in an array", [1, undefined]],
    ["a lone high surrogate", "\ud800x"], ["a lone low surrogate", "x\udc00"], ["a bigint", 1n], ["a function", () => 1],
    ["a Date", new Date(0)], ["a Map", new Map()], ["a lone surrogate in a name", { "\ud800": 1 }],
  ])("refuses %s", (_label, value) => {
    expect(() => canonicalJson(value)).toThrow(/CanonicalJson|not|lone|only plain/);
    expect(() => canonicalJson(value)).toThrowError(expect.objectContaining({ name: "CanonicalJsonError" }) as Error);
  });

  it("refuses a non-finite number deep inside and names where", () => {
    expect(() => canonicalJson({ a: [{ b: Infinity }] })).toThrow("$.a[0].b");
  });

  it("gives the same text for the same value built in another member order", () => {
    expect(canonicalJson({ x: 1, y: { b: 2, a: 1 } })).toBe(canonicalJson({ y: { a: 1, b: 2 }, x: 1 }));
  });
});

describe("sha256Hex", () => {
  it("hashes UTF-8 (FIPS 180-2 'abc' vector and a non-ASCII string)", () => {
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(sha256Hex("\u20ac")).toBe("c4cc90ed3d26f12d4b08a75140970a7904035c31cbb4515a83f19b9003c00d1d");
  });
});
