// The interactive UI's root: runs the loader once, feeds its progress and result to the reducer, maps
// keys to actions (state/keys.ts), runs the plan review's effects (makePlan, exportPlan) when the reducer
// asks for them, the progress screen's through use-run.ts (startRun, pause, stop, verify), the sync
// screen's through use-sync.ts (startSync, pause, stop), and picks the screen. Quitting is reported to `onQuit`; the caller
// (run-ui.tsx) unmounts and restores the terminal.
import { useEffect, useReducer } from "react";
import { useInput } from "ink";
import type { LoadInventory, QuitReason } from "./inventory-view.js";
import { AccountDetailScreen } from "./screens/AccountDetailScreen.js";
import { AccountListScreen } from "./screens/AccountListScreen.js";
import { ErrorScreen } from "./screens/ErrorScreen.js";
import { LoadingScreen } from "./screens/LoadingScreen.js";
import { PlanReviewScreen } from "./screens/PlanReviewScreen.js";
import { ProgressScreen } from "./screens/ProgressScreen.js";
import type { PlanActions } from "./plan-view.js";
import type { RunActions } from "./run-view.js";
import { everySecond, useRun } from "./use-run.js";
import { appReducer, detailOf, detailViewportRows, initialApp, planLinesOf, plansViewportRows, planViewportRows } from "./state/app.js";
import { openingOf } from "./state/plans-list.js";
import type { PlanFiles } from "./plans-view.js";
import { PlansScreen } from "./screens/PlansScreen.js";
import { runExitCode } from "./state/progress.js";
import { uiErrorOf } from "./state/ui-error.js";
import { ColorContext } from "./theme.js";
import { SyncScreen } from "./screens/SyncScreen.js";
import type { SyncActions } from "./sync-view.js";
import { syncExitCode } from "./state/sync-progress.js";
import { useSync } from "./use-sync.js";

export interface AppProps {
  loadInventory: LoadInventory;
  /** `runExit`: the exit code the last run calls for (state/progress.ts runExitCode), null without one. */
  onQuit: (reason: QuitReason, runExit: number | null) => void;
  /** Terminal size; the caller updates them on resize. */
  columns: number;
  rows: number;
  color: boolean;
  /** Shown in the title until the inventory says which cloud it read. */
  cloud?: string;
  /** Planning and exporting (src/cli builds them); without them `p` says planning is unavailable. */
  plans?: PlanActions;
  /** The plans screen (`o`): ./plans listed with their journals, one opened for review (src/cli/plan-listing.ts). */
  planFiles?: PlanFiles;
  /** Applying (`a` on the plan review) and verifying; without them the progress screen says so. */
  runs?: RunActions;
  /** Copying data (`s` on the plans screen); without it the sync screen says so. */
  syncs?: SyncActions;
  /** Epoch ms for the elapsed time; default the wall clock. */
  now?: () => number;
  /** Calls `onTick` now and then while a run is live (rate, elapsed); returns the stop function. */
  ticker?: (onTick: () => void) => () => void;
}


const NO_PLANS: PlanActions = {
  makePlan: () => Promise.reject(new Error("Planning is not available in this UI.")),
  exportPlan: () => Promise.reject(new Error("Exporting is not available in this UI.")),
};

const NO_PLAN_FILES: PlanFiles = {
  listPlans: () => Promise.reject(new Error("Plan files are not available in this UI.")),
  openPlan: () => Promise.reject(new Error("Plan files are not available in this UI.")),
};

const NO_SYNCS: SyncActions = {
  startSync: () => { throw new Error("Syncing is not available in this UI."); },
};

const NO_RUNS: RunActions = {
  startRun: () => { throw new Error("Applying is not available in this UI."); },
};

export function App({ loadInventory, onQuit, columns, rows, color, cloud, plans = NO_PLANS, planFiles = NO_PLAN_FILES, runs = NO_RUNS, syncs = NO_SYNCS, now = Date.now, ticker = everySecond }: AppProps) {
  const [state, dispatch] = useReducer(appReducer, { rows, columns }, initialApp);

  useEffect(() => {
    const abort = new AbortController();
    loadInventory((progress) => dispatch({ type: "progress", progress }), abort.signal).then(
      (inventory) => dispatch({ type: "loaded", inventory }),
      (err: unknown) => { if (!abort.signal.aborted) dispatch({ type: "failed", error: uiErrorOf(err) }); },
    );
    return () => abort.abort();
  }, [loadInventory]);

  // The request token is the effect's key: it changes only when the reducer starts a new plan or export,
  // and the result is applied only if that request is still the current one (the reducer checks).
  const review = state.screen === "plan" ? state.review : null;
  const planRequest = review?.phase === "planning" ? review : null;
  useEffect(() => {
    if (!planRequest) return;
    const { request, accountIds, storageAccount } = planRequest;
    plans.makePlan(accountIds, { storageAccount }).then(
      (plan) => dispatch({ type: "review", action: { type: "planned", request, plan } }),
      (err: unknown) => dispatch({ type: "review", action: { type: "plan-failed", request, error: uiErrorOf(err) } }),
    );
  }, [planRequest?.request]);
  const exportRequest = review?.phase === "ready" && review.exportStatus.state === "exporting" ? { status: review.exportStatus, plan: review.plan } : null;
  useEffect(() => {
    if (!exportRequest) return;
    const { status: request, plan } = exportRequest;
    plans.exportPlan(plan).then(
      ({ jsonPath, mdPath }) => dispatch({ type: "review", action: { type: "exported", request, jsonPath, mdPath } }),
      (err: unknown) => dispatch({ type: "review", action: { type: "export-failed", request, message: uiErrorOf(err).message } }),
    );
  }, [exportRequest?.status]);

  // The plans screen: list once per visit, open the file Enter asked for (answers carry their request).
  const listRequest = state.screen === "plans" && state.plans.phase === "listing" ? state.plans.request : null;
  useEffect(() => {
    if (!listRequest) return;
    planFiles.listPlans().then(
      (list) => dispatch({ type: "plans", action: { type: "listed", request: listRequest, plans: list, viewportRows: plansViewportRows(rows) } }),
      (err: unknown) => dispatch({ type: "plans", action: { type: "list-failed", request: listRequest, message: uiErrorOf(err).message } }),
    );
  }, [listRequest]);
  const opening = state.screen === "plans" ? openingOf(state.plans) : null;
  useEffect(() => {
    if (!opening) return;
    const { request, path } = opening;
    planFiles.openPlan(path).then(
      (opened) => dispatch({ type: "plan-opened", request, opened }),
      (err: unknown) => dispatch({ type: "plans", action: { type: "open-failed", request, message: uiErrorOf(err).message } }),
    );
  }, [opening?.request]);

  useRun(state.screen === "progress" ? { run: state.run, plan: state.plan } : null, dispatch, runs, now, ticker);
  useSync(state.screen === "sync" ? state.sync : null, dispatch, syncs, now, ticker);

  useEffect(() => { dispatch({ type: "resize", rows, columns }); }, [rows, columns]);
  useEffect(() => {
    if (state.quit) onQuit(state.quit, state.screen === "progress" ? runExitCode(state.run) : state.screen === "sync" ? syncExitCode(state.sync) : null);
  }, [state.quit, onQuit]);
  useInput((input, key) => dispatch({ type: "key", input, key }));

  const detail = state.screen === "detail" ? detailOf(state) : null;

  return (
    <ColorContext.Provider value={color}>
      {state.screen === "loading" ? <LoadingScreen progress={state.progress} cloud={cloud} /> : null}
      {state.screen === "error" ? <ErrorScreen error={state.error} cloud={cloud} /> : null}
      {state.screen === "list" ? <AccountListScreen inventory={state.inventory} list={state.list} width={columns} /> : null}
      {state.screen === "detail" && detail ? (
        <AccountDetailScreen item={detail.row.item} lines={detail.lines} scroll={state.scroll}
          viewportRows={detailViewportRows(state.rows)} cloud={state.inventory.cloud} />
      ) : null}
      {state.screen === "plan" ? (
        <PlanReviewScreen review={state.review} lines={planLinesOf(state)} viewportRows={planViewportRows(state.rows)} cloud={state.inventory.cloud} />
      ) : null}
      {state.screen === "plans" ? <PlansScreen plans={state.plans} cloud={state.inventory.cloud} width={columns} /> : null}
      {state.screen === "sync" ? <SyncScreen sync={state.sync} rows={state.rows} cloud={state.inventory.cloud} {...(syncs.commandLine ? { command: syncs.commandLine } : {})} /> : null}
      {state.screen === "progress" ? <ProgressScreen run={state.run} rows={state.rows} cloud={state.inventory.cloud} command={runs.commandLine} /> : null}
    </ColorContext.Provider>
  );
}
