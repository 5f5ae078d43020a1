// The whole UI's state: which screen is up (loading → list ⇄ detail, or error) and what each holds.
// Pure; App.tsx feeds it the loader's events and the keys (through keyToAction in keys.ts).
import { detailLines } from "../detail-lines.js";
import type { InventoryView, LoadProgress, QuitReason } from "../inventory-view.js";
import { keyToAction, type KeyPress } from "./keys.js";
import { accountListReducer, initialAccountList, type AccountListAction, type AccountListState } from "./account-list.js";

export interface UiError {
  message: string;
  nextStep: string | undefined;
}

/** Terminal size, and how the user asked to leave (App.tsx reports it once set). */
interface Frame { rows: number; columns: number; quit: QuitReason | null }

export type AppState = Frame & (
  | { screen: "loading"; progress: LoadProgress | null }
  | { screen: "error"; error: UiError }
  | { screen: "list"; inventory: InventoryView; list: AccountListState }
  | { screen: "detail"; inventory: InventoryView; list: AccountListState; accountId: string; scroll: number });

export type AppAction =
  | { type: "progress"; progress: LoadProgress }
  | { type: "loaded"; inventory: InventoryView }
  | { type: "failed"; error: UiError }
  | { type: "resize"; rows: number; columns: number }
  | { type: "key"; input: string; key: KeyPress }
  | { type: "quit"; reason: QuitReason }
  | { type: "open-detail" }
  | { type: "back" }
  | { type: "scroll-detail"; by: number }
  | { type: "list"; action: AccountListAction };

/** Lines of the list screen that are not account rows: title, column header, status, help, one spare. */
export const LIST_CHROME_ROWS = 5;
/** Lines of the detail screen that are not content: title, position, help, one spare. */
export const DETAIL_CHROME_ROWS = 4;

export function listViewportRows(terminalRows: number): number {
  return Math.max(3, terminalRows - LIST_CHROME_ROWS);
}

export function detailViewportRows(terminalRows: number): number {
  return Math.max(3, terminalRows - DETAIL_CHROME_ROWS);
}

export function initialApp(size: { rows: number; columns: number }): AppState {
  return { screen: "loading", progress: null, rows: size.rows, columns: size.columns, quit: null };
}

/** The detail's lines at the current width (the screen renders these; the reducer bounds the scroll by them). */
export function detailOf(s: Extract<AppState, { screen: "detail" }>) {
  const row = s.list.all.find((r) => r.id === s.accountId)!;
  return { row, lines: detailLines(row.item, row.subscriptionName, s.columns - 1) };
}

/** Nothing listable is an error with a next step, not an empty list (a subscription-less sign-in). */
export function nothingListable(inv: InventoryView): UiError | null {
  if (inv.subscriptions.length === 0) {
    const first = inv.errors[0];
    if (first) {
      return { message: first.message,
        nextStep: "Sign in again ('az login', or check --profile), then run 'ahds-migrate doctor' to see what the sign-in can reach." };
    }
    return { message: `The signed-in principal sees no subscriptions in tenant ${inv.tenantId || "(unknown)"} (${inv.cloud}).`,
      nextStep: "Grant it Reader on the subscriptions to migrate, or choose the cloud with --cloud AzureUSGovernment." };
  }
  if (inv.accounts.length === 0 && inv.subscriptions.every((s) => s.error !== null)) {
    return { message: `None of the ${inv.subscriptions.length} subscriptions could be listed: ${inv.subscriptions[0]!.error}`,
      nextStep: "Ask for Reader on the subscriptions, then run 'ahds-migrate inventory' to see each one's error." };
  }
  return null;
}

export function appReducer(s: AppState, a: AppAction): AppState {
  switch (a.type) {
    case "progress": return s.screen === "loading" ? { ...s, progress: a.progress } : s;
    case "loaded": {
      if (s.screen !== "loading") return s;
      const error = nothingListable(a.inventory);
      if (error) return { screen: "error", error, rows: s.rows, columns: s.columns, quit: s.quit };
      const names = Object.fromEntries(a.inventory.subscriptions.map((x) => [x.subscriptionId.toLowerCase(), x.displayName]));
      return { screen: "list", inventory: a.inventory, rows: s.rows, columns: s.columns, quit: s.quit,
        list: initialAccountList(a.inventory.accounts, names, listViewportRows(s.rows)) };
    }
    case "failed": return s.screen === "loading" ? { screen: "error", error: a.error, rows: s.rows, columns: s.columns, quit: s.quit } : s;
    case "resize": {
      if (s.screen !== "list" && s.screen !== "detail") return { ...s, rows: a.rows, columns: a.columns };
      return { ...s, rows: a.rows, columns: a.columns, list: accountListReducer(s.list, { type: "viewport", rows: listViewportRows(a.rows) }) };
    }
    // Keys go through the reducer, so each one sees the state the previous one left (a fast typist or a
    // paste sends several before the next render).
    case "key": {
      const r = keyToAction(s, a.input, a.key);
      if (r === null) return s;
      if (r.type === "quit" || r.type === "interrupt") return appReducer(s, { type: "quit", reason: r.type === "quit" ? "quit" : "interrupt" });
      return appReducer(s, r);
    }
    case "quit": return s.quit ? s : { ...s, quit: a.reason };
    case "open-detail": {
      if (s.screen !== "list") return s;
      const row = s.list.rows[s.list.cursor];
      return row ? { ...s, screen: "detail", accountId: row.id, scroll: 0 } : s;
    }
    case "back": {
      if (s.screen === "detail") return { screen: "list", inventory: s.inventory, list: s.list, rows: s.rows, columns: s.columns, quit: s.quit };
      if (s.screen === "list" && (s.list.filterText !== "" || s.list.editingFilter)) {
        return { ...s, list: accountListReducer(s.list, { type: "filter-clear" }) };
      }
      return s;
    }
    case "scroll-detail": {
      if (s.screen !== "detail") return s;
      const max = Math.max(0, detailOf(s).lines.length - detailViewportRows(s.rows));
      return { ...s, scroll: Math.max(0, Math.min(s.scroll + a.by, max)) };
    }
    case "list": return s.screen === "list" ? { ...s, list: accountListReducer(s.list, a.action) } : s;
  }
}

/** The error the loader threw, as one line and its first next step (errors carry `nextSteps`, src/domain/errors.ts). */
export function uiErrorOf(err: unknown): UiError {
  const e = (typeof err === "object" && err !== null ? err : { message: String(err) }) as { message?: unknown; nextSteps?: unknown };
  const raw = typeof e.message === "string" && e.message.trim() !== "" ? e.message : String(err);
  const message = (raw.split("\n").find((l) => l.trim() !== "") ?? raw).trim();
  const steps = Array.isArray(e.nextSteps) ? e.nextSteps.filter((x): x is string => typeof x === "string") : [];
  return { message, nextStep: steps[0] ?? "Run 'ahds-migrate doctor' to check sign-in and the subscriptions visible." };
}
