// The plans screen's state (`o` on the account list): listing ./plans → the files with their run state,
// a cursor, and Enter opening one (loaded and checked by the CLI) into the plan review — or its one-line
// reason when it cannot be loaded. Pure (STYLE.md); App.tsx runs listPlans/openPlan for the request tokens.
import type { OpenedPlan, PlanListing, PlanRunState } from "../plans-view.js";

export type PlansListState =
  | { phase: "listing"; request: object }
  | { phase: "failed"; message: string }
  | { phase: "ready"; plans: PlanListing[]; cursor: number; scrollTop: number; viewportRows: number;
      opening: Opening | null;
      /** Why the last Enter could not open its plan. */
      openError: { path: string; message: string } | null };

/** What Enter (the plan review) or `s` (the sync screen) asked to open. */
export type OpenFor = "review" | "sync";

export interface Opening { path: string; request: object; for: OpenFor }

export type PlansListAction =
  | { type: "listed"; request: object; plans: PlanListing[]; viewportRows: number }
  | { type: "list-failed"; request: object; message: string }
  | { type: "move"; by: number }
  | { type: "viewport"; rows: number }
  | { type: "open"; for?: OpenFor }
  | { type: "open-failed"; request: object; message: string };

export function startPlansList(): PlansListState {
  return { phase: "listing", request: {} };
}

export function plansListReducer(s: PlansListState, a: PlansListAction): PlansListState {
  switch (a.type) {
    case "listed":
      return s.phase === "listing" && s.request === a.request
        ? { phase: "ready", plans: a.plans, cursor: 0, scrollTop: 0, viewportRows: Math.max(1, a.viewportRows), opening: null, openError: null } : s;
    case "list-failed": return s.phase === "listing" && s.request === a.request ? { phase: "failed", message: a.message } : s;
    case "move": {
      if (s.phase !== "ready" || s.plans.length === 0 || s.opening) return s;
      const cursor = Math.max(0, Math.min(s.plans.length - 1, s.cursor + a.by));
      return { ...s, cursor, scrollTop: scrolled(s.scrollTop, cursor, s.viewportRows), openError: null };
    }
    case "viewport": {
      if (s.phase !== "ready") return s;
      const viewportRows = Math.max(1, a.rows);
      return { ...s, viewportRows, scrollTop: scrolled(s.scrollTop, s.cursor, viewportRows) };
    }
    // A plan that failed to list cannot open either: say why again instead of asking the CLI.
    case "open": {
      if (s.phase !== "ready" || s.opening) return s;
      const p = s.plans[s.cursor];
      if (!p) return s;
      if (p.error !== null) return { ...s, openError: { path: p.path, message: p.error } };
      // Data is copied into targets that exist: say so here rather than after sign-in and the staleness check.
      if (a.for === "sync" && p.state !== "finished") {
        return { ...s, openError: { path: p.path, message: `not applied yet (${p.succeeded}/${p.steps} steps done): apply it first` } };
      }
      return { ...s, opening: { path: p.path, request: {}, for: a.for ?? "review" }, openError: null };
    }
    case "open-failed":
      return s.phase === "ready" && s.opening?.request === a.request ? { ...s, opening: null, openError: { path: s.opening.path, message: a.message } } : s;
  }
}

/** The open request the reducer is waiting on, for App.tsx to carry out and app.ts to accept. */
export function openingOf(s: PlansListState): Opening | null {
  return s.phase === "ready" ? s.opening : null;
}

/** Whether an `opened` answer is still the one asked for (the user may have left meanwhile). */
export function isOpening(s: PlansListState, request: object, opened: OpenedPlan): boolean {
  return s.phase === "ready" && s.opening?.request === request && s.opening.path === opened.path;
}

function scrolled(top: number, cursor: number, rows: number): number {
  if (cursor < top) return cursor;
  if (cursor >= top + rows) return cursor - rows + 1;
  return top;
}

const STATE_TEXT: Record<PlanRunState, string> = {
  "not-started": "not started", finished: "finished", interrupted: "interrupted", "failed-steps": "failed steps", "in-doubt": "in doubt",
};

/** "interrupted (3/7 steps done)", "not started", … — the journal's state as the list shows it. */
export function runStateText(p: PlanListing): string {
  if (p.state === null) return "can't load";
  return `${STATE_TEXT[p.state]} (${p.succeeded}/${p.steps} steps done)`;
}
