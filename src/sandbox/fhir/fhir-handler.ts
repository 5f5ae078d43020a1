// The FHIR data plane of every legacy account and AHDS FHIR service of the estate (issue 11): reads, counts
// and writes of the in-memory store (fhir-store.ts), on the hosts fhir-service.ts resolves, behind
// fhir-access.ts. What the data copy and `verify --data` use (DATA-MIGRATION.md §3.1, §8.2):
//   GET  /metadata                                     CapabilityStatement (anonymous, as fhir-server)
//   GET  /?_summary=count, /{T}?_summary=count          Bundle searchset `total` of current resources
//   GET  /_history?_summary=count, /{T}/_history?…      `total` of every version, deletes included; `_before` (lt)
//   GET  /{T}?_id=a,b | _count=N (+ `ct`, `_lastUpdated`) current resources by id, or a page with link[next]
//   GET  /{T}/{id}, /{T}/{id}/_history[/{v}]           read (410 when the latest version is a delete), history, vread
//   PUT  /{T}/{id}, DELETE /{T}/{id}                   a new version / a delete version (writes between rounds)
//   GET  /$export, GET|DELETE /_operations/export/{id}  system export (fhir-export.ts)
//   POST /$import, GET|DELETE /_operations/import/{id}  incremental import (fhir-import.ts); writes 423 in initial mode
import type { SandboxContext } from "../context.js";
import { segments, type SandboxRequest, type SandboxResponse } from "../http.js";
import { authenticateFhir, denyFhir, type FhirAction } from "./fhir-access.js";
import { fhirServiceOfHost, type FhirService } from "./fhir-service.js";
import { fhirOk, outcome } from "./fhir-outcome.js";
import type { FhirResource, FhirStore, StoredVersion } from "./fhir-store.js";
import { exportStatus, kickOffExport } from "./fhir-export.js";
import { importConfigurationOf, importStatus, kickOffImport } from "./fhir-import.js";

const TYPE = /^[A-Z][A-Za-z]{1,63}$/;
const MAX_COUNT = 1000;

export function handleFhir(req: SandboxRequest, ctx: SandboxContext): SandboxResponse | Promise<SandboxResponse> {
  const service = fhirServiceOfHost(ctx.state, req.host);
  if (!service) return outcome(404, "not-found", `No FHIR service answers on ${req.host}.`);
  ctx.notes.subscription = service.resource.id.split("/")[2];
  const seg = segments(req.path);
  if (req.method === "GET" && seg.length === 1 && seg[0] === "metadata") return fhirOk(200, capability(service, ctx.state.fhirStore(service.resource.id).types()));

  const auth = authenticateFhir(req, ctx, service);
  if (!auth.ok) return auth.response;
  const bulk = bulkRoute(req, ctx, service, seg);
  const action: FhirAction = bulk?.action ?? (req.method === "GET" ? "read" : req.method === "DELETE" ? "delete" : "write");
  const denied = denyFhir(ctx, service, auth.claims, action);
  if (denied) return denied;
  ctx.notes.kind = req.method === "GET" ? "read" : req.method === "DELETE" ? "delete" : "write";
  if (bulk) return bulk.run();
  // Initial import mode locks the service for everything but import (fhir-server InitialImportLockMiddleware).
  if (req.method !== "GET" && importConfigurationOf(service).initialImportMode === true) {
    return outcome(423, "lock-error", "Service is locked for initial import mode.");
  }
  const store = ctx.state.fhirStore(service.resource.id);
  const [type, id, history, version, ...rest] = seg;
  if (rest.length > 0 || (type !== undefined && type !== "_history" && !TYPE.test(type))) return notSupported(req);

  if (req.method === "GET") {
    if (type === undefined || type === "_history") return countOrNotSupported(req, store, type === "_history" ? "versions" : "current", undefined);
    if (id === undefined) return search(req, service, store, type);
    if (id === "_history") return countOrNotSupported(req, store, "versions", type);
    if (history === undefined) return read(store.latest(type, id), type, id);
    if (history !== "_history") return notSupported(req);
    if (version === undefined) return historyBundle(service, store.versionsOf(type, id), type, id);
    const v = store.version(type, id, Number(version));
    return v ? vread(v) : outcome(404, "not-found", `Resource type '${type}' with id '${id}' and version '${version}' couldn't be found.`);
  }
  if (type === undefined || type === "_history" || id === undefined || history !== undefined) return notSupported(req);
  if (req.method === "PUT") return put(req, ctx, service, store, type, id);
  if (req.method === "DELETE") {
    const v = store.delete(type, id, ctx.state.now());
    if (v) ctx.changed();
    return { status: 204, headers: v ? { etag: `W/"${v.versionId}"` } : {} };
  }
  return notSupported(req);
}

/** `$export`, `$import` and their `_operations` status URLs: the data action they need and their handler. */
function bulkRoute(req: SandboxRequest, ctx: SandboxContext, service: FhirService, seg: string[]): { action: FhirAction; run: () => SandboxResponse } | undefined {
  const [a, b, id, ...more] = seg;
  if (seg.length === 1 && a === "$export" && req.method === "GET") return { action: "export/action", run: () => kickOffExport(req, ctx, service) };
  if (seg.length === 1 && a === "$import" && req.method === "POST") return { action: "import/action", run: () => kickOffImport(req, ctx, service) };
  if (a !== "_operations" || id === undefined || more.length > 0 || (req.method !== "GET" && req.method !== "DELETE")) return undefined;
  const cancel = req.method === "DELETE";
  if (b === "export") return { action: "export/action", run: () => exportStatus(ctx, service, id, cancel) };
  if (b === "import") return { action: "import/action", run: () => importStatus(ctx, service, id, cancel) };
  return undefined;
}

function notSupported(req: SandboxRequest): SandboxResponse {
  return outcome(400, "not-supported", `The requested route ${req.method} ${req.path} is not supported by this sandbox.`);
}

const bundle = (type: "searchset" | "history", entries: unknown[], extra: Record<string, unknown> = {}) =>
  ({ resourceType: "Bundle", type, ...extra, ...(entries.length > 0 ? { entry: entries } : {}) });

/** `_summary=count` (also `_count=0`, fhir-server's synonym on history): a Bundle with only `total`. */
function countOrNotSupported(req: SandboxRequest, store: FhirStore, what: "current" | "versions", type: string | undefined): SandboxResponse {
  const summary = req.query.get("_summary")?.toLowerCase();
  if (summary !== "count" && req.query.get("_count") !== "0") return notSupported(req);
  const before = req.query.get("_before");
  const beforeMs = before ? Date.parse(before) : Infinity;
  let total = 0;
  if (what === "versions") {
    for (const v of store.allVersions(type)) if (v.lastUpdated < beforeMs) total++;
  } else {
    for (const t of type === undefined ? store.types() : [type]) for (const _v of store.currentOf(t)) total++;
  }
  return fhirOk(200, bundle(what === "versions" ? "history" : "searchset", [], { total }));
}

function search(req: SandboxRequest, service: FhirService, store: FhirStore, type: string): SandboxResponse {
  if (req.query.get("_summary")?.toLowerCase() === "count") return countOrNotSupported(req, store, "current", type);
  const ids = req.query.get("_id");
  const entry = (v: StoredVersion) => ({ fullUrl: `${service.baseUrl}/${type}/${v.resource.id}`, resource: v.resource, search: { mode: "match" } });
  if (ids !== null) {
    const found = ids.split(",").map((i) => store.latest(type, i.trim())).filter((v): v is StoredVersion => v !== undefined && !v.deleted);
    return fhirOk(200, bundle("searchset", found.map(entry)));
  }
  const count = Math.min(MAX_COUNT, Math.max(1, Number(req.query.get("_count") ?? 10) || 10));
  const offset = Math.max(0, Number(req.query.get("ct") ?? 0) || 0);
  const current = [...store.currentOf(type)].filter(lastUpdatedFilter(req.query.getAll("_lastUpdated")));
  const page = current.slice(offset, offset + count);
  const since = req.query.getAll("_lastUpdated").map((v) => `&_lastUpdated=${encodeURIComponent(v)}`).join("");
  const link = [{ relation: "self", url: `${service.baseUrl}/${type}?_count=${count}${offset ? `&ct=${offset}` : ""}${since}` }];
  if (offset + count < current.length) link.push({ relation: "next", url: `${service.baseUrl}/${type}?_count=${count}&ct=${offset + count}${since}` });
  return fhirOk(200, bundle("searchset", page.map(entry), { link }));
}

/** `_lastUpdated=geX` / `leX` / `gtX` / `ltX` (FHIR date search prefixes; repeated: all must hold). */
function lastUpdatedFilter(values: string[]): (v: StoredVersion) => boolean {
  const tests = values.map((raw) => {
    const m = /^(ge|le|gt|lt|eq)?(.+)$/.exec(raw)!;
    const at = Date.parse(m[2]!);
    switch (m[1]) {
      case "ge": return (t: number) => t >= at;
      case "le": return (t: number) => t <= at;
      case "gt": return (t: number) => t > at;
      case "lt": return (t: number) => t < at;
      default: return (t: number) => t === at;
    }
  });
  return (v) => tests.every((test) => test(v.lastUpdated));
}

function versionHeaders(v: StoredVersion): Record<string, string> {
  return { etag: `W/"${v.versionId}"`, "last-modified": new Date(v.lastUpdated).toUTCString() };
}

function read(v: StoredVersion | undefined, type: string, id: string): SandboxResponse {
  if (!v) return outcome(404, "not-found", `Resource type '${type}' with id '${id}' couldn't be found.`);
  // fhir-server answers a deleted resource with 410 Gone (ResourceGoneException).
  if (v.deleted) return outcome(410, "deleted", `The resource '${type}/${id}' has been deleted.`, versionHeaders(v));
  return fhirOk(200, v.resource, versionHeaders(v));
}

function vread(v: StoredVersion): SandboxResponse {
  if (v.deleted) return outcome(410, "deleted", `The version '${v.versionId}' of '${v.resource.resourceType}/${v.resource.id}' is a delete.`, versionHeaders(v));
  return fhirOk(200, v.resource, versionHeaders(v));
}

function historyBundle(service: FhirService, versions: readonly StoredVersion[], type: string, id: string): SandboxResponse {
  if (versions.length === 0) return outcome(404, "not-found", `Resource type '${type}' with id '${id}' couldn't be found.`);
  const entries = [...versions].reverse().map((v) => ({
    fullUrl: `${service.baseUrl}/${type}/${id}/_history/${v.versionId}`,
    ...(v.deleted ? {} : { resource: v.resource }),
    request: { method: v.deleted ? "DELETE" : v.versionId === 1 ? "POST" : "PUT", url: `${type}/${id}` },
    response: { status: v.deleted ? "204" : v.versionId === 1 ? "201" : "200", etag: `W/"${v.versionId}"`, lastModified: new Date(v.lastUpdated).toISOString() },
  }));
  return fhirOk(200, bundle("history", entries, { total: entries.length }));
}

function put(req: SandboxRequest, ctx: SandboxContext, service: FhirService, store: FhirStore, type: string, id: string): SandboxResponse {
  let body: unknown;
  try { body = JSON.parse(req.body.toString("utf8")); } catch { body = undefined; }
  const r = body as FhirResource | undefined;
  if (!r || typeof r !== "object" || r.resourceType !== type || r.id !== id) {
    return outcome(400, "invalid", `The body must be a ${type} resource with id '${id}'.`);
  }
  const before = store.latest(type, id);
  let v: StoredVersion;
  try { v = store.write(r, ctx.state.now()); } catch (e) { return outcome(400, "invalid", (e as Error).message); }
  ctx.changed();
  const created = !before || before.deleted;
  return fhirOk(created ? 201 : 200, v.resource, { ...versionHeaders(v), location: `${service.baseUrl}/${type}/${id}/_history/${v.versionId}` });
}

/** The types a FHIR server lists in its CapabilityStatement (fhir-server lists all it serves; the sandbox these and the ones it holds). */
const LISTED_TYPES = ["Condition", "Encounter", "Observation", "Patient", "SearchParameter"];

function capability(service: FhirService, held: string[]): unknown {
  const version = service.resource.kind === "fhir-Stu3" || service.resource.kind === "fhir-stu3" ? "3.0.2" : "4.0.1";
  return {
    resourceType: "CapabilityStatement", status: "active", kind: "instance", fhirVersion: version,
    software: { name: "Microsoft FHIR Server (ahds-migrate sandbox)" }, implementation: { url: service.baseUrl },
    format: ["application/fhir+json"],
    rest: [{ mode: "server", security: { service: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/restful-security-service", code: "OAuth" }] }] },
      resource: [...new Set([...LISTED_TYPES, ...held])].sort().map((type) => ({ type, interaction: [{ code: "read" }, { code: "search-type" }, { code: "history-type" }] })) }],
  };
}
