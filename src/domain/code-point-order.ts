// Sort order that does not depend on the locale (issue 8: plan determinism): UTF-16 code units, what
// Array.prototype.sort does by default. localeCompare would order "é" differently per ICU locale.

/** -1, 0 or 1 by UTF-16 code units, whatever the locale. */
export function codePointCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
