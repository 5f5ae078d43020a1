// What every rule family receives: the account, the facts resolved for it once, and the snapshot-wide
// facts (the FHIR service count per subscription) computed once per assessment.
import type { LegacyAccount, Snapshot } from "../domain/snapshot.js";
import type { Finding } from "../domain/findings.js";
import type { KeyState } from "./key-state.js";

export interface AssessmentContext {
  snapshot: Snapshot;
  now: Date;
  /** Subscription id (lower case) → FHIR services there if every listed account were migrated. */
  fhirServicesAfterMigration: Map<string, number>;
  /** Derived workspace name → the listed account (scopeKey of its id) that keeps it (rules-targets.ts). */
  workspaceNameOwners: Map<string, string>;
}

export interface AccountContext {
  account: LegacyAccount;
  /** The tenant of the account's subscription (falls back to the signed-in tenant). */
  subscriptionTenantId: string;
  /** `/subscriptions/{s}/resourceGroups/{rg}`, case as in the account id. */
  resourceGroupId: string;
  /** Null when the account has no keyVaultKeyUri. */
  key: KeyState | null;
}

export type RuleFamily = (a: AccountContext, c: AssessmentContext) => Finding[];
