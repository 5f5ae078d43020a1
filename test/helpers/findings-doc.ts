// The finding codes and severities as FINDINGS.md itself lists them (its "| `code` | severity | raised when |"
// table): the contract the code's FINDING_CODES table is checked against, so a test never checks the code
// against itself. FINDINGS.md lives in ../shared/docs next to the repository (absent on a plain clone:
// callers skip, saying so).
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const FINDINGS_DOC = path.resolve(ROOT, "../shared/docs/FINDINGS.md");
export const FINDINGS_DOC_MISSING = `FINDINGS.md checks skipped: ${FINDINGS_DOC} (../shared/docs from the repository root) is absent.`;

/** code → severity from FINDINGS.md's table, or null when the document is absent. */
export function findingsDocSeverities(): Map<string, string> | null {
  if (!existsSync(FINDINGS_DOC)) return null;
  const out = new Map<string, string>();
  for (const line of readFileSync(FINDINGS_DOC, "utf8").split("\n")) {
    const m = /^\|\s*`([a-z0-9-]+)`\s*\|\s*(blocker|action|info)\s*\|/.exec(line);
    if (m) out.set(m[1]!, m[2]!);
  }
  return out;
}
