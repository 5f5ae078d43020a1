// System-level `$export` as fhir-server answers it (issue 11; DATA-MIGRATION.md §1): the kick-off checks
// its headers and parameters (400 with fhir-server's wording), answers 202 with Content-Location
// `/_operations/export/{id}`; the status answers 202 without a body until `behaviour.fhirJobDurationMs`
// has passed, then 200 with the manifest. At completion the job writes NDJSON per type into the account's
// export storage account (the built-in Blob storage): `_since` ≤ lastUpdated ≤ `_till` (both inclusive;
// `_till` defaults to the queued time), the current versions, with `includeAssociatedData=_history` the
// older ones, with `_deleted` the deletes (marked with the deleted-state extension). A cancelled job's
// status answers 200 with the partial manifest (fhir-server treats Canceled like Completed).
// The export reaches storage with the account's system-assigned identity, which must hold a Blob data
// role on the storage account (DATA-MIGRATION.md §1.6); otherwise the job fails with 403.
import { randomUUID } from "node:crypto";
import type { SandboxContext } from "../context.js";
import type { FhirJob } from "../estate-types.js";
import { fhirJobKey } from "../state.js";
import type { SandboxRequest, SandboxResponse } from "../http.js";
import { hasDataAction } from "../arm/rbac.js";
import type { FhirService } from "./fhir-service.js";
import { outcome } from "./fhir-outcome.js";
import { jobStatus } from "./fhir-job.js";
import { exportForm, type StoredVersion } from "./fhir-store.js";

const PARAMETERS = ["_outputFormat", "_since", "_till", "_type", "_container", "_format", "_typeFilter", "_isParallel",
  "includeAssociatedData", "_maxCount", "_anonymizationConfig", "_anonymizationConfigCollectionReference", "_anonymizationConfigEtag"];
/** Resources per NDJSON file (fhir-server rolls files at 64 MB; a count keeps the sandbox's files small and predictable). */
export const EXPORT_FILE_RESOURCES = 5000;
const BLOB_WRITE = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write";

export function kickOffExport(req: SandboxRequest, ctx: SandboxContext, service: FhirService): SandboxResponse {
  const accept = req.headers.accept;
  if (typeof accept !== "string" || accept.split(",").length !== 1 || accept.trim().toLowerCase() !== "application/fhir+json") {
    return outcome(400, "invalid", `Value supplied, ${String(accept ?? "")}, for the "Accept" header is not supported.`);
  }
  const prefer = String(req.headers.prefer ?? "").split(",").map((s) => s.trim().toLowerCase());
  if (!prefer.includes("respond-async")) return outcome(400, "invalid", "Missing required header; Prefer");
  for (const name of req.query.keys()) {
    if (!PARAMETERS.includes(name)) return outcome(400, "not-supported", `The query parameter "${name}" is not supported.`);
  }
  const associated = (req.query.get("includeAssociatedData") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  if (associated.some((a) => a !== "_history" && a !== "_deleted")) {
    return outcome(400, "invalid", "includeAssociatedData only takes _history and _deleted.");
  }
  if (associated.length > 0 && req.query.has("_typeFilter")) {
    return outcome(400, "invalid", "TypeFilterNotSupportedWithHistoryOrDeletedExport");
  }
  const instant = (name: string): number | null | "bad" => {
    const v = req.query.get(name);
    if (v === null) return null;
    const ms = Date.parse(v);
    return Number.isNaN(ms) ? "bad" : ms;
  };
  const since = instant("_since");
  const till = instant("_till");
  if (since === "bad" || till === "bad") return outcome(400, "invalid", "_since and _till must be FHIR instants.");
  const storageAccount = (service.resource.properties?.exportConfiguration as { storageAccountName?: string } | undefined)?.storageAccountName;
  if (!storageAccount) return outcome(400, "invalid", "The export operation is not enabled: the service has no export storage account configured.");

  const now = ctx.state.now();
  const types = req.query.get("_type")?.split(",").map((s) => s.trim()).filter(Boolean) ?? null;
  const job: FhirJob = {
    id: randomUUID(), kind: "export", service: service.resource.id, request: `${service.baseUrl}${req.path}${queryText(req)}`,
    queuedAt: now, endsAt: now + ctx.state.behaviour.fhirJobDurationMs, status: "running",
    export: {
      since, till: till ?? now, types, container: req.query.get("_container"),
      history: associated.includes("_history"), deleted: associated.includes("_deleted"), storageAccount: storageAccount.toLowerCase(),
    },
  };
  ctx.state.fhirJobs.set(fhirJobKey(job), job);
  ctx.changed();
  return { status: 202, headers: { "content-location": `${service.baseUrl}/_operations/export/${job.id}` } };
}

function queryText(req: SandboxRequest): string {
  const q = req.query.toString();
  return q ? `?${q}` : "";
}

export function exportStatus(ctx: SandboxContext, service: FhirService, id: string, cancel: boolean): SandboxResponse {
  const job = ctx.state.fhirJobs.get(fhirJobKey({ kind: "export", id }));
  if (!job || job.kind !== "export" || job.service.toLowerCase() !== service.resource.id.toLowerCase()) {
    return outcome(404, "not-found", `The requested job "${id}" was not found.`);
  }
  if (cancel) {
    if (job.status === "running") {
      job.status = "cancelled";
      job.result = manifest(job, []);
      ctx.changed();
    }
    return { status: 202 };
  }
  // A cancelled export answers 200 with its partial manifest (fhir-server treats Canceled like Completed).
  return jobStatus(ctx, job, () => complete(ctx, service, job));
}

function manifest(job: FhirJob, output: { type: string; url: string; count: number }[]): unknown {
  return { transactionTime: new Date(job.queuedAt).toISOString(), request: job.request, requiresAccessToken: false, output, error: [], issues: [] };
}

function complete(ctx: SandboxContext, service: FhirService, job: FhirJob): void {
  const e = job.export!;
  const state = ctx.state;
  const storage = state.listResources("Microsoft.Storage/storageAccounts").find((r) => r.name.toLowerCase() === e.storageAccount);
  const principal = (service.resource.identity as { principalId?: string; type?: string } | undefined);
  if (!storage) {
    job.status = "failed";
    job.failure = { status: 400, message: `The storage account ${e.storageAccount} was not found.` };
    return;
  }
  if (!principal?.principalId || !/systemassigned/i.test(principal.type ?? "") || !hasDataAction(state, principal.principalId, storage.id, BLOB_WRITE)) {
    job.status = "failed";
    job.failure = { status: 403, message: `The managed identity of the service is not authorized to write to storage account ${e.storageAccount}.` };
    return;
  }
  const store = state.fhirStore(service.resource.id);
  const container = e.container ?? `export-${job.id}`;
  const folder = e.container ? `${new Date(job.queuedAt).toISOString().replace(/[-:]/g, "").slice(0, 15)}-${job.id}/` : "";
  const output: { type: string; url: string; count: number }[] = [];
  for (const type of store.types()) {
    if (e.types && !e.types.includes(type)) continue;
    const lines: string[] = [];
    for (const versions of store.histories(type)) {
      versions.forEach((v, i) => { if (included(v, i === versions.length - 1, e)) lines.push(JSON.stringify(exportForm(v))); });
    }
    for (let part = 0; part * EXPORT_FILE_RESOURCES < lines.length; part++) {
      const chunk = lines.slice(part * EXPORT_FILE_RESOURCES, (part + 1) * EXPORT_FILE_RESOURCES);
      const name = `${folder}${type}-${part + 1}.ndjson`;
      state.blobs.put(e.storageAccount, container, name, `${chunk.join("\n")}\n`, "application/fhir+ndjson", state.now());
      output.push({ type, url: `https://${e.storageAccount}${state.hosts.blobSuffix}/${container}/${name}`, count: chunk.length });
    }
  }
  job.status = "completed";
  job.result = manifest(job, output);
}

function included(v: StoredVersion, latest: boolean, e: NonNullable<FhirJob["export"]>): boolean {
  if ((e.since !== null && v.lastUpdated < e.since) || v.lastUpdated > e.till) return false;
  if (v.deleted) return e.deleted;
  return latest || e.history;
}

