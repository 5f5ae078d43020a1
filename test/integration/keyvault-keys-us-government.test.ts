// A US Government estate: the vault lives under .vault.usgovcloudapi.net, its challenge names
// login.microsoftonline.us and the https://vault.usgovcloudapi.net resource, and the real KeyClient reads a
// key end to end (challenge → token from login.microsoftonline.us → 200).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ResponseEvent, Sandbox } from "../../src/sandbox/server.js";
import { expectConformingResponses, type ConformanceRecorder } from "../helpers/spec-validator.js";
import { collectResponses, startTestSandbox } from "../helpers/sandbox.js";
import { sdkClients } from "../helpers/sdk-clients.js";
import { addKey, baseEstate, KEY_NAME, SUBSCRIPTION_ID, TENANT_ID, VAULT_NAME } from "../fixtures/estate-builders.js";

let sandbox: Sandbox;
let conformance: ConformanceRecorder;
let responses: ResponseEvent[];
const HOST = `${VAULT_NAME}.vault.usgovcloudapi.net`;

beforeAll(async () => {
  const estate = baseEstate({ cloud: "AzureUSGovernment" });
  addKey(estate, { name: "gov-2048", versions: [{ keySize: 2048 }, { keySize: 2048, created: 1_800_000_000 }] });
  sandbox = await startTestSandbox(estate);
  conformance = expectConformingResponses(sandbox);
  responses = collectResponses(sandbox);
});
afterAll(async () => {
  conformance?.stop();
  await sandbox?.close();
});

describe("Key Vault in Azure US Government", () => {
  it("serves keys on .vault.usgovcloudapi.net after a Gov challenge and a login.microsoftonline.us token", async () => {
    const clients = sdkClients("AzureUSGovernment", SUBSCRIPTION_ID);
    const keys = clients.keys(clients.vaultUrl(VAULT_NAME));
    const before = sandbox.requests().length;
    const key = await keys.getKey(KEY_NAME);
    expect(key.id).toBe(`https://${HOST}/keys/${KEY_NAME}/${key.properties.version}`);
    expect(key.key!.n!.length * 8).toBe(3072);
    expect(sandbox.requests().slice(before).map((r) => `${r.method} ${r.host} ${r.status}`)).toEqual([
      `GET ${HOST} 401`, "POST login.microsoftonline.us 200", `GET ${HOST} 200`,
    ]);
    expect(responses.find((r) => r.host === HOST && r.status === 401)?.headers["www-authenticate"]).toBe(
      `Bearer authorization="https://login.microsoftonline.us/${TENANT_ID}", resource="https://vault.usgovcloudapi.net"`);
    const versions: string[] = [];
    for await (const p of keys.listPropertiesOfKeyVersions("gov-2048")) versions.push(p.vaultUrl);
    expect(versions).toEqual([`https://${HOST}`, `https://${HOST}`]);
    conformance.assertNone();
  });
});
