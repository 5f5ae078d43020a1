import { describe, expect, it } from "vitest";
import type { ArmResource } from "../estate-types.js";
import { recoveryAttributes } from "./recovery-level.js";

function vault(properties: Record<string, unknown>): ArmResource {
  return { id: "/subscriptions/s/resourceGroups/g/providers/Microsoft.KeyVault/vaults/kv", name: "kv",
    type: "Microsoft.KeyVault/vaults", properties };
}

describe("recoveryAttributes (azure-facts §5.2)", () => {
  it.each([
    [{ enableSoftDelete: true, enablePurgeProtection: true, softDeleteRetentionInDays: 90 }, "Recoverable", 90],
    [{ enableSoftDelete: true, enablePurgeProtection: true, softDeleteRetentionInDays: 30 }, "CustomizedRecoverable", 30],
    [{ enableSoftDelete: true, softDeleteRetentionInDays: 90 }, "Recoverable+Purgeable", 90],
    [{ enableSoftDelete: true, enablePurgeProtection: false, softDeleteRetentionInDays: 7 }, "CustomizedRecoverable+Purgeable", 7],
    [{ enableSoftDelete: false }, "Purgeable", 0],
    [{ enableSoftDelete: false, enablePurgeProtection: true }, "Purgeable", 0],
    // Not set: soft delete defaults to on, retention to 90, purge protection off (Microsoft.KeyVault 2026-02-01).
    [{}, "Recoverable+Purgeable", 90],
    [{ enablePurgeProtection: true }, "Recoverable", 90],
  ] as const)("%j → %s / %i days", (props, level, days) => {
    expect(recoveryAttributes(vault(props))).toEqual({ recoveryLevel: level, recoverableDays: days });
  });
});
