import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { acquireLock, holderAlive, readLock, type LockHolder } from "./lock.js";

const clock = { now: () => Date.UTC(2026, 0, 2, 3, 4, 5) };

function lockPath(): string {
  return join(mkdtempSync(join(tmpdir(), "ahds-lock-")), "wave.lock");
}

function writeHolder(path: string, h: LockHolder): void {
  writeFileSync(path, `${JSON.stringify(h)}\n`);
}

/** A pid that was this host's and is now certainly gone: a child that has exited (its 'exit' event). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  const pid = child.pid!;
  await new Promise<void>((res) => child.once("exit", () => res()));
  return pid;
}

describe("acquireLock", () => {
  it("writes { pid, host, startedAt } and removes it on release (release twice is harmless)", async () => {
    const path = lockPath();
    const lock = await acquireLock(path, { clock });
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual({ pid: process.pid, host: hostname(), startedAt: "2026-01-02T03:04:05.000Z",
      token: expect.stringMatching(/^[0-9a-f]{16}$/) as unknown });
    expect(lock.takenOver).toBeUndefined();
    expect(await readLock(path)).toEqual(lock.holder);
    await lock.release();
    await lock.release();
    expect(existsSync(path)).toBe(false);
    // No temp file is left beside it.
    expect(readdirSync(dirname(path))).toEqual([]);
  });

  it("refuses a live holder on this host, naming its pid, host and start, and pointing at --force-unlock", async () => {
    const path = lockPath();
    const first = await acquireLock(path, { clock });
    const err = await acquireLock(path, { clock, pid: process.pid + 1 }).catch((e: unknown) => e) as Error & { nextSteps: string[] };
    expect(err.name).toBe("LockHeldError");
    expect(err.message).toContain(`process ${process.pid} on ${hostname()}, started 2026-01-02T03:04:05.000Z`);
    expect(err.nextSteps.join(" ")).toMatch(/--force-unlock if you are sure/);
    // The holder's lock is untouched.
    expect(await readLock(path)).toEqual(first.holder);
    await first.release();
  });

  it("takes over the lock of a dead process on this host and says whose it was", async () => {
    const path = lockPath();
    const dead: LockHolder = { pid: await deadPid(), host: hostname(), startedAt: "2026-01-01T00:00:00.000Z" };
    expect(holderAlive(dead)).toBe(false);
    writeHolder(path, dead);
    const lock = await acquireLock(path, { clock });
    expect(lock.takenOver).toEqual(dead);
    expect(await readLock(path)).toEqual({ pid: process.pid, host: hostname(), startedAt: "2026-01-02T03:04:05.000Z" });
    await lock.release();
    expect(readdirSync(dirname(path))).toEqual([]);
  });

  it("refuses a lock of another host (its process cannot be checked) unless forceUnlock", async () => {
    const path = lockPath();
    const other: LockHolder = { pid: 4242, host: "build-agent-7", startedAt: "2026-01-01T00:00:00.000Z" };
    writeHolder(path, other);
    expect(holderAlive(other)).toBeNull();
    await expect(acquireLock(path, { clock })).rejects.toMatchObject({
      name: "LockHeldError", message: expect.stringContaining("process 4242 on host build-agent-7, started 2026-01-01T00:00:00.000Z") as unknown });
    expect(await readLock(path)).toEqual(other);
    const lock = await acquireLock(path, { clock, forceUnlock: true });
    expect(lock.takenOver).toEqual(other);
    expect((await readLock(path) as LockHolder).pid).toBe(process.pid);
    await lock.release();
  });

  it("forceUnlock also takes a live holder's lock, and the old holder's release then leaves the new lock alone", async () => {
    const path = lockPath();
    const first = await acquireLock(path, { clock, pid: process.pid });
    const second = await acquireLock(path, { clock: { now: () => 0 }, forceUnlock: true });
    expect(second.takenOver).toEqual(first.holder);
    await first.release();
    expect(await readLock(path)).toEqual(second.holder);
    await second.release();
    expect(existsSync(path)).toBe(false);
  });

  it("assertHeld: the holder passes; after a forced takeover it throws LockHeldError naming the new holder", async () => {
    const path = lockPath();
    // Same pid, host and start time as the first holder (two hosts can share them): the token tells them apart.
    const first = await acquireLock(path, { clock, pid: process.pid });
    await expect(first.assertHeld()).resolves.toBeUndefined();
    const second = await acquireLock(path, { clock, pid: process.pid, forceUnlock: true });
    const err = await first.assertHeld().catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "LockHeldError" });
    expect((err as Error).message).toMatch(new RegExp(`no longer holds the lock .*process ${process.pid} on ${hostname()} took it over`));
    await expect(second.assertHeld()).resolves.toBeUndefined();
    await second.release();
    await expect(second.assertHeld()).rejects.toThrow(/the lock file was removed/);
  });

  it("refuses an unreadable lock unless forceUnlock", async () => {
    const path = lockPath();
    writeFileSync(path, "");
    expect(await readLock(path)).toBe("unreadable");
    await expect(acquireLock(path, { clock })).rejects.toMatchObject({ name: "LockHeldError", message: expect.stringMatching(/cannot be read/) as unknown });
    const lock = await acquireLock(path, { clock, forceUnlock: true });
    await lock.release();
  });

  it("creates the lock atomically: of many runners racing for a free lock exactly one wins", async () => {
    const path = lockPath();
    const results = await Promise.allSettled(Array.from({ length: 12 }, () => acquireLock(path, { clock })));
    const won = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r) => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(refused).toHaveLength(11);
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toMatchObject({ name: "LockHeldError" });
    // The file is whole: JSON of the winner.
    expect(await readLock(path)).toEqual((won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof acquireLock>>>).value.holder);
  });

  it("racing takeovers of one dead lock: exactly one runner gets it", async () => {
    const path = lockPath();
    writeHolder(path, { pid: await deadPid(), host: hostname(), startedAt: "2026-01-01T00:00:00.000Z" });
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => acquireLock(path, { clock })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.filter((r) => r.status === "rejected").every((r) => (r as PromiseRejectedResult).reason.name === "LockHeldError")).toBe(true);
    // No claim or temp file is left behind.
    expect(readdirSync(dirname(path))).toEqual(["wave.lock"]);
  });
});
