// Text helpers for the plan's Markdown twin (GitHub-flavoured Markdown, read on a code-review page).
// Values in a plan come from Azure (tags, CORS origins, principal names), so every value that lands in
// prose or a table cell is escaped: a tag value must never turn into a link, a table column or HTML.

/** Collapse line breaks and runs of whitespace: one Markdown line per value, no trailing spaces. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/**
 * Inline text, safe anywhere in a paragraph, a list item or a table cell. Backslash escapes are
 * CommonMark's (any ASCII punctuation may be escaped); `|` must be escaped in GFM table cells. Only what
 * can start markup is escaped, to keep the raw file readable in a diff: `[` (links, task boxes — a lone
 * `]` does nothing), `_` only at a word edge (GFM never emphasises rg_fhir), and a leading `#`, `-`, `+`,
 * `=` or `1.` that would start a heading or a nested list inside a list item.
 */
export function mdText(text: string): string {
  return mdInline(text).replace(/^([#+=-])/, "\\$1").replace(/^(\d+)([.)])/, "$1\\$2");
}

/** mdText without the line-start escapes: a table cell cannot start a block. */
function mdInline(text: string): string {
  return oneLine(text)
    .replace(/[\\`*[<>|~]/g, (c) => `\\${c}`)
    .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, "\\_");
}

/** A table cell: escaped inline text; an empty value shows as an em dash so the column never looks broken. */
export function mdCell(text: string): string {
  const t = mdInline(text);
  return t === "" ? "—" : t;
}

/**
 * A code span (ids, URLs, flags) that survives any content: the fence is one backtick longer than the
 * longest backtick run inside (CommonMark "Code spans"). In a GFM table `|` must be escaped even inside
 * a code span, so `inTable` escapes it.
 */
export function mdCode(text: string, inTable = false): string {
  let t = oneLine(text);
  if (t === "") return "—";
  if (inTable) t = t.replace(/\|/g, "\\|");
  const longest = Math.max(0, ...(t.match(/`+/g) ?? []).map((r) => r.length));
  const fence = "`".repeat(longest + 1);
  const pad = t.startsWith("`") || t.endsWith("`") ? " " : "";
  return `${fence}${pad}${t}${pad}${fence}`;
}

/** A GFM table: header, separator, one line per row (cells already formatted). */
export function mdTable(header: string[], rows: string[][]): string[] {
  const line = (cells: string[]): string => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)];
}

/** Text inside raw HTML (`<summary>`): HTML-escaped, not Markdown-escaped. */
export function htmlText(text: string): string {
  return oneLine(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A fenced code block whose fence is longer than any backtick run in the content. */
export function mdFence(lang: string, content: string): string[] {
  const longest = Math.max(0, ...(content.match(/`+/g) ?? []).map((r) => r.length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return [`${fence}${lang}`, ...content.split("\n").map((l) => l.replace(/\s+$/, "")), fence];
}

/** JSON with keys in code-point order at every level: the same plan renders the same bytes, whatever
 *  order its objects were built or parsed in. */
export function sortedJson(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 2);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = sortKeys((value as Record<string, unknown>)[k]);
    return out;
  }
  return value;
}
