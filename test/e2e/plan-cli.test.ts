// `ahds-migrate plan` as a user runs it: the BUILT CLI, re-executed with a connection profile, against
// `sandbox start --demo` in another process. --out writes NAME.plan.json + NAME.plan.md and a summary on
// stderr; without --out the Markdown (or, with --json, the plan) goes to stdout; `plan --check` accepts the
// plan as written and refuses it — exit 3 with one line — once it was edited or a key it pins was rotated
// (through the sandbox's admin API, as another administrator would in the portal); malformed input and bad
// flags exit 2 with one line, never a stack trace.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Plan } from "../../src/domain/plan.js";
import { demoEstate } from "../../src/sandbox/demo-estate.js";
import { cleanEnv, runCli, tempDir, type CliRun, type RunningCli, startDemoSandbox, stopCli } from "./cli-process.js";

const STACK_LINE = /^\s+at .+:\d+:\d+\)?$/m;

function errorLines(stderr: string): string[] {
  return stderr.split("\n").filter((l) => l.startsWith("error:"));
}

/** Exit code, one `error:` line matching `message`, nothing on stdout, no stack. */
function expectRefusal(run: CliRun, code: number, message: RegExp): void {
  expect(run.code, run.stderr).toBe(code);
  expect(run.stdout).toBe("");
  expect(errorLines(run.stderr)).toHaveLength(1);
  expect(errorLines(run.stderr)[0]).toMatch(message);
  expect(run.stderr).not.toMatch(STACK_LINE);
}

describe("plan against the demo sandbox (sandbox start --demo in a child)", () => {
  const dir = tempDir("ahds-e2e-plan-");
  const profilePath = join(dir, "profile.json");
  const planPath = join(dir, "wave-1.plan.json");
  const mdPath = join(dir, "wave-1.plan.md");
  let sandbox: RunningCli;
  const plan = (args: string[]) => runCli(["plan", ...args], { env: cleanEnv({ AHDS_MIGRATE_PROFILE: profilePath }) });

  beforeAll(async () => { sandbox = await startDemoSandbox(dir, profilePath); });
  afterAll(async () => { await stopCli(sandbox); });

  it("--all-ready --out writes the plan and its Markdown, with a one-line summary on stderr", async () => {
    const run = await plan(["--all-ready", "--out", planPath]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe("");
    const written = JSON.parse(readFileSync(planPath, "utf8")) as Plan;
    expect(written.formatVersion).toBe(1);
    expect(written.choices.accounts).toBe("all-ready");
    const planned = written.accounts.filter((a) => a.status === "planned").map((a) => a.name).sort();
    expect(planned).toEqual(["fhir-claims", "fhir-imaging", "fhir-no-cmk", "fhir-patients", "fhir-research"]);
    expect(readFileSync(mdPath, "utf8")).toContain(written.digest);
    expect(run.stderr.split("\n")[0]).toBe(`Plan ${written.planId} written: ${planPath} (+ .plan.md): `
      + `5 accounts planned, ${written.accounts.length - 5} not planned, ${written.steps.length} steps`);
    expect(run.stderr).not.toContain(JSON.parse(readFileSync(profilePath, "utf8")).clientSecret as string);
  });

  it("--check accepts the plan as written", async () => {
    const written = JSON.parse(readFileSync(planPath, "utf8")) as Plan;
    const run = await plan(["--check", planPath]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^${written.planId} would apply as it is: 5 accounts planned, ${written.steps.length} steps;`));
  });

  it("without --out: the Markdown on stdout; with --json the plan itself", async () => {
    const json = await plan(["--all-ready", "--json"]);
    expect(json.code, json.stderr).toBe(0);
    const doc = JSON.parse(json.stdout) as Plan;
    expect(doc.planId).toMatch(/^plan-[0-9a-f]{12}$/);
    const claims = doc.accounts.find((a) => a.name === "fhir-claims")!;

    const text = await plan(["--account", claims.id]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stderr).toBe("");
    expect(text.stdout).toMatch(/^Digest: sha256:[0-9a-f]{64}$/m);
    expect(text.stdout).toContain("fhir-claims");
    expect(() => JSON.parse(text.stdout) as unknown).toThrow();
  });

  it("a plan edited after planning is refused (exit 3, 'edited'); a file that is not JSON is malformed (exit 2)", async () => {
    const text = readFileSync(planPath, "utf8");
    const edited = join(dir, "edited.plan.json");
    const doc = JSON.parse(text) as Plan;
    doc.steps[0]!.title = `${doc.steps[0]!.title} (approved)`;
    writeFileSync(edited, JSON.stringify(doc, null, 2));
    writeFileSync(join(dir, "edited.plan.md"), readFileSync(mdPath));
    expectRefusal(await plan(["--check", edited]), 3, /edited after planning/);

    const garbage = join(dir, "garbage.plan.json");
    writeFileSync(garbage, "{ this is not a plan");
    expectRefusal(await plan(["--check", garbage]), 2, /not JSON/);
  });

  it("usage errors exit 2 with one line: --out not NAME.plan.json, an --accept code that cannot be accepted, --check with choices", async () => {
    expectRefusal(await plan(["--all-ready", "--out", join(dir, "x.json")]), 2, /^error: --out must end with \.plan\.json \(got .*x\.json\)\.$/);
    const id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.HealthcareApis/services/fhir-x";
    const accept = await plan(["--account", id, "--accept", `${id}=key-disabled`]);
    expectRefusal(accept, 2, /^error: --accept: key-disabled \(action\) cannot be accepted; acceptable codes: custom-authority, smart-proxy-enabled, private-endpoints, access-policy-foreign-principal, principals-unverified, grant-target-not-found, fhir-service-quota, rbac-assignments-unreadable, rbac-custom-role-unmapped, rbac-condition-not-copied, source-private-network\.$/);
    expectRefusal(await plan(["--check", planPath, "--all-ready"]), 2, /^error: --check takes only the plan file; --all-ready is for making a plan\.$/);
    expectRefusal(await plan([]), 2, /^error: Say which accounts to plan/);
    expectRefusal(await plan(["--account", "/subscriptions/X"]), 2, /^error: --account: '\/subscriptions\/X' is not an Azure API for FHIR account id/);
  });

  it("an account the caller cannot see is a usage error naming it", async () => {
    const id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.HealthcareApis/services/fhir-x";
    expectRefusal(await plan(["--account", id]), 2, new RegExp(`no Azure API for FHIR account ${id} is visible`));
  });

  it("a plan in which no account could be planned is still written, and exits 1 naming what resolves it", async () => {
    const exportsId = demoEstate().resources.find((r) => r.name === "fhir-exports")!.id;
    const out = join(dir, "none.plan.json");
    const run = await plan(["--account", exportsId, "--out", out]);
    expect(run.code, run.stderr).toBe(1);
    const written = JSON.parse(readFileSync(out, "utf8")) as Plan;
    expect(written.accounts.map((a) => [a.name, a.status])).toEqual([["fhir-exports", "not-planned"]]);
    expect(written.steps).toEqual([]);
    expect(run.stderr).toContain("not planned: fhir-exports: kind-unversioned (--kind ");
    expect(errorLines(run.stderr)).toEqual(["error: fhir-exports could not be planned: kind-unversioned."]);
    expect(run.stderr).toContain(`Resolve it: --kind ${exportsId}=fhir-R4|fhir-Stu3, then plan again.`);
    expect(run.stderr).not.toMatch(STACK_LINE);
  });

  it("after the pinned key is rotated, --check refuses the plan as stale, naming the key (exit 3)", async () => {
    const written = JSON.parse(readFileSync(planPath, "utf8")) as Plan;
    const key = written.fingerprint.keys.find((k) => k.keyName === "fhir-cmk")!;
    expect(key).toBeDefined();
    const { adminUrl } = JSON.parse(readFileSync(profilePath, "utf8")) as { adminUrl: string };
    const res = await fetch(`${adminUrl}/_sandbox/keys/rotate`, {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ vault: key.vaultName, key: key.keyName }),
    });
    expect(res.status).toBe(200);
    const run = await plan(["--check", planPath]);
    expectRefusal(run, 3, /is stale: .*fhir-cmk.*run `ahds-migrate plan` again/);
    expect(errorLines(run.stderr)[0]).toContain(key.vaultName);
    expect(run.stderr).toContain(`Re-plan with the same choices: ahds-migrate plan --all-ready --out ${planPath}`);
  });
});
