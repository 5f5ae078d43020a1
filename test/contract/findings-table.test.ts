// FINDING_CODES (the code's table) against FINDINGS.md's own list: every documented code with its
// documented severity, and no code the document does not define.
import { describe, expect, it } from "vitest";
import { FINDING_CODES } from "../../src/domain/findings.js";
import { FINDINGS_DOC_MISSING, findingsDocSeverities } from "../helpers/findings-doc.js";

const doc = findingsDocSeverities();

describe("FINDING_CODES is FINDINGS.md's table", () => {
  if (!doc) {
    it.skip(FINDINGS_DOC_MISSING, () => undefined);
    return;
  }
  it("lists every documented code with its documented severity, and nothing else", () => {
    expect(doc.size).toBeGreaterThan(30);
    expect(Object.fromEntries(Object.entries(FINDING_CODES).sort())).toEqual(Object.fromEntries([...doc.entries()].sort()));
  });
});
