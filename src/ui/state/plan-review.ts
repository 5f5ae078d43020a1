// The plan review's state: planning → ready (scrollable, exportable) or failed. Pure (STYLE.md). The
// effects (makePlan, exportPlan) run in App.tsx; their results come back carrying the request they answer
// (an object token), so a result that arrives after the user left or asked again is dropped.
import type { Plan } from "../../domain/plan.js";
import type { OpenedPlan } from "../plans-view.js";
import type { UiError } from "./ui-error.js";

export type ExportStatus =
  | { state: "idle" }
  | { state: "exporting" }
  | { state: "exported"; jsonPath: string; mdPath: string }
  | { state: "failed"; message: string };

/** `storageAccount`: the data-copy store the plan is (being) made with (`d` cycles it), null for none. */
export type PlanReviewState =
  | { phase: "planning"; accountIds: string[]; storageAccount: string | null; request: object }
  | { phase: "failed"; accountIds: string[]; storageAccount: string | null; error: UiError }
  | { phase: "ready"; accountIds: string[]; storageAccount: string | null; plan: Plan; scroll: number; exportStatus: ExportStatus; apply: ApplyStatus;
      /** Opened from a plan file (the plans screen): already on disk, its journal's succeeded steps kept. */
      file?: { path: string; succeeded: string[] } };

/**
 * `a`: idle → confirming ("Apply plan-… to Azure? y/n") → starting, which waits for the export (DESIGN.md:
 * the TUI exports before it applies, so the journal and lock have a plan file to sit next to); app.ts
 * moves to the progress screen once the plan is exported and apply is starting.
 */
export type ApplyStatus = "idle" | "confirming" | "starting";

export type PlanReviewAction =
  | { type: "planned"; request: object; plan: Plan }
  | { type: "plan-failed"; request: object; error: UiError }
  /** `max` is the last useful scroll position (lines − viewport), known to the caller. */
  | { type: "scroll"; by: number; max: number }
  | { type: "scroll-to"; to: "top" | "bottom"; max: number }
  | { type: "export" }
  | { type: "exported"; request: ExportStatus; jsonPath: string; mdPath: string }
  | { type: "export-failed"; request: ExportStatus; message: string }
  | { type: "apply" }
  | { type: "confirm-apply" }
  | { type: "cancel-apply" };

export function startPlanReview(accountIds: string[], storageAccount: string | null = null): PlanReviewState {
  return { phase: "planning", accountIds, storageAccount, request: {} };
}

/**
 * `d` on a review planned in the UI: the next data-copy store — none → each storage account (by name) → none —
 * planned again with it; null when the review cannot change (planning, a plan file, apply asked or an export running).
 */
export function nextStorageReview(s: PlanReviewState, candidates: readonly string[]): PlanReviewState | null {
  if (s.phase === "planning" || (s.phase === "ready" && (s.file || s.apply !== "idle" || s.exportStatus.state === "exporting"))) return null;
  // Azure API for FHIR exports only to a storage account of its own subscription (plan --storage-account checks the same).
  const subscription = (id: string) => id.split("/")[2]?.toLowerCase();
  const sorted = candidates.filter((x) => s.accountIds.every((id) => subscription(id) === subscription(x)))
    .sort((x, y) => x.split("/").pop()!.localeCompare(y.split("/").pop()!));
  if (sorted.length === 0) return null;
  const at = s.storageAccount === null ? -1 : sorted.findIndex((x) => x.toLowerCase() === s.storageAccount!.toLowerCase());
  return startPlanReview(s.accountIds, at + 1 < sorted.length ? sorted[at + 1]! : null);
}

/** The review of a plan file (OpenedPlan): exported already, so `a` applies that very file and its journal. */
export function openedPlanReview(o: OpenedPlan): PlanReviewState {
  const mdPath = o.path.replace(/\.plan\.json$/, ".plan.md");
  return { phase: "ready", accountIds: o.plan.accounts.filter((a) => a.status === "planned").map((a) => a.id),
    storageAccount: o.plan.choices.storageAccount ?? null, plan: o.plan, scroll: 0,
    exportStatus: { state: "exported", jsonPath: o.path, mdPath }, apply: "idle", file: { path: o.path, succeeded: o.succeeded } };
}

const clamp = (n: number, max: number) => Math.max(0, Math.min(n, Math.max(0, max)));

export function planReviewReducer(s: PlanReviewState, a: PlanReviewAction): PlanReviewState {
  switch (a.type) {
    case "planned":
      return s.phase === "planning" && s.request === a.request
        ? { phase: "ready", accountIds: s.accountIds, storageAccount: s.storageAccount, plan: a.plan, scroll: 0, exportStatus: { state: "idle" }, apply: "idle" } : s;
    case "plan-failed":
      return s.phase === "planning" && s.request === a.request ? { phase: "failed", accountIds: s.accountIds, storageAccount: s.storageAccount, error: a.error } : s;
    case "scroll": return s.phase === "ready" ? { ...s, scroll: clamp(s.scroll + a.by, a.max) } : s;
    case "scroll-to": return s.phase === "ready" ? { ...s, scroll: a.to === "top" ? 0 : clamp(a.max, a.max) } : s;
    // One export at a time; a second `e` after one finished writes the next free <date>-<n>.
    // A plan file is on disk already; another copy would have no journal and confuse a resume.
    case "export": return s.phase === "ready" && !s.file && s.exportStatus.state !== "exporting" ? { ...s, exportStatus: { state: "exporting" } } : s;
    case "exported":
      return s.phase === "ready" && s.exportStatus === a.request
        ? { ...s, exportStatus: { state: "exported", jsonPath: a.jsonPath, mdPath: a.mdPath } } : s;
    case "export-failed":
      return s.phase === "ready" && s.exportStatus === a.request ? { ...s, exportStatus: { state: "failed", message: a.message }, apply: "idle" } : s;
    case "apply": return s.phase === "ready" && s.apply === "idle" ? { ...s, apply: "confirming" } : s;
    case "cancel-apply": return s.phase === "ready" && s.apply === "confirming" ? { ...s, apply: "idle" } : s;
    // Export first unless this plan is already on disk (an export in flight is awaited, not repeated).
    case "confirm-apply": {
      if (s.phase !== "ready" || s.apply !== "confirming") return s;
      const exportStatus: ExportStatus = s.exportStatus.state === "exported" || s.exportStatus.state === "exporting" ? s.exportStatus : { state: "exporting" };
      return { ...s, apply: "starting", exportStatus };
    }
  }
}

/** The plan file to apply, once the plan is exported and the user confirmed. */
export function applyReady(s: PlanReviewState): string | null {
  return s.phase === "ready" && s.apply === "starting" && s.exportStatus.state === "exported" ? s.exportStatus.jsonPath : null;
}

/** The status line while `a` is asked or waits for its export; null otherwise. */
export function applyStatusLine(s: Extract<PlanReviewState, { phase: "ready" }>): string | null {
  if (s.apply === "confirming") return `Apply ${s.plan.planId} to Azure? y/n`;
  if (s.apply === "starting") return "Exporting the plan before applying…";
  if (s.file) return `From ${s.file.path}: a applies it, resuming its journal (${s.file.succeeded.length} step(s) done are kept)`;
  return null;
}

/** The status line under the plan: what the last export did, or nothing to say. */
export function exportStatusLine(x: ExportStatus): string | null {
  switch (x.state) {
    case "idle": return null;
    case "exporting": return "Exporting…";
    case "exported": {
      const pairedMd = x.jsonPath.replace(/\.plan\.json$/, ".plan.md");
      return `Exported ${x.jsonPath} (+ ${x.mdPath === pairedMd ? ".plan.md" : x.mdPath})`;
    }
    case "failed": return `error: ${x.message}`;
  }
}
