// The run journal NAME.journal.jsonl (DESIGN.md "Files the tool owns"): append-only, one JSON record per
// line, each fsynced before `append` resolves — so whatever the UI or stdout heard of had reached the disk
// first, and a process killed at any instant leaves at most one torn line: the last one, never
// acknowledged to anyone. Reading reports and ignores that torn last line (one that does not parse, or
// lacks its newline and is not a record); any other line that is not a record is a corrupt journal
// (someone edited it): refused (exit 1), never deleted. `seq` continues across runs of the same file.
import { open, readFile, truncate, type FileHandle } from "node:fs/promises";
import path from "node:path";
import type { Clock } from "../azure/limiter-clock.js";
import { UserError } from "../domain/errors.js";
import { JOURNAL_VERSION, type JournalRecord, type JournalRecordType } from "../domain/journal.js";

/** What a caller appends: the journal adds `v`, `seq` and `at`. */
export type JournalEntry = Omit<JournalRecord, "v" | "seq" | "at">;

export interface JournalRead<R = JournalRecord> {
  records: R[];
  /** The last line was incomplete or invalid (a run killed mid-write): it was ignored. */
  tornLastLine: boolean;
  /** 1-based line number of that torn line, null when there is none. */
  tornLineNumber: number | null;
  /** What two runners writing one journal left (interleaved runs, repeated seq), to be said once; [] normally. */
  anomalies: string[];
}

export interface Journal<R = JournalRecord, E = JournalEntry> {
  readonly path: string;
  /** What was found when the journal was opened (a torn last line is cut off before appending). */
  readonly opened: JournalRead<R>;
  /** Appends one record; resolves once it is on disk (fsync). Appends are written in call order. */
  append(entry: E): Promise<R>;
  /** Every record of the file: those read at open and those appended since. */
  records(): R[];
  /** Waits for pending appends, then closes the file. */
  close(): Promise<void>;
}

const TYPES: ReadonlySet<JournalRecordType> = new Set<JournalRecordType>([
  "run-started", "step-started", "step-operation-accepted", "step-succeeded", "step-failed", "step-skipped",
  "run-finished",
]);

/** The first problem of `x` as a journal record, or null when it is one. */
function recordProblem(x: unknown): string | null {
  if (x === null || typeof x !== "object" || Array.isArray(x)) return "not a JSON object";
  const r = x as Record<string, unknown>;
  if (r.v !== JOURNAL_VERSION) return `"v" is ${JSON.stringify(r.v)}, this ahds-migrate reads journal version ${JOURNAL_VERSION}`;
  if (typeof r.seq !== "number" || !Number.isInteger(r.seq) || r.seq < 1) return `"seq" must be an integer ≥ 1`;
  if (typeof r.at !== "string" || Number.isNaN(Date.parse(r.at))) return `"at" must be an ISO-8601 time`;
  if (typeof r.runId !== "string" || r.runId === "") return `"runId" must be a non-empty string`;
  if (typeof r.type !== "string" || !TYPES.has(r.type as JournalRecordType)) return `"type" ${JSON.stringify(r.type)} is not a journal record type`;
  for (const k of ["stepId", "operationUrl", "reason", "planId", "digest"] as const) {
    if (r[k] !== undefined && typeof r[k] !== "string") return `"${k}" must be a string`;
  }
  if (r.type.startsWith("step-") && typeof r.stepId !== "string") return `"stepId" is required for ${r.type}`;
  if (r.attempt !== undefined && (typeof r.attempt !== "number" || !Number.isInteger(r.attempt) || r.attempt < 1)) return `"attempt" must be an integer ≥ 1`;
  if (r.outputs !== undefined) {
    if (r.outputs === null || typeof r.outputs !== "object" || Array.isArray(r.outputs)
      || Object.values(r.outputs).some((v) => typeof v !== "string")) return `"outputs" must be an object of strings`;
  }
  if (r.error !== undefined) {
    const e = r.error as Record<string, unknown> | null;
    if (e === null || typeof e !== "object" || typeof e.code !== "string" || typeof e.message !== "string"
      || (e.requestId !== null && typeof e.requestId !== "string")) return `"error" must be { code, message, requestId }`;
  }
  return null;
}

/**
 * What one kind of journal checks (the apply journal here; the data copy's NAME.sync.jsonl, issue 11): its
 * `v`, the first problem of a value as one of its records, and what two writers left in it. The file rules —
 * append + fsync, a torn last line cut, `seq` across runs, a corrupt middle line refused — are the same.
 */
export interface JournalFormat<R extends { seq: number }> {
  version: number;
  problem(x: unknown): string | null;
  anomalies(records: readonly R[], lineOf: readonly number[]): string[];
}

/** The apply journal, NAME.journal.jsonl. */
export const APPLY_JOURNAL: JournalFormat<JournalRecord> = { version: JOURNAL_VERSION, problem: recordProblem, anomalies: anomaliesOf };

interface Parsed<R = JournalRecord> extends JournalRead<R> {
  /** Byte length of the valid part (where a torn last line starts). */
  validBytes: number;
}

function corrupt(source: string, line: number, problem: string): UserError {
  return new UserError(`${source} line ${line} is not a valid journal record (${problem}): the journal was edited or is corrupt.`,
    ["Restore the journal from a backup, or move it aside and run `ahds-migrate verify` to see what exists in Azure."]);
}

/**
 * Two runners that wrote one journal (a --force-unlock while the first still ran, or a journal of an older
 * ahds-migrate without the lock check) leave runs interleaved and seq repeated or out of order. That is
 * not corruption: every record is still whole and in the order it reached the disk, so replay reads them
 * by line (replay.ts judges conflicting steps). This says what was found, once.
 */
function anomaliesOf(records: readonly JournalRecord[], lineOf: readonly number[]): string[] {
  const out: string[] = [];
  let maxSeq = 0;
  let seqLine: number | null = null;
  let current: string | null = null;
  const started = new Set<string>();
  const interleaved = new Set<string>();
  let interleavedFrom: number | null = null;
  records.forEach((r, i) => {
    if (r.seq <= maxSeq && seqLine === null) seqLine = lineOf[i]!;
    maxSeq = Math.max(maxSeq, r.seq);
    if (r.type === "run-started") { started.add(r.runId); current = r.runId; return; }
    if (current !== null && r.runId !== current && started.has(r.runId)) {
      interleaved.add(r.runId).add(current);
      interleavedFrom ??= lineOf[i]!;
    }
  });
  if (interleaved.size > 0) {
    out.push(`records of ${interleaved.size} runs (${[...interleaved].map((id) => id.slice(0, 8)).join(", ")}) are interleaved from line ${interleavedFrom}: `
      + "two runners wrote this journal at once; replay reads them in line order and checks steps they disagree on against Azure");
  }
  if (seqLine !== null) out.push(`"seq" repeats or goes back at line ${seqLine}: replay reads the records in line order`);
  return out;
}

function parse<R extends { seq: number }>(buf: Buffer, source: string, format: JournalFormat<R>): Parsed<R> {
  const { problem: recordProblem, anomalies: anomaliesOf } = format;
  const records: R[] = [];
  const lineOf: number[] = [];
  // Lines by byte offset, so a torn tail can be cut off exactly.
  const lines: { start: number; end: number }[] = [];
  let start = 0;
  while (start < buf.length) {
    const nl = buf.indexOf(0x0a, start);
    const end = nl < 0 ? buf.length : nl + 1;
    lines.push({ start, end });
    start = end;
  }
  // Trailing blank lines are not records; a blank line before a record is corruption (we never write one).
  let last = lines.length - 1;
  while (last >= 0 && buf.subarray(lines[last]!.start, lines[last]!.end).toString("utf8").trim() === "") last--;
  let validBytes = 0;
  for (let i = 0; i <= last; i++) {
    const { start: s, end: e } = lines[i]!;
    const text = buf.subarray(s, e).toString("utf8").trim();
    const complete = buf[e - 1] === 0x0a;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      // Torn: the last line, cut mid-write by a kill (never acknowledged to anyone). Elsewhere: corrupt.
      if (i === last) return { records, tornLastLine: true, tornLineNumber: i + 1, validBytes, anomalies: anomaliesOf(records, lineOf) };
      throw corrupt(source, i + 1, "not JSON");
    }
    const problem = recordProblem(value);
    if (problem !== null) {
      // JSON that is not a record is torn only when its newline never made it (cut right at a brace);
      // a complete line that is not a record was written by someone else: refused, never deleted.
      if (i === last && !complete) return { records, tornLastLine: true, tornLineNumber: i + 1, validBytes, anomalies: anomaliesOf(records, lineOf) };
      throw corrupt(source, i + 1, problem);
    }
    records.push(value as R);
    lineOf.push(i + 1);
    validBytes = e;
  }
  return { records, tornLastLine: false, tornLineNumber: null, validBytes: last < 0 ? 0 : validBytes, anomalies: anomaliesOf(records, lineOf) };
}

/** Reads the journal at `path` (no journal yet: no records). Throws UserError (exit 1) for a corrupt journal. */
export async function readJournal(path: string): Promise<JournalRead> {
  return readJournalOf(path, APPLY_JOURNAL);
}

/** readJournal for any journal format. */
export async function readJournalOf<R extends { seq: number }>(path: string, format: JournalFormat<R>): Promise<JournalRead<R>> {
  const { records, tornLastLine, tornLineNumber, anomalies } = await readParsed(path, format);
  return { records, tornLastLine, tornLineNumber, anomalies };
}

async function readParsed<R extends { seq: number }>(file: string, format: JournalFormat<R>): Promise<Parsed<R>> {
  let buf: Buffer;
  try {
    buf = await readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { records: [], tornLastLine: false, tornLineNumber: null, validBytes: 0, anomalies: [] };
    throw err;
  }
  return parse(buf, file, format);
}

export interface OpenJournalOptions {
  clock: Pick<Clock, "now">;
  /**
   * Awaited before every record is written, in order: a runner whose lock was taken over (lock.ts
   * `assertHeld`) throws here, so it writes nothing more (Terraform: a forced unlock makes the old holder
   * fail at its next write). A throw breaks the journal: every later append rejects with it.
   */
  beforeAppend?: () => Promise<void>;
}

/**
 * Opens (creating if missing) the journal for appending. A torn last line is cut off first: appending after
 * it would turn it into a corrupt middle line. The caller reports `opened.tornLastLine`.
 */
export async function openJournal(file: string, o: OpenJournalOptions): Promise<Journal> {
  return openJournalOf<JournalRecord, JournalEntry>(file, APPLY_JOURNAL, o);
}

/** openJournal for any journal format: `E` is what a caller appends, the journal adds `v`, `seq` and `at`. */
export async function openJournalOf<R extends { seq: number }, E extends object>(file: string, format: JournalFormat<R>, o: OpenJournalOptions): Promise<Journal<R, E>> {
  const opened = await readParsed(file, format);
  if (opened.tornLastLine) await truncate(file, opened.validBytes);
  const fh: FileHandle = await open(file, "a", 0o644);
  try {
    // A journal that ends without its newline (killed between the record and "\n" — the record itself is
    // complete) gets the newline before anything is appended after it.
    const size = (await fh.stat()).size;
    if (size > 0) {
      const tail = Buffer.alloc(1);
      const rd = await open(file, "r");
      try { await rd.read(tail, 0, 1, size - 1); } finally { await rd.close(); }
      if (tail[0] !== 0x0a) { await fh.writeFile("\n"); await fh.sync(); }
    } else {
      await syncDir(path.dirname(path.resolve(file)));
    }
  } catch (err) {
    await fh.close();
    throw err;
  }

  const all: R[] = [...opened.records];
  // Above every seq of the file (after two writers the last line's need not be the highest).
  let nextSeq = all.reduce((m, r) => Math.max(m, r.seq), 0) + 1;
  let tail: Promise<unknown> = Promise.resolve();
  let broken: unknown = null;
  let closed = false;

  return {
    path: file,
    opened: { records: opened.records, tornLastLine: opened.tornLastLine, tornLineNumber: opened.tornLineNumber, anomalies: opened.anomalies },
    append(entry) {
      if (closed) return Promise.reject(new Error(`The journal ${file} is closed.`));
      // seq and order are fixed at call time; the writes are chained, so concurrent appends land in order.
      const rec = { v: format.version, seq: nextSeq++, at: new Date(o.clock.now()).toISOString(), ...entry } as unknown as R;
      const line = `${JSON.stringify(rec)}\n`;
      const done = tail.then(async () => {
        // After a failed write the file's end is unknown: refuse every later record rather than guess.
        if (broken !== null) throw broken;
        try {
          await o.beforeAppend?.();
          await fh.writeFile(line);
          await fh.sync();
        } catch (err) {
          broken = err;
          throw err;
        }
        all.push(rec);
        return rec;
      });
      tail = done.catch(() => undefined);
      return done;
    },
    records: () => [...all],
    async close() {
      if (closed) return;
      closed = true;
      await tail;
      await fh.close();
    },
  };
}

async function syncDir(dir: string): Promise<void> {
  try {
    const d = await open(dir, "r");
    try { await d.sync(); } finally { await d.close(); }
  } catch {
    // Some file systems refuse fsync on a directory; the file's own fsync still holds its records.
  }
}
