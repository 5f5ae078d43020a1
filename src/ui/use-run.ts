// The progress screen's effects, for App.tsx: start one run per progress request (its records come back
// already journaled: runPlan appends, then emits), tick the clock and the limiter's figures while it is
// live, pass pause/resume and Ctrl-C to the run, and verify once a run completed. The reducer decides;
// this only carries its requests out and sends the answers back.
import { useEffect, useRef, type Dispatch, type RefObject } from "react";
import type { Plan } from "../domain/plan.js";
import type { RunActions, RunHandle } from "./run-view.js";
import type { AppAction } from "./state/app.js";
import { wantsVerify, type ProgressState } from "./state/progress.js";
import { uiErrorOf } from "./state/ui-error.js";

/** Once a second: the rate and the elapsed time change slowly, and a faster redraw only flickers. */
export const everySecond = (onTick: () => void) => {
  const timer = setInterval(onTick, 1000);
  return () => clearInterval(timer);
};

/** Hands the reducer's pause to the live handle each time it changes (pause, then resume), once each. */
export function useSentPause(handle: RefObject<{ pause(): void; resume(): void } | null>, paused: boolean): void {
  const sent = useRef(false);
  useEffect(() => {
    if (!handle.current || paused === sent.current) return;
    sent.current = paused;
    if (paused) handle.current.pause(); else handle.current.resume();
  }, [paused]);
}

export function useRun(run: { run: ProgressState; plan: Plan } | null, dispatch: Dispatch<AppAction>, runs: RunActions,
  now: () => number, ticker: (onTick: () => void) => () => void): void {
  const handle = useRef<RunHandle | null>(null);
  const tick = () => dispatch({ type: "run", action: { type: "tick", now: now(), stats: handle.current?.stats() ?? { requestsPerSecond: 0, throttled429: 0 } } });
  useEffect(() => {
    if (!run) return;
    const failed = (err: unknown) => dispatch({ type: "run", action: { type: "run-failed", message: uiErrorOf(err).message } });
    try {
      handle.current = runs.startRun(run.plan, (record) => dispatch({ type: "run", action: { type: "record", record } }));
    } catch (err) {
      failed(err);
      return;
    }
    tick();
    handle.current.done.then((summary) => { tick(); dispatch({ type: "run", action: { type: "finished", outcome: summary.outcome } }); }, failed);
  }, [run?.run.request]);
  const live = run !== null && (run.run.phase === "running" || run.run.phase === "stopping");
  useEffect(() => {
    if (!live) return;
    return ticker(tick);
  }, [live]);
  const paused = run?.run.paused ?? false;
  useSentPause(handle, paused);
  const stopping = run?.run.phase === "stopping";
  useEffect(() => { if (stopping) handle.current?.abort(); }, [stopping]);
  const verifyNow = run !== null && runs.verify !== undefined && wantsVerify(run.run);
  useEffect(() => {
    if (!verifyNow || !run || !runs.verify) return;
    dispatch({ type: "run", action: { type: "verifying" } });
    runs.verify(run.plan).then(
      (result) => dispatch({ type: "run", action: { type: "verified", result } }),
      (err: unknown) => dispatch({ type: "run", action: { type: "verify-failed", message: uiErrorOf(err).message } }),
    );
  }, [verifyNow]);
}
