// src/azure's client factory (SDK-RECIPE §2) with no sandbox-specific option reaches the sandbox through
// HTTPS_PROXY + NODE_EXTRA_CA_CERTS alone, in both clouds: ARM (HealthcareApis on 2024-03-31, the
// modular arm-keyvault), Key Vault data plane, and Microsoft Graph through the core-rest-pipeline client
// (Node's fetch would ignore the proxy). SDK failures come out as the domain's AzureError.
import { afterAll, describe, expect, it } from "vitest";
import { createArmClients, createCredential, createGraphClient, createKeyClient } from "../../src/azure/clients.js";
import { toDomainError } from "../../src/azure/errors.js";
import { signIn } from "../../src/azure/sign-in.js";
import { listSubscriptions } from "../../src/azure/subscriptions.js";
import { demoEstate } from "../../src/sandbox/demo-estate.js";
import { parseEstate } from "../../src/sandbox/estate.js";
import type { Sandbox } from "../../src/sandbox/server.js";
import { startTestSandbox } from "../helpers/sandbox.js";

const demo = demoEstate();
const PROD = "ebafe99f-000e-4ab8-aa64-e797f5948c3c";
const FABRIKAM = "23c10185-3531-4e6d-a43c-cf374b64270f";
const sandboxes: Sandbox[] = [];

afterAll(async () => {
  for (const s of sandboxes) await s.close();
});

describe("AzureCloud", () => {
  it("signs in, lists subscriptions, reads HealthcareApis, Key Vault (ARM + data plane) and Graph", async () => {
    const sandbox = await startTestSandbox(demo);
    sandboxes.push(sandbox);
    const credential = createCredential("AzureCloud");

    const me = await signIn(credential, "AzureCloud");
    expect(me).toMatchObject({ tenantId: demo.caller.tenantId, appId: demo.caller.clientId });

    const subs = await listSubscriptions(credential, "AzureCloud");
    expect(subs.map((s) => s.subscriptionId)).toContain(PROD);

    const arm = createArmClients(credential, "AzureCloud", PROD);
    const services = [];
    for await (const s of arm.healthcare.services.list()) services.push(s);
    expect(services.length).toBeGreaterThan(0);
    const vault = await arm.keyVaultMgmt.vaults.get("rg-keys-prod", "kv-contoso-fhir-prod");
    expect(vault.properties?.vaultUri).toBe("https://kv-contoso-fhir-prod.vault.azure.net/");

    const key = await createKeyClient(credential, "https://kv-contoso-fhir-prod.vault.azure.net/").getKey("fhir-cmk");
    expect(key.key?.n?.length).toBe(3072 / 8);

    const alice = demo.principals.find((p) => p.type === "User")!;
    const graph = await createGraphClient(credential, "AzureCloud").postJson("/v1.0/directoryObjects/getByIds",
      { ids: [alice.objectId], types: ["user", "group", "servicePrincipal"] }) as { value: Record<string, unknown>[] };
    expect(graph.value).toEqual([expect.objectContaining({ id: alice.objectId, "@odata.type": "#microsoft.graph.user" })]);

    const healthcareCalls = sandbox.requests().filter((r) => r.path.includes("/providers/Microsoft.HealthcareApis/"));
    expect(healthcareCalls.length).toBeGreaterThan(0);
    for (const r of healthcareCalls) expect(r.query["api-version"]).toBe("2024-03-31");
  });

  it("turns an ARM refusal (a subscription of another tenant) into AzureError with status, code and request id", async () => {
    const credential = createCredential("AzureCloud");
    const arm = createArmClients(credential, "AzureCloud", FABRIKAM);
    let caught: unknown;
    try {
      for await (const _ of arm.healthcare.services.list()) { /* drain */ }
    } catch (err) {
      caught = toDomainError(err, "the account list");
    }
    expect(caught).toMatchObject({ name: "AzureError", status: 401, code: "InvalidAuthenticationTokenTenant", retryable: false });
    expect((caught as { requestId?: string }).requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("AzureUSGovernment", () => {
  it("switches authority, ARM and Graph hosts together", async () => {
    const gov = parseEstate({ ...JSON.parse(JSON.stringify(demo)), cloud: "AzureUSGovernment", keys: [],
      resources: demo.resources.filter((r) => r.type !== "Microsoft.KeyVault/vaults") }).estate;
    const sandbox = await startTestSandbox(gov);
    sandboxes.push(sandbox);
    const credential = createCredential("AzureUSGovernment");
    expect(await signIn(credential, "AzureUSGovernment")).toMatchObject({ tenantId: demo.caller.tenantId });
    expect((await listSubscriptions(credential, "AzureUSGovernment")).map((s) => s.subscriptionId)).toContain(PROD);
    const alice = demo.principals.find((p) => p.type === "User")!;
    const graph = await createGraphClient(credential, "AzureUSGovernment").postJson("/v1.0/directoryObjects/getByIds",
      { ids: [alice.objectId] }) as { value: unknown[] };
    expect(graph.value).toHaveLength(1);
    const hosts = new Set(sandbox.requests().map((r) => r.host));
    expect([...hosts].sort()).toEqual(["graph.microsoft.us", "login.microsoftonline.us", "management.usgovcloudapi.net"]);
  });
});
