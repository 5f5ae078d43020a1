// runPlan under the faults Azure throws at a run (issue 5 "fault injection"): a 3-account plan (a key in an
// RBAC vault, a key in an access-policy vault, no CMK) built by the product's planner, applied with the
// real executors and SDK clients through the sandbox proxy, on ONE virtual clock shared by the sandbox
// (operation timeline, throttle refill, role propagation), the limiter (Retry-After, back-off) and the
// executors (polls, propagation back-off) — so minutes of Azure time pass without waiting. Each case
// either completes (every step succeeded, verifyPlan finds no difference) or stops with a named reason:
// 500/503 at a rate and dropped connections are retried by the limiter; a 429 storm never becomes a step
// failure; 30-minute operations are polled to their end; a create stuck Suspended fails at
// --operation-timeout naming the state while the other accounts finish; a key role that propagates in 10
// min is waited for within a 15-min --propagation-timeout and named when the timeout is 3 min. In every
// case: no DELETE, no write to Microsoft.HealthcareApis/services.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ArmLimiterOptions } from "../../src/azure/limiter.js";
import type { JournalRecord } from "../../src/domain/journal.js";
import type { Plan, PlanStep } from "../../src/domain/plan.js";
import { EXECUTORS } from "../../src/runner/executors.js";
import { openJournal } from "../../src/runner/journal.js";
import { runPlan, type RunSummary } from "../../src/runner/run-plan.js";
import { verifyPlan } from "../../src/runner/verify.js";
import type { Estate, FaultRule } from "../../src/sandbox/estate-types.js";
import {
  addAccount, addKey, addPrincipal, addVault, baseEstate, CALLER_OBJECT_ID, keyUri, TENANT_ID,
} from "../fixtures/estate-builders.js";
import { id } from "./plan-estate.js";
import { forbiddenRequests, startHarness, type Harness } from "./runner-step-harness.js";

const ACCOUNTS = ["fhir-rbac", "fhir-ap", "fhir-nocmk"];
const ARM = "management.azure.com";
const FHIR_TYPE = "Microsoft.HealthcareApis/workspaces/fhirservices";
const MIN = 60_000;

function estate(behaviour: Partial<Estate["behaviour"]> = {}): Estate {
  const e = baseEstate({ behaviour: { operationDurationMs: { default: 20_000 }, rolePropagationMs: 0, ...behaviour } });
  addVault(e, { name: "kv-ap", rbac: false, accessPolicies: [{ tenantId: TENANT_ID, objectId: CALLER_OBJECT_ID, permissions: { keys: ["get", "list"] } }] });
  addKey(e, { vault: "kv-ap", name: "cmk-ap" });
  // A data-plane reader of the source account: the plan grants it on the new service (a dependent of the create).
  const reader = addPrincipal(e, { displayName: "fhir-reader", type: "User" }).objectId;
  addAccount(e, { name: "fhir-rbac", accessPolicies: [reader] });
  addAccount(e, { name: "fhir-ap", keyUri: keyUri("kv-ap", "cmk-ap") });
  addAccount(e, { name: "fhir-nocmk", keyUri: null });
  return e;
}

let h: Harness | undefined;
afterEach(async () => { await h?.close(); h = undefined; });

interface Applied { summary: RunSummary; records: JournalRecord[] }

async function start(behaviour: Partial<Estate["behaviour"]> = {}, limiter: Partial<ArmLimiterOptions> = {}): Promise<Harness> {
  h = await startHarness(estate(behaviour), { account: ACCOUNTS.map((n) => id(n)) }, limiter);
  expect(h.plan.accounts.filter((a) => a.status === "planned")).toHaveLength(3);
  expect(dependentsOf(h.plan, stepOf(h.plan, "fhir-rbac", "create-fhir-service").id).length).toBeGreaterThan(0);
  return h;
}

async function apply(x: Harness, o: { operationTimeoutMs?: number; propagationTimeoutMs?: number } = {}): Promise<Applied> {
  const dir = mkdtempSync(path.join(tmpdir(), "ahds-apply-faults-"));
  const journal = await openJournal(path.join(dir, "faults.journal.jsonl"), { clock: x.clock });
  try {
    const summary = await runPlan(x.plan, {
      session: x.session, journal, executors: EXECUTORS, concurrency: 4, clock: x.clock,
      operationTimeoutMs: o.operationTimeoutMs ?? 90 * MIN, propagationTimeoutMs: o.propagationTimeoutMs ?? 15 * MIN,
    });
    return { summary, records: journal.records() };
  } finally {
    await journal.close();
  }
}

/** Every step succeeded, the journal holds no failure, and verify reads the plan back from Azure. */
async function expectCompleted(x: Harness, a: Applied): Promise<void> {
  const notDone = a.summary.steps.filter((s) => s.status !== "succeeded");
  expect(a.summary.outcome, JSON.stringify(notDone)).toBe("completed");
  expect(a.summary.counts).toMatchObject({ succeeded: x.plan.steps.length, failed: 0, skipped: 0, pending: 0, inDoubt: 0 });
  expect(a.records.filter((r) => r.type === "step-failed")).toEqual([]);
  expect(a.records.at(-1)).toMatchObject({ type: "run-finished", reason: "completed" });
  expect(await verifyPlan(x.plan, x.session)).toEqual([]);
}

function expectNothingForbidden(x: Harness): void {
  const log = x.sandbox.requests();
  expect(log.some((r) => r.method === "PUT")).toBe(true);
  expect(forbiddenRequests(log)).toEqual([]);
}

function stepOf(plan: Plan, account: string, kind: PlanStep["kind"]): PlanStep {
  const s = plan.steps.find((x) => x.kind === kind && x.accountId.toLowerCase().endsWith(`/services/${account}`));
  if (!s) throw new Error(`no ${kind} step for ${account}`);
  return s;
}

/** Steps that depend on `stepId`, directly or not. */
function dependentsOf(plan: Plan, stepId: string): string[] {
  const out = new Set<string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const s of plan.steps) {
      if (!out.has(s.id) && s.dependsOn.some((d) => d === stepId || out.has(d))) { out.add(s.id); grew = true; }
    }
  }
  return [...out];
}

/** The accounts other than `account` ended with every step succeeded. */
function othersSucceeded(x: Harness, a: Applied, account: string): void {
  const other = x.plan.steps.filter((s) => !s.accountId.toLowerCase().endsWith(`/services/${account}`)).map((s) => s.id);
  expect(other.length).toBeGreaterThan(0);
  const byId = new Map(a.summary.steps.map((s) => [s.stepId, s]));
  for (const sid of other) expect(byId.get(sid)?.status, sid).toBe("succeeded");
}

const armStatuses = (x: Harness, status: number) => x.sandbox.requests().filter((r) => r.host === ARM && r.status === status);

describe("apply under injected faults (3 accounts, virtual clock)", () => {
  it("an unattended apply still ends when a PUT and a poll are accepted and never answered (per-attempt timeout)", async () => {
    // The half-open kept-alive tunnel of issue 8: the sandbox takes the request and never answers. The
    // attempt timeout (real time, here 300 ms instead of 100 s) abandons it and the limiter retries it.
    const x = await start({}, { attemptTimeoutMs: 300 });
    x.sandbox.setFaults([
      { match: { host: ARM, method: "PUT", pathRegex: "/fhirservices/" }, hang: true, nth: 1 },
      { match: { host: ARM, method: "GET", pathRegex: "/operationresults/" }, hang: true, nth: 2 },
    ]);
    const a = await apply(x);
    x.sandbox.setFaults([]);
    await expectCompleted(x, a);
    expect(x.session.limiter.stats().timeouts).toBe(2);
    expectNothingForbidden(x);
  });

  it("completes through 500s on ARM PUTs and 503s on ARM GETs at a rate of 0.2 (the limiter retries)", async () => {
    const x = await start({ seed: 7 });
    // The first PUT and GET are always hit, so the run meets both kinds whatever the seeded draws (which
    // shift whenever discovery's request count changes); the rest at a rate of 0.2.
    const faults: FaultRule[] = [
      { match: { host: ARM, method: "PUT" }, status: 500, nth: 1 },
      { match: { host: ARM, method: "GET" }, status: 503, nth: 1 },
      { match: { host: ARM, method: "PUT" }, status: 500, rate: 0.2 },
      { match: { host: ARM, method: "GET" }, status: 503, rate: 0.2 },
    ];
    x.sandbox.setFaults(faults);
    const before = x.session.limiter.stats().retries;
    const a = await apply(x);
    x.sandbox.setFaults([]);
    await expectCompleted(x, a);
    const put500 = armStatuses(x, 500).filter((r) => r.method === "PUT").length;
    const get503 = armStatuses(x, 503).filter((r) => r.method === "GET").length;
    expect(put500).toBeGreaterThan(0);
    expect(get503).toBeGreaterThan(0);
    expect(x.session.limiter.stats().retries - before).toBeGreaterThanOrEqual(put500 + get503);
    console.info(`[faults] 500/503: ${put500} PUT 500s, ${get503} GET 503s, limiter retries ${x.session.limiter.stats().retries - before}`);
    expectNothingForbidden(x);
  });

  it("completes through dropped connections at a rate of 0.1", async () => {
    const x = await start({ seed: 11 });
    x.sandbox.setFaults([{ match: { host: ARM }, drop: true, rate: 0.1 }]);
    const before = x.session.limiter.stats().retries;
    const a = await apply(x);
    x.sandbox.setFaults([]);
    await expectCompleted(x, a);
    const dropped = x.sandbox.requests().filter((r) => r.host === ARM && r.status === 0).length;
    expect(dropped).toBeGreaterThan(0);
    expect(x.session.limiter.stats().retries - before).toBeGreaterThanOrEqual(dropped);
    console.info(`[faults] drops: ${dropped} dropped, limiter retries ${x.session.limiter.stats().retries - before}`);
    expectNothingForbidden(x);
  });

  it("completes through a 429 storm (reads and writes buckets of 3, refilling 1/s) with no 429 turned into a failure", async () => {
    const x = await start();
    // After planning (which ran on a real-clock session): the run alone meets the tiny buckets.
    x.sandbox.state.behaviour.throttle = { reads: [3, 1], writes: [3, 1], deletes: [200, 10] };
    const before = x.session.limiter.stats();
    const a = await apply(x);
    await expectCompleted(x, a);
    const sent429 = armStatuses(x, 429).length;
    expect(sent429).toBeGreaterThan(0);
    const after = x.session.limiter.stats();
    expect(after.throttled429 - before.throttled429).toBe(sent429);
    console.info(`[faults] 429 storm: sandbox sent ${sent429} 429s, limiter retries ${after.retries - before.retries}, waited ${after.waitedMs - before.waitedMs} ms (virtual)`);
    expectNothingForbidden(x);
  });

  it("completes with FHIR creates that take 30 minutes, polled to their end", async () => {
    const x = await start({ operationDurationMs: { default: 20_000, [FHIR_TYPE]: 30 * MIN } });
    const t0 = x.clock.now();
    const a = await apply(x);
    await expectCompleted(x, a);
    expect(x.clock.now() - t0).toBeGreaterThanOrEqual(30 * MIN);
    for (const n of ACCOUNTS) {
      const accepted = a.records.filter((r) => r.type === "step-operation-accepted" && r.stepId === stepOf(x.plan, n, "create-fhir-service").id);
      expect(accepted, n).toHaveLength(1);
    }
    expectNothingForbidden(x);
  });

  it("stops the FHIR create stuck Suspended at --operation-timeout, skips its dependents, finishes the other accounts", async () => {
    const x = await start();
    const stuck = stepOf(x.plan, "fhir-rbac", "create-fhir-service");
    const fhirPath = new URL(stuck.request.url).pathname;
    x.sandbox.setFaults([{ match: { method: "PUT", pathRegex: `${escapeRegex(fhirPath)}$` }, provisioningState: "Suspended" }]);
    const a = await apply(x, { operationTimeoutMs: 20 * MIN });
    expect(a.summary.outcome).toBe("failed-steps");
    expect(a.records.at(-1)).toMatchObject({ type: "run-finished", reason: "failed-steps" });
    const failed = a.summary.steps.filter((s) => s.status === "failed");
    expect(failed.map((s) => s.stepId)).toEqual([stuck.id]);
    expect(failed[0]!.error?.code).toBe("OperationTimeout");
    expect(failed[0]!.error?.message).toContain("Suspended");
    expect(failed[0]!.error?.message).toContain("20 min");
    const skipped = a.summary.steps.filter((s) => s.status === "skipped");
    expect(skipped.length).toBeGreaterThan(0);
    expect(skipped.map((s) => s.stepId).sort()).toEqual(dependentsOf(x.plan, stuck.id).sort());
    for (const s of skipped) expect(s.reason).toBe("upstream-failed");
    othersSucceeded(x, a, "fhir-rbac");
    expectNothingForbidden(x);
  });

  it("waits for a key role that propagates in 10 min within a 15-min --propagation-timeout", async () => {
    const x = await start({ rolePropagationMs: 10 * MIN });
    const a = await apply(x, { propagationTimeoutMs: 15 * MIN });
    await expectCompleted(x, a);
    const fhir = stepOf(x.plan, "fhir-rbac", "create-fhir-service");
    // The create failed KeyVaultAccessForbidden at least once and was sent again (each PUT journaled its operation).
    expect(a.records.filter((r) => r.type === "step-operation-accepted" && r.stepId === fhir.id).length).toBeGreaterThan(1);
    expectNothingForbidden(x);
  });

  it("fails the FHIR create naming role propagation when --propagation-timeout is 3 min", async () => {
    const x = await start({ rolePropagationMs: 10 * MIN });
    const a = await apply(x, { propagationTimeoutMs: 3 * MIN });
    expect(a.summary.outcome).toBe("failed-steps");
    const fhir = stepOf(x.plan, "fhir-rbac", "create-fhir-service");
    expect(a.records.filter((r) => r.type === "step-skipped").length).toBeGreaterThan(0);
    const failed = a.summary.steps.filter((s) => s.status === "failed");
    expect(failed.map((s) => s.stepId)).toEqual([fhir.id]);
    expect(failed[0]!.error?.code).toBe("RolePropagationTimeout");
    expect(failed[0]!.error?.message).toContain("3 min");
    expect(failed[0]!.error?.message).toContain("KeyVaultAccessForbidden");
    for (const s of a.summary.steps.filter((y) => y.status === "skipped")) expect(s.reason).toBe("upstream-failed");
    expect(a.summary.steps.filter((s) => s.status === "skipped").map((s) => s.stepId).sort()).toEqual(dependentsOf(x.plan, fhir.id).sort());
    othersSucceeded(x, a, "fhir-rbac");
    expectNothingForbidden(x);
  });
});

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
