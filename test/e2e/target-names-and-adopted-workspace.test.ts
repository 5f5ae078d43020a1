// Target names as Azure sees them, through the built CLI against a sandbox child (issue 9 §2):
// - a platform team pre-created the empty workspace `contosofhirdev` (no tags): inventory says ready with
//   target-exists, `plan --all-ready` adopts it (no workspace PUT, the Markdown names who created it) and
//   apply completes, verify exit 0, the workspace untouched;
// - `fhir-claims` and `fhirclaims` (other groups) derive the same name: the exact one keeps it, the other
//   needs `--name`, which plans it under the chosen names;
// - `fhirhidden` is held by a workspace in a subscription the caller cannot see: the plan cannot know, so
//   apply fails that step as WorkspaceNameTaken naming `--name`, and nothing else of that account runs.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Plan } from "../../src/domain/plan.js";
import type { Estate } from "../../src/sandbox/estate-types.js";
import { accountId, addAccount, addSubscription, baseEstate, LOCATION, resourceGroupId } from "../fixtures/estate-builders.js";
import { startCliSandbox, writeEstate, type AdminRequest, type AdminResource, type CliSandbox } from "./apply-cli-estate.js";
import { runCli, tempDir } from "./cli-process.js";

const dir = tempDir("ahds-e2e-names-");
const DEV = accountId("contoso-fhir-dev");
const CLAIMS_HYPHEN = accountId("fhir-claims", "rg-claims-a");
const CLAIMS = accountId("fhirclaims", "rg-claims-b");
const HIDDEN = accountId("fhir-hidden");
const DEV_WS = `${resourceGroupId()}/providers/Microsoft.HealthcareApis/workspaces/contosofhirdev`;

function estate(): Estate {
  const e = baseEstate({ behaviour: { operationDurationMs: { default: 0 }, rolePropagationMs: 0 } });
  addAccount(e, { name: "contoso-fhir-dev", keyUri: null });
  addAccount(e, { name: "fhir-claims", group: "rg-claims-a", keyUri: null });
  addAccount(e, { name: "fhirclaims", group: "rg-claims-b", keyUri: null });
  addAccount(e, { name: "fhir-hidden", keyUri: null });
  e.resources.push({
    id: DEV_WS, name: "contosofhirdev", type: "Microsoft.HealthcareApis/workspaces", location: LOCATION,
    properties: { provisioningState: "Succeeded", publicNetworkAccess: "Enabled" },
    systemData: { createdBy: "platform@contoso.com", createdByType: "User", createdAt: "2026-11-02T09:00:00Z",
      lastModifiedBy: "platform@contoso.com", lastModifiedByType: "User", lastModifiedAt: "2026-11-02T09:00:00Z" },
  });
  // A subscription of the tenant where the caller holds no role: its workspace is invisible, its name taken.
  const hiddenSub = addSubscription(e, "Someone else's");
  const hiddenGroup = resourceGroupId("rg-theirs", hiddenSub);
  e.resourceGroups.push({ id: hiddenGroup, location: LOCATION });
  e.resources.push({ id: `${hiddenGroup}/providers/Microsoft.HealthcareApis/workspaces/fhirhidden`, name: "fhirhidden",
    type: "Microsoft.HealthcareApis/workspaces", location: LOCATION, properties: { provisioningState: "Succeeded" } });
  return e;
}

let sb: CliSandbox;
beforeAll(async () => { sb = await startCliSandbox(dir, "sandbox", writeEstate(dir, estate()), join(dir, "ca")); });
afterAll(async () => { await sb?.stop(); });

interface Doc { accounts: { id: string; verdict: string; findings: { code: string }[] }[] }
const codes = (doc: Doc, id: string) => doc.accounts.find((a) => a.id.toLowerCase() === id.toLowerCase())!.findings.map((f) => f.code);
const verdict = (doc: Doc, id: string) => doc.accounts.find((a) => a.id.toLowerCase() === id.toLowerCase())!.verdict;

describe("target names Azure accepts, and a pre-created workspace", () => {
  it("inventory: the pre-created workspace is target-exists (ready); the hyphenated twin is target-name-conflict", async () => {
    const run = await runCli(["inventory", "--json"], { env: sb.env });
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as Doc;
    expect(verdict(doc, DEV)).toBe("ready");
    expect(codes(doc, DEV)).toContain("target-exists");
    expect(verdict(doc, CLAIMS)).toBe("ready");
    expect(verdict(doc, CLAIMS_HYPHEN)).toBe("needs-action");
    expect(codes(doc, CLAIMS_HYPHEN)).toContain("target-name-conflict");
    expect(verdict(doc, HIDDEN)).toBe("ready");
  });

  it("plan --all-ready adopts contosofhirdev; apply completes it, never writes the workspace; the hidden name fails as WorkspaceNameTaken", async () => {
    const planPath = join(dir, "ready.plan.json");
    const planned = await runCli(["plan", "--all-ready", "--out", planPath], { env: sb.env });
    expect(planned.code, planned.stderr).toBe(0);
    const plan = JSON.parse(readFileSync(planPath, "utf8")) as Plan;
    expect(plan.accounts.map((a) => a.name).sort()).toEqual(["contoso-fhir-dev", "fhir-hidden", "fhirclaims"]);
    const dev = plan.accounts.find((a) => a.name === "contoso-fhir-dev")!;
    expect(dev.target.existingWorkspace).toMatchObject({ createdBy: "platform@contoso.com", createdByType: "User" });
    expect(plan.steps.filter((s) => s.accountId === dev.id).map((s) => s.kind)).not.toContain("ensure-workspace");
    const md = readFileSync(join(dir, "ready.plan.md"), "utf8");
    expect(md).toContain("uses the existing workspace, created 2026-11-02 by platform@contoso.com (User)");

    const before = await sb.admin<AdminRequest[]>("GET", "/_sandbox/requests");
    const applied = await runCli(["apply", planPath, "--yes"], { env: sb.env });
    expect(applied.code, applied.stderr).toBe(4);
    expect(applied.stderr).toMatch(/WorkspaceNameTaken: Workspace name fhirhidden is taken in Azure/);
    expect(applied.stderr).toContain(`--name ${HIDDEN}=OTHERNAME`);
    const log = await sb.admin<AdminRequest[]>("GET", "/_sandbox/requests");
    const writes = log.slice(before.length).filter((r) => r.method !== "GET");
    expect(writes.filter((r) => decodeURIComponent(r.path).toLowerCase().startsWith(DEV_WS.toLowerCase()) && !/\/fhirservices\//i.test(r.path))).toEqual([]);
    expect(writes.some((r) => /\/workspaces\/contosofhirdev\/fhirservices\/fhir$/i.test(r.path) && r.method === "PUT")).toBe(true);
    const resources = await sb.admin<AdminResource[]>("GET", "/_sandbox/resources");
    const ws = resources.find((r) => r.id.toLowerCase() === DEV_WS.toLowerCase()) as AdminResource & { tags?: Record<string, string> };
    expect(ws.tags ?? {}).toEqual({});
    expect(resources.some((r) => /\/workspaces\/contosofhirdev\/fhirservices\/fhir$/i.test(r.id))).toBe(true);

    // verify judges every planned step: the adopted account's pass, the failed name's workspace is missing.
    const verified = await runCli(["verify", planPath], { env: sb.env });
    expect(verified.code, verified.stderr).toBe(4);
    expect(verified.stdout + verified.stderr).not.toMatch(/contoso-fhir-dev[^\n]*(missing|differs)/i);
  });

  it("--name resolves the conflict: fhir-claims is planned as fhirclaims2/patients", async () => {
    const planPath = join(dir, "claims.plan.json");
    const planned = await runCli(["plan", "--account", CLAIMS_HYPHEN, "--name", `${CLAIMS_HYPHEN}=fhirclaims2/patients`, "--out", planPath], { env: sb.env });
    expect(planned.code, planned.stderr).toBe(0);
    const plan = JSON.parse(readFileSync(planPath, "utf8")) as Plan;
    expect(plan.accounts[0]).toMatchObject({ status: "planned", target: { workspaceName: "fhirclaims2", fhirUrl: "https://fhirclaims2-patients.fhir.azurehealthcareapis.com" } });
    const refused = await runCli(["plan", "--account", CLAIMS_HYPHEN], { env: sb.env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`--name ${CLAIMS_HYPHEN}=WORKSPACE[/FHIR]`);
  });
});
