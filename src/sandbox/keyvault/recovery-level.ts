// A key's `recoveryLevel` / `recoverableDays` follow its vault (DESIGN.md "Estate file"; azure-facts §5.2 table;
// keys.json DeletionRecoveryLevel). Vault properties per Microsoft.KeyVault 2026-02-01: `enableSoftDelete` is
// true when not set ("it will be set to true by default"), `softDeleteRetentionInDays` defaults to 90,
// `enablePurgeProtection` absent = off.
import type { ArmResource } from "../estate-types.js";

export interface RecoveryAttributes {
  recoveryLevel: string;
  /** 7–90 with soft delete, else 0 (keys.json KeyAttributes.recoverableDays: "otherwise 0"). */
  recoverableDays: number;
}

export function recoveryAttributes(vault: ArmResource): RecoveryAttributes {
  const p = vault.properties ?? {};
  const softDelete = p.enableSoftDelete !== false;
  if (!softDelete) return { recoveryLevel: "Purgeable", recoverableDays: 0 };
  const days = typeof p.softDeleteRetentionInDays === "number" ? p.softDeleteRetentionInDays : 90;
  const base = days < 90 ? "CustomizedRecoverable" : "Recoverable";
  const purgeProtection = p.enablePurgeProtection === true;
  return { recoveryLevel: purgeProtection ? base : `${base}+Purgeable`, recoverableDays: days };
}
