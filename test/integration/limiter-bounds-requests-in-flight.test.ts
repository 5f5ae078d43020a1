// The limiter's queue bounds what is on the wire: ARM, Key Vault and Graph requests of one session
// together never exceed the configured concurrency. Measured at the transport (the real default HTTP
// client, wrapped to count sends in flight), below the limiter's policy, the bearer and challenge policies.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDefaultHttpClient, type HttpClient } from "@azure/core-rest-pipeline";
import { createAzureSession } from "../../src/azure/azure-session.js";
import type { Sandbox } from "../../src/sandbox/server.js";
import { startTestSandbox } from "../helpers/sandbox.js";
import { baseEstate, CALLER_OBJECT_ID, KEY_NAME, RESOURCE_GROUP, SUBSCRIPTION_ID, VAULT_NAME } from "../fixtures/estate-builders.js";

let sandbox: Sandbox;

beforeAll(async () => {
  // Latency keeps requests open long enough to overlap.
  sandbox = await startTestSandbox(baseEstate({ behaviour: { latencyMs: 15 } }));
});
afterAll(async () => { await sandbox?.close(); });

function countingHttpClient(): HttpClient & { peak: number; sent: number } {
  const inner = createDefaultHttpClient();
  let inFlight = 0;
  const c = {
    peak: 0, sent: 0,
    async sendRequest(request: Parameters<HttpClient["sendRequest"]>[0]) {
      inFlight++;
      c.sent++;
      c.peak = Math.max(c.peak, inFlight);
      try {
        return await inner.sendRequest(request);
      } finally {
        inFlight--;
      }
    },
  };
  return c;
}

describe("limiter bounds requests in flight", () => {
  it("never has more than 4 requests on the wire for 36 parallel calls across ARM, Key Vault and Graph", async () => {
    const http = countingHttpClient();
    const session = createAzureSession("AzureCloud", { limiter: { concurrency: 4 }, httpClient: http });
    await Promise.all([
      ...Array.from({ length: 20 }, () => session.arm(SUBSCRIPTION_ID).keyVaultMgmt.vaults.get(RESOURCE_GROUP, VAULT_NAME)),
      ...Array.from({ length: 12 }, () => session.keys(`https://${VAULT_NAME}.vault.azure.net`).getKey(KEY_NAME)),
      ...Array.from({ length: 4 }, () => session.graph().postJson("/v1.0/directoryObjects/getByIds", { ids: [CALLER_OBJECT_ID] })),
    ]);
    // The session's credential shares the transport (http-client.ts), and its token requests are made inside
    // a limiter attempt (the bearer / challenge policy runs after the limiter's), so they count too.
    expect(http.sent).toBe(sandbox.requests().length);
    expect(http.sent).toBeGreaterThanOrEqual(37); // 36 calls + the vault's 401 challenge
    expect(http.peak).toBe(4);
    expect(session.limiter.stats()).toMatchObject({ maxInFlight: 4, byKind: { read: 20, keyvault: 12, graph: 4 } });
  });
});
