// Titles from the request (issue 10 §2): the planner's own titles read the same for every step of the
// example plan, and an edited request shows what it now asks, whatever title the file still carries.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Plan } from "../domain/plan.js";
import { stepTitle } from "./step-title.js";

const EXAMPLE = JSON.parse(readFileSync(fileURLToPath(new URL("../../plans/example.plan.json", import.meta.url)), "utf8")) as Plan;

describe("stepTitle", () => {
  it("says what the planner's title says, for every step of the example plan", () => {
    expect(EXAMPLE.steps.map((s) => stepTitle(EXAMPLE.steps, s))).toEqual(EXAMPLE.steps.map((s) => s.title));
  });

  it("shows an Owner grant at a resource group to a foreign principal as that, not as the title it kept", () => {
    const p = structuredClone(EXAMPLE);
    const s = p.steps.find((x) => x.kind === "grant-key-role")!;
    const rg = /\/subscriptions\/[^/]+\/resourceGroups\/[^/]+/.exec(s.request.url)![0];
    s.request.url = `https://management.azure.com${rg}/providers/Microsoft.Authorization/roleAssignments/11111111-2222-4333-8444-555555555555?api-version=2022-04-01`;
    const props = (s.request.body as { properties: Record<string, unknown> }).properties;
    props.roleDefinitionId = String(props.roleDefinitionId).replace(/[0-9a-f-]{36}$/, "8e3af657-a8ff-443c-a75c-2fe8c4bcb635");
    props.principalId = "99999999-9999-4999-8999-999999999999";
    expect(stepTitle(p.steps, s)).toBe(`role 8e3af657-a8ff-443c-a75c-2fe8c4bcb635 for principal 99999999-9999-4999-8999-999999999999 on ${rg}`);
    expect(s.title).toMatch(/^Key Vault Crypto Service Encryption User for /);
  });

  it("shows every permission an access policy asks for", () => {
    const p = structuredClone(EXAMPLE);
    const s = p.steps.find((x) => x.kind === "grant-key-access-policy")!;
    const policy = (s.request.body as { properties: { accessPolicies: { permissions: Record<string, string[]> }[] } }).properties.accessPolicies[0]!;
    policy.permissions = { keys: ["all"], secrets: ["get", "list"] };
    expect(stepTitle(p.steps, s)).toMatch(/^Access policy \(keys: all; secrets: get, list\) for id-[\w-]+ in vault /);
  });
});
