// A journal that two runners wrote at once (issue 8 item 3), produced by our own code path — two runPlan
// runs, each with its own openJournal handle on the same file, as a --force-unlock without the lock check
// (or an older ahds-migrate) leaves it — not typed by hand. Such a journal is not corrupt: it reads, says
// once what it found, and replays with the step the two runners disagree on in doubt.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { AzureSession } from "../azure/azure-session.js";
import { realClock } from "../azure/limiter-clock.js";
import type { Plan, PlanStep, StepKind } from "../domain/plan.js";
import type { StepExecutor, StepOutcome } from "./executor.js";
import { openJournal, readJournal } from "./journal.js";
import { replay } from "./replay.js";
import { runPlan } from "./run-plan.js";

function step(id: string): PlanStep {
  return { id, accountId: "a", kind: "ensure-identity", title: id, dependsOn: [], longRunning: false, outputs: ["principalId"],
    request: { method: "PUT", url: `https://management.azure.com/${id}`, body: {} } };
}
const PLAN = { planId: "plan-000000000001", digest: "sha256:1", steps: [step("a/id"), step("a/ws"), step("a/grant")] } as unknown as Plan;

/** Both runners start every step, then wait for each other, then finish: their records interleave line by line. */
function barrier(parties: number) {
  let waiting = 0;
  let release: () => void = () => undefined;
  const all = new Promise<void>((res) => { release = res; });
  return async () => { if (++waiting === parties) release(); await all; };
}

async function runner(file: string, meet: () => Promise<void>, principalId: string) {
  const journal = await openJournal(file, { clock: realClock });
  const e: StepExecutor = {
    kind: "ensure-identity",
    execute: async (s): Promise<StepOutcome> => {
      await meet();
      // The two runners agree on a/ws and a/grant, and read a different identity for a/id.
      return { status: "succeeded", reason: "created", ...(s.id === "a/id" ? { outputs: { principalId } } : {}) };
    },
  };
  try {
    return await runPlan(PLAN, { session: {} as AzureSession, journal, executors: new Proxy({} as Record<StepKind, StepExecutor>, { get: () => e }),
      concurrency: 8, clock: realClock, operationTimeoutMs: 1000, propagationTimeoutMs: 1000, killAfterRecord: 0 });
  } finally {
    await journal.close();
  }
}

describe("a journal two runners wrote at once", () => {
  it("reads (interleaved runs, repeated seq), says so once, and replays the disagreeing step as in doubt", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "ahds-two-writers-")), "t.journal.jsonl");
    const meet = barrier(6);
    await Promise.all([runner(file, meet, "p-1"), runner(file, meet, "p-2")]);

    const read = await readJournal(file);
    const runIds = [...new Set(read.records.map((r) => r.runId))];
    expect(runIds).toHaveLength(2);
    // Each handle numbered its own records from 1: the same seq twice.
    expect(new Set(read.records.map((r) => r.seq)).size).toBeLessThan(read.records.length);
    expect(read.anomalies).toHaveLength(2);
    expect(read.anomalies[0]).toMatch(/^records of 2 runs \([0-9a-f]{8}, [0-9a-f]{8}\) are interleaved from line \d+: two runners wrote this journal at once/);
    expect(read.anomalies[1]).toMatch(/^"seq" repeats or goes back at line \d+/);

    const r = replay(read.records, PLAN);
    expect(r.conflictingStepIds).toEqual(["a/id"]);
    expect(r.steps.get("a/id")).toMatchObject({ status: "in-doubt", conflict: true });
    expect(r.steps.get("a/ws")!.status).toBe("succeeded");
    expect(r.steps.get("a/grant")!.status).toBe("succeeded");
    expect(r.planIds).toEqual(["plan-000000000001"]);

    // A third run appends after the highest seq and reconciles only the step in doubt.
    const journal = await openJournal(file, { clock: realClock });
    const ran: string[] = [];
    const e: StepExecutor = { kind: "ensure-identity", execute: async (s, ctx) => { ran.push(s.id); return { status: "succeeded", reason: ctx.inDoubt ? "reconciled" : "created", outputs: { principalId: "p-2" } }; } };
    try {
      const summary = await runPlan(PLAN, { session: {} as AzureSession, journal, executors: new Proxy({} as Record<StepKind, StepExecutor>, { get: () => e }),
        concurrency: 8, clock: realClock, operationTimeoutMs: 1000, propagationTimeoutMs: 1000, killAfterRecord: 0 });
      expect(summary.outcome).toBe("completed");
      expect(ran).toEqual(["a/id"]);
      expect(journal.records().at(-1)!.seq).toBe(Math.max(...read.records.map((x) => x.seq)) + 4); // run-started, step-started, step-succeeded, run-finished
    } finally {
      await journal.close();
    }
  });
});
