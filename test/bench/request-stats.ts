// What the benchmark reads off the sandbox: each answered request classified by host and operation
// (from its method, host and path, as the request log and onResponse see it), counts per class, reads per
// distinct vault / key, and the timeline (span, concurrency, per-class first/last answer) of one window.
import type { RequestLogEntry } from "../../src/sandbox/request-log.js";

/** One answered tunneled request, timed by the parent's performance.now() when its response was written. */
export interface TimedResponse { t: number; method: string; host: string; path: string; query: Record<string, string>; status: number }

export type HostGroup = "token" | "arm" | "keyvault" | "graph" | "other";

export function hostGroup(host: string): HostGroup {
  const h = host.toLowerCase();
  if (h.startsWith("login.")) return "token";
  if (h.startsWith("management.")) return "arm";
  if (h.startsWith("graph.")) return "graph";
  if (/\.vault\.(azure\.net|usgovcloudapi\.net)$/.test(h)) return "keyvault";
  return "other";
}

/** The operation a request stands for, e.g. "arm vault GET", "kv getKey", "kv 401 challenge". */
export function operationOf(r: { method: string; host: string; path: string; query: Record<string, string>; status: number }): string {
  const g = hostGroup(r.host);
  const p = r.path.toLowerCase();
  if (g === "token") return p.includes("/oauth2/") && p.endsWith("/token") ? "token" : "entra metadata";
  if (g === "graph") return p.includes("getbyids") ? "graph getByIds" : "graph other";
  if (g === "keyvault") {
    if (r.status === 401) return "kv 401 challenge";
    if (/^\/keys\/[^/]+\/versions$/.test(p)) return r.query["$skiptoken"] ? "kv versions next page" : "kv versions listing";
    // getKey of the current version is sent as `/keys/{name}/` (empty version segment).
    if (/^\/keys\/[^/]+(\/[^/]*)?$/.test(p)) return "kv getKey";
    return `kv ${r.method} other`;
  }
  if (g !== "arm") return "other";
  if (p.endsWith("/providers/microsoft.authorization/permissions")) return "arm permissions";
  if (p.includes("/providers/microsoft.authorization/roleassignments")) return "arm roleAssignments";
  if (/^\/subscriptions(\/[^/]+)?$/.test(p)) return "arm subscriptions";
  if (/^\/subscriptions\/[^/]+\/providers\/microsoft\.healthcareapis$/.test(p)) return "arm provider metadata";
  if (p.includes("/providers/microsoft.authorization/roledefinitions/")) return "arm roleDefinition GET";
  if (p.includes("/providers/microsoft.healthcareapis/services")) return "arm services list";
  if (p.includes("/fhirservices")) return "arm fhirservices list";
  if (p.includes("/providers/microsoft.healthcareapis/workspaces")) return "arm workspaces list";
  if (/\/providers\/microsoft\.keyvault\/vaults\/[^/]+$/.test(p)) return "arm vault GET";
  if (p.endsWith("/providers/microsoft.keyvault/vaults")) return "arm vaults list";
  if (p.endsWith("/resources")) return "arm resources list";
  if (p.includes("/microsoft.storage/")) return "arm storage list";
  if (p.includes("/microsoft.containerregistry/")) return "arm registries list";
  return `arm ${r.method} other`;
}

export function countBy<T>(items: T[], key: (t: T) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const i of items) out.set(key(i), (out.get(key(i)) ?? 0) + 1);
  return new Map([...out].sort((a, b) => a[0].localeCompare(b[0])));
}

/** What the estate's accounts name: distinct vaults, keys (vault/key) and key references (with the pinned version). */
export interface Referenced { vaults: Set<string>; keys: Set<string>; keyRefs: Set<string> }

export interface ReadsPerThing {
  /** Distribution "reads → how many things" over the referenced things (0 included). */
  distribution: Map<number, number>;
  /** Things read that no account references. */
  unreferenced: number;
}

function perThing(counts: Map<string, number>, referenced: Set<string>): ReadsPerThing {
  const distribution = new Map<number, number>();
  for (const r of referenced) {
    const n = counts.get(r) ?? 0;
    distribution.set(n, (distribution.get(n) ?? 0) + 1);
  }
  let unreferenced = 0;
  for (const k of counts.keys()) if (!referenced.has(k)) unreferenced++;
  return { distribution: new Map([...distribution].sort((a, b) => a[0] - b[0])), unreferenced };
}

export interface ReadCounts { vaultGets: ReadsPerThing; getKeys: ReadsPerThing; listings: ReadsPerThing }

/** Reads per distinct vault (ARM GET), key reference (getKey) and key (versions listing, first page), 401s excluded. */
export function readsPerThing(entries: RequestLogEntry[], referenced: Referenced): ReadCounts {
  const vaultGets = new Map<string, number>();
  const getKeys = new Map<string, number>();
  const listings = new Map<string, number>();
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  for (const e of entries) {
    const op = operationOf(e);
    const vault = e.host.split(".")[0]!.toLowerCase();
    const parts = e.path.toLowerCase().split("/").filter(Boolean).map(decodeURIComponent);
    if (op === "arm vault GET") bump(vaultGets, parts.at(-1)!);
    else if (op === "kv getKey") bump(getKeys, [vault, ...parts.slice(1)].join("/"));
    else if (op === "kv versions listing") bump(listings, `${vault}/${parts[1]}`);
  }
  return {
    vaultGets: perThing(vaultGets, referenced.vaults),
    getKeys: perThing(getKeys, referenced.keyRefs),
    listings: perThing(listings, referenced.keys),
  };
}

export interface Timeline {
  /** First request's estimated arrival (first answer − latency) to the last answer, ms. */
  spanMs: number;
  /** Σ(latency) / span: how many requests were in flight on average (latency-bound requests only). */
  meanConcurrency: number;
  /** Most requests in flight at once, each taken as in flight during [answer − latency, answer]. */
  peakConcurrency: number;
  /** Per operation: count, first and last answer (ms after the window's first arrival). */
  byOperation: { op: string; count: number; firstMs: number; lastMs: number }[];
  /** Answers per time bucket, for the printed timeline. */
  buckets: { fromMs: number; count: number; top: string }[];
}

export function timeline(responses: TimedResponse[], latencyMs: number, bucketCount = 20): Timeline | null {
  if (responses.length === 0) return null;
  const sorted = [...responses].sort((a, b) => a.t - b.t);
  const start = sorted[0]!.t - latencyMs;
  const end = sorted.at(-1)!.t;
  const spanMs = end - start;
  const edges: [number, number][] = [];
  for (const r of sorted) edges.push([r.t - latencyMs, 1], [r.t, -1]);
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let inFlight = 0;
  let peakConcurrency = 0;
  for (const [, d] of edges) { inFlight += d; peakConcurrency = Math.max(peakConcurrency, inFlight); }
  const ops = new Map<string, { op: string; count: number; firstMs: number; lastMs: number }>();
  for (const r of sorted) {
    const op = operationOf(r);
    const o = ops.get(op) ?? { op, count: 0, firstMs: r.t - start, lastMs: 0 };
    o.count++;
    o.lastMs = r.t - start;
    ops.set(op, o);
  }
  const width = spanMs / bucketCount;
  const buckets = Array.from({ length: bucketCount }, (_, i) => ({ fromMs: i * width, ops: new Map<string, number>() }));
  for (const r of sorted) {
    const b = buckets[Math.min(bucketCount - 1, Math.floor((r.t - start) / width))]!;
    const op = operationOf(r);
    b.ops.set(op, (b.ops.get(op) ?? 0) + 1);
  }
  return {
    spanMs, meanConcurrency: (responses.length * latencyMs) / spanMs, peakConcurrency,
    byOperation: [...ops.values()].sort((a, b) => a.firstMs - b.firstMs),
    buckets: buckets.map((b) => ({
      fromMs: b.fromMs,
      count: [...b.ops.values()].reduce((x, y) => x + y, 0),
      top: [...b.ops].sort((x, y) => y[1] - x[1]).slice(0, 3).map(([op, n]) => `${op} ×${n}`).join(", "),
    })),
  };
}
