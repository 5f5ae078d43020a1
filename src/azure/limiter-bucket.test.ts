import { describe, expect, it } from "vitest";
import { TokenBucket } from "./limiter-bucket.js";

describe("TokenBucket", () => {
  it("starts full, then asks to wait one refill interval per missing token", () => {
    const b = new TokenBucket(3, 2, 0);
    expect([b.take(0), b.take(0), b.take(0)]).toEqual([0, 0, 0]);
    expect(b.take(0)).toBe(500);
    expect(b.take(499)).toBe(1);
    expect(b.take(500)).toBe(0);
  });

  it("refills at its rate up to its size, not beyond", () => {
    const b = new TokenBucket(3, 2, 0);
    for (let i = 0; i < 3; i++) b.take(0);
    expect(b.available(1000)).toBe(2);
    expect(b.available(60_000)).toBe(3);
  });

  it("is lowered by ARM's remaining count minus the other requests in flight, never raised", () => {
    const b = new TokenBucket(250, 25, 0);
    b.clamp(10, 4, 0);
    expect(b.available(0)).toBe(6);
    b.clamp(200, 0, 0);
    expect(b.available(0)).toBe(6);
    b.clamp(0, 3, 0);
    expect(b.available(0)).toBe(-3);
    expect(b.take(0)).toBe(160); // 4 tokens of debt + 1 at 25/s
  });

  it("gives nothing before a Retry-After pause ends, one token when it ends, then refills from there", () => {
    const b = new TokenBucket(20, 5, 0);
    b.pause(2000, 100);
    expect(b.take(1999)).toBe(1);
    expect(b.take(2000)).toBe(0);
    expect(b.take(2000)).toBe(200);
    expect(b.take(2200)).toBe(0);
  });

  it("keeps the later of two pauses", () => {
    const b = new TokenBucket(20, 5, 0);
    b.pause(3000, 0);
    b.pause(1000, 0);
    expect(b.take(2000)).toBe(1000);
  });
});
