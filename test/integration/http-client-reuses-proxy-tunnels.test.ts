// A session's shared transport (src/azure/http-client.ts) keeps proxy tunnels alive: through the sandbox
// proxy (HTTPS_PROXY), sequential requests to one host reuse one CONNECT tunnel instead of opening one per
// request (SDK-RECIPE §3: the SDK's own proxy agent has no keep-alive). Counted where tunnels are made: the
// agent's connect(), reached through a wrapped default HTTP client below the shared one.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpsProxyAgent } from "https-proxy-agent";
import { createDefaultHttpClient, type HttpClient, type PipelineRequest } from "@azure/core-rest-pipeline";
import { createAzureSession } from "../../src/azure/azure-session.js";
import type { Sandbox } from "../../src/sandbox/server.js";
import { startTestSandbox } from "../helpers/sandbox.js";
import { baseEstate, KEY_NAME, RESOURCE_GROUP, SUBSCRIPTION_ID, VAULT_NAME } from "../fixtures/estate-builders.js";

let sandbox: Sandbox;

beforeAll(async () => { sandbox = await startTestSandbox(baseEstate()); });
afterAll(async () => { await sandbox?.close(); });

/** Counts tunnels opened per host by the agents requests carry when they reach the transport. */
function tunnelCountingHttpClient(): HttpClient & { tunnels: Map<string, number>; agents: Set<unknown> } {
  const inner = createDefaultHttpClient();
  const tunnels = new Map<string, number>();
  const agents = new Set<unknown>();
  return {
    tunnels, agents,
    sendRequest(request: PipelineRequest) {
      const agent = request.agent;
      if (agent instanceof HttpsProxyAgent && !agents.has(agent)) {
        agents.add(agent);
        const connect = agent.connect.bind(agent);
        agent.connect = (req, opts) => {
          tunnels.set(String(opts.host), (tunnels.get(String(opts.host)) ?? 0) + 1);
          return connect(req, opts);
        };
      }
      return inner.sendRequest(request);
    },
  };
}

describe("the session's shared transport", () => {
  it("reuses one tunnel per host for sequential ARM and Key Vault requests of different clients", async () => {
    const http = tunnelCountingHttpClient();
    const session = createAzureSession("AzureCloud", { httpClient: http });
    for (let i = 0; i < 4; i++) await session.arm(SUBSCRIPTION_ID).keyVaultMgmt.vaults.get(RESOURCE_GROUP, VAULT_NAME);
    for (let i = 0; i < 3; i++) await session.arm(SUBSCRIPTION_ID).healthcare.services.list().next();
    for (let i = 0; i < 4; i++) await session.keys(`https://${VAULT_NAME}.vault.azure.net`).getKey(KEY_NAME);
    // One keep-alive agent for every client (the SDK would give each client pipeline its own, without keep-alive).
    expect(http.agents.size).toBe(1);
    expect(Object.fromEntries(http.tunnels)).toEqual({
      "login.microsoftonline.com": 1, "management.azure.com": 1, [`${VAULT_NAME}.vault.azure.net`]: 1,
    });
    const served = sandbox.requests().filter((r) => r.host !== "127.0.0.1");
    expect(served.length).toBeGreaterThanOrEqual(12); // 11 calls + the vault's 401 challenge + tokens
  });
});
