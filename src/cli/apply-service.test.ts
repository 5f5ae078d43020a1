import { describe, expect, it } from "vitest";
import type { Plan } from "../domain/plan.js";
import { refuseForeignJournal } from "./apply-service.js";
import { exitCodeFor } from "./error-handler.js";

const plan = { planId: "plan-000000000002" } as Plan;

describe("refuseForeignJournal", () => {
  it("refuses (exit 3) a journal whose runs belong to another planId, naming both and how to move it aside", () => {
    let err: unknown;
    try { refuseForeignJournal(plan, { planIds: ["plan-000000000001"], unknownStepIds: [] }, "plans/wave.journal.jsonl"); } catch (e) { err = e; }
    expect(exitCodeFor(err)).toBe(3);
    expect((err as Error).message).toBe("plans/wave.journal.jsonl is the journal of plan-000000000001, not of plan-000000000002: the plan file was replaced after it was applied.");
    expect((err as { nextSteps: string[] }).nextSteps[0]).toContain("mv plans/wave.journal.jsonl plans/wave.journal.plan-000000000001.jsonl");
  });

  it("refuses a journal of an older version (no planIds) that names a step the plan lacks; accepts its own", () => {
    expect(() => refuseForeignJournal(plan, { planIds: [], unknownStepIds: ["x/ensure-workspace"] }, "j.journal.jsonl")).toThrow(/names step x\/ensure-workspace/);
    expect(() => refuseForeignJournal(plan, { planIds: ["plan-000000000002"], unknownStepIds: [] }, "j.journal.jsonl")).not.toThrow();
    expect(() => refuseForeignJournal(plan, { planIds: [], unknownStepIds: [] }, "j.journal.jsonl")).not.toThrow();
  });
});
