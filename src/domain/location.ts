// Azure location names: ARM compares them case- and space-insensitively ("West Europe" = westeurope), and
// provider metadata lists display names. One normal form for every layer that compares them.

/** "West Europe" → "westeurope". */
export function normalizeLocation(location: string): string {
  return location.replace(/\s+/g, "").toLowerCase();
}

export function sameLocation(a: string, b: string): boolean {
  return normalizeLocation(a) === normalizeLocation(b);
}
