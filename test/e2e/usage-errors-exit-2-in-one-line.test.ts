// Usage errors and malformed input exit 2 with a one-line reason and a pointer to --help, no stack
// unless --debug (DESIGN.md "Command line", STYLE.md "one handler").
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { demoEstate } from "../../src/sandbox/demo-estate.js";
import { cleanEnv, runCli, tempDir } from "./cli-process.js";

const STACK_LINE = /^\s+at .+\(.*:\d+:\d+\)$|^\s+at .+:\d+:\d+$/m;

function errorLines(stderr: string): string[] {
  return stderr.split("\n").filter((l) => l.startsWith("error:"));
}

describe("usage errors exit 2 with one line", () => {
  it("unknown command", async () => {
    const r = await runCli(["frobnicate"]);
    expect(r.code).toBe(2);
    expect(errorLines(r.stderr)).toEqual(["error: unknown command 'frobnicate'"]);
    expect(r.stderr).toContain("Run 'ahds-migrate --help' for usage.");
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.stdout).toBe("");
  });

  it("unknown flag names the command whose --help to read", async () => {
    const r = await runCli(["doctor", "--bogus"]);
    expect(r.code).toBe(2);
    expect(errorLines(r.stderr)).toEqual(["error: unknown option '--bogus'"]);
    expect(r.stderr).toContain("Run 'ahds-migrate doctor --help' for usage.");
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it("invalid flag value and missing required flag", async () => {
    const port = await runCli(["sandbox", "start", "--demo", "--port", "http", "--profile-out", "x.json"]);
    expect(port.code).toBe(2);
    expect(errorLines(port.stderr)).toHaveLength(1);
    expect(port.stderr).toContain("--port");
    const missing = await runCli(["sandbox", "start", "--demo"]);
    expect(missing.code).toBe(2);
    expect(errorLines(missing.stderr)).toEqual(["error: required option '--profile-out <file>' not specified"]);
    expect(missing.stderr).toContain("Run 'ahds-migrate sandbox start --help' for usage.");
  });

  it("an unknown --cloud is refused", async () => {
    const r = await runCli(["--cloud", "AzureChinaCloud", "doctor"]);
    expect(r.code).toBe(2);
    expect(errorLines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain("AzureChinaCloud");
  });

  it("sandbox start without an estate source, or with two", async () => {
    const dir = tempDir();
    const none = await runCli(["sandbox", "start", "--profile-out", join(dir, "p.json")]);
    expect(none.code).toBe(2);
    expect(errorLines(none.stderr)).toHaveLength(1);
    const both = await runCli(["sandbox", "start", "--demo", "--estate", "e.json", "--profile-out", join(dir, "p.json")]);
    expect(both.code).toBe(2);
    expect(errorLines(both.stderr)).toEqual(["error: Give either --estate FILE or --demo, not both."]);
  });

  it("an invalid estate is refused with the JSON path of the first problem", async () => {
    const dir = tempDir();
    const estate = JSON.parse(JSON.stringify(demoEstate())) as { resources: { location?: unknown }[] };
    estate.resources[3]!.location = 42;
    const file = join(dir, "bad.json");
    writeFileSync(file, JSON.stringify(estate));
    const r = await runCli(["sandbox", "start", "--estate", file, "--ca-dir", join(dir, "ca"), "--profile-out", join(dir, "p.json")]);
    expect(r.code).toBe(2);
    expect(errorLines(r.stderr)).toHaveLength(1);
    expect(errorLines(r.stderr)[0]).toContain("$.resources[3].location");
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it("an estate that is not JSON exits 2", async () => {
    const dir = tempDir();
    const file = join(dir, "broken.json");
    writeFileSync(file, "{ formatVersion: 1");
    const r = await runCli(["sandbox", "start", "--estate", file, "--profile-out", join(dir, "p.json")]);
    expect(r.code).toBe(2);
    expect(errorLines(r.stderr)[0]).toMatch(/^error: Estate file .*broken\.json is not JSON/);
  });

  it("a missing profile file exits 1 with a one-line reason", async () => {
    const r = await runCli(["doctor", "--profile", "/nonexistent/profile.json"]);
    expect(r.code).toBe(1);
    expect(errorLines(r.stderr)).toEqual(["error: Can't read connection profile /nonexistent/profile.json: the file does not exist."]);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it("a profile that is not a valid profile exits 2 and never echoes its values", async () => {
    const dir = tempDir();
    const file = join(dir, "p.json");
    writeFileSync(file, JSON.stringify({ formatVersion: 1, cloud: "AzureCloud", proxyUrl: "ftp://x", caCertPath: "ca.pem",
      tenantId: "t", clientId: "c", clientSecret: "s3cr3t-value" }));
    const r = await runCli(["doctor"], { env: cleanEnv({ AHDS_MIGRATE_PROFILE: file }) });
    expect(r.code).toBe(2);
    expect(errorLines(r.stderr)).toEqual([`error: Invalid connection profile ${file}: $.proxyUrl must be an http(s) origin such as http://127.0.0.1:8443.`]);
    expect(r.stderr).not.toContain("s3cr3t-value");
  });

  it("--debug adds the stack", async () => {
    const r = await runCli(["--debug", "doctor", "--profile", "/nonexistent/profile.json"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(STACK_LINE);
    expect(r.stderr).toContain("readProfile");
  });
});
