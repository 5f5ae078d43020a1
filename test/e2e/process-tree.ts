// Processes by pid, from /proc (Linux, where CI runs): which processes descend from a pid — the e2e kill
// tests use it to prove, by pid, that "the process a user started" left nothing of ours behind.
import { readdirSync, readFileSync } from "node:fs";

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
