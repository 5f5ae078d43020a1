// Whether a failed FHIR-service create is the new identity not reaching the planned key yet (a grant still
// propagating, azure-facts §2.4: "role assignments can take several minutes"): real Azure's error code for
// it is not documented (UNCONFIRMED), so the runner does not rely on one. Each rule below names a wording
// that concerns access to the planned key or its vault; the first that matches is recorded with the step's
// failure. An error that names neither the key nor its vault (a quota, a bad setting) is never retried.
import type { JournalError } from "../domain/journal.js";

export interface PlannedKey { vaultName: string; keyName: string }

const ACCESS = /forbidden|\b403\b|access (is )?denied|denied access|not authori[sz]ed|unauthori[sz]ed|does not have (the )?(permission|access)|cannot access|can't access|no access|permission/i;
const KEY_OPERATION = /\bunwrap|\bwrap ?key\b|\bwrap\b|\bget ?key\b/i;

/** The rules in the order they are tried; each is named in the journal when it decides a retry. */
export const KEY_ACCESS_RULES: readonly { name: string; test(e: JournalError, key: PlannedKey): boolean }[] = [
  // The sandbox's default shape, and any code that says so itself.
  { name: "code names key-vault access", test: (e) => /^KeyVault\w*(Access|Forbidden|Denied|Unauthori[sz]ed|Permission)\w*$/i.test(e.code) },
  { name: "access wording naming the planned vault or key", test: (e, k) => ACCESS.test(`${e.code} ${e.message}`) && namesKey(e.message, k) },
  { name: "wrap/unwrap of the key failed", test: (e, k) => KEY_OPERATION.test(e.message) && (namesKey(e.message, k) || /\bkey\b/i.test(e.message)) },
  { name: "key vault unreachable by the identity", test: (e) => /key ?vault/i.test(e.message) && ACCESS.test(e.message) },
];

function namesKey(message: string, key: PlannedKey): boolean {
  const m = message.toLowerCase();
  return (key.vaultName !== "" && m.includes(key.vaultName.toLowerCase())) || /key ?vault/i.test(message)
    || (key.keyName !== "" && new RegExp(`/keys/${escape(key.keyName)}\\b`, "i").test(message));
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The name of the first rule the error matches, or null (not a key-access failure: fail at once). */
export function keyAccessRule(error: JournalError, key: PlannedKey): string | null {
  return KEY_ACCESS_RULES.find((r) => r.test(error, key))?.name ?? null;
}
