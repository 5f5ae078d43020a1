// Files the sandbox owns are written atomically: a complete temp file (mode 0600 — state and profile
// files hold the estate's fake secrets), fsync, rename over the old one, fsync the directory. A process
// killed at any point leaves either the previous file or the new one, never half of one.
import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import path from "node:path";

export function writeFileAtomic(filePath: string, data: string | Buffer, mode = 0o600): void {
  const dir = path.dirname(path.resolve(filePath));
  mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(filePath)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  const bytes = typeof data === "string" ? Buffer.from(data) : data;
  const fd = openSync(tmp, "wx", mode);
  try {
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, filePath);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  try {
    // Make the rename itself durable.
    const dfd = openSync(dir, "r");
    try { fsyncSync(dfd); } finally { closeSync(dfd); }
  } catch {
    // Some file systems refuse fsync on a directory; the rename is still atomic.
  }
}
