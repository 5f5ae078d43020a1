// `verify --data --sample N` (issue 11 §4, the deep check): N current resources per type are read from the
// source (its first search page, `_lastUpdated` bounded by the account's watermark so a live source's newer
// writes are not sampled) and each one's whole history is compared with its copy, version by version:
// the same version ids, the same deletes, `meta.lastUpdated` at millisecond precision (incremental import
// truncates it to ms, DATA-MIGRATION.md §3.3 [F9]) and every other field equal, key order aside. Versions
// after the watermark are left out on both sides: a later round copies them. SearchParameters are copied
// through the REST API, so their copy has versions of its own: only the current resource is compared, its
// `meta` left out (§3.3). One search per type and one `_history` read per sampled resource and side; the
// journal keeps no resource ids, so they appear only in this report (§9.4).
import type { FhirClient, FhirResponse } from "../azure/clients.js";
import { firstJsonDifference, shownJson } from "../domain/json-difference.js";
import type { JsonValue } from "../domain/plan.js";
import type { SyncAccount } from "./sync-run.js";

export interface SampleDifference {
  account: string;
  /** `Type/id`, and `/_history/v` when one version differs. */
  resource: string;
  what: string;
}

export interface SampleCheck {
  /** Resources compared, and the versions of them compared (both up to the watermark). */
  resources: number;
  versions: number;
  differences: SampleDifference[];
  unreadable: string[];
}

/** A version as compared: content without the meta fields compared apart, or a delete. */
interface Version {
  versionId: string;
  deleted: boolean;
  lastUpdatedMs: number;
  content: JsonValue | undefined;
}

/** fhir-server pages `_history` (default 10 entries); the largest page it allows keeps the reads few. */
const HISTORY_PAGE = 1000;
/** How many `link[next]` pages one resource's history may take before it counts as unreadable. */
const MAX_PAGES = 50;

export async function verifySample(
  accounts: readonly SyncAccount[], types: ReadonlyMap<string, readonly string[]>, watermarks: ReadonlyMap<string, string | null>, n: number,
): Promise<SampleCheck> {
  const check: SampleCheck = { resources: 0, versions: 0, differences: [], unreadable: [] };
  for (const a of accounts) {
    const watermark = watermarks.get(a.id.toLowerCase()) ?? null;
    const bound = watermark === null ? Infinity : Date.parse(watermark);
    for (const type of types.get(a.id.toLowerCase()) ?? []) {
      const le = watermark === null ? "" : `&_lastUpdated=le${encodeURIComponent(watermark)}`;
      const page = await a.source.request("GET", `/${type}?_count=${n}${le}`);
      if (page.status !== 200) { check.unreadable.push(`${a.name}: ${type} on the source answered ${page.status}`); continue; }
      for (const resource of entriesOf(page).map((e) => e.resource).filter(isResource).slice(0, n)) {
        const ref = `${type}/${resource.id}`;
        const found = type === "SearchParameter"
          ? await compareCurrent(a.target, ref, resource)
          : await compareHistories(a, ref, bound);
        check.resources++;
        check.versions += found.versions;
        if (found.unreadable) check.unreadable.push(`${a.name}: ${found.unreadable}`);
        for (const d of found.differences) check.differences.push({ account: a.name, ...d });
      }
    }
  }
  return check;
}

type Found = { versions: number; differences: { resource: string; what: string }[]; unreadable?: string };

async function compareCurrent(target: FhirClient, ref: string, source: Record<string, JsonValue>): Promise<Found> {
  const r = await target.request("GET", `/${ref}`);
  if (r.status === 404 || r.status === 410) return { versions: 1, differences: [{ resource: ref, what: "is missing on the target" }] };
  if (r.status !== 200 || !isResource(r.body)) return { versions: 0, differences: [], unreadable: `${ref} on the target answered ${r.status}` };
  const { meta: _s, ...left } = source;
  const { meta: _t, ...right } = r.body;
  const d = firstJsonDifference(left, right);
  return { versions: 1, differences: d ? [{ resource: ref, what: differs(d) }] : [] };
}

async function compareHistories(a: SyncAccount, ref: string, bound: number): Promise<Found> {
  const [source, target] = [await historyOf(a.source, ref, bound), await historyOf(a.target, ref, bound)];
  if (typeof source === "string" || typeof target === "string") {
    return { versions: 0, differences: [], unreadable: `${ref}/_history on the ${typeof source === "string" ? `source answered ${source}` : `target answered ${target}`}` };
  }
  const copies = new Map(target.map((v) => [v.versionId, v]));
  const differences: Found["differences"] = [];
  for (const v of source) {
    const at = `${ref}/_history/${v.versionId}`;
    const copy = copies.get(v.versionId);
    copies.delete(v.versionId);
    if (!copy) differences.push({ resource: at, what: "is missing on the target" });
    else if (v.deleted !== copy.deleted) differences.push({ resource: at, what: v.deleted ? "is a delete on the source, not on the target" : "is a delete on the target, not on the source" });
    else if (v.lastUpdatedMs !== copy.lastUpdatedMs) differences.push({ resource: at, what: `meta.lastUpdated is ${iso(v.lastUpdatedMs)} on the source, ${iso(copy.lastUpdatedMs)} on the target` });
    else {
      const d = firstJsonDifference(v.content, copy.content);
      if (d) differences.push({ resource: at, what: differs(d) });
    }
  }
  for (const extra of copies.keys()) differences.push({ resource: `${ref}/_history/${extra}`, what: "is on the target only" });
  return { versions: source.length, differences };
}

/** Every version of one resource up to `bound` (ms), following `link[next]`; a status text when unreadable. */
async function historyOf(client: FhirClient, ref: string, bound: number): Promise<Version[] | string> {
  const out: Version[] = [];
  let path: string | null = `/${ref}/_history?_count=${HISTORY_PAGE}`;
  for (let pages = 0; path !== null; pages++) {
    if (pages === MAX_PAGES) return `more than ${MAX_PAGES * HISTORY_PAGE} versions`;
    const r = await client.request("GET", path);
    if (r.status === 404) return out; // no copy at all: every source version is reported missing
    if (r.status !== 200) return String(r.status);
    for (const e of entriesOf(r)) {
      const v = versionOf(e);
      if (v && v.lastUpdatedMs <= bound) out.push(v);
    }
    path = nextPath(r);
  }
  return out;
}

interface Entry { fullUrl?: string; resource?: unknown; request?: { method?: string }; response?: { etag?: string; lastModified?: string } }

function entriesOf(r: FhirResponse): Entry[] {
  const entry = (r.body as { entry?: unknown } | undefined)?.entry;
  return Array.isArray(entry) ? entry.filter((e): e is Entry => typeof e === "object" && e !== null) : [];
}

/** A history entry: a delete has no resource; its version id is in the etag (`W/"3"`) or the fullUrl. */
function versionOf(e: Entry): Version | null {
  const deleted = e.request?.method === "DELETE";
  const resource = isResource(e.resource) ? e.resource : undefined;
  const meta = resource?.meta as { versionId?: string; lastUpdated?: string } | undefined;
  const versionId = meta?.versionId ?? /W\/"([^"]+)"/.exec(e.response?.etag ?? "")?.[1] ?? /\/_history\/([^/?]+)/.exec(e.fullUrl ?? "")?.[1];
  const lastUpdatedMs = Date.parse(meta?.lastUpdated ?? e.response?.lastModified ?? "");
  if (versionId === undefined || Number.isNaN(lastUpdatedMs)) return null;
  return { versionId, deleted, lastUpdatedMs, content: deleted || !resource ? undefined : withoutComparedMeta(resource) };
}

/** The resource without `meta.versionId` and `meta.lastUpdated` (compared apart); an empty `meta` dropped. */
function withoutComparedMeta(resource: Record<string, JsonValue>): JsonValue {
  const { meta, ...rest } = resource;
  if (typeof meta !== "object" || meta === null || Array.isArray(meta)) return rest;
  const { versionId: _v, lastUpdated: _l, ...kept } = meta;
  return Object.keys(kept).length > 0 ? { ...rest, meta: kept } : rest;
}

/** `link[next]` as a path on the same host (fhir-server's links are absolute). */
function nextPath(r: FhirResponse): string | null {
  const link = (r.body as { link?: { relation?: string; url?: string }[] } | undefined)?.link;
  const next = Array.isArray(link) ? link.find((l) => l.relation === "next")?.url : undefined;
  if (!next) return null;
  const u = new URL(next);
  return `${u.pathname}${u.search}`;
}

function isResource(v: unknown): v is Record<string, JsonValue> & { id: string } {
  return typeof v === "object" && v !== null && !Array.isArray(v) && typeof (v as { id?: unknown }).id === "string";
}

const iso = (ms: number) => new Date(ms).toISOString();
const differs = (d: { path: string; left: JsonValue | undefined; right: JsonValue | undefined }) =>
  `${d.path || "the resource"} is ${shownJson(d.left)} on the source, ${shownJson(d.right)} on the target`;
