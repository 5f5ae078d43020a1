import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { JournalRecord } from "../domain/journal.js";
import { openJournal, readJournal } from "./journal.js";

const clock = (start = Date.UTC(2026, 0, 2, 3, 4, 5)) => {
  let t = start;
  return { now: () => t++ };
};

function journalPath(): string {
  return join(mkdtempSync(join(tmpdir(), "ahds-journal-")), "wave.journal.jsonl");
}

function lines(path: string): JournalRecord[] {
  return readFileSync(path, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as JournalRecord);
}

const rec = (seq: number, extra: Partial<JournalRecord> = {}): JournalRecord =>
  ({ v: 1, seq, at: "2026-01-01T00:00:00.000Z", runId: "run-a", type: "step-started", stepId: "a/ensure-workspace", attempt: 1, ...extra });

describe("openJournal / append", () => {
  it("adds v, seq and the clock's time, and the line is in the file when append resolves", async () => {
    const path = journalPath();
    const j = await openJournal(path, { clock: clock() });
    const r1 = await j.append({ runId: "run-a", type: "run-started" });
    expect(lines(path)).toEqual([r1]);
    const r2 = await j.append({ runId: "run-a", type: "step-started", stepId: "s1", attempt: 1 });
    expect(lines(path)).toEqual([r1, r2]);
    expect(r1).toEqual({ v: 1, seq: 1, at: "2026-01-02T03:04:05.000Z", runId: "run-a", type: "run-started" });
    expect(r2.seq).toBe(2);
    expect(r2.at).toBe("2026-01-02T03:04:05.001Z");
    await j.close();
    expect((await readJournal(path)).records).toEqual([r1, r2]);
    expect(j.records()).toEqual([r1, r2]);
  });

  it("continues seq across a reopen of the same file (a resume is a new run)", async () => {
    const path = journalPath();
    const a = await openJournal(path, { clock: clock() });
    await a.append({ runId: "run-a", type: "run-started" });
    await a.append({ runId: "run-a", type: "run-finished", reason: "interrupted" });
    await a.close();
    const b = await openJournal(path, { clock: clock() });
    expect(b.opened.records.map((r) => r.seq)).toEqual([1, 2]);
    const r3 = await b.append({ runId: "run-b", type: "run-started", reason: "resume" });
    expect(r3.seq).toBe(3);
    expect(b.records().map((r) => r.seq)).toEqual([1, 2, 3]);
    await b.close();
    expect(lines(path).map((r) => [r.seq, r.runId])).toEqual([[1, "run-a"], [2, "run-a"], [3, "run-b"]]);
  });

  it("writes concurrent appends one after another, in call order, each whole", async () => {
    const path = journalPath();
    const j = await openJournal(path, { clock: clock() });
    const pending = Array.from({ length: 40 }, (_, i) => j.append({ runId: "run-a", type: "step-started", stepId: `s${i}`, attempt: 1 }));
    const done = await Promise.all(pending);
    await j.close();
    expect(done.map((r) => r.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(lines(path)).toEqual(done);
    expect(done.map((r) => r.stepId)).toEqual(Array.from({ length: 40 }, (_, i) => `s${i}`));
  });

  it("cuts off a torn last line before appending, so it never becomes a corrupt middle line", async () => {
    const path = journalPath();
    writeFileSync(path, `${JSON.stringify(rec(1))}\n${JSON.stringify(rec(2, { type: "step-succeeded", reason: "created" }))}\n{"v":1,"seq":3,"at":"20`);
    const j = await openJournal(path, { clock: clock() });
    expect(j.opened.tornLastLine).toBe(true);
    expect(j.opened.tornLineNumber).toBe(3);
    const r3 = await j.append({ runId: "run-b", type: "run-started", reason: "resume" });
    await j.close();
    expect(r3.seq).toBe(3);
    const again = await readJournal(path);
    expect(again.tornLastLine).toBe(false);
    expect(again.records.map((r) => r.seq)).toEqual([1, 2, 3]);
  });

  it("keeps a complete last record that lost only its newline, and appends after it on a new line", async () => {
    const path = journalPath();
    writeFileSync(path, `${JSON.stringify(rec(1))}\n${JSON.stringify(rec(2))}`);
    const j = await openJournal(path, { clock: clock() });
    expect(j.opened.tornLastLine).toBe(false);
    await j.append({ runId: "run-b", type: "run-started" });
    await j.close();
    expect(lines(path).map((r) => r.seq)).toEqual([1, 2, 3]);
  });

  it("beforeAppend runs before every write; once it throws, that record and every later one are refused and nothing is written", async () => {
    const path = journalPath();
    let held = true;
    const j = await openJournal(path, { clock: clock(), beforeAppend: async () => { if (!held) throw new Error("lock lost"); } });
    await j.append({ runId: "run-a", type: "run-started" });
    held = false;
    await expect(j.append({ runId: "run-a", type: "step-started", stepId: "s", attempt: 1 })).rejects.toThrow("lock lost");
    held = true;
    await expect(j.append({ runId: "run-a", type: "run-finished" })).rejects.toThrow("lock lost");
    await j.close();
    expect(lines(path).map((r) => r.type)).toEqual(["run-started"]);
  });

  it("refuses appends after close", async () => {
    const j = await openJournal(journalPath(), { clock: clock() });
    await j.close();
    await expect(j.append({ runId: "r", type: "run-started" })).rejects.toThrow(/closed/);
  });
});

describe("readJournal", () => {
  it("reads no records when there is no journal yet", async () => {
    expect(await readJournal(journalPath())).toEqual({ records: [], tornLastLine: false, tornLineNumber: null, anomalies: [] });
  });

  it("reports and ignores a torn last line (not JSON, or JSON without its newline that is not a record)", async () => {
    const path = journalPath();
    writeFileSync(path, `${JSON.stringify(rec(1))}\n{"v":1,"seq":2,"runId":"ru`);
    expect(await readJournal(path)).toEqual({ records: [rec(1)], tornLastLine: true, tornLineNumber: 2, anomalies: [] });
    writeFileSync(path, `${JSON.stringify(rec(1))}\n${JSON.stringify({ v: 1, seq: 2 })}`);
    expect(await readJournal(path)).toMatchObject({ records: [rec(1)], tornLastLine: true, tornLineNumber: 2 });
    // NULs a crash can leave at the end of a file (delayed allocation) are a torn tail too.
    writeFileSync(path, `${JSON.stringify(rec(1))}\n\0\0\0\0`);
    expect(await readJournal(path)).toMatchObject({ records: [rec(1)], tornLastLine: true });
  });

  it("refuses a complete last line that is JSON but not a record, and never truncates it away", async () => {
    const path = journalPath();
    const text = `${JSON.stringify(rec(1))}\n${JSON.stringify({ ...rec(2), type: "step-exploded" })}\n`;
    writeFileSync(path, text);
    await expect(readJournal(path)).rejects.toThrow(/line 2 is not a valid journal record \("type" "step-exploded"/);
    await expect(openJournal(path, { clock: clock() })).rejects.toMatchObject({ name: "UserError" });
    expect(readFileSync(path, "utf8")).toBe(text);
  });

  it("refuses a corrupt line before the last one with a UserError (exit 1) naming the line", async () => {
    const path = journalPath();
    writeFileSync(path, `${JSON.stringify(rec(1))}\n{"v":1,"seq":2,"at\n${JSON.stringify(rec(3))}\n`);
    const err = await readJournal(path).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "UserError" });
    expect((err as Error).message).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} line 2 is not a valid journal record \\(not JSON\\)`));
  });

  it("refuses a seq that is not a positive integer, an unknown type or a step record without stepId, before the last line", async () => {
    const path = journalPath();
    const cases: [JournalRecord | Record<string, unknown>, RegExp][] = [
      [{ ...rec(2), seq: 0 }, /line 2 .*"seq" must be an integer ≥ 1/],
      [{ ...rec(2), type: "step-exploded" }, /line 2 .*"type" "step-exploded"/],
      [{ ...rec(2), stepId: undefined }, /line 2 .*"stepId" is required for step-started/],
      [{ ...rec(2), v: 2 }, /line 2 .*journal version 1/],
      [{ ...rec(2), error: { code: "X" } }, /line 2 .*"error"/],
    ];
    for (const [bad, message] of cases) {
      writeFileSync(path, [rec(1), bad, rec(5)].map((r) => JSON.stringify(r)).join("\n") + "\n");
      await expect(readJournal(path)).rejects.toThrow(message);
    }
  });

  it("reads what another process appended (the file is the truth, not memory)", async () => {
    const path = journalPath();
    const j = await openJournal(path, { clock: clock() });
    await j.append({ runId: "run-a", type: "run-started" });
    appendFileSync(path, `${JSON.stringify(rec(2, { runId: "run-a" }))}\n`);
    await j.close();
    expect((await readJournal(path)).records.map((r) => r.seq)).toEqual([1, 2]);
  });
});
