// --state: every acknowledged change is on disk (atomically, mode 0600) before its response, and a
// sandbox started again on the same state file serves that Azure — the state wins over the estate
// given — with tokens issued before the restart still valid (the signing key lives in the CA dir).
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { addVault, baseEstate, KEY_NAME, RESOURCE_GROUP, SUBSCRIPTION_ID, VAULT_NAME, vaultId } from "../fixtures/estate-builders.js";
import { startTestSandbox, testCaDir } from "../helpers/sandbox.js";
import { sdkClients } from "../helpers/sdk-clients.js";
import { writeProfile, type Sandbox } from "../../src/sandbox/server.js";
import type { SandboxStateFile } from "../../src/sandbox/estate-types.js";

const dir = mkdtempSync(path.join(tmpdir(), "sandbox-state-"));
let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const readState = (p: string) => JSON.parse(readFileSync(p, "utf8")) as SandboxStateFile;

describe("sandbox state file", () => {
  it("is written at start and after each change, complete and mode 0600, before the change is acknowledged", async () => {
    const statePath = path.join(dir, "a", "state.json");
    sandbox = await startTestSandbox(baseEstate(), { statePath });
    expect(statSync(statePath).mode & 0o777).toBe(0o600);
    expect(readState(statePath).keys[0]?.versions).toHaveLength(1);
    const res = await fetch(`${sandbox.adminUrl}/_sandbox/keys/rotate`, { method: "POST", body: JSON.stringify({ vault: VAULT_NAME, key: KEY_NAME }) });
    const rotated = await res.json() as { version: string };
    // No close(), no wait: the response came after the save.
    expect(readState(statePath).keys[0]?.versions.at(-1)?.version).toBe(rotated.version);
    sandbox.setFaults([{ match: { host: "management.azure.com" }, status: 503, count: 1 }]);
    expect(readState(statePath).behaviour.faults).toHaveLength(1);
    expect(statSync(statePath).mode & 0o777).toBe(0o600);
    expect(readdirSync(path.dirname(statePath))).toEqual(["state.json"]);
  });

  it("wins over a different estate after a restart, and tokens from before the restart still verify", async () => {
    const statePath = path.join(dir, "b.json");
    sandbox = await startTestSandbox(baseEstate(), { statePath });
    const port = sandbox.port;
    const c = sdkClients("AzureCloud", SUBSCRIPTION_ID, { retryOptions: { maxRetries: 0 } });
    const keys = c.keys(`https://${VAULT_NAME}.vault.azure.net`);
    await keys.getKey(KEY_NAME);
    const rotated = sandbox.rotateKey(VAULT_NAME, KEY_NAME);
    sandbox.patchResource(vaultId(), { tags: { survived: "yes" } });
    // Counters move with requests; they must survive too.
    sandbox.setFaults([{ match: { host: "nothing.example" }, status: 500 }]);
    await sandbox.close();

    const other = baseEstate({ noVault: true });
    addVault(other, { name: "kv-other" });
    sandbox = await startTestSandbox(other, { statePath, port });
    expect(sandbox.port).toBe(port);
    expect(sandbox.state.vaultByName("kv-other")).toBeUndefined();
    expect(sandbox.state.getResource(vaultId())?.tags).toEqual({ survived: "yes" });
    expect(sandbox.state.behaviour.faults).toEqual([{ match: { host: "nothing.example" }, status: 500 }]);

    // The same client (same proxy port, token cached from before): no new token request is needed.
    const key = await keys.getKey(KEY_NAME);
    expect(key.properties.version).toBe(rotated.version);
    expect(sandbox.requests().some((r) => r.host === "login.microsoftonline.com")).toBe(false);
    const vault = await c.keyVaultMgmt.vaults.get(RESOURCE_GROUP, VAULT_NAME);
    expect(vault.tags).toEqual({ survived: "yes" });
  });

  it("starts from the estate when the state file does not exist yet", async () => {
    const statePath = path.join(dir, "fresh.json");
    sandbox = await startTestSandbox(baseEstate(), { statePath });
    expect(readState(statePath).sandbox).toMatchObject({ operations: [] });
    expect(readState(statePath).resources.map((r) => r.id)).toContain(vaultId());
  });
});

describe("connection profile", () => {
  it("describes the listening sandbox and is written atomically with mode 0600", async () => {
    sandbox = await startTestSandbox(baseEstate());
    const p = sandbox.profile();
    expect(p).toEqual({
      formatVersion: 1, cloud: "AzureCloud", proxyUrl: `http://127.0.0.1:${sandbox.port}`, caCertPath: path.join(testCaDir(), "ca-cert.pem"),
      adminUrl: `http://127.0.0.1:${sandbox.port}`, tenantId: sandbox.state.caller.tenantId, clientId: sandbox.state.caller.clientId,
      clientSecret: sandbox.state.caller.clientSecret,
    });
    const out = path.join(dir, "profile-dir");
    rmSync(out, { recursive: true, force: true });
    const { mkdirSync } = await import("node:fs");
    mkdirSync(out);
    const file = path.join(out, "profile.json");
    writeProfile(file, p);
    writeProfile(file, p); // replaces an existing profile
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(p);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(out)).toEqual(["profile.json"]);
    // It is written once the proxy listens: the admin URL in it answers.
    const res = await fetch(`${p.adminUrl}/_sandbox/requests`);
    expect(res.status).toBe(200);
  });
});
