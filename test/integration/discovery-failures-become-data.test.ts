// Nothing that cannot be read crashes discovery (issue 3, FINDINGS.md "Definitions"): a subscription whose
// services listing is refused (403) next to a readable one, a subscription not visible at all, a missing
// key (404), a vault whose host is gone (proxy 502 ProxyHostNotFound), a disabled current version (403
// "…disabled key"), a vault the caller may not read keys in (403), another tenant's vault (the credential
// refuses the challenge's tenant) and Graph answering 401 each become facts in the snapshot.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/server.js";
import { createAzureSession } from "../../src/azure/azure-session.js";
import { discover } from "../../src/inventory/discover.js";
import type { Snapshot } from "../../src/domain/snapshot.js";
import { startTestSandbox } from "../helpers/sandbox.js";
import {
  CROSS_VAULT, FAST_RETRY, DISABLED_KEY, failuresEstate, FORBIDDEN_VAULT, GONE_VAULT, HIDDEN_SUBSCRIPTION, SECOND_SUBSCRIPTION,
} from "../fixtures/inventory-estates.js";
import { KEY_NAME, OTHER_TENANT_ID, SUBSCRIPTION_ID, TENANT_ID, VAULT_NAME } from "../fixtures/estate-builders.js";

let sandbox: Sandbox;
let snapshot: Snapshot;

beforeAll(async () => {
  const estate = failuresEstate();
  estate.behaviour.faults = [
    { match: { method: "GET", pathRegex: `^/subscriptions/${SECOND_SUBSCRIPTION}/providers/Microsoft\\.HealthcareApis/services$` }, status: 403 },
    { match: { host: "graph.microsoft.com" }, status: 401 },
  ];
  sandbox = await startTestSandbox(estate);
  snapshot = await discover(createAzureSession("AzureCloud", FAST_RETRY));
}, 60_000);
afterAll(async () => { await sandbox?.close(); });

describe("failures become data", () => {
  it("reports a subscription whose services listing is refused with its error, and the readable one in full", () => {
    const second = snapshot.subscriptions.find((s) => s.subscriptionId === SECOND_SUBSCRIPTION)!;
    expect(second.error).toMatch(/^Can't list Azure API for FHIR accounts \(forbidden\)/);
    const first = snapshot.subscriptions.find((s) => s.subscriptionId === SUBSCRIPTION_ID)!;
    expect(first.error).toBeNull();
    expect(snapshot.accounts.every((a) => a.subscriptionId === SUBSCRIPTION_ID)).toBe(true);
    expect(snapshot.accounts.map((a) => a.name)).toContain("fhir-ok");
    // The caller has no role on the hidden subscription: ARM does not even list it.
    expect(snapshot.subscriptions.map((s) => s.subscriptionId)).not.toContain(HIDDEN_SUBSCRIPTION);
  });

  it("reads a missing key as not-found, and the vault it names as readable", () => {
    const k = snapshot.keys[`${VAULT_NAME}/no-such-key`]!;
    expect(k.getFailure).toBe("not-found");
    expect(k.listFailure).toBe("not-found");
    expect(k.challengeTenantId).toBe(TENANT_ID);
    expect(snapshot.vaults[VAULT_NAME]!.armFailure).toBeNull();
  });

  it("reads a vault whose host is refused by the proxy as not-found, with the vault facts from the key URI", () => {
    const k = snapshot.keys[`${GONE_VAULT}/${KEY_NAME}`]!;
    expect(k.getFailure).toBe("not-found");
    expect(k.challengeTenantId).toBeNull();
    expect(snapshot.vaults[GONE_VAULT]).toEqual({
      name: GONE_VAULT, vaultUri: `https://${GONE_VAULT}.vault.azure.net/`, id: null, location: null, tenantId: null,
      softDelete: null, purgeProtection: null, permissionModel: null, networkDefaultAction: null, networkBypass: null,
      armFailure: "not-found",
    });
    // The proxy refused every tunnel; a vault host that is gone is retried once (limiter-retry.ts HOST_GONE),
    // only the getKey (the versions listing is not attempted for a vault that does not answer).
    const refused = sandbox.requests().filter((r) => r.method === "CONNECT" && r.host === `${GONE_VAULT}.vault.azure.net`);
    expect(refused.map((r) => r.status)).toEqual([502, 502]);
  });

  it("reads a disabled current version as getFailure disabled, with the versions listed and the version known", () => {
    const k = snapshot.keys[`${VAULT_NAME}/${DISABLED_KEY}`]!;
    expect(k.getFailure).toBe("disabled");
    expect(k.listFailure).toBeNull();
    expect(k.versions).toHaveLength(2);
    const newest = k.versions.find((v) => v.enabled === false)!;
    expect(k.version).toBe(newest.version);
    expect(k.enabled).toBe(false);
    expect(k.keyType).toBeNull();
  });

  it("reads a key the caller has no data role on as forbidden (Key Vault 403)", () => {
    const k = snapshot.keys[`${FORBIDDEN_VAULT}/${KEY_NAME}`]!;
    expect(k.getFailure).toBe("forbidden");
    expect(k.listFailure).toBe("forbidden");
    expect(snapshot.vaults[FORBIDDEN_VAULT]!.armFailure).toBeNull();
  });

  it("reads another tenant's vault as cross-tenant, naming the tenant of its challenge", () => {
    const k = snapshot.keys[`${CROSS_VAULT}/${KEY_NAME}`]!;
    expect(k.getFailure).toBe("cross-tenant");
    expect(k.challengeTenantId).toBe(OTHER_TENANT_ID);
    expect(snapshot.vaults[CROSS_VAULT]).toMatchObject({ id: null, tenantId: OTHER_TENANT_ID, armFailure: "not-found" });
    // Only the challenge reached the vault: the credential refuses the tenant without asking Entra.
    expect(sandbox.requests().filter((r) => r.host === `${CROSS_VAULT}.vault.azure.net`).map((r) => r.status)).toEqual([401]);
  });

  it("leaves principals null when Graph answers 401, without an errors entry (principals-unverified explains it)", () => {
    expect(snapshot.principals).toBeNull();
    expect(snapshot.errors.filter((e) => e.scope === "Microsoft Graph")).toEqual([]);
  });

  it("reports a subscription asked for by id that the caller cannot see, next to the readable one", async () => {
    const s = await discover(createAzureSession("AzureCloud", FAST_RETRY), { subscriptionIds: [SUBSCRIPTION_ID, HIDDEN_SUBSCRIPTION] });
    expect(s.subscriptions.map((x) => [x.subscriptionId, x.error === null])).toEqual([[SUBSCRIPTION_ID, true], [HIDDEN_SUBSCRIPTION, false]]);
    expect(s.accounts.length).toBeGreaterThan(0);
    expect(s.accounts.every((a) => a.subscriptionId === SUBSCRIPTION_ID)).toBe(true);
  }, 60_000);
});
