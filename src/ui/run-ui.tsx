// Starts the Ink UI on the terminal and resolves with the exit code once the user quits: 0 for `q`,
// 130 for Ctrl-C ("interrupted", DESIGN.md), 1 when loading had failed; after a run, what `apply` would
// exit with (4 failed steps or verify differences, 130 interrupted, 1 a run that could not start), and after
// a sync what `sync` would (4 a round blocked, 130 interrupted, 1 could not start). Runs in the alternate screen
// (like less or top), so quitting gives the shell back exactly as it was.
import { render } from "ink";
import { App } from "./App.js";
import type { LoadInventory, QuitReason } from "./inventory-view.js";
import type { PlanActions } from "./plan-view.js";
import type { PlanFiles } from "./plans-view.js";
import type { RunActions } from "./run-view.js";
import type { SyncActions } from "./sync-view.js";

export interface RunInteractiveUiOptions {
  loadInventory: LoadInventory;
  /** `p` plans the chosen accounts and `e` exports the plan (src/cli/commands/interactive.ts). */
  plans?: PlanActions;
  /** `o` lists ./plans with their journals and opens one (src/cli/plan-listing.ts). */
  planFiles?: PlanFiles;
  /** `a` applies the reviewed plan and verifies it (src/cli/tui-run.ts). */
  runs?: RunActions;
  /** `s` on the plans screen copies a plan's data in rounds (src/cli/tui-sync.ts). */
  syncs?: SyncActions;
  color: boolean;
  cloud: string;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
}

const ENTER_ALT_SCREEN = "\u001b[?1049h\u001b[H";
const LEAVE_ALT_SCREEN = "\u001b[?1049l";

export async function runInteractiveUi(o: RunInteractiveUiOptions): Promise<number> {
  const stdout = o.stdout ?? process.stdout;
  const stdin = o.stdin ?? process.stdin;
  const outcome: { reason: QuitReason; failed: boolean; runExit: number | null } = { reason: "quit", failed: false, runExit: null };
  stdout.write(ENTER_ALT_SCREEN);
  try {
    let quit: () => void = () => undefined;
    const quitted = new Promise<void>((res) => { quit = res; });
    const loadInventory: LoadInventory = (onProgress, abortSignal) =>
      o.loadInventory(onProgress, abortSignal).catch((err: unknown) => { outcome.failed = true; throw err; });
    const size = () => ({ columns: stdout.columns || 100, rows: stdout.rows || 24 });
    const element = (s: { columns: number; rows: number }) => (
      <App loadInventory={loadInventory} color={o.color} cloud={o.cloud} plans={o.plans} planFiles={o.planFiles} runs={o.runs} syncs={o.syncs} columns={s.columns} rows={s.rows}
        onQuit={(r, runExit) => { outcome.reason = r; outcome.runExit = runExit; quit(); }} />
    );
    // Ctrl-C is read as a key (raw mode) so the UI decides what it means; Ink must not exit on its own.
    const instance = render(element(size()), { stdin, stdout, exitOnCtrlC: false, patchConsole: true });
    const onResize = () => instance.rerender(element(size()));
    stdout.on("resize", onResize);
    try {
      await Promise.race([quitted, instance.waitUntilExit()]);
    } finally {
      stdout.off("resize", onResize);
      instance.unmount();
      await instance.waitUntilExit().catch(() => undefined);
    }
  } finally {
    stdout.write(LEAVE_ALT_SCREEN);
  }
  return exitCodeOf(outcome);
}

export function exitCodeOf(o: { reason: QuitReason; failed: boolean; runExit: number | null }): number {
  if (o.reason === "interrupt") return 130;
  if (o.runExit !== null) return o.runExit;
  return o.failed ? 1 : 0;
}
