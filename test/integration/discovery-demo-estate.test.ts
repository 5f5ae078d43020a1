// discover() over the demo estate (src/sandbox/demo-estate.ts) through the real SDK clients and the shared
// limiter: every kind of fact lands in the snapshot, and the request log shows the read counts of issue 3
// (one getKey + one versions listing per distinct key, list pages per subscription, one permissions listing
// per scope, one Graph call), progress ends in "done", and cancellation rejects.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoEstate } from "../../src/sandbox/demo-estate.js";
import type { Sandbox } from "../../src/sandbox/server.js";
import { createAzureSession } from "../../src/azure/azure-session.js";
import { discover } from "../../src/inventory/discover.js";
import type { DiscoveryProgress } from "../../src/inventory/progress.js";
import type { Snapshot } from "../../src/domain/snapshot.js";
import { startTestSandbox } from "../helpers/sandbox.js";
import { FAST_RETRY, requestKinds } from "../fixtures/inventory-estates.js";

let sandbox: Sandbox;
let snapshot: Snapshot;
const events: DiscoveryProgress[] = [];

beforeAll(async () => {
  sandbox = await startTestSandbox(demoEstate());
  snapshot = await discover(createAzureSession("AzureCloud", FAST_RETRY),
    { onProgress: (p) => events.push(p), now: () => new Date("2026-01-01T00:00:00Z") });
});
afterAll(async () => { await sandbox?.close(); });

describe("discover on the demo estate", () => {
  it("reports the three Contoso subscriptions (not Fabrikam's: another tenant) and all 17 accounts", () => {
    expect(snapshot.generatedAt).toBe("2026-01-01T00:00:00.000Z");
    expect(snapshot.subscriptions.map((s) => s.displayName).sort()).toEqual(
      ["Contoso Health Clinical Ops", "Contoso Health Production", "Contoso Health Research"]);
    expect(snapshot.subscriptions.every((s) => s.error === null && s.tenantId === snapshot.tenantId)).toBe(true);
    expect(snapshot.accounts).toHaveLength(17);
    expect(snapshot.errors).toEqual([]);
  });

  it("makes exactly the reads issue 3 counts: one getKey and one versions listing per distinct key", () => {
    expect(requestKinds(sandbox.requests())).toEqual({
      // 3 target resource groups + the 7 visible vaults whose keys are read (each RBAC vault already allows the
      // caller roleAssignments/write, so no key scope is asked, issue 9 §6) + two storage accounts + registry
      "arm permissions": 13,
      "arm provider metadata": 3, // the FHIR service regions, once per subscription with accounts (issue 9 §5)
      "arm registries": 3,
      "arm role assignments": 17, // one atScope() listing per listed account (issue 9 §1)
      "arm services": 3, "arm storage": 3, "arm subscriptions": 1, "arm vaults": 3, "arm workspaces": 3,
      "entra": expect.any(Number) as number,
      "graph getByIds": 1,
      "kv getKey": 11,         // 12 distinct keys; the Fabrikam vault's challenge names another tenant: no read
      "kv versions": 11,
      "kv-challenge": 8,       // one per vault: a vault's first read goes alone
    });
    expect(Object.keys(snapshot.keys)).toHaveLength(12);
    const healthcare = sandbox.requests().filter((r) => /Microsoft\.HealthcareApis\//i.test(r.path) && !/Microsoft\.Authorization/i.test(r.path));
    expect(healthcare.length).toBe(6);
    for (const r of healthcare) expect(r.query["api-version"]).toBe("2024-03-31");
    expect(Object.keys(snapshot.vaults)).toHaveLength(8);
  });

  it("records the key failures as data", () => {
    expect(snapshot.keys["kv-contoso-clinical/cmk-disabled"]).toMatchObject({ getFailure: "disabled", listFailure: null, enabled: false });
    expect(snapshot.keys["kv-contoso-clinical/cmk-deleted"]).toMatchObject({ getFailure: "not-found", listFailure: "not-found" });
    expect(snapshot.keys["kv-clinical-restricted/cmk-audit"]).toMatchObject({ getFailure: "forbidden", listFailure: "forbidden" });
    expect(snapshot.keys["kv-fabrikam-shared/contoso-cmk"]).toMatchObject({ getFailure: "cross-tenant" });
    expect(snapshot.vaults["kv-fabrikam-shared"]).toMatchObject({ id: null, armFailure: "not-found" });
    expect(snapshot.vaults["kv-fabrikam-shared"]!.tenantId).not.toBe(snapshot.tenantId);
    expect(snapshot.keys["kv-contoso-fhir-prod/fhir-cmk-4096"]).toMatchObject({ keyType: "RSA", keySize: 4096 });
    expect(snapshot.keys["kv-contoso-clinical/cmk-expired"]!.expiresOn).toBe("2025-01-01T00:00:00.000Z");
  });

  it("records vault models, firewall and the principals of the tenant (the Fabrikam auditor is absent)", () => {
    expect(snapshot.vaults["kv-contoso-research-ap"]!.permissionModel).toBe("accessPolicy");
    expect(snapshot.vaults["kv-research-nopurge"]!.purgeProtection).toBe(false);
    expect(snapshot.vaults["kv-research-locked"]).toMatchObject({ networkDefaultAction: "Deny", networkBypass: "None" });
    const ids = new Set(snapshot.accounts.flatMap((a) => (a.properties.accessPolicies ?? []).map((p) => p.objectId.toLowerCase())));
    expect(ids.size).toBe(5); // the operator is in the access policies of the two accounts ready to sync
    expect(Object.values(snapshot.principals ?? {}).sort()).toEqual(["Group", "ServicePrincipal", "ServicePrincipal", "User"]);
  });

  it("keeps the services in their REST shape and knows the grant targets", () => {
    const exports = snapshot.accounts.find((a) => a.name === "fhir-exports")!;
    expect(exports).toMatchObject({ kind: "fhir", resourceGroup: "rg-clinical", location: "eastus",
      properties: { exportConfiguration: { storageAccountName: "contosofhirexport" }, acrConfiguration: { loginServers: ["contosofhiracr.azurecr.io"] } } });
    expect(snapshot.accounts.find((a) => a.name === "fhir-cohorts")!.properties.privateEndpointConnections).toHaveLength(1);
    expect(Object.keys(snapshot.storageAccounts).sort()).toEqual(["contosofhirexport", "contosomigration"]);
    expect(Object.keys(snapshot.registries)).toEqual(["contosofhiracr.azurecr.io"]);
  });

  it("reports progress whose counters only grow and end at done with everything read", () => {
    const last = events.at(-1)!;
    expect(last).toEqual({ phase: "done", subscriptionsTotal: 3, subscriptionsScanned: 3, accountsFound: 17,
      vaultsTotal: 8, vaultsRead: 8, keysTotal: 12, keysRead: 12 });
    for (let i = 1; i < events.length; i++) {
      for (const k of ["subscriptionsScanned", "accountsFound", "vaultsRead", "keysRead"] as const) {
        expect(events[i]![k]).toBeGreaterThanOrEqual(events[i - 1]![k]);
      }
    }
    expect(events.some((e) => e.phase === "accounts")).toBe(true);
  });

  it("rejects with an AbortError when cancelled, before or during the run", async () => {
    const before = new AbortController();
    before.abort();
    await expect(discover(createAzureSession("AzureCloud", FAST_RETRY), { abortSignal: before.signal })).rejects.toMatchObject({ name: "AbortError" });
    const during = new AbortController();
    const run = discover(createAzureSession("AzureCloud", FAST_RETRY), {
      abortSignal: during.signal, onProgress: (p) => { if (p.accountsFound > 0) during.abort(); },
    });
    await expect(run).rejects.toMatchObject({ name: "AbortError" });
  });
});
