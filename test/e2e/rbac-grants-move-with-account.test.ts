// Azure RBAC data-plane access moves with the account (issue 9 §1), through the built CLI against a
// sandbox child: an account whose clients hold FHIR data roles on its own scope (a built-in Reader for a
// user, Writer for an app, a custom role that names the AHDS actions for a group), plus a Contributor
// inherited from the resource group, and a second account whose custom role names legacy actions only.
// inventory reads one atScope() listing per account; the plan copies the three direct grants to the new
// FHIR service; apply creates exactly them and verify exit 0; the legacy-only custom role keeps its account
// out of the plan until accepted, then is a follow-up.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Plan } from "../../src/domain/plan.js";
import type { Estate } from "../../src/sandbox/estate-types.js";
import {
  accountId, addAccount, addCustomRoleDefinition, addPrincipal, addRoleAssignment, baseEstate, resourceGroupId, ROLE_IDS,
} from "../fixtures/estate-builders.js";
import { startCliSandbox, writeEstate, type AdminRequest, type AdminResource, type CliSandbox } from "./apply-cli-estate.js";
import { runCli, tempDir } from "./cli-process.js";

const dir = tempDir("ahds-e2e-rbac-");
const GRANTED = accountId("fhir-granted");
const LEGACY_ONLY = accountId("fhir-legacyrole");
const READER = "4c8d0bbc-75d3-4935-991f-5f3c56d81508";
const WRITER = "3f88fce4-5892-4214-ae73-ba5294559913";
let customGuid = "";
let legacyGuid = "";
let user = "", app = "", group = "", inheritedUser = "";

function estate(): Estate {
  const e = baseEstate({ behaviour: { operationDurationMs: { default: 0 }, rolePropagationMs: 0 } });
  addAccount(e, { name: "fhir-granted", keyUri: null });
  addAccount(e, { name: "fhir-legacyrole", keyUri: null });
  user = addPrincipal(e, { displayName: "clinician", type: "User" }).objectId;
  app = addPrincipal(e, { displayName: "ingest-app", type: "ServicePrincipal" }).objectId;
  group = addPrincipal(e, { displayName: "analysts", type: "Group" }).objectId;
  inheritedUser = addPrincipal(e, { displayName: "ops", type: "User" }).objectId;
  customGuid = addCustomRoleDefinition(e, { name: "Contoso FHIR Search", dataActions: [
    "Microsoft.HealthcareApis/services/fhir/resources/read", "Microsoft.HealthcareApis/workspaces/fhirservices/resources/read"] });
  legacyGuid = addCustomRoleDefinition(e, { name: "Legacy FHIR Read", dataActions: ["Microsoft.HealthcareApis/services/fhir/resources/read"] });
  addRoleAssignment(e, { scope: GRANTED, role: READER, principalId: user, principalType: "User" });
  addRoleAssignment(e, { scope: GRANTED, role: WRITER, principalId: app, principalType: "ServicePrincipal" });
  addRoleAssignment(e, { scope: GRANTED, role: customGuid, principalId: group, principalType: "Group" });
  addRoleAssignment(e, { scope: resourceGroupId(), role: ROLE_IDS.fhirDataContributor, principalId: inheritedUser, principalType: "User" });
  addRoleAssignment(e, { scope: LEGACY_ONLY, role: legacyGuid, principalId: user, principalType: "User" });
  return e;
}

let sb: CliSandbox;
beforeAll(async () => { sb = await startCliSandbox(dir, "sandbox", writeEstate(dir, estate()), join(dir, "ca")); });
afterAll(async () => { await sb?.stop(); });

interface Doc { accounts: { id: string; verdict: string; findings: { code: string; message: string }[] }[] }
const account = (doc: Doc, id: string) => doc.accounts.find((a) => a.id.toLowerCase() === id.toLowerCase())!;
const listings = (log: AdminRequest[]) => log.filter((r) => r.method === "GET" && /\/providers\/Microsoft\.Authorization\/roleAssignments$/i.test(decodeURIComponent(r.path)));

describe("Azure RBAC grants on the account move with it", () => {
  it("inventory: one atScope() listing per account; copied, inherited and unmapped grants are named", async () => {
    const before = (await sb.admin<AdminRequest[]>("GET", "/_sandbox/requests")).length;
    const run = await runCli(["inventory", "--json"], { env: sb.env });
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as Doc;
    const granted = account(doc, GRANTED);
    expect(granted.verdict).toBe("ready");
    expect(granted.findings.find((f) => f.code === "rbac-data-roles-copied")?.message).toMatch(/^3 role assignments on fhir-granted \(.*FHIR Data Reader.*\) will be copied/);
    expect(granted.findings.find((f) => f.code === "rbac-inherited-data-access")?.message).toContain(`FHIR Data Contributor for User ${inheritedUser} at resource group rg-fhir`);
    const legacy = account(doc, LEGACY_ONLY);
    expect(legacy.verdict).toBe("needs-action");
    expect(legacy.findings.map((f) => f.code)).toContain("rbac-custom-role-unmapped");
    const log = (await sb.admin<AdminRequest[]>("GET", "/_sandbox/requests")).slice(before);
    const perAccount = listings(log).map((r) => decodeURIComponent(r.path).replace(/\/providers\/Microsoft\.Authorization\/roleAssignments$/i, "").toLowerCase());
    expect(perAccount.sort()).toEqual([GRANTED.toLowerCase(), LEGACY_ONLY.toLowerCase()].sort());
    expect(listings(log).map((r) => (r as AdminRequest & { query: Record<string, string> }).query.$filter)).toEqual(["atScope()", "atScope()"]);
  });

  it("plan copies the three direct grants; apply makes exactly them at the new FHIR service; verify exit 0", async () => {
    const planPath = join(dir, "granted.plan.json");
    const planned = await runCli(["plan", "--account", GRANTED, "--out", planPath], { env: sb.env });
    expect(planned.code, planned.stderr).toBe(0);
    const plan = JSON.parse(readFileSync(planPath, "utf8")) as Plan;
    const copies = plan.steps.filter((s) => s.id.includes("/grant-data-role/rbac/"));
    expect(copies.map((s) => s.title.split(" for ")[0]).sort()).toEqual(["Contoso FHIR Search", "FHIR Data Reader", "FHIR Data Writer"]);
    const md = readFileSync(join(dir, "granted.plan.md"), "utf8");
    expect(md).toContain("3 copied to the FHIR service");

    const applied = await runCli(["apply", planPath, "--yes"], { env: sb.env });
    expect(applied.code, applied.stderr).toBe(0);
    const fhirId = plan.accounts[0]!.target.fhirServiceId.toLowerCase();
    const resources = await sb.admin<AdminResource[]>("GET", "/_sandbox/resources");
    const atTarget = resources.filter((r) => r.type === "Microsoft.Authorization/roleAssignments"
      && String(r.properties?.scope ?? "").toLowerCase() === fhirId)
      .map((r) => [String(r.properties?.principalId), String(r.properties?.roleDefinitionId).split("/").pop(), r.properties?.principalType]);
    expect(atTarget.sort()).toEqual([[user, READER, "User"], [app, WRITER, "ServicePrincipal"], [group, customGuid, "Group"]].sort());
    const verified = await runCli(["verify", planPath], { env: sb.env });
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
  });

  it("the legacy-only custom role: not planned until accepted, then a follow-up and no grant", async () => {
    const refused = await runCli(["plan", "--account", LEGACY_ONLY], { env: sb.env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`--accept ${LEGACY_ONLY}=rbac-custom-role-unmapped`);
    const accepted = await runCli(["plan", "--account", LEGACY_ONLY, "--accept", `${LEGACY_ONLY}=rbac-custom-role-unmapped`, "--json"], { env: sb.env });
    expect(accepted.code, accepted.stderr).toBe(0);
    const plan = JSON.parse(accepted.stdout) as Plan;
    expect(plan.steps.filter((s) => s.id.includes("/rbac/"))).toEqual([]);
    expect(plan.accounts[0]!.followUps.join("\n")).toContain(`Grant Legacy FHIR Read on ${plan.accounts[0]!.target.fhirServiceId} to ${user} yourself`);
  });
});
