// Processes by pid, from /proc (Linux, where CI runs): which processes descend from a pid, and waiting for
// a journal on disk to reach a point — the e2e kill tests use them to kill "the process a user started" at
// a chosen journal record and then prove, by pid, that nothing of ours is left.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import type { JournalRecord } from "../../src/domain/journal.js";

/** Every live process whose parent chain reaches `pid` (not `pid` itself). */
export function descendantsOf(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ")".
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parent.set(Number(name), ppid);
    } catch {
      // exited while we read
    }
  }
  const out: number[] = [];
  for (const [p] of parent) {
    for (let q = parent.get(p); q !== undefined && q > 1; q = parent.get(q)) {
      if (q === pid) { out.push(p); break; }
    }
  }
  return out;
}

export function journalRecords(path: string): JournalRecord[] {
  if (!existsSync(path)) return [];
  const out: JournalRecord[] = [];
  for (const line of readFileSync(path, "utf8").split("\n")) {
    if (!line.trim()) continue;
    try { out.push(JSON.parse(line) as JournalRecord); } catch { /* a torn last line */ }
  }
  return out;
}

/** Resolves once the journal at `path` holds a record `match` accepts (polled every 5 ms, at most `timeoutMs`). */
export async function journalReaches(path: string, match: (records: JournalRecord[]) => boolean, timeoutMs = 30_000): Promise<JournalRecord[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const records = journalRecords(path);
    if (match(records)) return records;
    if (Date.now() > deadline) throw new Error(`${path} did not reach the awaited record within ${timeoutMs} ms (${records.length} records).`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
