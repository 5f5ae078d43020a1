// The `inventory --json` document, format 1 (FINDINGS.md): a contract users' scripts key on.
import type { CloudName } from "./snapshot.js";
import type { Finding, Verdict } from "./findings.js";

/** The CMK facts of the key version judged (FINDINGS.md "Facts in cmk"); unread facts are null. */
export interface CmkFacts {
  keyUri: string;
  vaultUri: string;
  vaultName: string;
  keyName: string;
  vaultId: string | null;
  vaultLocation: string | null;
  vaultTenantId: string | null;
  currentVersion: string | null;
  keyType: string | null;
  keySize: number | null;
  enabled: boolean | null;
  expiresOn: string | null;
  recoveryLevel: string | null;
  softDelete: boolean | null;
  purgeProtection: boolean | null;
  permissionModel: "rbac" | "accessPolicy" | null;
  networkDefaultAction: "Allow" | "Deny" | null;
  networkBypass: "AzureServices" | "None" | null;
}

export interface AccountReport {
  id: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  kind: string;
  provisioningState: string;
  cmk: CmkFacts | null;
  verdict: Verdict;
  findings: Finding[];
}

export interface InventoryDocument {
  formatVersion: 1;
  tool: { name: "ahds-migrate"; version: string };
  cloud: CloudName;
  generatedAt: string;
  subscriptions: { subscriptionId: string; displayName: string; tenantId: string; error: string | null }[];
  accounts: AccountReport[];
  errors: { scope: string; message: string }[];
}
