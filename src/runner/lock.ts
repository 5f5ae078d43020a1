// NAME.lock (DESIGN.md "Files the tool owns"): one runner per plan. The lock file `{ pid, host, startedAt }`
// appears atomically and exclusively: written complete to a temp file, fsynced, then hard-linked to the
// lock's name — link(2) fails with EEXIST like O_EXCL, and unlike open(O_EXCL)+write no crash can leave an
// empty lock behind. A lock of a dead process on this host is taken over (the engine journals it); a live
// holder, or one on another host whose liveness cannot be checked, is refused unless --force-unlock.
import { createHash, randomBytes } from "node:crypto";
import { link, open, readFile, unlink, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import path from "node:path";
import type { Clock } from "../azure/limiter-clock.js";
import { LockHeldError } from "../domain/errors.js";

export interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
}

export interface HeldLock {
  readonly holder: LockHolder;
  /** The previous holder whose lock was taken over (dead on this host, or --force-unlock). */
  readonly takenOver?: LockHolder;
  /**
   * Resolves while the lock file is still ours; throws LockHeldError (exit 3) once another runner took it
   * over (--force-unlock) or removed it. The journal awaits it before every append (journal.ts
   * beforeAppend), so a runner that lost its lock writes nothing more — Terraform's state-lock rule.
   */
  assertHeld(): Promise<void>;
  /** Removes the lock if it is still ours (idempotent). */
  release(): Promise<void>;
}

export interface AcquireLockOptions {
  forceUnlock?: boolean;
  clock: Pick<Clock, "now">;
  /** Defaults: this process and this machine (tests may pose as another). */
  pid?: number;
  host?: string;
}

/** The holder of the lock at `file`, "unreadable" for a lock that is not ours to parse, null when free. */
export async function readLock(file: string): Promise<LockHolder | "unreadable" | null> {
  const text = await readText(file);
  return text === null ? null : parseHolder(text) ?? "unreadable";
}

/** Whether the holder's process runs: null when it is on another host (cannot be checked from here). */
export function holderAlive(h: LockHolder, thisHost: string = hostname()): boolean | null {
  if (h.host !== thisHost) return null;
  return pidAlive(h.pid);
}

export async function acquireLock(file: string, o: AcquireLockOptions): Promise<HeldLock> {
  const me: LockHolder = { pid: o.pid ?? process.pid, host: o.host ?? hostname(), startedAt: new Date(o.clock.now()).toISOString() };
  // The token makes the file's text this holder's alone (two hosts may share a pid and a millisecond).
  const text = `${JSON.stringify({ ...me, token: randomBytes(8).toString("hex") })}\n`;
  const dir = path.dirname(path.resolve(file));
  const tmp = path.join(dir, `.${path.basename(file)}.${me.pid}.${randomBytes(4).toString("hex")}.tmp`);
  const fh = await open(tmp, "wx", 0o644);
  try {
    await fh.writeFile(text);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    // Bounded: each round either wins, refuses, or saw the lock change under it (another runner racing).
    for (let round = 0; round < 5; round++) {
      if (await tryLink(tmp, file)) return held(file, text, me, undefined);
      const current = await readText(file);
      if (current === null) continue; // released between our link and our read
      const holder = parseHolder(current);
      if (!o.forceUnlock) refuseUnlessDead(file, holder, me.host);
      // Only the runner that claims this very lock (O_EXCL on a claim file named after its content) may
      // remove it, and only after reading it again under the claim: nobody else can remove it meanwhile,
      // and nobody can link over it, so two runners judging the same dead lock never both take it.
      const claim = path.join(dir, `.${path.basename(file)}.takeover-${createHash("sha256").update(current).digest("hex").slice(0, 16)}`);
      if (!await tryCreate(claim, text)) {
        if (!o.forceUnlock) {
          throw new LockHeldError(`Another apply of this plan is taking over the lock ${file} right now (or crashed doing so: ${claim}).`,
            ["Wait for it to finish, or run again with --force-unlock if you are sure it is gone."]);
        }
        await unlink(claim).catch(() => undefined);
        continue;
      }
      try {
        if (await readText(file) !== current) continue; // changed under us: judge it again
        await unlink(file);
        const takenOver = holder ?? { pid: 0, host: "unknown", startedAt: "unknown" };
        if (await tryLink(tmp, file)) return held(file, text, me, takenOver);
      } finally {
        await unlink(claim).catch(() => undefined);
      }
    }
    throw new LockHeldError(`Could not take the lock ${file}: other runners keep changing it.`, ["Run again once the other apply has finished."]);
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

function held(file: string, text: string, me: LockHolder, takenOver: LockHolder | undefined): HeldLock {
  let released = false;
  return {
    holder: me,
    ...(takenOver ? { takenOver } : {}),
    async assertHeld() {
      const now = await readText(file);
      if (now === text) return;
      const other = now === null ? null : parseHolder(now);
      throw new LockHeldError(`This run no longer holds the lock ${file}: ${other
        ? `process ${other.pid} on ${other.host} took it over at ${other.startedAt} (--force-unlock)`
        : now === null ? "the lock file was removed" : "another runner replaced it"}; this run stops and writes nothing more to the journal.`,
      ["Let the other apply finish, then run 'ahds-migrate status' on the plan to see where it stands."]);
    },
    async release() {
      if (released) return;
      released = true;
      // Only our own lock: after a --force-unlock by another runner the file is theirs.
      if (await readText(file) === text) await unlink(file).catch(() => undefined);
    },
  };
}

function refuseUnlessDead(file: string, h: LockHolder | null, thisHost: string): void {
  const force = "Wait for it to finish, or run again with --force-unlock if you are sure it is gone.";
  if (h === null) {
    throw new LockHeldError(`The lock ${file} exists but cannot be read, so another apply of this plan may be running.`, [
      "Run again with --force-unlock if you are sure no other apply of this plan runs."]);
  }
  if (h.host === thisHost) {
    if (pidAlive(h.pid)) {
      throw new LockHeldError(`Another apply of this plan is running: process ${h.pid} on ${h.host}, started ${h.startedAt} (${file}).`, [force]);
    }
    return; // dead on this host: taken over
  }
  throw new LockHeldError(`Another apply of this plan may be running: process ${h.pid} on host ${h.host}, started ${h.startedAt} (${file}); `
    + "a process of another host cannot be checked from here.", [force]);
}

/** process.kill(pid, 0) checks without signalling: ESRCH = no such process; EPERM = alive, another user's. */
function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function tryLink(from: string, to: string): Promise<boolean> {
  try {
    await link(from, to);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  }
}

async function tryCreate(file: string, text: string): Promise<boolean> {
  try {
    await writeFile(file, text, { flag: "wx", mode: 0o644 });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  }
}

async function readText(file: string): Promise<string | null> {
  try {
    return await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
}

function parseHolder(text: string): LockHolder | null {
  try {
    const x = JSON.parse(text) as Record<string, unknown>;
    if (x && typeof x === "object" && Number.isInteger(x.pid) && (x.pid as number) > 0
      && typeof x.host === "string" && typeof x.startedAt === "string") {
      return { pid: x.pid as number, host: x.host, startedAt: x.startedAt };
    }
  } catch {
    // not JSON: unreadable
  }
  return null;
}
