// The `inventory --json` document, format 1 (FINDINGS.md): built field by field so the key order is the
// contract's, whatever order the snapshot's objects happen to carry.
import type { AccountReport, CmkFacts, InventoryDocument } from "../domain/inventory-document.js";
import type { Finding } from "../domain/findings.js";
import type { Snapshot } from "../domain/snapshot.js";
import type { AccountAssessment } from "./assess.js";

export function inventoryDocument(snapshot: Snapshot, assessments: readonly AccountAssessment[], toolVersion: string): InventoryDocument {
  return {
    formatVersion: 1,
    tool: { name: "ahds-migrate", version: toolVersion },
    cloud: snapshot.cloud,
    generatedAt: snapshot.generatedAt,
    subscriptions: snapshot.subscriptions.map((s) => ({
      subscriptionId: s.subscriptionId, displayName: s.displayName, tenantId: s.tenantId, error: s.error,
    })),
    accounts: assessments.map(accountReport),
    errors: snapshot.errors.map((e) => ({ scope: e.scope, message: e.message })),
  };
}

function accountReport(a: AccountAssessment): AccountReport {
  const account = a.account;
  return {
    id: account.id,
    name: account.name,
    subscriptionId: account.subscriptionId,
    resourceGroup: account.resourceGroup,
    location: account.location,
    kind: account.kind,
    provisioningState: account.properties?.provisioningState ?? "",
    cmk: a.cmk ? orderedCmk(a.cmk) : null,
    verdict: a.verdict,
    findings: a.findings.map(orderedFinding),
  };
}

function orderedCmk(c: CmkFacts): CmkFacts {
  return {
    keyUri: c.keyUri, vaultUri: c.vaultUri, vaultName: c.vaultName, keyName: c.keyName, vaultId: c.vaultId,
    vaultLocation: c.vaultLocation, vaultTenantId: c.vaultTenantId, currentVersion: c.currentVersion,
    keyType: c.keyType, keySize: c.keySize, enabled: c.enabled, expiresOn: c.expiresOn, recoveryLevel: c.recoveryLevel,
    softDelete: c.softDelete, purgeProtection: c.purgeProtection, permissionModel: c.permissionModel,
    networkDefaultAction: c.networkDefaultAction, networkBypass: c.networkBypass,
  };
}

function orderedFinding(f: Finding): Finding {
  return f.fix === undefined
    ? { code: f.code, severity: f.severity, message: f.message }
    : { code: f.code, severity: f.severity, message: f.message, fix: f.fix };
}
