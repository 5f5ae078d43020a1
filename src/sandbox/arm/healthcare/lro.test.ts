import { describe, expect, it } from "vitest";
import type { OperationRecord } from "../../estate-types.js";
import { SandboxState } from "../../state.js";
import { baseEstate } from "../../../../test/fixtures/estate-builders.js";
import { operationDurationMs, operationResultBody, retryAfterSeconds } from "./lro.js";

const op = (o: Partial<OperationRecord> = {}): OperationRecord => ({
  id: "op1", subscriptionId: "s", location: "westeurope", provider: "Microsoft.HealthcareApis", resourceId: "/x",
  resourceType: "Microsoft.HealthcareApis/workspaces", method: "PUT", startedAt: 1_000, endsAt: 3_500, ...o,
});

describe("operation duration", () => {
  it("uses the resource type's duration (case-insensitive), else default, else 0", () => {
    const s = new SandboxState(baseEstate({ behaviour: { operationDurationMs: { "microsoft.healthcareapis/workspaces": 700, default: 50 } } }));
    expect(operationDurationMs(s, "Microsoft.HealthcareApis/workspaces")).toBe(700);
    expect(operationDurationMs(s, "Microsoft.HealthcareApis/workspaces/fhirservices")).toBe(50);
    expect(operationDurationMs(new SandboxState(baseEstate()), "Microsoft.HealthcareApis/workspaces")).toBe(0);
  });
});

describe("Retry-After of a running operation", () => {
  it("is the remaining seconds rounded up, clamped to 0..10", () => {
    expect(retryAfterSeconds(op(), 1_000)).toBe(3);
    expect(retryAfterSeconds(op(), 3_400)).toBe(1);
    expect(retryAfterSeconds(op(), 9_000)).toBe(0);
    expect(retryAfterSeconds(op({ endsAt: 60_000 }), 1_000)).toBe(10);
  });
  it("is the maximum for a stuck operation", () => {
    expect(retryAfterSeconds(op({ stuckState: "Suspended" }), 9_000)).toBe(10);
  });
});

describe("OperationResultsDescription", () => {
  it("is Running without endTime or error while undecided", () => {
    expect(operationResultBody(op(), 2_000)).toEqual({
      id: "/subscriptions/s/providers/Microsoft.HealthcareApis/locations/westeurope/operationresults/op1",
      name: "op1", status: "Running", startTime: new Date(1_000).toISOString(), properties: {},
    });
  });
  it("carries endTime and error{code,message} once Failed", () => {
    const b = operationResultBody(op({ status: "Failed", error: { code: "KeyVaultAccessForbidden", message: "m" } }), 9_000);
    expect(b["status"]).toBe("Failed");
    expect(b["endTime"]).toBe(new Date(3_500).toISOString());
    expect(b["error"]).toEqual({ code: "KeyVaultAccessForbidden", message: "m" });
  });
  it("has no error once Succeeded", () => {
    expect(operationResultBody(op({ status: "Succeeded" }), 9_000)["error"]).toBeUndefined();
  });
});
