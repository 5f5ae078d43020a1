import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Plan, PlanStep } from "../domain/plan.js";
import { firstPlanDifference } from "./plan-difference.js";

const EXAMPLE = JSON.parse(readFileSync(fileURLToPath(new URL("../../plans/example.plan.json", import.meta.url)), "utf8")) as Plan;
const copy = (): Plan => structuredClone(EXAMPLE);
const stepOf = (p: Plan, kind: PlanStep["kind"]) => p.steps.find((s) => s.kind === kind)!;
type Props = Record<string, unknown>;
const props = (s: PlanStep) => (s.request.body as { properties: Props }).properties;

describe("firstPlanDifference", () => {
  it("finds none between a plan and itself, nor in what is not compared (titles, findings, createdAt, digest) or an ARM path's case", () => {
    const p = copy();
    for (const s of p.steps) s.title = "anything";
    p.accounts[0]!.findings = [];
    p.accounts[0]!.followUps = ["another"];
    p.createdAt = "2030-01-01T00:00:00.000Z";
    p.digest = "sha256:0";
    const s = stepOf(p, "ensure-identity");
    s.request.url = s.request.url.replace("/resourceGroups/", "/RESOURCEGROUPS/");
    s.dependsOn.reverse();
    expect(firstPlanDifference(p, EXAMPLE)).toBeNull();
  });

  it("names the first differing field of a step's body, with both values", () => {
    const p = copy();
    const s = stepOf(p, "create-fhir-service");
    (s.request.body as Props).kind = "fhir-Stu3";
    expect(firstPlanDifference(p, EXAMPLE)).toBe(`step ${s.id}: body.kind is "fhir-Stu3", but it makes "fhir-R4"`);
  });

  it("names a URL that differs beyond case, a changed api-version, the kind, longRunning and outputs", () => {
    const url = copy();
    const u = stepOf(url, "ensure-workspace");
    const want = u.request.url;
    u.request.url = want.replace(/api-version=[^&]+/, "api-version=2021-01-01");
    expect(firstPlanDifference(url, EXAMPLE)).toBe(`step ${u.id}: it asks ${u.request.url}, but it makes ${want}`);
    const lr = copy();
    stepOf(lr, "ensure-workspace").longRunning = false;
    expect(firstPlanDifference(lr, EXAMPLE)).toContain("longRunning is false, but it makes true");
    const out = copy();
    stepOf(out, "ensure-identity").outputs.push("clientSecret");
    expect(firstPlanDifference(out, EXAMPLE)).toMatch(/: outputs\[\d\] is "clientSecret", but it makes absent$/);
  });

  it("names a step the plan has and the planner does not make, and one the planner makes and the plan lacks", () => {
    const extra = copy();
    const grant = structuredClone(stepOf(extra, "grant-data-role"));
    grant.id = `${grant.id}-2`;
    extra.steps.push(grant);
    expect(firstPlanDifference(extra, EXAMPLE)).toMatch(new RegExp(`^step ${grant.id.replace(/[/.]/g, "\\$&")} is not one it makes \\(for that account it makes \\d+ other step\\(s\\)\\)$`));
    const fewer = copy();
    const dropped = fewer.steps.pop()!;
    expect(firstPlanDifference(fewer, EXAMPLE)).toBe(`it makes step ${dropped.id} (${dropped.kind}), which the plan lacks`);
  });

  it("names an account planned in the file that the planner would not plan now, with the planner's reason", () => {
    const rebuilt = copy();
    const a = rebuilt.accounts.find((x) => x.status === "planned")!;
    a.status = "not-planned";
    a.notPlanned = [{ code: "rbac-assignments-unreadable", message: "its role assignments could not be read", resolve: "--accept" }];
    expect(firstPlanDifference(EXAMPLE, rebuilt)).toBe(
      `account ${a.name} is planned, but it would not plan it now (rbac-assignments-unreadable: its role assignments could not be read)`);
    expect(firstPlanDifference(rebuilt, EXAMPLE)).toBe(`account ${a.name} is not-planned, but it plans it now`);
  });

  it("names accounts selected on one side only, and a target or key linkage that differs while the steps agree", () => {
    const fewer = copy();
    const gone = fewer.accounts.pop()!;
    expect(firstPlanDifference(fewer, EXAMPLE)).toBe(`it selects account ${gone.name} (${gone.status}), which the plan lacks`);
    expect(firstPlanDifference(EXAMPLE, fewer)).toBe(`account ${gone.name} is not one it selects`);
    const target = copy();
    const a = target.accounts.find((x) => x.status === "planned")!;
    a.target.fhirUrl = "https://elsewhere.example";
    expect(firstPlanDifference(target, EXAMPLE)).toBe(
      `account ${a.name}: target.fhirUrl is "https://elsewhere.example", but it makes "${EXAMPLE.accounts.find((x) => x.id === a.id)!.target.fhirUrl}"`);
  });

  it("compares a $fromStep reference like any other value", () => {
    const p = copy();
    const s = stepOf(p, "grant-key-role");
    props(s).principalId = { $fromStep: stepOf(p, "ensure-workspace").id, output: "principalId" };
    expect(firstPlanDifference(p, EXAMPLE)).toMatch(new RegExp(`^step [^:]+: body\\.properties\\.principalId\\.\\$fromStep is "${stepOf(p, "ensure-workspace").id}", but it makes "`));
  });
});
