// The --state file: the sandbox's Azure as it is now, so that a run killed with SIGKILL and resumed
// sees the same Azure (DESIGN.md "The sandbox"). An existing state file wins over the estate. Saves
// are synchronous and atomic (temp file, fsync, rename, mode 0600): a killed sandbox leaves the
// last complete file, and a response is only sent after the change it reports is on disk.
import { existsSync, readFileSync } from "node:fs";
import { writeFileAtomic } from "./atomic-file.js";
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

/** Write the state file atomically (atomic-file.ts), mode 0600. */
export function saveStateFile(state: SandboxState, statePath: string): void {
  writeFileAtomic(statePath, JSON.stringify(state.toStateFile(), null, 2) + "\n");
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
