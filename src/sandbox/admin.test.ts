import { describe, expect, it } from "vitest";
import { mergePatch, validateFaults } from "./admin.js";
import { HttpError } from "./http.js";

describe("mergePatch (RFC 7396)", () => {
  it.each([
    [{ a: "b" }, { a: "c" }, { a: "c" }],
    [{ a: "b" }, { b: "c" }, { a: "b", b: "c" }],
    [{ a: "b" }, { a: null }, {}],
    [{ a: "b", b: "c" }, { a: null }, { b: "c" }],
    [{ a: ["b"] }, { a: "c" }, { a: "c" }],
    [{ a: "c" }, { a: ["b"] }, { a: ["b"] }],
    [{ a: { b: "c" } }, { a: { b: "d", c: null } }, { a: { b: "d" } }],
    [{ a: [{ b: "c" }] }, { a: [1] }, { a: [1] }],
    [["a", "b"], ["c", "d"], ["c", "d"]],
    [{ a: "b" }, ["c"], ["c"]],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: "b", c: null }, { a: "b" }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ])("%j + %j = %j", (target, patch, expected) => {
    expect(mergePatch(target, patch)).toEqual(expected);
  });

  it("does not change its inputs", () => {
    const target = { properties: { a: 1, nested: { b: 2 } } };
    mergePatch(target, { properties: { nested: { b: 3 } } });
    expect(target).toEqual({ properties: { a: 1, nested: { b: 2 } } });
  });
});

describe("validateFaults", () => {
  it("accepts the estate's behaviour.faults form", () => {
    const rules = [{ match: { method: "GET", host: "management.azure.com", pathRegex: "^/subscriptions" }, status: 503, rate: 0.5, nth: 2, count: 1 },
      { match: {}, drop: true }, { match: { pathRegex: "fhirservices" }, provisioningState: "Suspended" }];
    expect(validateFaults(rules)).toEqual(rules);
  });

  it.each([
    [{}, "JSON array"],
    [[{ match: { method: 1 }, status: 500 }], "[0].match.method"],
    [[{ match: {}, status: 99 }], "[0].status"],
    [[{ match: {}, status: 500, rate: 2 }], "[0].rate"],
    [[{ match: {}, status: 500, nth: 0 }], "[0].nth"],
    [[{ match: { pathRegex: "(" }, status: 500 }], "[0].match.pathRegex"],
    [[{ match: {} }], "[0] needs one of"],
  ])("refuses %j with a message naming %s", (rules, where) => {
    try {
      validateFaults(rules);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(HttpError);
      const r = (e as HttpError).response;
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.body)).toContain(where);
    }
  });
});
