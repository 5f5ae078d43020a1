// `sandbox start` writes the connection profile once it listens; `doctor --profile` applies it in the one
// process started (no child) and lists the demo subscriptions through the unmodified Azure SDK (token from
// the sandbox's Entra, GET /subscriptions on its ARM); SIGTERM stops the sandbox cleanly with exit 0.
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoEstate } from "../../src/sandbox/demo-estate.js";
import { cleanEnv, moduleRecorder, readModuleLog, runCli, startCli, tempDir, type RunningCli } from "./cli-process.js";

interface Profile { formatVersion: number; cloud: string; proxyUrl: string; caCertPath: string; adminUrl: string; tenantId: string; clientId: string; clientSecret: string }

describe("sandbox start + doctor --profile", () => {
  const dir = tempDir();
  const profilePath = join(dir, "profile.json");
  let sandbox: RunningCli;
  let profile: Profile;

  beforeAll(async () => {
    sandbox = startCli(["sandbox", "start", "--demo", "--profile-out", profilePath, "--ca-dir", join(dir, "ca"),
      "--state", join(dir, "state.json")]);
    await sandbox.waitForStderr("Press Ctrl-C to stop.");
    profile = JSON.parse(readFileSync(profilePath, "utf8")) as Profile;
  });

  afterAll(async () => {
    if (sandbox.process.exitCode === null && sandbox.process.signalCode === null) {
      sandbox.process.kill("SIGKILL");
      await sandbox.exited;
    }
  });

  it("writes the profile (0600) by the time it says it listens, and the proxy answers", async () => {
    expect(profile).toMatchObject({ formatVersion: 1, cloud: "AzureCloud", tenantId: demoEstate().caller.tenantId,
      clientId: demoEstate().caller.clientId });
    expect(profile.proxyUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(statSync(profilePath).mode & 0o777).toBe(0o600);
    expect(statSync(profile.caCertPath).isFile()).toBe(true);
    const res = await fetch(`${profile.adminUrl}/_sandbox/requests`);
    expect(res.status).toBe(200);
    // The fake secret stays in the profile file: never printed.
    expect(sandbox.stderr()).not.toContain(profile.clientSecret);
  });

  it("doctor --profile --json lists the demo subscriptions through the real SDK in the one process started (no child)", async () => {
    const rec = moduleRecorder(tempDir());
    const run = await runCli(["doctor", "--profile", profilePath, "--json"], { nodeArgs: rec.nodeArgs, env: cleanEnv(rec.env) });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { cloud: string; tenantId: string; appId: string; proxy: string;
      subscriptionCount: number; subscriptions: { subscriptionId: string; displayName: string }[]; endpoints: { arm: string } };
    const demo = demoEstate();
    const callerSubs = demo.subscriptions.filter((s) => s.tenantId === demo.caller.tenantId);
    expect(report.cloud).toBe("AzureCloud");
    expect(report.endpoints.arm).toBe("https://management.azure.com");
    expect(report.tenantId).toBe(profile.tenantId);
    expect(report.appId).toBe(profile.clientId);
    // The profile was applied in-process (the test spawned the CLI without HTTPS_PROXY or NODE_EXTRA_CA_CERTS).
    expect(report.proxy).toBe(profile.proxyUrl);
    expect(report.subscriptionCount).toBe(report.subscriptions.length);
    expect(report.subscriptionCount).toBeGreaterThan(0);
    const known = new Map(callerSubs.map((s) => [s.subscriptionId, s.displayName]));
    for (const s of report.subscriptions) expect(known.get(s.subscriptionId)).toBe(s.displayName);
    expect(run.stdout).not.toContain(profile.clientSecret);

    // One process: the one started loaded the real clients itself; no other pid loaded anything.
    const loaded = readModuleLog(rec.log);
    const pids = [...new Set(loaded.map((m) => m.pid))];
    expect(pids).toEqual([run.pid]);
    const specifiers = loaded.map((m) => m.specifier);
    expect(specifiers).toContain("@azure/identity");
    expect(specifiers).toContain("@azure/arm-resources-subscriptions");

    // The sandbox saw the SDK's token request and the subscription list on Azure's real host names.
    const log = await (await fetch(`${profile.adminUrl}/_sandbox/requests`)).json() as
      { method: string; host: string; path: string; status: number }[];
    expect(log).toContainEqual(expect.objectContaining({ method: "POST", host: "login.microsoftonline.com",
      path: `/${profile.tenantId}/oauth2/v2.0/token`, status: 200 }));
    expect(log).toContainEqual(expect.objectContaining({ method: "GET", host: "management.azure.com", path: "/subscriptions", status: 200 }));
  });

  it("behind a TLS-inspecting proxy without a profile: --ca-certs names its CA for ahds-migrate alone", async () => {
    // What a corporate user sets: the proxy, their credential, and the proxy's CA — not NODE_EXTRA_CA_CERTS.
    const corporate = cleanEnv({ HTTPS_PROXY: profile.proxyUrl, AZURE_TENANT_ID: profile.tenantId, AZURE_CLIENT_ID: profile.clientId,
      AZURE_CLIENT_SECRET: profile.clientSecret, AZURE_TOKEN_CREDENTIALS: "EnvironmentCredential" });
    const untrusted = await runCli(["doctor", "--json"], { env: corporate });
    expect(untrusted.code).toBe(1);
    expect(untrusted.stdout).toBe("");
    expect(untrusted.stderr).toContain("name its CA with --ca-certs FILE");
    const trusted = await runCli(["--ca-certs", profile.caCertPath, "doctor", "--json"], { env: corporate });
    expect(trusted.code, trusted.stderr).toBe(0);
    expect(JSON.parse(trusted.stdout)).toMatchObject({ tenantId: profile.tenantId, extraCaCerts: profile.caCertPath, proxy: profile.proxyUrl });
    const viaEnv = await runCli(["doctor", "--json"], { env: { ...corporate, AHDS_MIGRATE_CA_CERTS: profile.caCertPath } });
    expect(viaEnv.code, viaEnv.stderr).toBe(0);
  });

  it("doctor prints a human summary without --json", async () => {
    const run = await runCli(["doctor"], { env: cleanEnv({ AHDS_MIGRATE_PROFILE: profilePath }) });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Cloud: +AzureCloud$/m);
    expect(run.stdout).toMatch(new RegExp(`^Tenant: +${profile.tenantId}$`, "m"));
    expect(run.stdout).toMatch(/^Subscriptions: +\d+$/m);
    expect(run.stdout).not.toContain("\u001b[");
  });

  it("a second sandbox on the same port exits 1 with a one-line reason", async () => {
    const port = new URL(profile.proxyUrl).port;
    const run = await runCli(["sandbox", "start", "--demo", "--port", port, "--ca-dir", join(dir, "ca"), "--profile-out", join(dir, "p2.json")]);
    expect(run.code).toBe(1);
    expect(run.stderr.split("\n").filter((l) => l.startsWith("error:"))).toEqual([`error: Can't listen on 127.0.0.1:${port}: the port is in use.`]);
  });

  it("SIGTERM closes the sandbox cleanly with exit 0", async () => {
    sandbox.process.kill("SIGTERM");
    const { code, signal } = await sandbox.exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(sandbox.stderr()).toContain("Sandbox stopped (SIGTERM).");
    await expect(fetch(`${profile.adminUrl}/_sandbox/requests`)).rejects.toThrow();
  });
});
