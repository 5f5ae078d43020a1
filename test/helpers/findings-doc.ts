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

/** Codes this tool adds in FINDINGS.md's style, in a table of the same shape (FINDINGS.md cannot be edited here). */
export const ADDED_CODES_DOC = path.resolve(ROOT, "src/assess/README.md");

function tableSeverities(file: string, out: Map<string, string>): void {
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const m = /^\|\s*`([a-z0-9-]+)`\s*\|\s*(blocker|action|info)\s*\|/.exec(line);
    if (m) out.set(m[1]!, m[2]!);
  }
}

/**
 * code → severity from FINDINGS.md's table plus the "Codes added here" table of src/assess/README.md, or
 * null when FINDINGS.md is absent. A code in both is an error (a code never changes meaning).
 */
export function findingsDocSeverities(): Map<string, string> | null {
  if (!existsSync(FINDINGS_DOC)) return null;
  const out = new Map<string, string>();
  tableSeverities(FINDINGS_DOC, out);
  const added = new Map<string, string>();
  tableSeverities(ADDED_CODES_DOC, added);
  for (const [code, severity] of added) {
    if (out.has(code)) throw new Error(`${code} is in FINDINGS.md and again in ${ADDED_CODES_DOC}`);
    out.set(code, severity);
  }
  return out;
}
