import { describe, expect, it } from "vitest";
import type { Finding } from "../../domain/findings.js";
import type { AccountReport, CmkFacts, InventoryDocument } from "../../domain/inventory-document.js";
import { firstFinding, fitWidths, inventoryErrors, inventorySummary, keyLabel, renderInventory, truncate } from "./inventory-table.js";
import { RETIREMENT_NOTICE } from "../../domain/retirement.js";

const SUB_A = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa";
const SUB_B = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb";

function cmk(over: Partial<CmkFacts> = {}): CmkFacts {
  return { keyUri: "https://kv-prod.vault.azure.net/keys/cmk", vaultUri: "https://kv-prod.vault.azure.net/", vaultName: "kv-prod",
    keyName: "cmk", vaultId: null, vaultLocation: "westeurope", vaultTenantId: null, currentVersion: "0123456789abcdef0123456789abcdef",
    keyType: "RSA", keySize: 3072, enabled: true, expiresOn: null, recoveryLevel: "Recoverable", softDelete: true, purgeProtection: true,
    permissionModel: "rbac", networkDefaultAction: "Allow", networkBypass: "AzureServices", ...over };
}

const f = (code: Finding["code"], severity: Finding["severity"]): Finding =>
  ({ code, severity, message: code, ...(severity === "info" ? {} : { fix: "fix it" }) });

function account(name: string, sub: string, findings: Finding[], over: Partial<AccountReport> = {}): AccountReport {
  const verdict = findings.some((x) => x.severity === "blocker") ? "blocked" : findings.some((x) => x.severity === "action") ? "needs-action" : "ready";
  return { id: `/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.HealthcareApis/services/${name}`, name, subscriptionId: sub,
    resourceGroup: "rg", location: "westeurope", kind: "fhir-R4", provisioningState: "Succeeded", cmk: cmk(), verdict, findings, ...over };
}

function doc(accounts: AccountReport[], over: Partial<InventoryDocument> = {}): InventoryDocument {
  return { formatVersion: 1, tool: { name: "ahds-migrate", version: "0.1.0" }, cloud: "AzureCloud", generatedAt: "2026-01-01T00:00:00.000Z",
    subscriptions: [
      { subscriptionId: SUB_A, displayName: "Production", tenantId: "t", error: null },
      { subscriptionId: SUB_B, displayName: "Research", tenantId: "t", error: null },
    ], accounts, errors: [], ...over };
}

const sample = doc([
  account("fhir-patients", SUB_A, [f("key-version-pinned", "info")]),
  account("fhir-suspended", SUB_A, [f("vault-purge-protection-off", "action"), f("source-not-succeeded", "blocker"), f("key-disabled", "action")]),
  account("fhir-trials", SUB_B, [f("vault-purge-protection-off", "action")], { cmk: null }),
]);

describe("inventory table", () => {
  it("lists account, subscription name, region, kind, key, verdict and the first blocking finding, blocked first", () => {
    expect(renderInventory(sample, { color: false })).toBe([
      "ACCOUNT         SUBSCRIPTION  REGION      KIND     KEY                   VERDICT       FINDING",
      "fhir-suspended  Production    westeurope  fhir-R4  kv-prod/cmk@01234567  blocked       source-not-succeeded +2",
      "fhir-patients   Production    westeurope  fhir-R4  kv-prod/cmk@01234567  ready         -",
      "fhir-trials     Research      westeurope  fhir-R4  Microsoft-managed     needs-action  vault-purge-protection-off",
      "",
      "3 accounts in 2 subscriptions: 1 ready, 1 needs action, 1 blocked",
      RETIREMENT_NOTICE,
    ].join("\n"));
  });

  it("fits a narrow terminal by cutting the widest columns with …", () => {
    const lines = renderInventory(sample, { color: false, width: 80 }).split("\n");
    for (const l of lines.slice(0, 4)) expect(l.length).toBeLessThanOrEqual(80);
    expect(lines[1]).toContain("…");
    expect(lines[1]).toMatch(/ blocked +/);
    expect(lines[3]).toMatch(/ needs-action /);
  });

  it("colours only the verdict (and bolds the header) when colour is on, without moving the columns", () => {
    const plain = renderInventory(sample, { color: false }).split("\n");
    const colored = renderInventory(sample, { color: true }).split("\n");
    expect(colored[1]).toContain("\u001b[31mblocked\u001b[39m");
    expect(colored[2]).toContain("\u001b[32mready\u001b[39m");
    // eslint-disable-next-line no-control-regex
    expect(colored.map((l) => l.replace(/\u001b\[\d+m/g, ""))).toEqual(plain);
  });

  it("shows the key as vault/key@first 8 of the version, without @ when the version is unknown", () => {
    expect(keyLabel(account("a", SUB_A, []))).toBe("kv-prod/cmk@01234567");
    expect(keyLabel(account("a", SUB_A, [], { cmk: cmk({ currentVersion: null }) }))).toBe("kv-prod/cmk");
    expect(keyLabel(account("a", SUB_A, [], { cmk: null }))).toBe("Microsoft-managed");
  });

  it("prefers a blocker over earlier action findings", () => {
    expect(firstFinding([f("key-disabled", "action"), f("key-not-found", "blocker")])).toBe("key-not-found +1");
    expect(firstFinding([f("kind-stu3", "info")])).toBe("-");
  });

  it("summary: singular and plural, no accounts", () => {
    expect(inventorySummary(doc([account("a", SUB_A, [f("key-disabled", "action")])], { subscriptions: [sample.subscriptions[0]!] })))
      .toBe("1 account in 1 subscription: 0 ready, 1 needs action, 0 blocked");
    expect(renderInventory(doc([]), { color: false })).toBe(`0 accounts in 2 subscriptions: 0 ready, 0 need action, 0 blocked\n${RETIREMENT_NOTICE}`);
  });

  it("errors section: unreadable subscriptions and errors entries", () => {
    const d = doc([], {
      subscriptions: [{ subscriptionId: SUB_A, displayName: "Production", tenantId: "t", error: "403 AuthorizationFailed" }],
      errors: [{ scope: "/subscriptions/x/providers/Microsoft.Authorization/permissions", message: "HTTP 500" }],
    });
    expect(inventoryErrors(d)).toEqual([
      "Errors (2):",
      `  subscription Production (${SUB_A}): 403 AuthorizationFailed`,
      "  /subscriptions/x/providers/Microsoft.Authorization/permissions: HTTP 500",
    ]);
    expect(inventoryErrors(doc([]))).toEqual([]);
  });

  it("fitWidths stops at the minimum widths; truncate keeps the width", () => {
    expect(fitWidths([10, 10, 8, 7, 12, 12, 10], 10)).toEqual([8, 8, 6, 7, 10, 12, 8]);
    // Subscription first (to its soft 12), then key, finding, account, region; never wider than natural.
    expect(fitWidths([17, 27, 11, 9, 43, 12, 40], 171)).toEqual([17, 27, 11, 9, 43, 12, 40]);
    expect(fitWidths([17, 27, 11, 9, 43, 12, 40], 160)).toEqual([17, 16, 11, 9, 43, 12, 40]);
    expect(fitWidths([17, 27, 11, 9, 43, 12, 40], 120)).toEqual([17, 12, 11, 9, 22, 12, 25]);
    // Past the soft widths: the widest column first.
    expect(fitWidths([17, 27, 11, 9, 43, 12, 40], 100)).toEqual([15, 12, 10, 9, 15, 12, 15]);
    expect(fitWidths([30, 10, 8, 7, 12, 12, 10], 100)).toEqual([29, 10, 8, 7, 12, 12, 10]);
    expect(truncate("abcdef", 4)).toBe("abc…");
    expect(truncate("abc", 4)).toBe("abc");
  });
});
