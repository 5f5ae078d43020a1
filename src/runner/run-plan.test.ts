// The engine's own logic, with scripted executors (our code, not Azure) and a real journal on disk: the DAG
// order, failures as values (dependents skipped upstream-failed, other accounts continue), every record
// journaled before onEvent hears of it, resume (succeeded never re-run, failed re-attempted, in-doubt handed
// its operation URL) and Ctrl-C (in-flight step left in doubt, nothing new started, run-finished interrupted).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { AzureSession } from "../azure/azure-session.js";
import { realClock } from "../azure/limiter-clock.js";
import type { JournalRecord } from "../domain/journal.js";
import type { Plan, PlanStep, StepKind } from "../domain/plan.js";
import type { StepContext, StepExecutor, StepOutcome } from "./executor.js";
import { openJournal, readJournal } from "./journal.js";
import { replay } from "./replay.js";
import { runPlan, type RunSummary } from "./run-plan.js";

function step(id: string, dependsOn: string[] = []): PlanStep {
  return {
    id, accountId: id.split("/")[0]!, kind: "ensure-workspace", title: id, dependsOn, longRunning: false, outputs: [],
    request: { method: "PUT", url: `https://management.azure.com/${id}`, body: {} },
  };
}

// Two accounts: a/ws → a/fhir → a/grant, and b/ws → b/fhir.
const PLAN = { steps: [step("a/ws"), step("a/fhir", ["a/ws"]), step("a/grant", ["a/fhir"]), step("b/ws"), step("b/fhir", ["b/ws"])] } as unknown as Plan;

type Script = (s: PlanStep, ctx: StepContext) => Promise<StepOutcome>;

function executors(script: Script): Record<StepKind, StepExecutor> {
  const e: StepExecutor = { kind: "ensure-workspace", execute: script };
  return new Proxy({} as Record<StepKind, StepExecutor>, { get: () => e });
}

const ok: Script = async () => ({ status: "succeeded", reason: "created" });

async function run(file: string, script: Script, o: { abortSignal?: AbortSignal; onEvent?: (r: JournalRecord) => void; gate?: () => Promise<void> } = {}): Promise<{ summary: RunSummary; records: JournalRecord[] }> {
  const journal = await openJournal(file, { clock: realClock });
  try {
    const summary = await runPlan(PLAN, {
      session: {} as AzureSession, journal, executors: executors(script), concurrency: 2, clock: realClock,
      operationTimeoutMs: 1000, propagationTimeoutMs: 1000, killAfterRecord: 0, ...o,
      onEvent: (r) => {
        // The record is on disk (in the journal's records) before anyone hears of it.
        expect(journal.records().some((x) => x.seq === r.seq)).toBe(true);
        o.onEvent?.(r);
      },
    });
    return { summary, records: journal.records() };
  } finally {
    await journal.close();
  }
}

const tmp = () => path.join(mkdtempSync(path.join(tmpdir(), "ahds-run-plan-")), "t.journal.jsonl");
const statusOf = (s: RunSummary) => Object.fromEntries(s.steps.map((x) => [x.stepId, x.status]));

describe("runPlan", () => {
  it("runs each step after its dependencies; a failure skips its dependents while the other account finishes", async () => {
    const order: string[] = [];
    const { summary, records } = await run(tmp(), async (s) => {
      order.push(s.id);
      return s.id === "a/fhir" ? { status: "failed", error: { code: "KeyVaultAccessForbidden", message: "no", requestId: "r-1" } } : { status: "succeeded", reason: "created" };
    });
    expect(order.indexOf("a/ws")).toBeLessThan(order.indexOf("a/fhir"));
    expect(order).not.toContain("a/grant");
    expect(statusOf(summary)).toEqual({ "a/ws": "succeeded", "a/fhir": "failed", "a/grant": "skipped", "b/ws": "succeeded", "b/fhir": "succeeded" });
    expect(summary.outcome).toBe("failed-steps");
    expect(records.find((r) => r.stepId === "a/grant")).toMatchObject({ type: "step-skipped", reason: "upstream-failed" });
    expect(records.find((r) => r.type === "step-failed")).toMatchObject({ stepId: "a/fhir", attempt: 1, error: { code: "KeyVaultAccessForbidden", requestId: "r-1" } });
    expect(records.at(-1)).toMatchObject({ type: "run-finished", reason: "failed-steps" });
  });

  it("a resume never re-runs a succeeded step, retries the failed one (attempt 2) and runs what was skipped", async () => {
    const file = tmp();
    await run(file, async (s) => (s.id === "a/fhir" ? { status: "failed", error: { code: "X", message: "x", requestId: null } } : { status: "succeeded", reason: "created" }));
    const ran: string[] = [];
    const { summary, records } = await run(file, async (s) => { ran.push(s.id); return { status: "succeeded", reason: "created" }; });
    expect(ran.sort()).toEqual(["a/fhir", "a/grant"]);
    expect(summary.outcome).toBe("completed");
    expect(records.filter((r) => r.type === "run-started").map((r) => r.reason ?? null)).toEqual([null, "resume"]);
    expect(records.filter((r) => r.stepId === "a/fhir" && r.type === "step-started").map((r) => r.attempt)).toEqual([1, 2]);
  });

  it("Ctrl-C: the in-flight step is left in doubt with its operation URL, nothing new starts, the next run reconciles it", async () => {
    const file = tmp();
    const ctrlC = new AbortController();
    const first = await run(file, async (s, ctx) => {
      if (s.id !== "a/fhir") return { status: "succeeded", reason: "created" };
      await ctx.operationAccepted("https://management.azure.com/op/1");
      ctrlC.abort();
      throw Object.assign(new Error("aborted"), { name: "AbortError" });
    }, { abortSignal: ctrlC.signal });
    expect(first.summary.outcome).toBe("interrupted");
    expect(statusOf(first.summary)["a/fhir"]).toBe("in-doubt");
    expect(first.records.some((r) => r.stepId === "a/grant")).toBe(false);
    expect(first.records.at(-1)).toMatchObject({ type: "run-finished", reason: "interrupted" });

    const seen = new Map<string, StepContext["inDoubt"]>();
    const accepted = first.records.find((r) => r.type === "step-operation-accepted")!;
    // Interrupted again while polling the inherited operation (it journals no new URL): the third run must
    // still be handed the URL, and the operation's start time, not this resume's (issue 8).
    const ctrlC2 = new AbortController();
    const second = await run(file, async (s, ctx) => {
      seen.set(s.id, ctx.inDoubt);
      if (s.id === "a/fhir") { ctrlC2.abort(); throw Object.assign(new Error("aborted"), { name: "AbortError" }); }
      return { status: "succeeded", reason: "created" };
    }, { abortSignal: ctrlC2.signal });
    expect(second.summary.outcome).toBe("interrupted");
    expect(seen.get("a/fhir")).toEqual({ operationUrl: "https://management.azure.com/op/1", operationStartedAt: Date.parse(accepted.at) });

    seen.clear();
    const third = await run(file, async (s, ctx) => { seen.set(s.id, ctx.inDoubt); return { status: "succeeded", reason: ctx.inDoubt ? "reconciled" : "created" }; });
    expect(seen.get("a/fhir")).toEqual({ operationUrl: "https://management.azure.com/op/1", operationStartedAt: Date.parse(accepted.at) });
    expect(seen.get("a/grant")).toBeNull();
    expect(third.summary.outcome).toBe("completed");
    expect(third.records.find((r) => r.type === "step-succeeded" && r.stepId === "a/fhir")).toMatchObject({ reason: "reconciled", attempt: 3 });
  });

  it("a bug in an executor (a TypeError) is not a step failure: the run stops with a BugError, the step stays in doubt", async () => {
    const file = tmp();
    const err = await run(file, async (s, ctx) => {
      if (s.id === "a/ws") return (undefined as unknown as { x: () => StepOutcome }).x();
      return ok(s, ctx);
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "BugError" });
    expect((err as Error).message).toMatch(/^step a\/ws: TypeError: /);
    expect((err as Error).cause).toBeInstanceOf(TypeError);
    const records = (await readJournal(file)).records;
    expect(records.some((r) => r.stepId === "a/ws" && r.type === "step-failed")).toBe(false);
    expect(replay(records, PLAN).steps.get("a/ws")!.status).toBe("in-doubt");
  });

  it("a journal write that fails in the file system (ENOSPC) ends the run with that error, not as a bug", async () => {
    const full = Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC", syscall: "write" });
    const err = await run(tmp(), async (s, ctx) => {
      if (s.id === "a/ws") throw full; // what ctx.operationAccepted rejects with when the journal cannot be written
      return ok(s, ctx);
    }).catch((e: unknown) => e);
    expect(err).toBe(full);
  });

  it("an executor's failure outcome is journaled as a value; outputs reach dependents", async () => {
    const { summary } = await run(tmp(), async (s, ctx) => {
      if (s.id === "b/ws") return { status: "succeeded", reason: "created", outputs: { principalId: "p-1" } };
      if (s.id === "b/fhir") return ctx.outputsOf("b/ws")?.principalId === "p-1" ? ok(s, ctx) : { status: "failed", error: { code: "NoOutput", message: "", requestId: null } };
      if (s.id === "a/ws") return { status: "failed", error: { code: "ECONNRESET", message: "socket hang up", requestId: null } };
      return ok(s, ctx);
    });
    const a = summary.steps.find((x) => x.stepId === "a/ws")!;
    expect(a).toMatchObject({ status: "failed", error: { code: "ECONNRESET", message: "socket hang up", requestId: null } });
    expect(statusOf(summary)["b/fhir"]).toBe("succeeded");
  });

  it("run-started names the plan (planId, digest) the journal belongs to", async () => {
    const plan = { ...PLAN, planId: "plan-0123456789ab", digest: "sha256:00" } as Plan;
    const journal = await openJournal(tmp(), { clock: realClock });
    try {
      await runPlan(plan, { session: {} as AzureSession, journal, executors: executors(ok), concurrency: 2, clock: realClock,
        operationTimeoutMs: 1000, propagationTimeoutMs: 1000, killAfterRecord: 0 });
      expect(journal.records()[0]).toMatchObject({ type: "run-started", planId: "plan-0123456789ab", digest: "sha256:00" });
    } finally {
      await journal.close();
    }
  });

  describe("pause (gate)", () => {
    /** A gate the test opens and closes; `waiting()` resolves once runPlan waits at it while closed. */
    function testGate() {
      let open: (() => void) | null = null;
      let opened: Promise<void> = Promise.resolve();
      let onWait: (() => void) | null = null;
      return {
        close() { opened = new Promise<void>((res) => { open = res; }); },
        open() { const o = open; open = null; o?.(); },
        waiting: () => new Promise<void>((res) => { onWait = res; }),
        gate: () => { if (open) { onWait?.(); onWait = null; } return opened; },
      };
    }

    it("a closed gate starts nothing (no step-started, nothing in doubt) until it opens; then the run completes", async () => {
      const g = testGate();
      g.close();
      const waiting = g.waiting();
      const seen: JournalRecord[] = [];
      const ran: string[] = [];
      const result = run(tmp(), async (s) => { ran.push(s.id); return { status: "succeeded", reason: "created" }; }, { gate: g.gate, onEvent: (r) => seen.push(r) });
      await waiting;
      expect(seen.map((r) => r.type)).toEqual(["run-started"]);
      expect(ran).toEqual([]);
      g.open();
      const { summary } = await result;
      expect(summary.outcome).toBe("completed");
      expect(ran.sort()).toEqual(["a/fhir", "a/grant", "a/ws", "b/fhir", "b/ws"]);
    });

    it("closing it mid-run lets the steps in flight finish and journal, and starts no other until it opens", async () => {
      const g = testGate();
      const seen: JournalRecord[] = [];
      const waiting = g.waiting();
      const result = run(tmp(), async (s) => {
        // a/ws and b/ws are in flight (concurrency 2) when a/ws pauses the run.
        if (s.id === "a/ws") g.close();
        return { status: "succeeded", reason: "created" };
      }, { gate: g.gate, onEvent: (r) => seen.push(r) });
      await waiting;
      const succeeded = () => seen.filter((r) => r.type === "step-succeeded").map((r) => r.stepId).sort();
      while (succeeded().length < 2) await new Promise((res) => setImmediate(res));
      expect(succeeded()).toEqual(["a/ws", "b/ws"]);
      expect(seen.filter((r) => r.type === "step-started").map((r) => r.stepId).sort()).toEqual(["a/ws", "b/ws"]);
      g.open();
      const { summary } = await result;
      expect(summary.outcome).toBe("completed");
      expect(seen.filter((r) => r.type === "step-started").map((r) => r.stepId).sort()).toEqual(["a/fhir", "a/grant", "a/ws", "b/fhir", "b/ws"]);
    });

    it("Ctrl-C while paused ends the run interrupted with every unstarted step still pending, none in doubt", async () => {
      const g = testGate();
      g.close();
      const waiting = g.waiting();
      const ctrlC = new AbortController();
      const result = run(tmp(), ok, { gate: g.gate, abortSignal: ctrlC.signal });
      await waiting;
      ctrlC.abort();
      const { summary, records } = await result;
      expect(summary.outcome).toBe("interrupted");
      expect(summary.counts).toMatchObject({ pending: 5, inDoubt: 0 });
      expect(records.map((r) => r.type)).toEqual(["run-started", "run-finished"]);
    });
  });
});
