// Progress of `inventory` while discovery runs: one line on stderr, rewritten in place and cleared at the
// end, only when stderr is a TTY (a pipe or a log file gets nothing, so `--json 2>log` stays clean).
import type { DiscoveryProgress } from "../../inventory/progress.js";

/** "Reading Azure: 2/3 subscriptions scanned, 17 accounts, 4/5 vaults read, 6/9 keys read". */
export function progressText(p: DiscoveryProgress): string {
  const parts = [`${p.subscriptionsScanned}/${p.subscriptionsTotal} subscriptions scanned`, `${p.accountsFound} accounts`];
  if (p.vaultsTotal > 0) parts.push(`${p.vaultsRead}/${p.vaultsTotal} vaults read`);
  if (p.keysTotal > 0) parts.push(`${p.keysRead}/${p.keysTotal} keys read`);
  const phase = p.phase === "permissions" ? " (checking permissions)" : p.phase === "principals" ? " (looking up principals)" : "";
  return `Reading Azure: ${parts.join(", ")}${phase}`;
}

export interface ProgressLine {
  update(p: DiscoveryProgress): void;
  /** Clears the line (no-op when nothing was drawn). */
  done(): void;
}

export interface ProgressLineOptions {
  /** Redraw at most this often (a large estate reports thousands of steps); default 80 ms. */
  minIntervalMs?: number;
  /** Injected clock (epoch ms), for tests. */
  now?: () => number;
}

/** A progress line on `stream`; a no-op unless the stream is a TTY. */
export function createProgressLine(stream: NodeJS.WriteStream = process.stderr, o: ProgressLineOptions = {}): ProgressLine {
  if (stream.isTTY !== true) return { update: () => undefined, done: () => undefined };
  const now = o.now ?? Date.now;
  const minIntervalMs = o.minIntervalMs ?? 80;
  let shown = "";
  let drawnAt = -Infinity;
  return {
    update(p) {
      const columns = stream.columns > 1 ? stream.columns - 1 : 79;
      const text = progressText(p).slice(0, columns);
      if (text === shown || now() - drawnAt < minIntervalMs) return;
      shown = text;
      drawnAt = now();
      // CR + erase line (ECMA-48 EL 2): rewrite in place without scrolling.
      stream.write(`\r\u001b[2K${text}`);
    },
    done() {
      if (shown !== "") stream.write("\r\u001b[2K");
      shown = "";
    },
  };
}
