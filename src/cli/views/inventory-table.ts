// The human view of `ahds-migrate inventory`: one row per legacy account (account, subscription, region,
// kind, key, verdict, the finding to look at first), then the summary line and the errors. Pure: text in,
// text out; the command decides the width (the terminal's, or none when stdout is not a TTY) and colour.
import type { Finding, Verdict } from "../../domain/findings.js";
import type { AccountReport, InventoryDocument } from "../../domain/inventory-document.js";
import { RETIREMENT_NOTICE } from "../../domain/retirement.js";

export interface InventoryTableOptions {
  /** Fit the table into this many columns (truncating with …); undefined = never truncate. */
  width?: number;
  color: boolean;
}

interface Column {
  header: string;
  /** Cut to this first, in SHRINK_ORDER, when the table is wider than the terminal. */
  soft: number;
  /** Then every column is cut, widest first, down to this. */
  min: number;
}

const COLUMNS: Column[] = [
  { header: "ACCOUNT", soft: 16, min: 8 },
  { header: "SUBSCRIPTION", soft: 12, min: 8 },
  { header: "REGION", soft: 10, min: 6 },
  { header: "KIND", soft: 9, min: 7 },
  { header: "KEY", soft: 22, min: 10 },
  // "needs-action" whole: the verdict is never cut.
  { header: "VERDICT", soft: 12, min: 12 },
  { header: "FINDING", soft: 22, min: 8 },
];
/** Least telling first: the subscription name repeats down the table; the account and finding matter most. */
const SHRINK_ORDER = [1, 4, 6, 0, 2];
const GAP = "  ";
const VERSION_CHARS = 8;
const VERDICT_ORDER: Record<Verdict, number> = { blocked: 0, "needs-action": 1, ready: 2 };

/** Table + blank line + summary line (+ errors section): everything `inventory` prints on stdout. */
export function renderInventory(doc: InventoryDocument, o: InventoryTableOptions): string {
  const parts: string[] = [];
  if (doc.accounts.length > 0) parts.push(inventoryTable(doc, o), "");
  parts.push(inventorySummary(doc), RETIREMENT_NOTICE);
  const errors = inventoryErrors(doc);
  if (errors.length > 0) parts.push("", ...errors);
  return parts.join("\n");
}

/** "17 accounts in 3 subscriptions: 5 ready, 9 need action, 3 blocked". */
export function inventorySummary(doc: InventoryDocument): string {
  const count = (v: Verdict) => doc.accounts.filter((a) => a.verdict === v).length;
  const needs = count("needs-action");
  return `${plural(doc.accounts.length, "account")} in ${plural(doc.subscriptions.length, "subscription")}: `
    + `${count("ready")} ready, ${needs} ${needs === 1 ? "needs" : "need"} action, ${count("blocked")} blocked`;
}

/** "Errors (n):" and one line per subscription that could not be read and per `errors` entry; [] when none. */
export function inventoryErrors(doc: InventoryDocument): string[] {
  const lines = [
    ...doc.subscriptions.filter((s) => s.error !== null).map((s) => `subscription ${s.displayName || s.subscriptionId} (${s.subscriptionId}): ${s.error}`),
    ...doc.errors.map((e) => `${e.scope}: ${e.message}`),
  ];
  const unique = [...new Set(lines)];
  return unique.length === 0 ? [] : [`Errors (${unique.length}):`, ...unique.map((l) => `  ${l}`)];
}

/** The rows, sorted by subscription, then verdict (blocked first), then name. */
export function inventoryTable(doc: InventoryDocument, o: InventoryTableOptions): string {
  const subscriptionName = new Map(doc.subscriptions.map((s) => [s.subscriptionId.toLowerCase(), s.displayName || s.subscriptionId]));
  const accounts = [...doc.accounts].map((a) => ({ a, sub: subscriptionName.get(a.subscriptionId.toLowerCase()) ?? a.subscriptionId }))
    .sort((x, y) => x.sub.localeCompare(y.sub) || VERDICT_ORDER[x.a.verdict] - VERDICT_ORDER[y.a.verdict] || x.a.name.localeCompare(y.a.name));
  const rows = accounts.map(({ a, sub }) => [a.name, sub, a.location, a.kind, keyLabel(a), a.verdict, firstFinding(a.findings)]);
  const widths = fitWidths(COLUMNS.map((c, i) => Math.max(c.header.length, ...rows.map((r) => r[i]!.length))), o.width);
  const line = (cells: string[], paint: (cell: string, col: number) => string) =>
    cells.map((cell, i) => {
      const text = truncate(cell, widths[i]!);
      // Pad on the plain text, so colour codes never shift the columns; the last column is not padded.
      return paint(text, i) + (i === cells.length - 1 ? "" : " ".repeat(widths[i]! - text.length));
    }).join(GAP);
  const header = line(COLUMNS.map((c) => c.header), (t) => (o.color ? `\u001b[1m${t}\u001b[22m` : t));
  const body = rows.map((r) => line(r, (t, i) => (o.color && i === 5 ? paintVerdict(t, r[5] as Verdict) : t)));
  return [header, ...body].join("\n");
}

/** `vault/key@version` (first 8 characters of the version judged), or "Microsoft-managed" without CMK. */
export function keyLabel(a: AccountReport): string {
  if (!a.cmk) return "Microsoft-managed";
  const base = `${a.cmk.vaultName}/${a.cmk.keyName}`;
  return a.cmk.currentVersion ? `${base}@${a.cmk.currentVersion.slice(0, VERSION_CHARS)}` : base;
}

/** The first blocker, else the first action finding, with how many more need attention; "-" when none. */
export function firstFinding(findings: readonly Finding[]): string {
  const actionable = [...findings.filter((f) => f.severity === "blocker"), ...findings.filter((f) => f.severity === "action")];
  if (actionable.length === 0) return "-";
  return actionable.length === 1 ? actionable[0]!.code : `${actionable[0]!.code} +${actionable.length - 1}`;
}

/**
 * Fits the row into `width`: first cuts the columns of SHRINK_ORDER, one after the other, down to their soft
 * width; then the widest column at a time down to its minimum (below that the terminal wraps).
 */
export function fitWidths(natural: number[], width: number | undefined): number[] {
  const widths = [...natural];
  if (width === undefined) return widths;
  const excess = () => widths.reduce((s, w) => s + w, 0) + GAP.length * (widths.length - 1) - width;
  for (const i of SHRINK_ORDER) {
    if (excess() <= 0) return widths;
    const w = widths[i]!;
    widths[i] = Math.max(Math.min(w, COLUMNS[i]!.soft), w - excess());
  }
  while (excess() > 0) {
    let widest = -1;
    widths.forEach((w, i) => { if (w > COLUMNS[i]!.min && (widest < 0 || w > widths[widest]!)) widest = i; });
    if (widest < 0) break;
    widths[widest]!--;
  }
  return widths;
}

export function truncate(text: string, width: number): string {
  if (text.length <= width) return text;
  return width <= 1 ? "…".slice(0, width) : `${text.slice(0, width - 1)}…`;
}

function paintVerdict(text: string, verdict: Verdict): string {
  const code = verdict === "ready" ? 32 : verdict === "needs-action" ? 33 : 31;
  return `\u001b[${code}m${text}\u001b[39m`;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
