// Whether a selected account can be planned (issue 4 "Choices"): no blocker, and every action finding either
// accepted (--accept, FINDINGS.md's acceptable list only) or resolved by a choice (--kind for
// kind-unversioned, --name for target-name-conflict; a chosen key is re-assessed by the caller, so what remains in the assessment stands).
// Each finding that stops the account becomes a NotPlannedReason naming the flag or fix that resolves it.
import { ACCEPTABLE_CODES } from "../domain/findings.js";
import type { Finding, FindingCode } from "../domain/findings.js";
import type { NotPlannedReason, PlanChoices } from "../domain/plan.js";
import { scopeKey } from "../domain/snapshot.js";

/** Findings about the key or its vault: FINDINGS.md — resolved "only by fixing the vault or choosing another key". */
const KEY_CHOICE_CODES: ReadonlySet<FindingCode> = new Set<FindingCode>([
  "key-not-found", "key-cross-tenant", "key-access-denied", "key-type-unsupported", "key-disabled", "key-expired",
  "key-not-yet-valid", "key-name-too-long", "vault-soft-delete-off", "vault-purge-protection-off",
  "vault-region-mismatch", "vault-firewall-blocks-trusted-services",
]);

/** A choice recorded for `accountId` (ARM ids compare case-insensitively). */
export function choiceFor<T>(record: Record<string, T>, accountId: string): T | undefined {
  const want = scopeKey(accountId);
  for (const [id, value] of Object.entries(record)) if (scopeKey(id) === want) return value;
  return undefined;
}

export interface AccountDecision {
  reasons: NotPlannedReason[];
  /** Acceptable action findings of this account the user accepted, in findings order. */
  accepted: FindingCode[];
}

function fixText(f: Finding): string {
  return `fix: ${f.fix ?? f.message}`;
}

export function decideAccount(accountId: string, findings: readonly Finding[], choices: PlanChoices): AccountDecision {
  const acceptedChoice = new Set(choiceFor(choices.accept, accountId) ?? []);
  const kindChosen = choiceFor(choices.kinds, accountId) !== undefined;
  const namesChosen = choiceFor(choices.names ?? {}, accountId) !== undefined;
  const reasons: NotPlannedReason[] = [];
  const accepted: FindingCode[] = [];
  for (const f of findings) {
    if (f.severity === "info") continue;
    const reason = (resolve: string) => reasons.push({ code: f.code, message: f.message, resolve });
    if (f.severity === "blocker") {
      reason(KEY_CHOICE_CODES.has(f.code) ? `--key ${accountId}=KEY_URL, or ${fixText(f)}` : fixText(f));
    } else if (f.code === "kind-unversioned") {
      if (!kindChosen) reason(`--kind ${accountId}=fhir-R4|fhir-Stu3`);
    } else if (f.code === "target-name-conflict") {
      // Resolved by choosing names; the planner checks the chosen ones again (build-plan.ts nameConflict).
      if (!namesChosen) reason(`--name ${accountId}=WORKSPACE[/FHIR]`);
    } else if (ACCEPTABLE_CODES.includes(f.code)) {
      if (acceptedChoice.has(f.code)) { if (!accepted.includes(f.code)) accepted.push(f.code); } else reason(`--accept ${accountId}=${f.code}, or ${fixText(f)}`);
    } else if (KEY_CHOICE_CODES.has(f.code)) {
      reason(`--key ${accountId}=KEY_URL, or ${fixText(f)}`);
    } else {
      reason(fixText(f));
    }
  }
  return { reasons, accepted };
}
