// src/assess — readiness rules: pure functions over the snapshot that give each legacy account its
// findings (the codes of FINDINGS.md) and its verdict. No I/O, no Azure SDK: everything judged here was
// read by src/inventory first. Each rule family evaluates on its own (FINDINGS.md "Definitions").
import { verdictOf } from "../domain/findings.js";
import { resolveKeyState } from "./key-state.js";
import { sortFindings } from "./finding.js";
import { resourceGroupIdOf } from "./grant-scopes.js";
import { sourceRules } from "./rules-source.js";
import { keyRules } from "./rules-key.js";
import { vaultRules } from "./rules-vault.js";
import { accessRules } from "./rules-access.js";
import { rbacRules } from "./rules-rbac.js";
import { fhirServicesAfterMigration, targetRules, workspaceNameOwners } from "./rules-targets.js";
import { cmkFacts } from "./cmk-facts.js";
import type { CmkFacts } from "../domain/inventory-document.js";
import type { Finding, Verdict } from "../domain/findings.js";
import type { LegacyAccount, Snapshot } from "../domain/snapshot.js";
import type { AccountContext, AssessmentContext, RuleFamily } from "./rule-context.js";

export interface AccountAssessment {
  account: LegacyAccount;
  cmk: CmkFacts | null;
  findings: Finding[];
  verdict: Verdict;
}

export interface AssessOptions {
  /** The instant expiry and not-before are judged at; defaults to the snapshot's generatedAt. */
  now?: Date;
}

const RULE_FAMILIES: readonly RuleFamily[] = [sourceRules, keyRules, vaultRules, accessRules, rbacRules, targetRules];

export function assess(snapshot: Snapshot, options: AssessOptions = {}): AccountAssessment[] {
  const context: AssessmentContext = {
    snapshot,
    now: options.now ?? new Date(snapshot.generatedAt),
    fhirServicesAfterMigration: fhirServicesAfterMigration(snapshot),
    workspaceNameOwners: workspaceNameOwners(snapshot),
  };
  return snapshot.accounts.map((account) => assessAccount(account, context));
}

function assessAccount(account: LegacyAccount, context: AssessmentContext): AccountAssessment {
  const { snapshot } = context;
  const subscription = snapshot.subscriptions.find((s) => s.subscriptionId.toLowerCase() === account.subscriptionId.toLowerCase());
  const subscriptionTenantId = subscription?.tenantId || snapshot.tenantId;
  const keyUri = account.properties?.cosmosDbConfiguration?.keyVaultKeyUri;
  const accountContext: AccountContext = {
    account,
    subscriptionTenantId,
    resourceGroupId: resourceGroupIdOf(account),
    key: keyUri ? resolveKeyState(snapshot, keyUri, subscriptionTenantId) : null,
  };
  const findings = sortFindings(RULE_FAMILIES.flatMap((rules) => rules(accountContext, context)));
  return { account, cmk: cmkFacts(accountContext.key), findings, verdict: verdictOf(findings) };
}
