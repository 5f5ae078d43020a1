import { describe, expect, it } from "vitest";
import { startGate } from "./start-gate.js";

function deferred() {
  let resolve!: (v: string) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<string>((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

describe("startGate", () => {
  it("starts at most `limit` at once, the next in arrival order as one finishes, and passes results and errors through", async () => {
    const gate = startGate(2);
    const started: number[] = [];
    const jobs = [0, 1, 2, 3].map(() => deferred());
    const results = jobs.map((j, i) => gate(() => { started.push(i); return j.promise; }));
    expect(started).toEqual([0, 1]);
    jobs[1]!.resolve("b");
    await expect(results[1]).resolves.toBe("b");
    expect(started).toEqual([0, 1, 2]);
    jobs[0]!.reject(new Error("a failed"));
    await expect(results[0]).rejects.toThrow("a failed");
    expect(started).toEqual([0, 1, 2, 3]);
    jobs[2]!.resolve("c");
    jobs[3]!.resolve("d");
    await expect(Promise.all(results.slice(2))).resolves.toEqual(["c", "d"]);
  });

  it("a start that throws frees its place", async () => {
    const gate = startGate(1);
    await expect(gate(() => { throw new Error("no"); })).rejects.toThrow("no");
    await expect(gate(() => Promise.resolve("next"))).resolves.toBe("next");
  });
});
