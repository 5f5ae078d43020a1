// `ahds-migrate inventory` as a user runs it: the BUILT CLI, re-executed with a connection profile, against
// `sandbox start --demo` in another process (and, for single finding codes, a sandbox of that code's
// estate). `--json` prints exactly one FINDINGS.md document on stdout and nothing else; with stderr not a
// TTY there is no progress; blocked accounts still exit 0; a bad --subscription is a usage error (2); a
// failed sign-in exits 1 with one line.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FINDING_CODES, type FindingCode } from "../../src/domain/findings.js";
import { demoEstate } from "../../src/sandbox/demo-estate.js";
import { writeProfile } from "../../src/sandbox/server.js";
import { findingEstate } from "../fixtures/finding-estates.js";
import { startTestSandbox } from "../helpers/sandbox.js";
import { accountNamed, expectInventoryDocument } from "../integration/inventory-finding-document-shape.js";
import { cleanEnv, runCli, tempDir, type RunningCli, startDemoSandbox, stopCli } from "./cli-process.js";

const STACK_LINE = /^\s+at .+:\d+:\d+\)?$/m;
const SUMMARY = /^(\d+) accounts? in (\d+) subscriptions?: (\d+) ready, (\d+) needs? action, (\d+) blocked$/m;

function errorLines(stderr: string): string[] {
  return stderr.split("\n").filter((l) => l.startsWith("error:"));
}

describe("inventory against the demo sandbox (sandbox start --demo in a child)", () => {
  const dir = tempDir("ahds-e2e-inventory-");
  const profilePath = join(dir, "profile.json");
  const demo = demoEstate();
  const callerSubs = demo.subscriptions.filter((s) => s.tenantId === demo.caller.tenantId);
  const demoAccounts = demo.resources.filter((r) => r.type === "Microsoft.HealthcareApis/services"
    && callerSubs.some((s) => r.id.toLowerCase().startsWith(`/subscriptions/${s.subscriptionId}/`)));
  let sandbox: RunningCli;

  beforeAll(async () => { sandbox = await startDemoSandbox(dir, profilePath); });
  afterAll(async () => { await stopCli(sandbox); });

  it("--json prints one FINDINGS.md document on stdout, no progress on a non-TTY stderr, exit 0 with blocked accounts", async () => {
    const run = await runCli(["inventory", "--json", "--profile", profilePath]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const doc: unknown = JSON.parse(run.stdout);
    expectInventoryDocument(doc);
    expect(run.stdout).toBe(`${JSON.stringify(doc, null, 2)}\n`);
    expect(doc.cloud).toBe("AzureCloud");
    expect(doc.subscriptions.map((s) => s.subscriptionId).sort()).toEqual(callerSubs.map((s) => s.subscriptionId).sort());
    expect(doc.accounts.map((a) => a.name).sort()).toEqual(demoAccounts.map((a) => a.name).sort());
    const expectations: [string, FindingCode, string][] = [
      ["fhir-suspended", "source-not-succeeded", "blocked"],
      ["fhir-partner", "key-cross-tenant", "blocked"],
      ["fhir-orphan-key", "key-not-found", "blocked"],
      ["fhir-audit", "key-access-denied", "needs-action"],
      ["fhir-disabled-key", "key-disabled", "needs-action"],
      ["fhir-exports", "kind-unversioned", "needs-action"],
      ["fhir-no-cmk", "cmk-not-configured", "ready"],
    ];
    for (const [name, code, verdict] of expectations) {
      const a = accountNamed(doc, name);
      expect(a.findings.map((f) => f.code), name).toContain(code);
      expect(a.verdict, name).toBe(verdict);
    }
    expect(accountNamed(doc, "fhir-no-cmk").cmk).toBeNull();
    expect(doc.accounts.some((a) => a.verdict === "blocked")).toBe(true);
    expect(run.stdout).not.toContain(demo.caller.clientSecret);
  });

  it("--subscription keeps only that subscription; repeated, it keeps each", async () => {
    const [first, second] = callerSubs as [typeof callerSubs[0], typeof callerSubs[0]];
    const one = await runCli(["inventory", "--json", "--subscription", first.subscriptionId, "--profile", profilePath]);
    expect(one.code).toBe(0);
    const doc1: unknown = JSON.parse(one.stdout);
    expectInventoryDocument(doc1);
    expect(doc1.subscriptions.map((s) => s.subscriptionId)).toEqual([first.subscriptionId]);
    expect(doc1.accounts.length).toBeGreaterThan(0);
    expect(doc1.accounts.every((a) => a.subscriptionId.toLowerCase() === first.subscriptionId.toLowerCase())).toBe(true);

    const two = await runCli(["inventory", "--json", "--subscription", first.subscriptionId, "--subscription", second.subscriptionId,
      "--profile", profilePath]);
    expect(two.code).toBe(0);
    const doc2 = JSON.parse(two.stdout) as { subscriptions: { subscriptionId: string }[] };
    expect(doc2.subscriptions.map((s) => s.subscriptionId).sort()).toEqual([first.subscriptionId, second.subscriptionId].sort());
  });

  it("the human view is a table with the summary line, without colour when stdout is not a TTY", async () => {
    const run = await runCli(["inventory"], { env: cleanEnv({ AHDS_MIGRATE_PROFILE: profilePath }) });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    expect(run.stdout).not.toContain("\u001b[");
    const lines = run.stdout.split("\n");
    expect(lines[0]).toMatch(/^ACCOUNT +SUBSCRIPTION +REGION +KIND +KEY +VERDICT +FINDING$/);
    const summary = SUMMARY.exec(run.stdout);
    expect(summary, run.stdout).not.toBeNull();
    const [, accounts, subs, ready, needs, blocked] = summary!.map(Number) as number[];
    expect(accounts).toBe(demoAccounts.length);
    expect(subs).toBe(callerSubs.length);
    expect(ready! + needs! + blocked!).toBe(accounts);
    expect(run.stdout).toMatch(/^fhir-suspended +Contoso Health Clinical Ops +eastus +fhir-R4 +kv-contoso-clinical\/cmk-clinical@[0-9a-f]{8} +blocked +source-not-succeeded/m);
    expect(run.stdout).toMatch(/^fhir-no-cmk +.* Microsoft-managed +ready +-$/m);
  });

  it("a failed sign-in exits 1 with one line and what to do next", async () => {
    const bad = join(dir, "bad-secret.json");
    writeFileSync(bad, JSON.stringify({ ...JSON.parse(readFileSync(profilePath, "utf8")) as object, clientSecret: "wrong-secret" }), { mode: 0o600 });
    const run = await runCli(["inventory", "--json", "--profile", bad]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(errorLines(run.stderr)).toHaveLength(1);
    expect(errorLines(run.stderr)[0]).toMatch(/sign in/i);
    expect(run.stderr).not.toMatch(STACK_LINE);
    expect(run.stderr).not.toContain("wrong-secret");
  });
});

describe("inventory when no subscription can be read", () => {
  it("prints what it has, then exits 1 with one line and what to do next", async () => {
    const estate = findingEstate("key-version-pinned").estate();
    // ARM refuses the one subscription's legacy services listing (Reader removed between two runs).
    estate.behaviour.faults = [{ match: { host: "management.azure.com", pathRegex: "/providers/Microsoft\\.HealthcareApis/services$" }, status: 403 }];
    const sandbox = await startTestSandbox(estate, { keepEnv: true });
    try {
      const profilePath = join(tempDir("ahds-e2e-code-"), "profile.json");
      writeProfile(profilePath, sandbox.profile());
      const run = await runCli(["inventory", "--json", "--profile", profilePath]);
      expect(run.code).toBe(1);
      const doc: unknown = JSON.parse(run.stdout);
      expectInventoryDocument(doc);
      expect(doc.accounts).toEqual([]);
      expect(doc.subscriptions.map((s) => s.error)).toEqual([expect.any(String)]);
      expect(errorLines(run.stderr)).toHaveLength(1);
      expect(errorLines(run.stderr)[0]).toMatch(/^error: Can't list Azure API for FHIR accounts in the subscription/);
      expect(run.stderr).toContain("Reader");
    } finally {
      await sandbox.close();
    }
  });
});

describe("inventory usage errors", () => {
  it("a --subscription that is not a GUID exits 2 with one line, before signing in", async () => {
    const run = await runCli(["inventory", "--subscription", "contoso-prod", "--json"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(errorLines(run.stderr)).toHaveLength(1);
    expect(errorLines(run.stderr)[0]).toContain("--subscription");
    expect(run.stderr).toContain("Run 'ahds-migrate inventory --help' for usage.");
  });
});

describe("inventory --json through the built CLI, one finding estate per code", () => {
  const codes: FindingCode[] = ["key-disabled", "key-cross-tenant", "principals-unverified", "fhir-service-quota", "caller-cannot-grant"];
  for (const code of codes) {
    it(`${code}`, async () => {
      const entry = findingEstate(code);
      // The sandbox runs in this process; the CLI child reaches it through the profile, as it would Azure.
      const sandbox = await startTestSandbox(entry.estate(), { keepEnv: true });
      try {
        const profilePath = join(tempDir("ahds-e2e-code-"), "profile.json");
        writeProfile(profilePath, sandbox.profile());
        const run = await runCli(["inventory", "--json", "--profile", profilePath]);
        expect(run.stderr).toBe("");
        expect(run.code).toBe(0);
        const doc: unknown = JSON.parse(run.stdout);
        expectInventoryDocument(doc);
        const account = accountNamed(doc, entry.account);
        expect(account.findings.filter((f) => f.code === code).map((f) => f.severity)).toEqual([FINDING_CODES[code]]);
        expect(account.verdict).toBe(entry.expectVerdict);
      } finally {
        await sandbox.close();
      }
    });
  }
});
