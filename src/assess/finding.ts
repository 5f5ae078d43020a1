// Building and ordering findings: severity from FINDING_CODES (never spelled twice), `fix` only on blocker
// and action findings (FINDINGS.md), order blocker → action → info, then the code order of FINDINGS.md.
import { FINDING_CODES } from "../domain/findings.js";
import type { Finding, FindingCode, Severity } from "../domain/findings.js";

export function finding(code: FindingCode, message: string, fix?: string): Finding {
  const severity = FINDING_CODES[code];
  if (severity === "info") return { code, severity, message };
  if (!fix) throw new Error(`finding ${code} (${severity}) needs a fix`);
  return { code, severity, message, fix };
}

const SEVERITY_RANK: Record<Severity, number> = { blocker: 0, action: 1, info: 2 };
// FINDING_CODES lists the codes in FINDINGS.md's table order.
const CODE_RANK = new Map(Object.keys(FINDING_CODES).map((code, i) => [code, i]));

export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) =>
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || CODE_RANK.get(a.code)! - CODE_RANK.get(b.code)!);
}

/** "a", "a and b", "a, b and c" — for messages naming several things. */
export function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}
