// A private source whose clients reach it through Azure RBAC (issue 9 §1 + §3), through the built CLI: the
// plan refuses it until source-private-network (and private-endpoints) is accepted; then the Markdown says plainly that the target is
// public and what to do, names the copied FHIR Data Reader grant, and apply makes exactly that grant.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Estate } from "../../src/sandbox/estate-types.js";
import { accountId, addAccount, addPrincipal, addRoleAssignment, baseEstate, resourceGroupId } from "../fixtures/estate-builders.js";
import { startCliSandbox, writeEstate, type AdminResource, type CliSandbox } from "./apply-cli-estate.js";
import { runCli, tempDir } from "./cli-process.js";

const dir = tempDir("ahds-e2e-private-rbac-");
const PRIVATE = accountId("fhir-private");
const READER = "4c8d0bbc-75d3-4935-991f-5f3c56d81508";
let clinician = "";

function estate(): Estate {
  const e = baseEstate({ behaviour: { operationDurationMs: { default: 0 }, rolePropagationMs: 0 } });
  addAccount(e, { name: "fhir-private", keyUri: null, properties: {
    publicNetworkAccess: "Disabled",
    privateEndpointConnections: [{
      id: `${PRIVATE}/privateEndpointConnections/pe-fhir`, name: "pe-fhir",
      type: "Microsoft.HealthcareApis/services/privateEndpointConnections",
      properties: { privateEndpoint: { id: `${resourceGroupId()}/providers/Microsoft.Network/privateEndpoints/pe-fhir` },
        privateLinkServiceConnectionState: { status: "Approved" }, provisioningState: "Succeeded" },
    }],
  } });
  clinician = addPrincipal(e, { displayName: "clinician", type: "User" }).objectId;
  addRoleAssignment(e, { scope: PRIVATE, role: READER, principalId: clinician, principalType: "User" });
  return e;
}

let sb: CliSandbox;
beforeAll(async () => { sb = await startCliSandbox(dir, "sandbox", writeEstate(dir, estate()), join(dir, "ca")); });
afterAll(async () => { await sb?.stop(); });

describe("a private, RBAC-granted account", () => {
  it("is planned only with source-private-network accepted; the Markdown states the exposure and the copied grant; apply makes it", async () => {
    const refused = await runCli(["plan", "--account", PRIVATE, "--out", join(dir, "no.plan.json")], { env: sb.env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("source-private-network");

    const planPath = join(dir, "private.plan.json");
    const planned = await runCli(["plan", "--account", PRIVATE, "--accept", `${PRIVATE}=source-private-network`, "--accept", `${PRIVATE}=private-endpoints`, "--out", planPath], { env: sb.env });
    expect(planned.code, planned.stderr).toBe(0);
    const md = readFileSync(join(dir, "private.plan.md"), "utf8");
    expect(md).toContain("- Network exposure: public: the FHIR service answers from the internet (Microsoft Entra ID tokens are still required), "
      + "although the source has public network access disabled");
    const grants = md.slice(md.indexOf("### Data-plane grants"), md.indexOf("### Findings"));
    expect(grants).toContain("FHIR Data Reader");
    expect(grants).toContain(clinician);
    if (process.env.AHDS_PRINT_EXCERPT) console.info(md.slice(md.indexOf("## fhir-private"), md.indexOf("### Steps")));

    const applied = await runCli(["apply", planPath, "--yes"], { env: sb.env });
    expect(applied.code, applied.stderr).toBe(0);
    const resources = await sb.admin<AdminResource[]>("GET", "/_sandbox/resources");
    const copied = resources.filter((r) => r.type === "Microsoft.Authorization/roleAssignments"
      && String(r.properties?.["scope"] ?? "").toLowerCase().endsWith("/workspaces/fhirprivate/fhirservices/fhir"));
    expect(copied.map((r) => [String(r.properties?.["roleDefinitionId"]).split("/").pop(), r.properties?.["principalId"], r.properties?.["principalType"]]))
      .toEqual([[READER, clinician, "User"]]);
    expect((await runCli(["verify", planPath], { env: sb.env })).code).toBe(0);
  });
});
