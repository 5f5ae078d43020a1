// The apply benchmark's arithmetic (apply-stats.ts) on hand-made journals and logs: step durations from
// started → terminal records, the longest weighted chain through the DAG, polls per operation against
// ceil(duration ÷ Retry-After) + 2, and the target type of an ARM path.
import { describe, expect, it } from "vitest";
import type { JournalRecord } from "../../src/domain/journal.js";
import type { PlanStep } from "../../src/domain/plan.js";
import type { RequestLogEntry } from "../../src/sandbox/request-log.js";
import { armTargetOf, criticalPath, operationIdOf, pollsPerOperation, stepDurations } from "./apply-stats.js";

const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms).toISOString();
let seq = 0;
const rec = (type: JournalRecord["type"], stepId: string, ms: number): JournalRecord =>
  ({ v: 1, seq: ++seq, at: at(ms), runId: "r", type, stepId }) as JournalRecord;
const step = (id: string, accountId: string, dependsOn: string[] = []): PlanStep =>
  ({ id, accountId, kind: id.split("/")[1], title: id, dependsOn, request: { method: "PUT", url: "https://x", body: {} }, longRunning: false, outputs: [] }) as unknown as PlanStep;

describe("apply benchmark statistics", () => {
  it("measures each step from its last start to its terminal record", () => {
    const d = stepDurations([
      rec("step-started", "a/ws", 0), rec("step-succeeded", "a/ws", 2000),
      rec("step-started", "a/fhir", 2000), rec("step-failed", "a/fhir", 2500),
      rec("step-started", "a/fhir", 3000), rec("step-succeeded", "a/fhir", 7000),
      rec("step-started", "a/id", 100),
    ]);
    expect(Object.fromEntries(d)).toEqual({ "a/ws": 2000, "a/fhir": 4000 });
  });

  it("takes the longest weighted chain, not the longest by step count", () => {
    const steps = [step("a/ws", "a"), step("a/id", "a"), step("a/grant", "a", ["a/id"]), step("a/fhir", "a", ["a/ws", "a/grant"]),
      step("b/ws", "b")];
    const d = new Map([["a/ws", 2000], ["a/id", 100], ["a/grant", 100], ["a/fhir", 4000], ["b/ws", 5000]]);
    const cp = criticalPath(steps, d, 2);
    expect(cp.ms).toBe(6000);
    expect(cp.accountId).toBe("a");
    expect(cp.chain.map((x) => x.stepId)).toEqual(["a/ws", "a/fhir"]);
    expect(cp.concurrencyBoundMs).toBe(11_200 / 2);
  });

  it("counts GETs of each operation's status URL against ceil(duration ÷ Retry-After) + 2", () => {
    const url = "https://management.azure.com/subscriptions/s/providers/Microsoft.HealthcareApis/locations/westeurope/operationresults/ABC?api-version=1";
    expect(operationIdOf(url)).toBe("abc");
    const get = (path: string, method = "GET") => ({ method, path } as RequestLogEntry);
    const path = new URL(url).pathname;
    const polls = pollsPerOperation(
      [{ id: "ABC", resourceType: "t", startedAt: 0, endsAt: 4000 }, { id: "def", resourceType: "t", startedAt: 0, endsAt: 4000 }],
      [get(path), get(path), get(path, "PUT"), get(path.replace("ABC", "def"))],
      new Map([["abc", 4], ["def", 1]]),
    );
    expect(polls.map((p) => [p.id, p.polls, p.goal])).toEqual([["abc", 2, 3], ["def", 1, 6]]);
  });

  it("names the target type of an ARM path", () => {
    expect(armTargetOf("/subscriptions/s/resourceGroups/rg")).toBe("resourceGroups");
    expect(armTargetOf("/subscriptions/s/resourceGroups/rg/providers/Microsoft.HealthcareApis/workspaces/w/fhirservices/f")).toBe("workspaces/fhirservices");
    expect(armTargetOf("/subscriptions/s/resourceGroups/rg/providers/Microsoft.HealthcareApis/workspaces/w/fhirservices")).toBe("workspaces/fhirservices (list)");
    expect(armTargetOf("/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/v/keys/k/providers/Microsoft.Authorization/roleAssignments/6b2f0a51-0000-4000-8000-000000000001"))
      .toBe("roleAssignments");
  });
});
