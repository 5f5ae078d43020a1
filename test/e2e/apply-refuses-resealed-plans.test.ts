// A plan file is untrusted input (issue 10 §1): an attacker who can edit it re-seals it with the project's own
// sealPlan. Through the built CLI against a sandbox child, each re-sealed edit below is refused by `apply`
// before its first request — exit 3, one line naming the step and the rule, no write request in the
// sandbox's log, no journal — while the step's title still reads as planned. `status` and `plan --check`
// refuse it the same way. The edits the step rules cannot judge alone (they need the account's facts: a FHIR
// data grant's principal, tags, the recorded choices, an added dependency) are refused by re-deriving the
// plan from its choices and Azure's facts (issue 10 §3), naming the first difference; `plan --check` too.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Plan, PlanStep } from "../../src/domain/plan.js";
import { sealPlan } from "../../src/planner/digest.js";
import { renderPlanMarkdown } from "../../src/planner/render-markdown.js";
import { writePlanFiles } from "../../src/cli/plan-files.js";
import { ACCOUNTS, startCliSandbox, threeAccountEstate, writeEstate, type AdminRequest, type CliSandbox } from "./apply-cli-estate.js";
import { runCli, tempDir } from "./cli-process.js";
import { addPrincipal, resourceGroupId } from "../fixtures/estate-builders.js";

const dir = tempDir("ahds-e2e-resealed-");
const OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
const FOREIGN = "99999999-9999-4999-8999-999999999999";
let sb: CliSandbox;
let plan: Plan;
let clinician: string;

beforeAll(async () => {
  // fhir-ap names a clinician in its access policies, so the plan grants FHIR Data Contributor at its new service.
  const estate = threeAccountEstate();
  clinician = addPrincipal(estate, { displayName: "Clinician", type: "User" }).objectId;
  const ap = estate.resources.find((r) => r.name === "fhir-ap")!;
  (ap.properties as { accessPolicies: { objectId: string }[] }).accessPolicies = [{ objectId: clinician }];
  sb = await startCliSandbox(dir, "sandbox", writeEstate(dir, estate), join(dir, "ca"));
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

const REDERIVED = "is refused: it is not what `plan` makes from its recorded choices and Azure's facts now: ";
const dataGrantOf = (p: Plan, principal: string) =>
  p.steps.find((s) => s.kind === "grant-data-role" && props(s).principalId === principal)!;

/** Re-sealed edits only the plan made again can judge; `says` is the first difference the refusal names. */
const REDERIVED_EDITS: { name: string; edit: (p: Plan) => string }[] = [
  { name: "the FHIR data grant at the planned FHIR service given to a foreign principal", edit: (p) => {
    const s = dataGrantOf(p, clinician);
    props(s).principalId = FOREIGN;
    return `step ${s.id}: body.properties.principalId is "${FOREIGN}", but it makes "${clinician}".`;
  } },
  { name: "a tag added to a workspace", edit: (p) => {
    const s = stepOf(p, "ensure-workspace");
    (s.request.body as { tags: Record<string, string> }).tags.owner = "someone";
    return `step ${s.id}: body.tags.owner is "someone", but it makes absent.`;
  } },
  { name: "an account dropped from the recorded choices, its steps kept", edit: (p) => {
    p.choices.accounts = (p.choices.accounts as string[]).filter((a) => !a.endsWith("/fhir-nocmk"));
    return "account fhir-nocmk is not one it selects.";
  } },
  { name: "a dependency added", edit: (p) => {
    const s = dataGrantOf(p, clinician);
    const ws = p.steps.find((x) => x.kind === "ensure-workspace" && x.accountId === s.accountId)!;
    s.dependsOn = [...s.dependsOn, ws.id];
    // Compared in code-point order: …/create-fhir-service, then …/ensure-workspace.
    return `step ${s.id}: dependsOn[1] is "${ws.id}", but it makes absent.`;
  } },
];

async function writesSince(before: number): Promise<AdminRequest[]> {
  const log = (await sb.admin<AdminRequest[]>("GET", "/_sandbox/requests")).slice(before);
  // Graph's getByIds is a POST the sandbox logs as a read; the token endpoint's POSTs are sign-ins.
  return log.filter((r) => r.kind !== "read" && r.host !== "127.0.0.1" && !/\/oauth2\//.test(r.path));
}

/** `apply` of the re-sealed edit: exit 3, one line containing `says`, nothing written, nothing journaled. */
async function applyRefused(edited: Plan, name: string, says: string): Promise<string> {
  const path = join(dir, `edited-${name}.plan.json`);
  // The attacker re-renders the Markdown too, so `plan --check` gets past its digest.
  const sealed = sealPlan(edited);
  await writePlanFiles(path, sealed, renderPlanMarkdown(sealed));
  const before = (await sb.admin<AdminRequest[]>("GET", "/_sandbox/requests")).length;
  const applied = await runCli(["apply", path, "--yes"], { env: sb.env });
  expect(applied.code, applied.stderr).toBe(3);
  expect(applied.stderr.split("\n")[0]!).toContain(says);
  expect(applied.stderr).not.toMatch(/\n\s+at /);
  expect(await writesSince(before)).toEqual([]);
  expect(existsSync(path.replace(/\.plan\.json$/, ".journal.jsonl"))).toBe(false);
  return path;
}

describe("apply refuses a re-sealed plan that asks for more than the planner writes", () => {
  it.each(EDITS)("$name: exit 3 naming the step and the $rule rule, nothing sent, nothing journaled", async ({ edit, rule }) => {
    const edited = structuredClone(plan);
    const step = edit(edited);
    const path = await applyRefused(edited, `${rule}-${step.kind}`, `is refused: step ${step.id} breaks the ${rule} rule: it `);
    for (const args of [["status", path], ["plan", "--check", path]]) {
      const other = await runCli(args, { env: sb.env });
      expect(other.code, `${args[0]}: ${other.stderr}`).toBe(3);
      expect(other.stderr).toContain(`step ${step.id} breaks the ${rule} rule`);
    }
  });

  it.each(REDERIVED_EDITS)("$name: exit 3 naming the first difference from the plan made again, nothing sent", async ({ name, edit }) => {
    const edited = structuredClone(plan);
    const says = edit(edited);
    const path = await applyRefused(edited, name.replace(/\W+/g, "-"), `${REDERIVED}${says}`);
    const checked = await runCli(["plan", "--check", path], { env: sb.env });
    expect(checked.code, checked.stderr).toBe(3);
    expect(checked.stderr).toContain(`${REDERIVED}${says}`);
    expect(checked.stderr).toContain("Re-plan with the same choices and review the new plan: ahds-migrate plan --account");
  });

  it("the plan as planned still applies", async () => {
    const path = join(dir, "untouched.plan.json");
    writeFileSync(path, JSON.stringify(plan, null, 2));
    const applied = await runCli(["apply", path, "--yes"], { env: sb.env });
    expect(applied.code, applied.stderr).toBe(0);
  });
});
