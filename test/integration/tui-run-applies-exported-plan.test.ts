// The TUI's `a` wiring (src/cli/tui-run.ts) on the demo estate, with the real executors and SDK clients
// through the sandbox: it applies the EXPORTED plan file (lock + journal next to it), hands the UI exactly
// the journaled records, honours pause (no step is started, let alone sent to Azure, until resume), releases the lock, and its
// verify finds Azure as planned.
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAzureSession, type AzureSession } from "../../src/azure/azure-session.js";
import { parsePlanChoices } from "../../src/cli/plan-choices.js";
import { exportPlanToDir } from "../../src/cli/plan-export.js";
import { planFromAzure } from "../../src/cli/plan-run.js";
import { planPaths } from "../../src/cli/plan-files.js";
import { tuiRunActions } from "../../src/cli/tui-run.js";
import type { JournalRecord } from "../../src/domain/journal.js";
import type { Plan } from "../../src/domain/plan.js";
import { demoEstate } from "../../src/sandbox/demo-estate.js";
import type { Sandbox } from "../../src/sandbox/server.js";
import { FAST_RETRY } from "../fixtures/inventory-estates.js";
import { startTestSandbox } from "../helpers/sandbox.js";

let sandbox: Sandbox;
let session: AzureSession;
let plan: Plan;
let jsonPath: string;

beforeAll(async () => {
  const estate = demoEstate();
  estate.behaviour.operationDurationMs = { default: 20 };
  estate.behaviour.rolePropagationMs = 0;
  sandbox = await startTestSandbox(estate);
  session = createAzureSession(estate.cloud, FAST_RETRY);
  ({ plan } = await planFromAzure(session, parsePlanChoices({ allReady: true }, estate.cloud), { toolVersion: "0.0.0-test" }));
  ({ jsonPath } = await exportPlanToDir(plan, mkdtempSync(path.join(tmpdir(), "ahds-tui-run-"))));
}, 120_000);

afterAll(async () => {
  await sandbox?.close();
});

describe("the TUI's startRun", () => {
  it("starts no step while paused, then applies the exported plan, reporting exactly the journaled records; verify finds no difference", async () => {
    const runs = tuiRunActions({
      ctx: { cloud: plan.cloud, debug: false, profile: undefined, profilePath: undefined },
      session: () => session, planPathOf: (p) => (p.planId === plan.planId ? jsonPath : undefined), concurrency: 3,
    });
    const seen: JournalRecord[] = [];
    let runStarted: () => void = () => undefined;
    const started = new Promise<void>((res) => { runStarted = res; });
    const handle = runs.startRun(plan, (r) => {
      seen.push(r);
      if (r.type === "run-started") runStarted();
    });
    handle.pause();
    await started;
    const putsBefore = sandbox.requests().filter((r) => r.method === "PUT").length;
    // One full HTTPS round trip through the sandbox: time enough for an unheld executor to read or write.
    await session.subscriptions().subscriptions.get(plan.accounts[0]!.subscriptionId);
    // Paused before any step: nothing journaled as started, so nothing is left in doubt by the pause.
    expect(seen.map((x) => x.type)).toEqual(["run-started"]);
    expect(sandbox.requests().filter((r) => r.method === "PUT").length).toBe(putsBefore);
    expect(existsSync(planPaths(jsonPath).lock)).toBe(true);
    handle.resume();
    const summary = await handle.done;
    expect(summary.outcome, JSON.stringify(seen.filter((r) => r.type === "step-failed"))).toBe("completed");
    const journal = readFileSync(planPaths(jsonPath).journal, "utf8").trim().split("\n").map((l) => JSON.parse(l) as JournalRecord);
    expect(seen).toEqual(journal);
    expect(seen.filter((r) => r.type === "step-succeeded")).toHaveLength(plan.steps.length);
    expect(existsSync(planPaths(jsonPath).lock)).toBe(false);
    expect(handle.stats().throttled429).toBe(0);
    expect(await runs.verify!(plan)).toEqual({ differences: [] });
  });

  it("refuses a plan that was not exported, without touching Azure", async () => {
    const runs = tuiRunActions({ ctx: { cloud: plan.cloud, debug: false, profile: undefined, profilePath: undefined }, session: () => session, planPathOf: () => undefined });
    const before = sandbox.requests().length;
    await expect(runs.startRun(plan, () => undefined).done).rejects.toThrow(`${plan.planId} is not exported yet.`);
    expect(sandbox.requests().length).toBe(before);
  });
});
