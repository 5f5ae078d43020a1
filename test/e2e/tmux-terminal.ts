// A real terminal for the TUI e2e tests: tmux (Debian's package; .ci/run installs it when missing) on its own
// socket per test, started with the environment we choose, the program exec'd so the pane's pid IS the
// process a user started. send-keys types, capture-pane reads the screen.
import { execFileSync, spawnSync } from "node:child_process";

export function tmuxAvailable(): boolean {
  return spawnSync("tmux", ["-V"], { stdio: "ignore" }).status === 0;
}

export interface Terminal {
  /** pid of the program in the pane (exec'd: no shell in between). */
  pid: number;
  keys(...keys: string[]): void;
  /**
   * Types one key and waits until the screen changes (a cursor move, a selection): keys typed faster than
   * the UI reads them arrive in one chunk, which Ink may not split into keys, as a person's never do.
   */
  press(key: string, timeoutMs?: number): Promise<void>;
  screen(): string;
  /** Resolves once the screen shows `text` (polled every 50 ms, at most `timeoutMs`). */
  waitFor(text: string, timeoutMs?: number): Promise<string>;
  close(): void;
}

/**
 * A person's terminal is not CI: Ink (is-in-ci) draws nothing but the last frame when CI, CONTINUOUS_INTEGRATION
 * or a CI_* variable is set — as they are when .ci/run runs this — so they are left out of the terminal's env.
 */
function terminalEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => k !== "CI" && k !== "CONTINUOUS_INTEGRATION" && !k.startsWith("CI_")));
}

export function startTerminal(name: string, cwd: string, argv: string[], env: NodeJS.ProcessEnv): Terminal {
  const socket = `ahds-e2e-${name}-${process.pid}`;
  env = terminalEnv(env);
  const tmux = (...args: string[]) => execFileSync("tmux", ["-L", socket, ...args], { env: { ...env, TERM: "xterm-256color" }, encoding: "utf8" });
  const quoted = argv.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
  tmux("new-session", "-d", "-s", "t", "-x", "160", "-y", "45", "-c", cwd, `exec ${quoted}`);
  const pid = Number(tmux("display", "-p", "-t", "t", "#{pane_pid}").trim());
  const screen = () => { try { return tmux("capture-pane", "-p", "-t", "t"); } catch { return ""; } };
  return {
    pid,
    keys: (...keys) => { for (const k of keys) tmux("send-keys", "-t", "t", k); },
    screen,
    async press(key, timeoutMs = 10_000) {
      const before = screen();
      tmux("send-keys", "-t", "t", key);
      const deadline = Date.now() + timeoutMs;
      while (screen() === before) {
        if (Date.now() > deadline) throw new Error(`The screen did not change after the key "${key}". Screen:\n${before}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async waitFor(text, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const s = screen();
        if (s.includes(text)) return s;
        if (Date.now() > deadline) throw new Error(`The terminal never showed "${text}". Screen:\n${s}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: () => { try { tmux("kill-server"); } catch { /* already gone */ } },
  };
}
