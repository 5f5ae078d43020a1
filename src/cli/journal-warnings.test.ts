import { describe, expect, it } from "vitest";
import { journalWarnings } from "./journal-warnings.js";

describe("journalWarnings", () => {
  it("says the torn line and each anomaly, and the disagreeing steps with what happens to them", () => {
    const w = journalWarnings("w.journal.jsonl", { tornLastLine: true, tornLineNumber: 9, anomalies: ["seq repeats"] },
      { conflictingStepIds: ["a/id", "b/id"] }, "checked now");
    expect(w).toEqual({
      reading: ["warning: w.journal.jsonl line 9: an incomplete last record (a run was killed while writing it) — ignored.",
        "warning: w.journal.jsonl: seq repeats."],
      conflicts: "warning: w.journal.jsonl: 2 step(s) have disagreeing outcomes from two runs (a/id, b/id): checked now.",
    });
  });

  it("says nothing of a journal one runner wrote whole", () => {
    expect(journalWarnings("w.journal.jsonl", { tornLastLine: false, tornLineNumber: null, anomalies: [] }, { conflictingStepIds: [] }, "x"))
      .toEqual({ reading: [], conflicts: null });
  });
});
