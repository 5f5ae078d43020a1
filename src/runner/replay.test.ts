import { describe, expect, it } from "vitest";
import type { JournalRecord } from "../domain/journal.js";
import { replay } from "./replay.js";

const plan = { steps: ["a/ensure-workspace", "a/ensure-identity", "a/create-fhir-service", "b/ensure-workspace"].map((id) => ({ id })) } as never;

function journal(...rs: Omit<JournalRecord, "v" | "seq" | "at">[]): JournalRecord[] {
  return rs.map((r, i) => ({ v: 1, seq: i + 1, at: `2026-01-01T00:00:0${i % 10}.000Z`, ...r }));
}

describe("replay", () => {
  it("every plan step is pending before any run", () => {
    const r = replay([], plan);
    expect([...r.steps.keys()]).toEqual(["a/ensure-workspace", "a/ensure-identity", "a/create-fhir-service", "b/ensure-workspace"]);
    expect([...r.steps.values()].every((s) => s.status === "pending" && s.attempts === 0)).toBe(true);
    expect(r.runs).toBe(0);
    expect(r.lastRun).toBeNull();
  });

  it("a step started without a terminal record is in doubt, with its journaled operation URL", () => {
    const r = replay(journal(
      { runId: "r1", type: "run-started" },
      { runId: "r1", type: "step-started", stepId: "a/ensure-workspace", attempt: 1 },
      { runId: "r1", type: "step-started", stepId: "b/ensure-workspace", attempt: 1 },
      { runId: "r1", type: "step-operation-accepted", stepId: "a/ensure-workspace", operationUrl: "https://management.azure.com/op/1" },
    ), plan);
    expect(r.steps.get("a/ensure-workspace")).toEqual({ stepId: "a/ensure-workspace", status: "in-doubt", attempts: 1,
      operationUrl: "https://management.azure.com/op/1", operationStartedAt: "2026-01-01T00:00:03.000Z", outputs: null, error: null, reason: null, conflict: false });
    expect(r.steps.get("b/ensure-workspace")).toMatchObject({ status: "in-doubt", operationUrl: null });
    expect(r.lastRun).toMatchObject({ runId: "r1", finishedAt: null, finishReason: null });
  });

  it("keeps the outputs of succeeded steps and the reasons of skipped and failed ones", () => {
    const r = replay(journal(
      { runId: "r1", type: "run-started" },
      { runId: "r1", type: "step-started", stepId: "a/ensure-identity", attempt: 1 },
      { runId: "r1", type: "step-succeeded", stepId: "a/ensure-identity", reason: "created", outputs: { principalId: "p-1", clientId: "c-1" } },
      { runId: "r1", type: "step-started", stepId: "a/ensure-workspace", attempt: 1 },
      { runId: "r1", type: "step-failed", stepId: "a/ensure-workspace", error: { code: "Conflict", message: "tags differ", requestId: "req-9" } },
      { runId: "r1", type: "step-skipped", stepId: "a/create-fhir-service", reason: "upstream-failed" },
      { runId: "r1", type: "run-finished", reason: "failed-steps" },
    ), plan);
    expect(r.steps.get("a/ensure-identity")).toMatchObject({ status: "succeeded", reason: "created", outputs: { principalId: "p-1", clientId: "c-1" }, attempts: 1 });
    expect(r.steps.get("a/ensure-workspace")).toMatchObject({ status: "failed", error: { code: "Conflict", message: "tags differ", requestId: "req-9" } });
    expect(r.steps.get("a/create-fhir-service")).toMatchObject({ status: "skipped", reason: "upstream-failed", attempts: 0 });
    expect(r.steps.get("b/ensure-workspace")!.status).toBe("pending");
    expect(r.lastRun).toMatchObject({ runId: "r1", finishReason: "failed-steps" });
  });

  it("a step retried after a failure in a later run: attempts add up, the old error and operation are gone", () => {
    const r = replay(journal(
      { runId: "r1", type: "run-started" },
      { runId: "r1", type: "step-started", stepId: "a/create-fhir-service", attempt: 1 },
      { runId: "r1", type: "step-operation-accepted", stepId: "a/create-fhir-service", operationUrl: "https://op/1" },
      { runId: "r1", type: "step-failed", stepId: "a/create-fhir-service", error: { code: "KeyVaultAccessForbidden", message: "no", requestId: null } },
      { runId: "r1", type: "run-finished", reason: "failed-steps" },
      { runId: "r2", type: "run-started", reason: "resume" },
      { runId: "r2", type: "step-started", stepId: "a/create-fhir-service", attempt: 2 },
    ), plan);
    expect(r.runs).toBe(2);
    expect(r.lastRun).toMatchObject({ runId: "r2", startReason: "resume", finishReason: null });
    expect(r.steps.get("a/create-fhir-service")).toMatchObject({ status: "in-doubt", attempts: 2, error: null, operationUrl: null });

    const done = replay([...journal(
      { runId: "r1", type: "run-started" },
      { runId: "r1", type: "step-started", stepId: "a/create-fhir-service", attempt: 1 },
      { runId: "r1", type: "step-failed", stepId: "a/create-fhir-service", error: { code: "X", message: "m", requestId: null } },
      { runId: "r2", type: "run-started", reason: "resume" },
      { runId: "r2", type: "step-started", stepId: "a/create-fhir-service", attempt: 2 },
      { runId: "r2", type: "step-succeeded", stepId: "a/create-fhir-service", reason: "reconciled" },
    )], plan);
    expect(done.steps.get("a/create-fhir-service")).toEqual({ stepId: "a/create-fhir-service", status: "succeeded", attempts: 2,
      operationUrl: null, operationStartedAt: null, outputs: {}, error: null, reason: "reconciled", conflict: false });
  });

  it("counts attempts without an explicit attempt number and never goes backwards", () => {
    const r = replay(journal(
      { runId: "r1", type: "step-started", stepId: "a/ensure-workspace" },
      { runId: "r2", type: "step-started", stepId: "a/ensure-workspace" },
      { runId: "r3", type: "step-started", stepId: "a/ensure-workspace", attempt: 1 },
    ), plan);
    expect(r.steps.get("a/ensure-workspace")!.attempts).toBe(2);
  });

  it("names step ids of the journal that the plan does not have", () => {
    const r = replay(journal(
      { runId: "r1", type: "step-started", stepId: "zz/ensure-workspace", attempt: 1 },
      { runId: "r1", type: "step-succeeded", stepId: "zz/ensure-workspace" },
    ), plan);
    expect(r.unknownStepIds).toEqual(["zz/ensure-workspace"]);
    expect([...r.steps.keys()]).not.toContain("zz/ensure-workspace");
  });

  it("a resumed attempt inherits the operation an interrupted one left running, with its first start time", () => {
    const r = replay(journal(
      { runId: "r1", type: "step-started", stepId: "a/create-fhir-service", attempt: 1 },
      { runId: "r1", type: "step-operation-accepted", stepId: "a/create-fhir-service", attempt: 1, operationUrl: "https://op/1" },
      { runId: "r2", type: "step-started", stepId: "a/create-fhir-service", attempt: 2 },
      { runId: "r3", type: "step-started", stepId: "a/create-fhir-service", attempt: 3 },
      { runId: "r3", type: "step-operation-accepted", stepId: "a/create-fhir-service", attempt: 3, operationUrl: "https://op/1" },
    ), plan);
    expect(r.steps.get("a/create-fhir-service")).toMatchObject({ status: "in-doubt", attempts: 3, operationUrl: "https://op/1",
      operationStartedAt: "2026-01-01T00:00:01.000Z" });
  });

  it("two runners' disagreeing terminal records of one step make it in doubt; an agreeing pair keeps the latest", () => {
    const r = replay(journal(
      { runId: "r1", type: "run-started" },
      { runId: "r1", type: "step-started", stepId: "a/ensure-identity", attempt: 1 },
      { runId: "r1", type: "step-started", stepId: "a/ensure-workspace", attempt: 1 },
      { runId: "r2", type: "run-started", reason: "lock-taken-over:1@h" },
      { runId: "r2", type: "step-started", stepId: "a/ensure-identity", attempt: 2 },
      { runId: "r2", type: "step-started", stepId: "a/ensure-workspace", attempt: 2 },
      { runId: "r1", type: "step-succeeded", stepId: "a/ensure-identity", reason: "created", outputs: { principalId: "p-1" } },
      { runId: "r1", type: "step-succeeded", stepId: "a/ensure-workspace", reason: "created" },
      { runId: "r2", type: "step-succeeded", stepId: "a/ensure-identity", reason: "reconciled", outputs: { principalId: "p-2" } },
      { runId: "r2", type: "step-succeeded", stepId: "a/ensure-workspace", reason: "already-satisfied" },
    ), plan);
    expect(r.steps.get("a/ensure-identity")).toMatchObject({ status: "in-doubt", conflict: true, outputs: null, reason: "conflicting-records" });
    expect(r.steps.get("a/ensure-workspace")).toMatchObject({ status: "succeeded", conflict: false, reason: "already-satisfied" });
    expect(r.conflictingStepIds).toEqual(["a/ensure-identity"]);

    // A later run that attempts the step again settles it.
    const settled = replay([...journal(
      { runId: "r1", type: "step-started", stepId: "a/ensure-identity", attempt: 1 },
      { runId: "r2", type: "step-started", stepId: "a/ensure-identity", attempt: 2 },
      { runId: "r1", type: "step-succeeded", stepId: "a/ensure-identity", outputs: { principalId: "p-1" } },
      { runId: "r2", type: "step-failed", stepId: "a/ensure-identity", error: { code: "X", message: "m", requestId: null } },
      { runId: "r3", type: "step-started", stepId: "a/ensure-identity", attempt: 3 },
      { runId: "r3", type: "step-succeeded", stepId: "a/ensure-identity", reason: "reconciled", outputs: { principalId: "p-1" } },
    )], plan);
    expect(settled.steps.get("a/ensure-identity")).toMatchObject({ status: "succeeded", conflict: false, outputs: { principalId: "p-1" } });
  });

  it("a failure journaled after another run's success, by a run that started the step after it, is no conflict", () => {
    const r = replay(journal(
      { runId: "r1", type: "step-started", stepId: "a/ensure-workspace", attempt: 1 },
      { runId: "r1", type: "step-failed", stepId: "a/ensure-workspace", error: { code: "X", message: "m", requestId: null } },
      { runId: "r2", type: "step-started", stepId: "a/ensure-workspace", attempt: 2 },
      { runId: "r2", type: "step-succeeded", stepId: "a/ensure-workspace", reason: "created" },
    ), plan);
    expect(r.steps.get("a/ensure-workspace")).toMatchObject({ status: "succeeded", conflict: false });
    expect(r.conflictingStepIds).toEqual([]);
  });
});
