// The finding-estate table (test/fixtures/finding-estates.ts) names every FINDINGS.md code exactly once,
// and every estate is a valid estate file (what `sandbox start --estate` accepts), so the per-code tests
// cannot silently miss a code.
import { describe, expect, it } from "vitest";
import { FINDING_CODES } from "../../src/domain/findings.js";
import { parseEstate } from "../../src/sandbox/estate.js";
import { FINDING_ESTATES } from "../fixtures/finding-estates.js";

describe("finding estates", () => {
  it("cover every FINDINGS.md code exactly once", () => {
    expect(FINDING_ESTATES.map((e) => e.code).sort()).toEqual(Object.keys(FINDING_CODES).sort());
  });

  it.each(FINDING_ESTATES.map((e) => [e.code, e] as const))("%s: the estate parses without warnings and holds its account", (_code, entry) => {
    const { estate, warnings } = parseEstate(JSON.parse(JSON.stringify(entry.estate())));
    expect(warnings).toEqual([]);
    expect(estate.resources.filter((r) => r.type === "Microsoft.HealthcareApis/services").map((r) => r.name)).toContain(entry.account);
  });
});
