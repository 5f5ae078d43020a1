// Regions from ARM's provider metadata, and the retirement said plainly (issue 9 §5), through the built CLI
// against a sandbox child with three subscriptions:
// - "South Africa": the provider lists FHIR services in South Africa North (estate providerLocations), so
//   its account there is ready, plans, applies and verifies; apply and verify say the data is not copied;
// - the fixture subscription: the cloud's defaults (no South Africa North), so its account there is
//   region-unsupported, naming the provider metadata;
// - "Unread": its provider read is refused (403; a 5xx is retried by the limiter first, then the same):
//   the built-in list is used, the inventory says so in `errors`.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Estate } from "../../src/sandbox/estate-types.js";
import { DATA_NOT_COPIED, RETIREMENT_NOTICE } from "../../src/domain/retirement.js";
import {
  accountId, addAccount, addRoleAssignment, addSubscription, baseEstate, CALLER_OBJECT_ID, ROLE_IDS,
} from "../fixtures/estate-builders.js";
import { startCliSandbox, writeEstate, type CliSandbox } from "./apply-cli-estate.js";
import { runCli, tempDir } from "./cli-process.js";

const dir = tempDir("ahds-e2e-regions-");
let za = "";
let unread = "";

function estate(): Estate {
  const e = baseEstate({ behaviour: { operationDurationMs: { default: 0 }, rolePropagationMs: 0 } });
  za = addSubscription(e, "South Africa");
  unread = addSubscription(e, "Unread");
  for (const sub of [za, unread]) addRoleAssignment(e, { scope: `/subscriptions/${sub}`, role: ROLE_IDS.owner, principalId: CALLER_OBJECT_ID });
  e.subscriptions.find((s) => s.subscriptionId === za)!.providerLocations = {
    "Microsoft.HealthcareApis/workspaces": ["South Africa North", "West Europe"],
    "Microsoft.HealthcareApis/workspaces/fhirservices": ["South Africa North", "West Europe"],
  };
  addAccount(e, { name: "fhir-za", group: "rg-za", subscriptionId: za, location: "southafricanorth", keyUri: null });
  addAccount(e, { name: "fhir-za-default", location: "southafricanorth", keyUri: null });
  addAccount(e, { name: "fhir-unread-eu", group: "rg-unread", subscriptionId: unread, keyUri: null });
  addAccount(e, { name: "fhir-unread-za", group: "rg-unread", subscriptionId: unread, location: "southafricanorth", keyUri: null });
  e.behaviour.faults = [{ match: { method: "GET", pathRegex: `^/subscriptions/${unread}/providers/Microsoft\\.HealthcareApis$` }, status: 403 }];
  return e;
}

let sb: CliSandbox;
beforeAll(async () => { sb = await startCliSandbox(dir, "sandbox", writeEstate(dir, estate()), join(dir, "ca")); });
afterAll(async () => { await sb?.stop(); });

interface Finding { code: string; message: string }
interface Doc { accounts: { name: string; verdict: string; findings: Finding[] }[]; errors: { scope: string; message: string }[] }
const accountOf = (doc: Doc, name: string) => doc.accounts.find((a) => a.name === name)!;
const regionFinding = (doc: Doc, name: string) => accountOf(doc, name).findings.find((f) => f.code === "region-unsupported");

describe("FHIR service regions from ARM, the built-in list only when ARM cannot say", () => {
  it("inventory --json judges each subscription by its own provider metadata, and names the unread one", async () => {
    const run = await runCli(["inventory", "--json"], { env: sb.env });
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as Doc;
    expect(accountOf(doc, "fhir-za").verdict).toBe("ready");
    expect(regionFinding(doc, "fhir-za")).toBeUndefined();
    expect(accountOf(doc, "fhir-za-default").verdict).toBe("blocked");
    expect(regionFinding(doc, "fhir-za-default")!.message).toContain("ARM's provider metadata for this subscription lists no workspaces/fhirservices there");
    expect(accountOf(doc, "fhir-unread-eu").verdict).toBe("ready");
    expect(regionFinding(doc, "fhir-unread-za")!.message).toContain("it is not in the built-in region list");
    expect(doc.errors).toEqual([{ scope: `/subscriptions/${unread}/providers/Microsoft.HealthcareApis`,
      message: expect.stringMatching(/^Can't read the FHIR service regions \(forbidden\): .*; the built-in list is used\.$/) as string }]);
  });

  it("the inventory table carries the retirement line under its summary", async () => {
    const run = await runCli(["inventory"], { env: sb.env });
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.split("\n");
    const summary = lines.findIndex((l) => /^4 accounts in 3 subscriptions:/.test(l));
    expect(lines[summary + 1]).toBe(RETIREMENT_NOTICE);
  });

  it("fhir-za plans, applies and verifies in South Africa North; nothing says the migration is complete", async () => {
    const planPath = join(dir, "za.plan.json");
    const planned = await runCli(["plan", "--account", accountId("fhir-za", "rg-za", za), "--out", planPath], { env: sb.env });
    expect(planned.code, planned.stderr).toBe(0);
    const md = readFileSync(join(dir, "za.plan.md"), "utf8");
    expect(md.split("\n")[4]).toMatch(new RegExp(`^> ${RETIREMENT_NOTICE.replace(/[.()]/g, "\\$&")} .*\\*\\*not its data\\*\\*`));

    const applied = await runCli(["apply", planPath, "--yes"], { env: sb.env });
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain(DATA_NOT_COPIED);
    const verified = await runCli(["verify", planPath], { env: sb.env });
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toContain(DATA_NOT_COPIED);
    expect(applied.stdout + verified.stdout).not.toMatch(/migration (is )?complete(d)?\b(?! until)/i);
  });
});
