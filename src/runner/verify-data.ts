// `verify --data` (issue 11 §4, the surface check): per planned account and resource type, the current
// resources (`{T}?_summary=count`) and every version, deletes included (`{T}/_history?_summary=count`), on
// both sides. The version counts are bounded by the account's watermark (`_before` = the last committed
// `_till` + 1 ms, since `_till` is inclusive), so they must agree after every committed round even while the
// source is live; the current counts agree only once writers have stopped (after `sync --final`). The types
// are those the source's CapabilityStatement lists (fhir-server lists every type it serves).
import type { FhirClient } from "../azure/clients.js";
import type { SyncAccount } from "./sync-run.js";

export interface TypeCount {
  account: string;
  type: string;
  current: { source: number; target: number };
  versions: { source: number; target: number };
}

export interface DataCheck {
  rows: TypeCount[];
  /** Rows whose counts differ, in row order. */
  differences: TypeCount[];
  /** What could not be counted (a status other than 200), per account. */
  unreadable: string[];
}

export async function verifyData(accounts: readonly SyncAccount[], watermarks: ReadonlyMap<string, string | null>): Promise<DataCheck> {
  const rows: TypeCount[] = [];
  const unreadable: string[] = [];
  for (const a of accounts) {
    const types = await typesOf(a.source);
    if (types === null) { unreadable.push(`${a.name}: the source's /metadata could not be read`); continue; }
    const watermark = watermarks.get(a.id.toLowerCase()) ?? null;
    const before = watermark ? `&_before=${encodeURIComponent(new Date(Date.parse(watermark) + 1).toISOString())}` : "";
    for (const type of types) {
      const count = async (client: FhirClient, q: string, side: string): Promise<number> => {
        const r = await client.request("GET", `/${type}${q}`);
        const total = (r.body as { total?: unknown } | undefined)?.total;
        if (r.status !== 200 || typeof total !== "number") { unreadable.push(`${a.name}: ${type} on the ${side} answered ${r.status}`); return NaN; }
        return total;
      };
      const row: TypeCount = {
        account: a.name, type,
        current: { source: await count(a.source, "?_summary=count", "source"), target: await count(a.target, "?_summary=count", "target") },
        versions: { source: await count(a.source, `/_history?_summary=count${before}`, "source"), target: await count(a.target, `/_history?_summary=count${before}`, "target") },
      };
      if (row.current.source + row.current.target + row.versions.source + row.versions.target > 0 || Number.isNaN(row.current.source)) rows.push(row);
    }
  }
  const differences = rows.filter((r) => r.current.source !== r.current.target || r.versions.source !== r.versions.target);
  return { rows, differences, unreadable };
}

async function typesOf(client: FhirClient): Promise<string[] | null> {
  const r = await client.request("GET", "/metadata");
  const rest = (r.body as { rest?: { resource?: { type?: string }[] }[] } | undefined)?.rest?.[0];
  if (r.status !== 200 || !rest) return null;
  return [...new Set((rest.resource ?? []).map((x) => x.type).filter((t): t is string => typeof t === "string"))].sort();
}
