// The sync screen's effects, for App.tsx: start one sync per request (the journal's records come back as
// they are fsynced), tick the clock while it is live (watermark age, next round), pass pause/resume and
// Ctrl-C to it. The reducer (state/sync-progress.ts) decides; this only carries its requests out.
import { useEffect, useRef, type Dispatch } from "react";
import type { SyncActions, SyncHandle } from "./sync-view.js";
import type { AppAction } from "./state/app.js";
import { syncLive, type SyncProgressState } from "./state/sync-progress.js";
import { uiErrorOf } from "./state/ui-error.js";
import { useSentPause } from "./use-run.js";

export function useSync(sync: SyncProgressState | null, dispatch: Dispatch<AppAction>, actions: SyncActions,
  now: () => number, ticker: (onTick: () => void) => () => void): void {
  const handle = useRef<SyncHandle | null>(null);
  const send = (action: Extract<AppAction, { type: "sync" }>["action"]) => dispatch({ type: "sync", action });
  const request = sync !== null && sync.phase !== "confirming" ? sync.request : null;
  useEffect(() => {
    if (!request) return;
    const failed = (err: unknown) => send({ type: "run-failed", message: uiErrorOf(err).message });
    try {
      handle.current = actions.startSync(sync!.planPath, {
        started: (started) => send({ type: "started", started, now: now() }),
        record: (record) => send({ type: "record", record }),
      });
    } catch (err) {
      failed(err);
      return;
    }
    handle.current.done.then((r) => { send({ type: "tick", now: now() }); send({ type: "finished", outcome: r.outcome }); }, failed);
  }, [request]);
  const live = sync !== null && syncLive(sync);
  useEffect(() => {
    if (!live) return;
    return ticker(() => send({ type: "tick", now: now() }));
  }, [live]);
  const paused = sync?.paused ?? false;
  useSentPause(handle, paused);
  const stopping = sync?.phase === "stopping";
  useEffect(() => { if (stopping) handle.current?.abort(); }, [stopping]);
}
