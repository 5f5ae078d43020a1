// Which key does what, per screen: a pure map from Ink's (input, key) to an action, so the bindings
// are tested without a terminal and the help line can never drift far from them.
import type { AppAction, AppState } from "./app.js";
import { canResume, canSync } from "./progress.js";
import { syncLive } from "./sync-progress.js";

/** The subset of Ink's Key the UI reads. */
export interface KeyPress {
  upArrow?: boolean; downArrow?: boolean; leftArrow?: boolean; rightArrow?: boolean;
  pageUp?: boolean; pageDown?: boolean; home?: boolean; end?: boolean;
  return?: boolean; escape?: boolean; ctrl?: boolean; backspace?: boolean; delete?: boolean; tab?: boolean; meta?: boolean;
}

export type KeyResult = AppAction | { type: "quit" } | { type: "interrupt" } | null;

export function keyToAction(s: AppState, input: string, key: KeyPress): KeyResult {
  if (s.screen === "progress") return progressKey(s, input, key);
  if (s.screen === "sync") return syncKey(s, input, key);
  if (key.ctrl && input === "c") return { type: "interrupt" };
  const list = (action: Extract<AppAction, { type: "list" }>["action"]): KeyResult => ({ type: "list", action });
  if (s.screen === "list" && s.list.editingFilter) {
    if (key.return) return list({ type: "filter-commit" });
    if (key.escape) return list({ type: "filter-clear" });
    if (key.backspace || key.delete) return list({ type: "filter-backspace" });
    if (key.upArrow) return list({ type: "move", by: -1 });
    if (key.downArrow) return list({ type: "move", by: 1 });
    // Printable text only (a paste may bring several characters at once).
    if (!key.ctrl && !key.meta && input && [...input].every((ch) => ch >= " " && ch !== "\u007f")) return list({ type: "filter-input", text: input });
    return null;
  }
  if (input === "q") return { type: "quit" };
  switch (s.screen) {
    case "loading": return null;
    case "error": return key.escape || key.return ? { type: "quit" } : null;
    case "detail":
      if (key.escape || key.leftArrow || key.backspace || key.delete) return { type: "back" };
      if (key.upArrow || input === "k") return { type: "scroll-detail", by: -1 };
      if (key.downArrow || input === "j") return { type: "scroll-detail", by: 1 };
      if (key.pageUp) return { type: "scroll-detail", by: -10 };
      if (key.pageDown || input === " ") return { type: "scroll-detail", by: 10 };
      return null;
    case "plans": {
      const plans = (action: Extract<AppAction, { type: "plans" }>["action"]): KeyResult => ({ type: "plans", action });
      if (key.escape || key.leftArrow || key.backspace || key.delete) return { type: "back" };
      if (key.upArrow || input === "k") return plans({ type: "move", by: -1 });
      if (key.downArrow || input === "j") return plans({ type: "move", by: 1 });
      if (key.pageUp) return plans({ type: "move", by: -10 });
      if (key.pageDown) return plans({ type: "move", by: 10 });
      if (key.home || input === "g") return plans({ type: "move", by: -Infinity });
      if (key.end || input === "G") return plans({ type: "move", by: Infinity });
      if (key.return || key.rightArrow) return plans({ type: "open" });
      if (input === "s") return plans({ type: "open", for: "sync" });
      return null;
    }
    case "plan": {
      // The confirmation takes only its answer; q still quits.
      if (s.review.phase === "ready" && s.review.apply === "confirming") {
        if (input === "y" || input === "Y") return { type: "review", action: { type: "confirm-apply" } };
        if (input === "n" || input === "N" || key.escape) return { type: "review", action: { type: "cancel-apply" } };
        return null;
      }
      if (input === "a" && s.review.phase === "ready" && s.review.apply === "idle") return { type: "review", action: { type: "apply" } };
      if (key.escape || key.leftArrow || key.backspace || key.delete) return { type: "back" };
      if (key.upArrow || input === "k") return { type: "scroll-plan", by: -1 };
      if (key.downArrow || input === "j") return { type: "scroll-plan", by: 1 };
      if (key.pageUp) return { type: "scroll-plan", by: "page-up" };
      if (key.pageDown || input === " ") return { type: "scroll-plan", by: "page-down" };
      if (key.home || input === "g") return { type: "scroll-plan", by: "top" };
      if (key.end || input === "G") return { type: "scroll-plan", by: "bottom" };
      if (input === "e" && !(s.review.phase === "ready" && s.review.file)) return { type: "export-plan" };
      if (input === "d") return { type: "cycle-storage" };
      return null;
    }
    case "list":
      if (key.return || key.rightArrow) return { type: "open-detail" };
      if (key.escape) return { type: "back" };
      if (key.upArrow || input === "k") return list({ type: "move", by: -1 });
      if (key.downArrow || input === "j") return list({ type: "move", by: 1 });
      if (key.pageUp) return list({ type: "page", by: -1 });
      if (key.pageDown) return list({ type: "page", by: 1 });
      if (key.home || input === "g") return list({ type: "move-to", index: 0 });
      if (key.end || input === "G") return list({ type: "move-to", index: -1 });
      if (input === " ") return list({ type: "toggle-select" });
      if (input === "/") return list({ type: "filter-start" });
      if (input === "v") return list({ type: "cycle-verdict" });
      if (input === "s") return list({ type: "cycle-sort" });
      if (input === "p") return { type: "plan" };
      if (input === "o") return { type: "open-plans" };
      return null;
  }
}

/**
 * While a run is going, Ctrl-C stops it the way `apply` does (no new steps; in-flight ones journal) and a
 * second Ctrl-C leaves at once (what was in flight is in doubt and the next apply reconciles it); `q`
 * waits for the run to end, so quitting never leaves steps running unseen.
 */
function progressKey(s: Extract<AppState, { screen: "progress" }>, input: string, key: KeyPress): KeyResult {
  const live = s.run.phase === "running" || s.run.phase === "stopping";
  if (key.ctrl && input === "c") return s.run.phase === "running" ? { type: "run", action: { type: "stop" } } : { type: "interrupt" };
  if (input === "p") return { type: "run", action: { type: "toggle-pause" } };
  if (input === "r" && canResume(s.run)) return { type: "run", action: { type: "resume" } };
  if (input === "s" && canSync(s.run)) return { type: "sync-applied" };
  if (input === "q") return live ? null : { type: "quit" };
  return null;
}

/**
 * The sync screen: y/n first (n and Esc go back to the plans); while live, `p` pauses and Ctrl-C stops the
 * way `sync` does (a second Ctrl-C leaves at once: the journal says where the next run continues), and `q`
 * waits for the end; once ended, `r` syncs again and Esc goes back.
 */
function syncKey(s: Extract<AppState, { screen: "sync" }>, input: string, key: KeyPress): KeyResult {
  const sync = (action: Extract<AppAction, { type: "sync" }>["action"]): KeyResult => ({ type: "sync", action });
  if (key.ctrl && input === "c") return s.sync.phase === "running" ? sync({ type: "stop" }) : { type: "interrupt" };
  if (syncLive(s.sync)) return input === "p" ? sync({ type: "toggle-pause" }) : null;
  if (input === "q") return { type: "quit" };
  if (s.sync.phase === "confirming") {
    if (input === "y" || input === "Y") return sync({ type: "confirm" });
    return input === "n" || input === "N" || key.escape ? { type: "back" } : null;
  }
  if (input === "r") return sync({ type: "again" });
  return key.escape || key.leftArrow ? { type: "back" } : null;
}
