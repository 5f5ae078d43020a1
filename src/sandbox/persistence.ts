// The --state file: the sandbox's Azure as it is now, so that a run killed with SIGKILL and resumed
// sees the same Azure (DESIGN.md "The sandbox"). An existing state file wins over the estate. Saves
// are synchronous and atomic (temp file, fsync, rename, mode 0600): a killed sandbox leaves the
// last complete file, and a response is only sent after the change it reports is on disk.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import type { Estate, SandboxStateFile } from "./estate-types.js";
import { parseEstate } from "./estate.js";
import { SandboxState } from "./state.js";

export interface LoadStateOptions { estate?: Estate; statePath?: string; now?: () => number }

/** The state to serve: the state file if it exists, else the estate. */
export function loadSandboxState(opts: LoadStateOptions): { state: SandboxState; fromStateFile: boolean; warnings: string[] } {
  const now = opts.now ?? Date.now;
  if (opts.statePath && existsSync(opts.statePath)) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(opts.statePath, "utf8"));
    } catch (e) {
      throw new Error(`The sandbox state file ${opts.statePath} is not valid JSON (${(e as Error).message}).`, { cause: e });
    }
    const { estate, warnings } = parseEstate(raw);
    const sandbox = (raw as Partial<SandboxStateFile>).sandbox;
    const file: SandboxStateFile = {
      ...estate,
      sandbox: {
        savedAt: sandbox?.savedAt ?? "",
        operations: Array.isArray(sandbox?.operations) ? sandbox.operations : [],
        faultHits: Array.isArray(sandbox?.faultHits) ? sandbox.faultHits : [],
        faultMatches: Array.isArray(sandbox?.faultMatches) ? sandbox.faultMatches : [],
      },
    };
    return { state: SandboxState.fromStateFile(file, now), fromStateFile: true, warnings: warnings.filter((w) => !/\bsandbox\b/.test(w)) };
  }
  if (!opts.estate) throw new Error("The sandbox needs an estate (or an existing state file).");
  return { state: new SandboxState(structuredClone(opts.estate), now), fromStateFile: false, warnings: [] };
}

/** Write the state file atomically: complete temp file (0600), fsync, rename over the old one. */
export function saveStateFile(state: SandboxState, statePath: string): void {
  const dir = path.dirname(path.resolve(statePath));
  mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(statePath)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  const data = Buffer.from(JSON.stringify(state.toStateFile(), null, 2) + "\n");
  const fd = openSync(tmp, "wx", 0o600);
  try {
    let off = 0;
    while (off < data.length) off += writeSync(fd, data, off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, statePath);
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

/**
 * Tracks whether the state changed and writes it. The server flushes before sending each response
 * (so an acknowledged change survives SIGKILL); changes made outside a request are flushed on the
 * next turn of the event loop, and close() flushes whatever is left.
 */
export class StatePersister {
  private dirty = false;
  private timer: NodeJS.Immediate | undefined;

  constructor(private readonly state: SandboxState, private readonly statePath: string | undefined) {}

  changed(): void {
    if (!this.statePath) return;
    this.dirty = true;
    this.timer ??= setImmediate(() => {
      this.timer = undefined;
      this.flush();
    });
  }

  flush(): void {
    if (!this.statePath || !this.dirty) return;
    this.dirty = false;
    saveStateFile(this.state, this.statePath);
  }

  /** Save unconditionally (at start, so the file exists from the first moment). */
  saveNow(): void {
    if (!this.statePath) return;
    this.dirty = false;
    saveStateFile(this.state, this.statePath);
  }

  close(): void {
    if (this.timer) clearImmediate(this.timer);
    this.timer = undefined;
    this.flush();
  }
}
