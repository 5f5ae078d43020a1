import { describe, expect, it } from "vitest";
import { DEFAULT_BEHAVIOUR, type Estate } from "./estate-types.js";
import { SandboxState } from "./state.js";
import { takeToken } from "./throttle.js";

function stateWith(throttle: Partial<Estate["behaviour"]["throttle"]>, clock: { t: number }): SandboxState {
  const estate: Estate = {
    formatVersion: 1, cloud: "AzureCloud", tenants: [], principals: [], caller: { tenantId: "t", clientId: "c", clientSecret: "s" },
    subscriptions: [], resourceGroups: [], resources: [], keys: [],
    behaviour: { ...structuredClone(DEFAULT_BEHAVIOUR), throttle: { ...DEFAULT_BEHAVIOUR.throttle, ...throttle } },
  };
  return new SandboxState(estate, () => clock.t);
}

describe("takeToken", () => {
  it("empties a bucket, then asks to retry after the time one token needs, and refills from the clock", () => {
    const clock = { t: 1_000_000 };
    const s = stateWith({ reads: [3, 0.5] }, clock);
    expect(takeToken(s, "sub", "p", "read")).toEqual({ allowed: true, remaining: 2, retryAfterSeconds: 0 });
    expect(takeToken(s, "sub", "p", "read").remaining).toBe(1);
    expect(takeToken(s, "sub", "p", "read").remaining).toBe(0);
    expect(takeToken(s, "sub", "p", "read")).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 2 });
    clock.t += 1000; // half a token back
    expect(takeToken(s, "sub", "p", "read")).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 1 });
    clock.t += 1000;
    expect(takeToken(s, "sub", "p", "read").allowed).toBe(true);
    clock.t += 60_000; // never more than the bucket size
    expect(takeToken(s, "sub", "p", "read").remaining).toBe(2);
  });

  it("keeps separate buckets per subscription, principal and kind", () => {
    const clock = { t: 0 };
    const s = stateWith({ reads: [1, 1], writes: [1, 1], deletes: [1, 1] }, clock);
    expect(takeToken(s, "sub", "p", "read").allowed).toBe(true);
    expect(takeToken(s, "sub", "p", "read").allowed).toBe(false);
    expect(takeToken(s, "SUB", "p", "read").allowed).toBe(false); // subscription ids compare case-insensitively
    expect(takeToken(s, "sub2", "p", "read").allowed).toBe(true);
    expect(takeToken(s, "sub", "q", "read").allowed).toBe(true);
    expect(takeToken(s, "sub", "p", "write").allowed).toBe(true);
    expect(takeToken(s, "sub", "p", "delete").allowed).toBe(true);
  });

  it("retries after at least one second even when a token is a few ms away", () => {
    const clock = { t: 0 };
    const s = stateWith({ writes: [1, 100] }, clock);
    takeToken(s, "sub", "p", "write");
    clock.t += 5;
    expect(takeToken(s, "sub", "p", "write")).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 1 });
  });
});
