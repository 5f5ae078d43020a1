// The account list's state: filters, sort, cursor, selection and the scrolled viewport. A pure reducer
// (STYLE.md), so every key's effect is unit-tested without React; the screen only renders `visibleRows`.
import type { Verdict } from "../../domain/findings.js";
import { firstBlockingFinding, keyLabel } from "../format.js";
import type { UiAccount } from "../inventory-view.js";

export type VerdictFilter = "all" | Verdict;
export type SortOrder = "name" | "verdict" | "subscription";

export const VERDICT_FILTERS: readonly VerdictFilter[] = ["all", "ready", "needs-action", "blocked"];
export const SORT_ORDERS: readonly SortOrder[] = ["name", "verdict", "subscription"];

export interface ListRow {
  item: UiAccount;
  id: string;
  subscriptionName: string;
}

export interface AccountListState {
  /** Every account, with the subscription's display name resolved once. */
  all: ListRow[];
  /** The rows shown, after filter and sort; derived from the fields below by `applyView`. */
  rows: ListRow[];
  filterText: string;
  editingFilter: boolean;
  verdictFilter: VerdictFilter;
  sort: SortOrder;
  cursor: number;
  scrollTop: number;
  viewportRows: number;
  /** Account ids (ARM ids), kept across filter changes. */
  selected: string[];
}

export type AccountListAction =
  | { type: "move"; by: number }
  | { type: "move-to"; index: number }
  | { type: "page"; by: 1 | -1 }
  | { type: "toggle-select" }
  | { type: "filter-start" }
  | { type: "filter-input"; text: string }
  | { type: "filter-backspace" }
  | { type: "filter-commit" }
  | { type: "filter-clear" }
  | { type: "cycle-verdict" }
  | { type: "cycle-sort" }
  | { type: "viewport"; rows: number };

export function initialAccountList(accounts: UiAccount[], subscriptionNames: Record<string, string>, viewportRows: number): AccountListState {
  const all = accounts.map((item) => ({
    item, id: item.account.id,
    subscriptionName: subscriptionNames[item.account.subscriptionId.toLowerCase()] || item.account.subscriptionId,
  }));
  return applyView({ all, rows: [], filterText: "", editingFilter: false, verdictFilter: "all", sort: "name",
    cursor: 0, scrollTop: 0, viewportRows: Math.max(1, viewportRows), selected: [] });
}

const VERDICT_RANK: Record<Verdict, number> = { blocked: 0, "needs-action": 1, ready: 2 };

function byName(a: ListRow, b: ListRow): number {
  return a.item.account.name.localeCompare(b.item.account.name) || a.id.localeCompare(b.id);
}

const COMPARATORS: Record<SortOrder, (a: ListRow, b: ListRow) => number> = {
  name: byName,
  verdict: (a, b) => VERDICT_RANK[a.item.verdict] - VERDICT_RANK[b.item.verdict] || byName(a, b),
  subscription: (a, b) => a.subscriptionName.localeCompare(b.subscriptionName) || byName(a, b),
};

/** Every text a user might type to find a row: name, subscription, region, kind, key, verdict, codes. */
function haystack(r: ListRow): string {
  const a = r.item.account;
  return [a.name, a.subscriptionId, r.subscriptionName, a.resourceGroup, a.location, a.kind, keyLabel(r.item.cmk),
    r.item.verdict, ...r.item.findings.map((f) => f.code)].join("\n").toLowerCase();
}

/** Recomputes `rows` from the filters and sort, keeping the cursor on the same account when it is still shown. */
function applyView(s: AccountListState): AccountListState {
  const current = s.rows[s.cursor]?.id;
  const needle = s.filterText.trim().toLowerCase();
  const rows = s.all
    .filter((r) => s.verdictFilter === "all" || r.item.verdict === s.verdictFilter)
    .filter((r) => needle === "" || haystack(r).includes(needle))
    .sort(COMPARATORS[s.sort]);
  const kept = current === undefined ? -1 : rows.findIndex((r) => r.id === current);
  return scrollToCursor({ ...s, rows, cursor: kept >= 0 ? kept : 0 });
}

/** Clamps the cursor and moves the viewport the least needed to keep it visible. */
function scrollToCursor(s: AccountListState): AccountListState {
  const last = s.rows.length - 1;
  const cursor = Math.max(0, Math.min(s.cursor, last));
  let scrollTop = Math.max(0, Math.min(s.scrollTop, Math.max(0, s.rows.length - s.viewportRows)));
  if (cursor < scrollTop) scrollTop = cursor;
  if (cursor >= scrollTop + s.viewportRows) scrollTop = cursor - s.viewportRows + 1;
  return { ...s, cursor, scrollTop };
}

export function accountListReducer(s: AccountListState, a: AccountListAction): AccountListState {
  switch (a.type) {
    case "move": return scrollToCursor({ ...s, cursor: s.cursor + a.by });
    case "move-to": return scrollToCursor({ ...s, cursor: a.index < 0 ? s.rows.length - 1 : a.index });
    case "page": return scrollToCursor({ ...s, cursor: s.cursor + a.by * s.viewportRows, scrollTop: s.scrollTop + a.by * s.viewportRows });
    case "toggle-select": {
      const id = s.rows[s.cursor]?.id;
      if (id === undefined) return s;
      return { ...s, selected: s.selected.includes(id) ? s.selected.filter((x) => x !== id) : [...s.selected, id] };
    }
    case "filter-start": return { ...s, editingFilter: true };
    case "filter-input": return applyView({ ...s, filterText: s.filterText + a.text });
    case "filter-backspace": return applyView({ ...s, filterText: [...s.filterText].slice(0, -1).join("") });
    case "filter-commit": return { ...s, editingFilter: false };
    case "filter-clear": return applyView({ ...s, editingFilter: false, filterText: "" });
    case "cycle-verdict": return applyView({ ...s, verdictFilter: next(VERDICT_FILTERS, s.verdictFilter) });
    case "cycle-sort": return applyView({ ...s, sort: next(SORT_ORDERS, s.sort) });
    case "viewport": return scrollToCursor({ ...s, viewportRows: Math.max(1, a.rows) });
  }
}

function next<T>(cycle: readonly T[], current: T): T {
  return cycle[(cycle.indexOf(current) + 1) % cycle.length]!;
}

/** The rows inside the viewport. */
export function visibleRows(s: AccountListState): ListRow[] {
  return s.rows.slice(s.scrollTop, s.scrollTop + s.viewportRows);
}

export function firstBlockingCode(r: ListRow): string {
  return firstBlockingFinding(r.item.findings)?.code ?? "—";
}
