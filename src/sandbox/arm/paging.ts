// ARM list paging: `{ value, nextLink }` where nextLink is absolute, on the ARM host, keeps the request's
// query (api-version included — classic clients GET it verbatim and add nothing, SDK-RECIPE §5) and adds
// a `$skiptoken` (the offset). Page size: behaviour.pageSize, or `$top` / the route's own size when smaller.
import type { ArmCall } from "./route.js";

function queryValue(q: URLSearchParams, name: string): string | undefined {
  const n = name.toLowerCase();
  for (const [k, v] of q) if (k.toLowerCase() === n) return v;
  return undefined;
}

export function pageOf<T>(items: T[], call: ArmCall, pageSize?: number): { value: T[]; nextLink?: string } {
  const q = call.req.query;
  const skip = Math.max(0, Number.parseInt(queryValue(q, "$skiptoken") ?? "0", 10) || 0);
  let size = Math.max(1, call.ctx.state.behaviour.pageSize);
  if (pageSize !== undefined && pageSize > 0) size = Math.min(size, pageSize);
  const top = Number.parseInt(queryValue(q, "$top") ?? "", 10);
  if (Number.isFinite(top) && top > 0) size = Math.min(size, top);
  const value = items.slice(skip, skip + size);
  if (skip + size >= items.length) return { value };
  const parts: string[] = [];
  for (const [k, v] of q) {
    if (k.toLowerCase() === "$skiptoken") continue;
    parts.push(`${encodeName(k)}=${encodeURIComponent(v)}`);
  }
  parts.push(`$skiptoken=${skip + size}`);
  return { value, nextLink: `${call.baseUrl}${call.req.path}?${parts.join("&")}` };
}

/** Keep `$` and `-` literal in names, as Azure writes them (`$filter`, `api-version`). */
function encodeName(k: string): string {
  return encodeURIComponent(k).replace(/%24/g, "$");
}
