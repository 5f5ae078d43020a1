import { describe, expect, it } from "vitest";
import { ecCoordinates, expandBytes, rsaModulus } from "./key-material.js";

describe("rsaModulus", () => {
  it.each([2048, 3072, 4096])("is exactly %i bits with the top bit set and odd", (bits) => {
    const n = rsaModulus("kv/cmk/0123456789abcdef0123456789abcdef", bits);
    expect(n.length * 8).toBe(bits);
    expect(n[0]! & 0x80).toBe(0x80);
    expect(n[n.length - 1]! & 1).toBe(1);
    // As the SDK sees it: base64url decoded back to keySize/8 bytes.
    expect(Buffer.from(n.toString("base64url"), "base64url").length * 8).toBe(bits);
  });

  it("is deterministic per seed and differs between versions", () => {
    expect(rsaModulus("kv/k/v1", 2048).equals(rsaModulus("kv/k/v1", 2048))).toBe(true);
    expect(rsaModulus("kv/k/v1", 2048).equals(rsaModulus("kv/k/v2", 2048))).toBe(false);
  });
});

describe("expandBytes", () => {
  it("fills lengths that are not a multiple of the hash size", () => {
    const b = expandBytes("s", 66);
    expect(b.length).toBe(66);
    expect(b.subarray(32).equals(Buffer.alloc(34))).toBe(false);
  });
});

describe("ecCoordinates", () => {
  it.each([["P-256", 32], ["P-384", 48], ["P-521", 66], ["P-256K", 32]] as const)("%s coordinates are %i bytes", (crv, len) => {
    const { x, y } = ecCoordinates("kv/ec/v", crv);
    expect(x.length).toBe(len);
    expect(y.length).toBe(len);
  });
});
