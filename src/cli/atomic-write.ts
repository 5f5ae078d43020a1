// Files the tool owns are written atomically (DESIGN.md "Files the tool owns"): a complete temp file in the
// same directory, fsync, rename over the old one, fsync the directory. A process killed at any point leaves
// the previous file or the new one, never half of one. The mode is set explicitly (not left to the umask):
// plan files hold no secrets and are meant to be shared (0644); 0600 is for files that must stay private.
import { randomBytes } from "node:crypto";
import { mkdir, open, rename, rm } from "node:fs/promises";
import path from "node:path";

export interface WriteFileAtomicOptions {
  /** Default 0o644. */
  mode?: number;
}

export async function writeFileAtomic(filePath: string, data: string | Uint8Array, options: WriteFileAtomicOptions = {}): Promise<void> {
  const mode = options.mode ?? 0o644;
  const dir = path.dirname(path.resolve(filePath));
  await mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(filePath)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    const fh = await open(tmp, "wx", mode);
    try {
      await fh.writeFile(data);
      await fh.chmod(mode);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, filePath);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  try {
    // Make the rename itself durable.
    const d = await open(dir, "r");
    try { await d.sync(); } finally { await d.close(); }
  } catch {
    // Some file systems refuse fsync on a directory; the rename is still atomic.
  }
}
