// Transient failures are retried by the limiter (SDK retries off): two 503s, then success; a dropped
// connection, then success; a Key Vault 503 before its 401 challenge. A 500 that never ends fails after
// exactly maxAttempts requests, as an AzureError that says it is retryable.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAzureSession, type AzureSession } from "../../src/azure/azure-session.js";
import { toDomainError } from "../../src/azure/errors.js";
import type { Sandbox } from "../../src/sandbox/server.js";
import { startTestSandbox } from "../helpers/sandbox.js";
import { baseEstate, KEY_NAME, RESOURCE_GROUP, SUBSCRIPTION_ID, VAULT_NAME } from "../fixtures/estate-builders.js";
import { virtualClock } from "./limiter-virtual-clock.js";

const clock = virtualClock();
let sandbox: Sandbox;
let session: AzureSession;
const VAULT_PATH = `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/${RESOURCE_GROUP}/providers/Microsoft.KeyVault/vaults/${VAULT_NAME}`;
const VAULT_HOST = `${VAULT_NAME}.vault.azure.net`;

beforeAll(async () => {
  sandbox = await startTestSandbox(baseEstate(), { now: () => clock.now() });
  session = createAzureSession("AzureCloud", { limiter: { clock, maxAttempts: 5 } });
});
afterAll(async () => { await sandbox?.close(); });

const statusesOf = (from: number, pred: (r: { host: string; path: string }) => boolean) =>
  sandbox.requests().slice(from).filter(pred).map((r) => r.status);

describe("limiter retries faults within its budget", () => {
  it("retries two 503s and returns the vault", async () => {
    sandbox.setFaults([{ match: { method: "GET", pathRegex: `${VAULT_NAME}$` }, status: 503, count: 2 }]);
    const from = sandbox.requests().length;
    const retriesBefore = session.limiter.stats().retries;
    const vault = await session.arm(SUBSCRIPTION_ID).keyVaultMgmt.vaults.get(RESOURCE_GROUP, VAULT_NAME);
    expect(vault.name).toBe(VAULT_NAME);
    expect(statusesOf(from, (r) => r.path === VAULT_PATH)).toEqual([503, 503, 200]);
    expect(session.limiter.stats().retries - retriesBefore).toBe(2);
  });

  it("retries a dropped connection", async () => {
    sandbox.setFaults([{ match: { method: "GET", pathRegex: `${VAULT_NAME}$` }, drop: true, count: 1 }]);
    const from = sandbox.requests().length;
    const vault = await session.arm(SUBSCRIPTION_ID).keyVaultMgmt.vaults.get(RESOURCE_GROUP, VAULT_NAME);
    expect(vault.name).toBe(VAULT_NAME);
    expect(statusesOf(from, (r) => r.path === VAULT_PATH)).toEqual([0, 200]);
  });

  it("retries a Key Vault 503 and still answers the challenge inside one attempt", async () => {
    sandbox.setFaults([{ match: { host: VAULT_HOST }, status: 503, count: 1 }]);
    const from = sandbox.requests().length;
    const before = session.limiter.stats();
    const key = await session.keys(`https://${VAULT_HOST}/`).getKey(KEY_NAME);
    expect(key.name).toBe(KEY_NAME);
    expect(statusesOf(from, (r) => r.host === VAULT_HOST)).toEqual([503, 401, 200]);
    const after = session.limiter.stats();
    expect(after.byKind.keyvault - before.byKind.keyvault).toBe(2); // the 503, then challenge + read as one attempt
    expect(after.retries - before.retries).toBe(1);
  });

  it("gives up on a persistent 500 after 5 attempts with a retryable AzureError", async () => {
    sandbox.setFaults([{ match: { method: "GET", pathRegex: `${VAULT_NAME}$` }, status: 500 }]);
    const from = sandbox.requests().length;
    const err = await session.arm(SUBSCRIPTION_ID).keyVaultMgmt.vaults.get(RESOURCE_GROUP, VAULT_NAME).then(() => undefined, (e: unknown) => e);
    expect(statusesOf(from, (r) => r.path === VAULT_PATH)).toEqual([500, 500, 500, 500, 500]);
    const mapped = toDomainError(err, "the vault read");
    expect(mapped).toMatchObject({ name: "AzureError", status: 500, code: "InternalServerError", retryable: true });
    expect((mapped as Error).message).toContain("Azure refused the vault read (HTTP 500 InternalServerError)");
  });

  it("does the same through a classic client, whose deserialization throws inside the limiter", async () => {
    sandbox.setFaults([{ match: { method: "GET", pathRegex: "Microsoft.HealthcareApis/services$" }, status: 500 }]);
    const from = sandbox.requests().length;
    const err = await (async () => {
      for await (const _ of session.arm(SUBSCRIPTION_ID).healthcare.services.list()) { /* drain */ }
    })().then(() => undefined, (e: unknown) => e);
    expect(statusesOf(from, (r) => r.path.endsWith("/Microsoft.HealthcareApis/services"))).toEqual([500, 500, 500, 500, 500]);
    expect(toDomainError(err, "the account list")).toMatchObject({ name: "AzureError", status: 500, retryable: true });
    sandbox.setFaults([{ match: { method: "GET", pathRegex: "Microsoft.HealthcareApis/services$" }, status: 503, count: 1 }]);
    const accounts = [];
    for await (const a of session.arm(SUBSCRIPTION_ID).healthcare.services.list()) accounts.push(a);
    expect(accounts).toEqual([]);
    sandbox.setFaults([]);
  });
});
