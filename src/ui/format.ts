// Pure text helpers shared by the screens: cell fitting, word wrap and the account-level labels the
// list and the detail both show (so the two can never disagree).
import type { Finding } from "../domain/findings.js";
import type { CmkFacts } from "../domain/inventory-document.js";

/** `vault/key@version` (version shortened), or "Microsoft-managed" when the account has no CMK. */
export function keyLabel(cmk: CmkFacts | null): string {
  if (!cmk) return "Microsoft-managed";
  const version = cmk.currentVersion ? `@${cmk.currentVersion.slice(0, 8)}` : "";
  return `${cmk.vaultName}/${cmk.keyName}${version}`;
}

/** The finding that keeps the account from `ready`: the first blocker, else the first action. */
export function firstBlockingFinding(findings: readonly Finding[]): Finding | undefined {
  return findings.find((f) => f.severity === "blocker") ?? findings.find((f) => f.severity === "action");
}

/** Pads or truncates to exactly `width` characters (an ellipsis marks a cut). */
export function fit(text: string, width: number): string {
  if (width <= 0) return "";
  const chars = [...text];
  if (chars.length <= width) return text + " ".repeat(width - chars.length);
  return `${chars.slice(0, width - 1).join("")}…`;
}

/** Greedy word wrap to `width`; words longer than a line are cut hard. Never returns an empty array. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    let w = word;
    while (w.length > width) {
      if (line) { lines.push(line); line = ""; }
      lines.push(w.slice(0, width));
      w = w.slice(width);
    }
    if (!line) line = w;
    else if (line.length + 1 + w.length <= width) line += ` ${w}`;
    else { lines.push(line); line = w; }
  }
  if (line || lines.length === 0) lines.push(line);
  return lines;
}
