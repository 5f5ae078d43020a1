// A plan file is untrusted input (issue 10 §1): an attacker who can edit it re-seals it with the project's own
// sealPlan. Through the built CLI against a sandbox child, each re-sealed edit below is refused by `apply`
// before its first request — exit 3, one line naming the step and the rule, no write request in the
// sandbox's log, no journal — while the step's title still reads as planned. `status` and `plan --check`
// refuse it the same way.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Plan, PlanStep } from "../../src/domain/plan.js";
import { sealPlan } from "../../src/planner/digest.js";
import { ACCOUNTS, startCliSandbox, threeAccountEstate, writeEstate, type AdminRequest, type CliSandbox } from "./apply-cli-estate.js";
import { runCli, tempDir } from "./cli-process.js";
import { resourceGroupId } from "../fixtures/estate-builders.js";

const dir = tempDir("ahds-e2e-resealed-");
const OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
const FOREIGN = "99999999-9999-4999-8999-999999999999";
let sb: CliSandbox;
let plan: Plan;

beforeAll(async () => {
  sb = await startCliSandbox(dir, "sandbox", writeEstate(dir, threeAccountEstate()), join(dir, "ca"));
  const planPath = join(dir, "three.plan.json");
  const planned = await runCli(["plan", ...ACCOUNTS.flatMap((a) => ["--account", a]), "--out", planPath], { env: sb.env });
  expect(planned.code, planned.stderr).toBe(0);
  plan = JSON.parse(readFileSync(planPath, "utf8")) as Plan;
});
afterAll(async () => { await sb?.stop(); });

const stepOf = (p: Plan, kind: PlanStep["kind"]) => p.steps.find((s) => s.kind === kind)!;
type Props = Record<string, unknown>;
const props = (s: PlanStep) => (s.request.body as { properties: Props }).properties;

const EDITS: { name: string; rule: string; edit: (p: Plan) => PlanStep }[] = [
  { name: "the key role changed to Owner at the resource group", rule: "scope", edit: (p) => {
    const s = stepOf(p, "grant-key-role");
    s.request.url = s.request.url.replace(/^(https:\/\/[^/]+).*\/providers\/Microsoft\.Authorization\/roleAssignments\//,
      `$1${resourceGroupId()}/providers/Microsoft.Authorization/roleAssignments/`);
    props(s).roleDefinitionId = String(props(s).roleDefinitionId).replace(/[0-9a-f-]{36}$/, OWNER);
    return s;
  } },
  { name: "the key role granted to a foreign principal", rule: "principal", edit: (p) => {
    const s = stepOf(p, "grant-key-role");
    props(s).principalId = FOREIGN;
    return s;
  } },
  { name: "an access policy with all key permissions", rule: "body", edit: (p) => {
    const s = stepOf(p, "grant-key-access-policy");
    ((props(s).accessPolicies as Props[])[0]!.permissions as Props).keys = ["all"];
    return s;
  } },
  { name: "a FHIR service in another resource group", rule: "url", edit: (p) => {
    const s = stepOf(p, "create-fhir-service");
    s.request.url = s.request.url.replace("/resourceGroups/rg-fhir/", "/resourceGroups/rg-elsewhere/");
    return s;
  } },
];

describe("apply refuses a re-sealed plan that asks for more than the planner writes", () => {
  it.each(EDITS)("$name: exit 3 naming the step and the $rule rule, nothing sent, nothing journaled", async ({ edit, rule }) => {
    const edited = structuredClone(plan);
    const step = edit(edited);
    const path = join(dir, `edited-${rule}-${step.kind}.plan.json`);
    writeFileSync(path, JSON.stringify(sealPlan(edited), null, 2));
    const before = (await sb.admin<AdminRequest[]>("GET", "/_sandbox/requests")).length;

    const applied = await runCli(["apply", path, "--yes"], { env: sb.env });
    expect(applied.code, applied.stderr).toBe(3);
    const first = applied.stderr.split("\n")[0]!;
    expect(first).toContain(`is refused: step ${step.id} breaks the ${rule} rule: it `);
    expect(applied.stderr).not.toMatch(/\n\s+at /);
    const log = (await sb.admin<AdminRequest[]>("GET", "/_sandbox/requests")).slice(before);
    expect(log.filter((r) => r.method !== "GET" && r.host !== "127.0.0.1" && !/\/oauth2\//.test(r.path))).toEqual([]);
    expect(existsSync(path.replace(/\.plan\.json$/, ".journal.jsonl"))).toBe(false);

    for (const args of [["status", path], ["plan", "--check", path]]) {
      const other = await runCli(args, { env: sb.env });
      expect(other.code, `${args[0]}: ${other.stderr}`).toBe(3);
      expect(other.stderr).toContain(`step ${step.id} breaks the ${rule} rule`);
    }
  });

  it("the plan as planned still applies", async () => {
    const path = join(dir, "untouched.plan.json");
    writeFileSync(path, JSON.stringify(plan, null, 2));
    const applied = await runCli(["apply", path, "--yes"], { env: sb.env });
    expect(applied.code, applied.stderr).toBe(0);
  });
});
