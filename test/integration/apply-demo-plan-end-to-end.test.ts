// The demo estate planned (--all-ready) and applied in process: discover → assess → buildPlan → runPlan with
// the real executors and SDK clients through the sandbox proxy. Every step succeeds; the sandbox then holds
// each FHIR service with the pinned key URL and its user-assigned identity, and every key grant (role at the
// key scope, or access policy); verifyPlan finds no difference — and finds the one a portal edit makes; a
// second run on the same journal sends no PUT; nothing is ever written to Microsoft.HealthcareApis/services.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAzureSession, type AzureSession } from "../../src/azure/azure-session.js";
import { realClock } from "../../src/azure/limiter-clock.js";
import { parsePlanChoices } from "../../src/cli/plan-choices.js";
import { planFromAzure } from "../../src/cli/plan-run.js";
import type { Plan } from "../../src/domain/plan.js";
import { EXECUTORS } from "../../src/runner/executors.js";
import { openJournal } from "../../src/runner/journal.js";
import { runPlan, type RunSummary } from "../../src/runner/run-plan.js";
import { verifyPlan } from "../../src/runner/verify.js";
import { demoEstate } from "../../src/sandbox/demo-estate.js";
import type { ArmResource } from "../../src/sandbox/estate-types.js";
import type { Sandbox } from "../../src/sandbox/server.js";
import { FAST_RETRY } from "../fixtures/inventory-estates.js";
import { startTestSandbox } from "../helpers/sandbox.js";

const ROLE_CRYPTO_USER = "e147488a-f6f5-4113-8e2d-b22465e65bf6";

let sandbox: Sandbox;
let session: AzureSession;
let plan: Plan;
let journalPath: string;
let first: RunSummary;
const seen: string[] = [];

const puts = () => sandbox.requests().filter((r) => r.method === "PUT");
const legacyWrites = () => sandbox.requests().filter((r) => r.method !== "GET" && r.method !== "HEAD"
  && /\/providers\/Microsoft\.HealthcareApis\/services\//i.test(decodeURIComponent(r.path)));
const res = (id: string): ArmResource | undefined => sandbox.state.getResource(id);
const lastSegment = (id: string) => id.split("/").filter(Boolean).at(-1)!;

async function run(): Promise<RunSummary> {
  const journal = await openJournal(journalPath, { clock: realClock });
  try {
    return await runPlan(plan, {
      session, journal, executors: EXECUTORS, concurrency: 4, clock: realClock,
      operationTimeoutMs: 60_000, propagationTimeoutMs: 60_000, onEvent: (r) => seen.push(`${r.seq}:${r.type}`),
    });
  } finally {
    await journal.close();
  }
}

beforeAll(async () => {
  const estate = demoEstate();
  estate.behaviour.operationDurationMs = { default: 20 };
  estate.behaviour.rolePropagationMs = 0;
  sandbox = await startTestSandbox(estate);
  session = createAzureSession(estate.cloud, FAST_RETRY);
  ({ plan } = await planFromAzure(session, parsePlanChoices({ allReady: true }, estate.cloud), { toolVersion: "0.0.0-test" }));
  plan = JSON.parse(JSON.stringify(plan)) as Plan;
  journalPath = path.join(mkdtempSync(path.join(tmpdir(), "ahds-apply-demo-")), "demo.journal.jsonl");
  first = await run();
}, 120_000);

afterAll(async () => {
  await sandbox?.close();
});

describe("apply of the demo plan (all ready accounts)", () => {
  it("succeeds at every step, and the journal holds each transition in order before it was heard of", () => {
    expect(plan.steps.length).toBeGreaterThan(10);
    expect(first.outcome, JSON.stringify(first.steps.filter((s) => s.status !== "succeeded"))).toBe("completed");
    expect(first.steps.every((s) => s.status === "succeeded")).toBe(true);
    expect(first.counts).toMatchObject({ succeeded: plan.steps.length, failed: 0, skipped: 0, pending: 0, inDoubt: 0 });
    const lines = readFileSync(journalPath, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { seq: number; type: string });
    expect(lines.map((l) => `${l.seq}:${l.type}`)).toEqual(seen);
    expect(lines[0]!.type).toBe("run-started");
    expect(lines.at(-1)).toMatchObject({ type: "run-finished", reason: "completed" });
    // Every long-running step journaled its operation URL before it was polled.
    const lro = plan.steps.filter((s) => s.longRunning).length;
    expect(lines.filter((l) => l.type === "step-operation-accepted")).toHaveLength(lro);
  });

  it("leaves each FHIR service with the pinned key URL and its identity, and each key grant in place", () => {
    const planned = plan.accounts.filter((a) => a.status === "planned");
    expect(planned.length).toBe(5);
    for (const a of planned) {
      const fhir = res(a.target.fhirServiceId);
      expect(fhir, a.name).toBeDefined();
      const props = fhir!.properties as { encryption?: { customerManagedKeyEncryption?: { keyEncryptionKeyUrl?: string } } };
      const identity = res(a.target.identityId);
      expect(identity, a.name).toBeDefined();
      const ids = Object.keys((fhir!.identity as { userAssignedIdentities?: Record<string, unknown> }).userAssignedIdentities ?? {});
      expect(ids.map((i) => i.toLowerCase())).toEqual([a.target.identityId.toLowerCase()]);
      const link = a.keyLinkage;
      if (!link) {
        expect(props.encryption?.customerManagedKeyEncryption?.keyEncryptionKeyUrl, a.name).toBeUndefined();
        continue;
      }
      expect(props.encryption?.customerManagedKeyEncryption?.keyEncryptionKeyUrl).toBe(link.targetKeyUrl);
      const principalId = (identity!.properties as { principalId: string }).principalId;
      if (link.role) {
        // The identity's grants on Key Vault (accounts that export also get one on their storage account).
        const grants = [...sandbox.state.resources.values()].filter((r) => r.type === "Microsoft.Authorization/roleAssignments"
          && (r.properties as { principalId: string }).principalId === principalId && /\/providers\/Microsoft\.KeyVault\//i.test((r.properties as { scope: string }).scope));
        expect(grants).toHaveLength(1);
        const p = grants[0]!.properties as { scope: string; roleDefinitionId: string };
        expect(p.scope.toLowerCase()).toBe(link.role.scope.toLowerCase());
        expect(p.scope).toMatch(/\/providers\/Microsoft\.KeyVault\/vaults\/[^/]+\/keys\/[^/]+$/i);
        expect(lastSegment(p.roleDefinitionId)).toBe(ROLE_CRYPTO_USER);
      } else {
        const vault = res(link.vaultId)!;
        const entry = (vault.properties as { accessPolicies: { objectId: string; permissions: { keys: string[] } }[] })
          .accessPolicies.find((e) => e.objectId === principalId);
        expect(entry?.permissions.keys.map((k) => k.toLowerCase()).sort()).toEqual(["get", "unwrapkey", "wrapkey"]);
      }
    }
  });

  it("verifyPlan finds no difference, then names the field a portal edit changed", async () => {
    expect(await verifyPlan(plan, session)).toEqual([]);
    const a = plan.accounts.find((x) => x.status === "planned" && x.keyLinkage)!;
    sandbox.patchResource(a.target.fhirServiceId, { properties: { corsConfiguration: { allowCredentials: true } } });
    try {
      const diffs = await verifyPlan(plan, session);
      expect(diffs.map((d) => [d.field, d.expected, d.actual])).toEqual([["properties.corsConfiguration.allowCredentials", "false", "true"]]);
      expect(diffs[0]!.accountId).toBe(a.id);
    } finally {
      sandbox.patchResource(a.target.fhirServiceId, { properties: { corsConfiguration: { allowCredentials: false } } });
    }
  });

  it("a second run on the same journal sends no PUT and re-runs nothing", async () => {
    const before = puts().length;
    expect(before).toBeGreaterThanOrEqual(plan.steps.length);
    const again = await run();
    expect(again.outcome).toBe("completed");
    expect(again.ranThisRun).toEqual([]);
    expect(puts().length).toBe(before);
  });

  it("never writes to an Azure API for FHIR account (Microsoft.HealthcareApis/services)", () => {
    expect(sandbox.requests().length).toBeGreaterThan(0);
    expect(legacyWrites()).toEqual([]);
  });
});
