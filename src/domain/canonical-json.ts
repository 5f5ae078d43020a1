// RFC 8785 JSON Canonicalization Scheme (JCS): the one serialization plan digests and fingerprint hashes are
// computed over, so the same value always hashes the same. JCS = ECMAScript JSON.stringify for strings and
// numbers (RFC 8785 §3.2.2.2, §3.2.2.3), object members sorted by the UTF-16 code units of their names
// (§3.2.3), no whitespace. I-JSON input only (§3.1): non-finite numbers and lone surrogates are refused.
// node:crypto is not I/O, so this stays in src/domain.
import { createHash } from "node:crypto";

export class CanonicalJsonError extends Error {
  override readonly name = "CanonicalJsonError";
}

// A UTF-16 surrogate half without its partner (RFC 8785 §3.1: "MUST … terminate with an error").
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function str(s: string, path: string): string {
  if (LONE_SURROGATE.test(s)) throw new CanonicalJsonError(`${path}: string holds a lone surrogate (not I-JSON)`);
  return JSON.stringify(s);
}

function serialize(value: unknown, path: string): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean": return value ? "true" : "false";
    case "number":
      if (!Number.isFinite(value)) throw new CanonicalJsonError(`${path}: ${String(value)} is not a JSON number`);
      // ECMAScript Number.prototype.toString is exactly RFC 8785's number serialization; -0 becomes "0".
      return JSON.stringify(value);
    case "string": return str(value, path);
    case "object": break;
    default: throw new CanonicalJsonError(`${path}: ${typeof value} is not a JSON value`);
  }
  if (Array.isArray(value)) {
    return `[${value.map((v, i) => {
      if (v === undefined) throw new CanonicalJsonError(`${path}[${i}]: undefined is not a JSON value`);
      return serialize(v, `${path}[${i}]`);
    }).join(",")}]`;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) {
    throw new CanonicalJsonError(`${path}: only plain objects and arrays are JSON (got ${(value as object).constructor?.name ?? "object"})`);
  }
  // Default sort compares UTF-16 code units, which is what RFC 8785 §3.2.3 prescribes.
  const names = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined).sort();
  return `{${names.map((k) => `${str(k, path)}:${serialize((value as Record<string, unknown>)[k], `${path}.${k}`)}`).join(",")}}`;
}

/** RFC 8785 canonical JSON of `value`. Object members that are `undefined` are left out (as JSON.stringify does). */
export function canonicalJson(value: unknown): string {
  return serialize(value, "$");
}

/** SHA-256 of the UTF-8 bytes of `text`, lower-case hex. */
export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}
