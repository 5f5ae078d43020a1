// Public key material for the JWKs the sandbox returns. Not real keys: deterministic bytes derived from
// vault/key/version so that a key reads the same on every run and after a restart, with the properties
// clients rely on — an RSA modulus of exactly keySize/8 bytes with the top bit set (the SDK derives the size
// as `key.n.length * 8`, azure-facts §5.2) and e = 65537.
import { createHash } from "node:crypto";

/** `length` bytes of SHA-256 counter-mode expansion of `seed`. */
export function expandBytes(seed: string, length: number): Buffer {
  const out = Buffer.alloc(length);
  let filled = 0;
  for (let counter = 0; filled < length; counter++) {
    const block = createHash("sha256").update(`${seed}#${counter}`).digest();
    filled += block.copy(out, filled, 0, Math.min(block.length, length - filled));
  }
  return out;
}

/** RSA modulus of `keySizeBits` bits: top bit set (full length), odd (a product of odd primes). */
export function rsaModulus(seed: string, keySizeBits: number): Buffer {
  const n = expandBytes(`${seed}/n`, Math.ceil(keySizeBits / 8));
  n[0] = n[0]! | 0x80;
  n[n.length - 1] = n[n.length - 1]! | 0x01;
  return n;
}

/** Coordinate length in bytes per JWK curve (RFC 7518 §6.2.1.2, P-256K per keys.json JsonWebKeyCurveName). */
export const EC_COORDINATE_BYTES: Record<string, number> = { "P-256": 32, "P-256K": 32, "P-384": 48, "P-521": 66 };

export function ecCoordinates(seed: string, crv: string): { x: Buffer; y: Buffer } {
  const len = EC_COORDINATE_BYTES[crv] ?? 32;
  return { x: expandBytes(`${seed}/x`, len), y: expandBytes(`${seed}/y`, len) };
}

export function base64url(b: Buffer): string {
  return b.toString("base64url");
}
