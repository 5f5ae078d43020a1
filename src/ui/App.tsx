// The interactive UI's root: runs the loader once, feeds its progress and result to the reducer, maps
// keys to actions (state/keys.ts) and picks the screen. Quitting is reported to `onQuit`; the caller
// (run-ui.tsx) unmounts and restores the terminal.
import { useEffect, useReducer } from "react";
import { useInput } from "ink";
import type { LoadInventory, QuitReason } from "./inventory-view.js";
import { AccountDetailScreen } from "./screens/AccountDetailScreen.js";
import { AccountListScreen } from "./screens/AccountListScreen.js";
import { ErrorScreen } from "./screens/ErrorScreen.js";
import { LoadingScreen } from "./screens/LoadingScreen.js";
import { appReducer, detailOf, detailViewportRows, initialApp, uiErrorOf } from "./state/app.js";
import { ColorContext } from "./theme.js";

export interface AppProps {
  loadInventory: LoadInventory;
  onQuit: (reason: QuitReason) => void;
  /** Terminal size; the caller updates them on resize. */
  columns: number;
  rows: number;
  color: boolean;
  /** Shown in the title until the inventory says which cloud it read. */
  cloud?: string;
}

export function App({ loadInventory, onQuit, columns, rows, color, cloud }: AppProps) {
  const [state, dispatch] = useReducer(appReducer, { rows, columns }, initialApp);

  useEffect(() => {
    const abort = new AbortController();
    loadInventory((progress) => dispatch({ type: "progress", progress }), abort.signal).then(
      (inventory) => dispatch({ type: "loaded", inventory }),
      (err: unknown) => { if (!abort.signal.aborted) dispatch({ type: "failed", error: uiErrorOf(err) }); },
    );
    return () => abort.abort();
  }, [loadInventory]);

  useEffect(() => { dispatch({ type: "resize", rows, columns }); }, [rows, columns]);
  useEffect(() => { if (state.quit) onQuit(state.quit); }, [state.quit, onQuit]);
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
    </ColorContext.Provider>
  );
}
