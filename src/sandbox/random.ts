// Seeded random source (mulberry32) so that fault `rate` rules give the same hits on every run with
// the same behaviour.seed — benchmarks and flaky-network tests must be reproducible.

/** A PRNG in [0, 1) from a 32-bit seed. */
export function seededRandom(seed: number): () => number {
  let a = (Math.trunc(seed) >>> 0) || 0x9e3779b9;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
