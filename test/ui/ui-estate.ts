// Accounts as assess() would judge them, built in-process for UI tests (the UI is under test here, not
// discovery or the rules): two subscriptions, every verdict, CMK and Microsoft-managed keys.
import type { Finding, Verdict } from "../../src/domain/findings.js";
import { verdictOf } from "../../src/domain/findings.js";
import type { CmkFacts } from "../../src/domain/inventory-document.js";
import type { LegacyAccount } from "../../src/domain/snapshot.js";
import type { InventoryView, UiAccount } from "../../src/ui/inventory-view.js";

export const SUB_PROD = "11111111-1111-1111-1111-111111111111";
export const SUB_DEV = "22222222-2222-2222-2222-222222222222";

const FINDINGS: Record<string, Finding> = {
  notFound: { code: "key-not-found", severity: "blocker", message: "The key cmk-gone does not exist in vault contoso-old-kv.",
    fix: "Restore the key or point the account at an existing key before migrating." },
  purge: { code: "vault-purge-protection-off", severity: "action", message: "Vault contoso-kv has no purge protection.",
    fix: "Enable purge protection on contoso-kv (irreversible) with 'az keyvault update --enable-purge-protection'." },
  pinned: { code: "key-version-pinned", severity: "info", message: "The source key URI is versionless; the plan pins the current version." },
  mmk: { code: "cmk-not-configured", severity: "info", message: "No customer-managed key: the target uses Microsoft-managed keys." },
};

function cmk(vault: string, key: string, version: string): CmkFacts {
  return { keyUri: `https://${vault}.vault.azure.net/keys/${key}/${version}`, vaultUri: `https://${vault}.vault.azure.net/`,
    vaultName: vault, keyName: key, vaultId: `/subscriptions/${SUB_PROD}/resourceGroups/keys/providers/Microsoft.KeyVault/vaults/${vault}`,
    vaultLocation: "eastus", vaultTenantId: "33333333-3333-3333-3333-333333333333", currentVersion: version, keyType: "RSA",
    keySize: 3072, enabled: true, expiresOn: null, recoveryLevel: "Recoverable+Purgeable", softDelete: true, purgeProtection: false,
    permissionModel: "rbac", networkDefaultAction: "Allow", networkBypass: "AzureServices" };
}

export function uiAccount(name: string, o: { sub?: string; verdictFindings?: Finding[]; key?: CmkFacts | null; location?: string } = {}): UiAccount {
  const sub = o.sub ?? SUB_PROD;
  const account: LegacyAccount = {
    id: `/subscriptions/${sub}/resourceGroups/fhir-rg/providers/Microsoft.HealthcareApis/services/${name}`,
    name, subscriptionId: sub, resourceGroup: "fhir-rg", location: o.location ?? "eastus", kind: "fhir-R4",
    properties: { provisioningState: "Succeeded", accessPolicies: [{ objectId: "44444444-4444-4444-4444-444444444444" }],
      authenticationConfiguration: { authority: "https://login.microsoftonline.com/33333333-3333-3333-3333-333333333333",
        audience: `https://${name}.azurehealthcareapis.com`, smartProxyEnabled: false },
      corsConfiguration: { origins: ["https://portal.contoso.com"], methods: ["GET", "POST"], headers: ["*"], maxAge: 600, allowCredentials: false },
      exportConfiguration: { storageAccountName: "contosoexport" }, acrConfiguration: { loginServers: ["contosoacr.azurecr.io"] },
      privateEndpointConnections: [] },
  };
  const findings = o.verdictFindings ?? [];
  const key = o.key === undefined ? cmk("contoso-kv", "fhir-cmk", "0123456789abcdef0123456789abcdef") : o.key;
  return { account, cmk: key, findings, verdict: verdictOf(findings) };
}

/** 20 accounts: ready ones, needs-action ones (purge protection), blocked ones (key gone), MMK ones. */
export function uiEstate(): InventoryView {
  const accounts: UiAccount[] = [];
  for (let i = 1; i <= 20; i++) {
    const name = `fhir-${String(i).padStart(2, "0")}`;
    const sub = i % 2 === 0 ? SUB_DEV : SUB_PROD;
    if (i % 5 === 0) accounts.push(uiAccount(name, { sub, key: cmk("contoso-old-kv", "cmk-gone", "feedfacefeedfacefeedfacefeedface"), verdictFindings: [FINDINGS.purge!, FINDINGS.notFound!] }));
    else if (i % 3 === 0) accounts.push(uiAccount(name, { sub, verdictFindings: [FINDINGS.purge!, FINDINGS.pinned!] }));
    else if (i % 7 === 1) accounts.push(uiAccount(name, { sub, key: null, verdictFindings: [FINDINGS.mmk!] }));
    else accounts.push(uiAccount(name, { sub, verdictFindings: [FINDINGS.pinned!] }));
  }
  return { cloud: "AzureCloud", tenantId: "33333333-3333-3333-3333-333333333333", errors: [], accounts,
    subscriptions: [{ subscriptionId: SUB_PROD, displayName: "Contoso Prod", error: null }, { subscriptionId: SUB_DEV, displayName: "Contoso Dev", error: null }] };
}

export function countVerdict(inv: InventoryView, v: Verdict): number {
  return inv.accounts.filter((a) => a.verdict === v).length;
}
