// The one way UI tests render: the real App through ink-testing-library at a fixed 100 columns (the
// library's width) and ROWS rows, frames read without ANSI styling. `waitFor` resolves on the first frame
// that satisfies a predicate (woken by each frame Ink writes, never by a timer) and then lets one
// setImmediate turn pass, so Ink's input handlers are subscribed before a test presses keys.
import { EventEmitter } from "node:events";
import { stripVTControlCharacters } from "node:util";
import { render } from "ink-testing-library";
import { onTestFailed } from "vitest";
import { App } from "../../src/ui/App.js";
import type { InventoryView, LoadInventory, LoadProgress, QuitReason } from "../../src/ui/inventory-view.js";
import type { PlanActions } from "../../src/ui/plan-view.js";
import type { PlanFiles } from "../../src/ui/plans-view.js";
import type { RunActions } from "../../src/ui/run-view.js";
import type { SyncActions } from "../../src/ui/sync-view.js";

export const WIDTH = 100;
export const ROWS = 16;

export const KEYS = {
  up: "\u001b[A", down: "\u001b[B", right: "\u001b[C", left: "\u001b[D", pageDown: "\u001b[6~", pageUp: "\u001b[5~",
  enter: "\r", escape: "\u001b", space: " ", backspace: "\u007f", ctrlC: "\u0003",
} as const;

export interface RenderedUi {
  frame(): string;
  /** The last frame as Ink wrote it, with any styling. */
  rawFrame(): string;
  waitFor(predicate: (frame: string) => boolean): Promise<string>;
  press(...keys: string[]): void;
  quits: QuitReason[];
  /** The run's exit code reported with each quit (null: no run, or nothing to say). */
  runExits: (number | null)[];
  /** Resolves with the reason of the first quit the App reports. */
  quitted(): Promise<QuitReason>;
  unmount(): void;
}

export interface RenderUiOptions {
  rows?: number; color?: boolean; plans?: PlanActions; runs?: RunActions; planFiles?: PlanFiles; syncs?: SyncActions;
  /** The progress screen's clock and ticker (test/ui/ui-run.ts manualClock). */
  now?: () => number; ticker?: (onTick: () => void) => () => void;
}

export function renderUi(loadInventory: LoadInventory, o: RenderUiOptions = {}): RenderedUi {
  const quits: QuitReason[] = [];
  const runExits: (number | null)[] = [];
  const quitEvents = new EventEmitter();
  const ui = render(<App loadInventory={loadInventory} onQuit={(r, x) => { quits.push(r); runExits.push(x); quitEvents.emit("quit", r); }} columns={WIDTH}
    rows={o.rows ?? ROWS} color={o.color ?? false} cloud="AzureCloud" plans={o.plans} planFiles={o.planFiles}
    runs={o.runs} syncs={o.syncs} now={o.now} ticker={o.ticker ?? (() => () => undefined)} />);
  const frames = new EventEmitter();
  const stdout = ui.stdout as unknown as { write: (f: string) => void };
  const write = stdout.write;
  stdout.write = (f: string) => { write(f); frames.emit("frame"); };
  // Cells are padded to their column; trailing blanks carry no meaning in an assertion.
  const frame = () => stripVTControlCharacters(ui.lastFrame() ?? "").split("\n").map((l) => l.trimEnd()).join("\n");
  // A predicate that never holds ends in the test timeout; show what the screen was then.
  onTestFailed(() => { console.error(`last frame:\n${frame()}`); });
  return {
    frame,
    rawFrame: () => ui.lastFrame() ?? "",
    quits, runExits,
    quitted: () => (quits.length ? Promise.resolve(quits[0]!) : new Promise((res) => quitEvents.once("quit", res))),
    async waitFor(predicate) {
      while (!predicate(frame())) await new Promise((res) => frames.once("frame", res));
      await new Promise((res) => setImmediate(res));
      return frame();
    },
    press(...keys) { for (const k of keys) ui.stdin.write(k); },
    unmount: () => ui.unmount(),
  };
}

/** A loader that resolves at once with `inventory`. */
export function loaded(inventory: InventoryView): LoadInventory {
  return async () => inventory;
}

/** A loader the test drives: report progress, then resolve or fail. */
export function controlledLoader(): { load: LoadInventory; progress(p: LoadProgress): void; resolve(v: InventoryView): void; reject(e: unknown): void } {
  let onProgress: (p: LoadProgress) => void = () => undefined;
  let settle: { resolve(v: InventoryView): void; reject(e: unknown): void } = { resolve: () => undefined, reject: () => undefined };
  const started = new Promise<InventoryView>((resolve, reject) => { settle = { resolve, reject }; });
  return {
    load: (p) => { onProgress = p; return started; },
    progress: (p) => onProgress(p),
    resolve: (v) => settle.resolve(v),
    reject: (e) => settle.reject(e),
  };
}
