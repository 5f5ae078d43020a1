// The whole UI's state: which screen is up (loading → list ⇄ detail / plan review / plans → plan review
// → progress, or plans → sync; or error) and what each holds.
// Pure; App.tsx feeds it the loader's events and the keys (through keyToAction in keys.ts).
import type { Plan } from "../../domain/plan.js";
import { detailLines } from "../detail-lines.js";
import type { InventoryView, LoadProgress, QuitReason } from "../inventory-view.js";
import { keyToAction, type KeyPress } from "./keys.js";
import { accountListReducer, initialAccountList, type AccountListAction, type AccountListState } from "./account-list.js";
import { applyReady, nextStorageReview, openedPlanReview, planReviewReducer, startPlanReview, type PlanReviewAction, type PlanReviewState } from "./plan-review.js";
import { canSync, progressReducer, startProgress, type ProgressAction, type ProgressState } from "./progress.js";
import { planLines } from "../plan-lines.js";
import type { OpenedPlan } from "../plans-view.js";
import { isOpening, plansListReducer, startPlansList, type PlansListAction, type PlansListState } from "./plans-list.js";
import { nothingListable, type UiError } from "./ui-error.js";
import { startSyncProgress, syncProgressReducer, type SyncProgressAction, type SyncProgressState } from "./sync-progress.js";

/** Terminal size, and how the user asked to leave (App.tsx reports it once set). */
interface Frame { rows: number; columns: number; quit: QuitReason | null }

export type AppState = Frame & (
  | { screen: "loading"; progress: LoadProgress | null }
  | { screen: "error"; error: UiError }
  | { screen: "list"; inventory: InventoryView; list: AccountListState }
  | { screen: "detail"; inventory: InventoryView; list: AccountListState; accountId: string; scroll: number }
  | { screen: "plans"; inventory: InventoryView; list: AccountListState; plans: PlansListState }
  /** `back`: the plans screen this review was opened from (Esc returns there), null when planned from the list. */
  | { screen: "plan"; inventory: InventoryView; list: AccountListState; review: PlanReviewState; back?: PlansListState | null }
  | { screen: "progress"; inventory: InventoryView; list: AccountListState; plan: Plan; run: ProgressState }
  | { screen: "sync"; inventory: InventoryView; list: AccountListState; sync: SyncProgressState });

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
  | { type: "list"; action: AccountListAction }
  | { type: "plan" }
  | { type: "scroll-plan"; by: number | "page-up" | "page-down" | "top" | "bottom" }
  | { type: "export-plan" }
  /** `d` on the plan review: plan again with the next data-copy storage account. */
  | { type: "cycle-storage" }
  | { type: "review"; action: PlanReviewAction }
  | { type: "run"; action: ProgressAction }
  | { type: "open-plans" }
  | { type: "plans"; action: PlansListAction }
  | { type: "plan-opened"; request: object; opened: OpenedPlan }
  | { type: "sync"; action: SyncProgressAction }
  /** `s` on the progress screen after a completed run: the sync screen of the plan file just applied. */
  | { type: "sync-applied" };

/** Lines of the list screen that are not account rows: title, retirement line, column header, status, help, one spare. */
export const LIST_CHROME_ROWS = 6;
/** Lines of the detail screen that are not content: title, position, help, one spare. */
export const DETAIL_CHROME_ROWS = 4;

/** Lines of the plan review that are not plan lines: title, summary, status, help, one spare. */
export const PLAN_CHROME_ROWS = 5;

/** Lines of the plans screen that are not plan rows: title, column header, status, help, one spare. */
export const PLANS_CHROME_ROWS = 5;

export function plansViewportRows(terminalRows: number): number {
  return Math.max(3, terminalRows - PLANS_CHROME_ROWS);
}

export function planViewportRows(terminalRows: number): number {
  return Math.max(3, terminalRows - PLAN_CHROME_ROWS);
}

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

/** The plan's lines at the current width, once planned (the screen renders these; the reducer bounds the scroll by them). */
export function planLinesOf(s: Extract<AppState, { screen: "plan" }>) {
  return s.review.phase === "ready" ? planLines(s.review.plan, s.columns - 1) : [];
}

/** The sync screen of the plan file at `planPath`, asking y/n first (from the plans screen or after an apply). */
function syncScreen(s: Extract<AppState, { inventory: InventoryView }>, plan: Plan, planPath: string): AppState {
  return { screen: "sync", inventory: s.inventory, list: s.list, sync: startSyncProgress(plan, planPath), rows: s.rows, columns: s.columns, quit: s.quit };
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
      if (s.screen !== "list" && s.screen !== "detail" && s.screen !== "plan" && s.screen !== "progress" && s.screen !== "plans") return { ...s, rows: a.rows, columns: a.columns };
      if (s.screen === "plans") {
        return { ...s, rows: a.rows, columns: a.columns, list: accountListReducer(s.list, { type: "viewport", rows: listViewportRows(a.rows) }),
          plans: plansListReducer(s.plans, { type: "viewport", rows: plansViewportRows(a.rows) }) };
      }
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
      // A review opened from the plans screen goes back there (listed again: a run may have changed a journal).
      if ((s.screen === "plan" && s.back) || s.screen === "sync") return { screen: "plans", inventory: s.inventory, list: s.list, plans: startPlansList(), rows: s.rows, columns: s.columns, quit: s.quit };
      if (s.screen === "detail" || s.screen === "plan" || s.screen === "plans") return { screen: "list", inventory: s.inventory, list: s.list, rows: s.rows, columns: s.columns, quit: s.quit };
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
    // The selected accounts, or the one under the cursor when none is selected (the help line says so).
    case "plan": {
      if (s.screen !== "list") return s;
      const cursor = s.list.rows[s.list.cursor]?.id;
      const ids = s.list.selected.length > 0 ? s.list.selected : cursor === undefined ? [] : [cursor];
      return ids.length === 0 ? s : { screen: "plan", inventory: s.inventory, list: s.list, review: startPlanReview(ids), rows: s.rows, columns: s.columns, quit: s.quit };
    }
    case "scroll-plan": {
      if (s.screen !== "plan") return s;
      const viewport = planViewportRows(s.rows);
      const max = planLinesOf(s).length - viewport;
      // A page keeps one line of the previous page in view.
      const by = a.by === "page-up" ? 1 - viewport : a.by === "page-down" ? viewport - 1 : a.by;
      const action: PlanReviewAction = typeof by === "number" ? { type: "scroll", by, max } : { type: "scroll-to", to: by, max };
      return { ...s, review: planReviewReducer(s.review, action) };
    }
    case "cycle-storage": {
      if (s.screen !== "plan") return s;
      const review = nextStorageReview(s.review, s.inventory.storageAccounts ?? []);
      return review ? { ...s, review } : s;
    }
    case "export-plan": return s.screen === "plan" ? { ...s, review: planReviewReducer(s.review, { type: "export" }) } : s;
    case "review": {
      if (s.screen !== "plan") return s;
      const review = planReviewReducer(s.review, a.action);
      const planPath = applyReady(review);
      // Confirmed and on disk: the progress screen takes over (App.tsx starts the run for its request).
      if (planPath !== null && review.phase === "ready") {
        return { screen: "progress", inventory: s.inventory, list: s.list, plan: review.plan, run: startProgress(review.plan, planPath, review.file?.succeeded),
          rows: s.rows, columns: s.columns, quit: s.quit };
      }
      return { ...s, review };
    }
    case "run": return s.screen === "progress" ? { ...s, run: progressReducer(s.run, a.action) } : s;
    case "sync-applied": return s.screen === "progress" && canSync(s.run) ? syncScreen(s, s.plan, s.run.planPath) : s;
    case "sync": return s.screen === "sync" ? { ...s, sync: syncProgressReducer(s.sync, a.action) } : s;
    case "open-plans":
      return s.screen === "list" ? { screen: "plans", inventory: s.inventory, list: s.list, plans: startPlansList(), rows: s.rows, columns: s.columns, quit: s.quit } : s;
    case "plans": {
      if (s.screen !== "plans") return s;
      const action = a.action.type === "listed" ? { ...a.action, viewportRows: plansViewportRows(s.rows) } : a.action;
      return { ...s, plans: plansListReducer(s.plans, action) };
    }
    case "plan-opened":
      if (s.screen !== "plans" || !isOpening(s.plans, a.request, a.opened)) return s;
      if (s.plans.phase === "ready" && s.plans.opening?.for === "sync") return syncScreen(s, a.opened.plan, a.opened.path);
      return { screen: "plan", inventory: s.inventory, list: s.list, review: openedPlanReview(a.opened), back: s.plans, rows: s.rows, columns: s.columns, quit: s.quit };
  }
}
