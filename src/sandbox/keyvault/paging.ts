// Key Vault list paging (keys.json GetKeys / GetKeyVersions: `maxresults` 1–25, "If not specified the service
// will return up to 25 results"; `x-ms-pageable` nextLink). The nextLink is absolute and carries api-version,
// `$skiptoken` and `maxresults`, with the explicit `:443` of Key Vault's own links (GetKeys example). The
// skiptoken is opaque base64 JSON `{NextMarker, TargetLocation}` like Key Vault's; our marker is the sort key
// of the last item served, so a key rotated between pages does not shift the next page.
import { HttpError } from "../http.js";
import { kvError } from "./kv-error.js";

export const KEY_VAULT_MAX_RESULTS = 25;

export interface PageRequest {
  /** Vault host, e.g. contoso-kv.vault.azure.net. */
  host: string;
  /** Path without query, e.g. /keys or /keys/cmk/versions. */
  path: string;
  apiVersion: string;
  query: URLSearchParams;
  /** Page size when the request names none: 25 (keys.json), or the estate's smaller behaviour.pageSize. */
  defaultMax?: number;
}

export function parseMaxResults(query: URLSearchParams, defaultMax = KEY_VAULT_MAX_RESULTS): number {
  const raw = query.get("maxresults");
  if (raw === null || raw === "") return Math.max(1, Math.min(defaultMax, KEY_VAULT_MAX_RESULTS));
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > KEY_VAULT_MAX_RESULTS) {
    throw new HttpError(kvError(400, "BadParameter",
      `Invalid value '${raw}' for parameter 'maxresults'. The value must be between 1 and ${KEY_VAULT_MAX_RESULTS}.`));
  }
  return n;
}

export function encodeSkipToken(marker: string): string {
  return Buffer.from(JSON.stringify({ NextMarker: marker, TargetLocation: 0 })).toString("base64url");
}

export function decodeSkipToken(token: string): string {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (parsed && typeof parsed === "object" && typeof (parsed as { NextMarker?: unknown }).NextMarker === "string") {
      return (parsed as { NextMarker: string }).NextMarker;
    }
  } catch { /* fall through */ }
  throw new HttpError(kvError(400, "BadParameter", "The skip token is invalid."));
}

/** One page of `items` (already sorted by `sortKey`), after the `$skiptoken` marker. */
export function kvPage<T>(items: T[], sortKey: (t: T) => string, req: PageRequest): { value: T[]; nextLink?: string } {
  const max = parseMaxResults(req.query, req.defaultMax);
  const token = req.query.get("$skiptoken");
  const marker = token ? decodeSkipToken(token) : undefined;
  const rest = marker === undefined ? items : items.filter((t) => sortKey(t) > marker);
  const value = rest.slice(0, max);
  // Last page: no nextLink (Key Vault sends null; keys.json types it as a string, so it is left out).
  if (rest.length <= max) return { value };
  const last = sortKey(value[value.length - 1]!);
  const q = `api-version=${encodeURIComponent(req.apiVersion)}&$skiptoken=${encodeSkipToken(last)}&maxresults=${max}`;
  return { value, nextLink: `https://${req.host}:443${req.path}?${q}` };
}
