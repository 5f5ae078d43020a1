import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { childSignal } from "./signal-fanout.js";

describe("childSignal", () => {
  it("hangs one listener on the shared signal for a thousand children, and aborts the live ones with its reason", () => {
    const shared = new AbortController();
    const kids = Array.from({ length: 1000 }, () => childSignal(shared.signal));
    expect(getEventListeners(shared.signal, "abort")).toHaveLength(1);
    kids[0]!.release();
    const reason = new Error("stop");
    shared.abort(reason);
    expect(kids[0]!.signal.aborted).toBe(false);
    expect(kids.slice(1).every((k) => k.signal.aborted && k.signal.reason === reason)).toBe(true);
  });

  it("a child of an aborted signal starts aborted; children of different signals are independent", () => {
    const done = new AbortController();
    done.abort("gone");
    expect(childSignal(done.signal).signal.reason).toBe("gone");
    const a = new AbortController();
    const b = new AbortController();
    const ka = childSignal(a.signal);
    const kb = childSignal(b.signal);
    a.abort();
    expect([ka.signal.aborted, kb.signal.aborted]).toEqual([true, false]);
  });
});
