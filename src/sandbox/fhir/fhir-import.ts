// `$import` into an AHDS FHIR service as fhir-server answers it (issue 11; DATA-MIGRATION.md §2): the
// kick-off checks the configuration, headers and the Parameters body (400 `RequestNotValid` with its
// wording: not enabled, mode, no input, duplicate files, SearchParameter, a URL not on the configured
// integration store or with a query), answers 202 with Content-Location `/_operations/import/{id}`.
// Registration is idempotent: the same payload gives the same job. At most five jobs run per service; a
// sixth is 429 with Retry-After (the docs say only "might throttle or reject": chosen reading, UNCONFIRMED).
// At completion each input's NDJSON is loaded in incremental mode (versionId and lastUpdated kept, any
// version order, the same version again counts as loaded) and every rejected line is written as an
// OperationOutcome to `fhirlogs/{Type}{jobId}_{n}.ndjson`: a type other than the input's, a version
// conflict, a decimal of more than 18 digits. A missing input file fails the job. The service reaches
// storage with any identity assigned to it that holds a Blob data role there (UNCONFIRMED for a
// user-assigned identity, DATA-MIGRATION.md §2.5: the sync's preflight probes it).
import { createHash } from "node:crypto";
import type { SandboxContext } from "../context.js";
import type { FhirJob } from "../estate-types.js";
import { fhirJobKey } from "../state.js";
import type { SandboxRequest, SandboxResponse } from "../http.js";
import { hasDataAction } from "../arm/rbac.js";
import { parseBlobUrl } from "../storage/blob-store.js";
import type { FhirService } from "./fhir-service.js";
import { outcome } from "./fhir-outcome.js";
import { jobStatus } from "./fhir-job.js";
import type { FhirResource } from "./fhir-store.js";

export const MAX_IMPORT_FILES = 10_000;
export const MAX_IMPORT_JOBS = 5;
const BLOB_READ = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read";
/** A JSON number with more than 18 digits (AHDS keeps 18 digits of precision, DATA-MIGRATION.md §5). */
const LONG_DECIMAL = /[:[,]\s*-?(\d[\d.]*)(?:[eE][+-]?\d+)?\s*(?=[,}\]])/g;

interface ImportConfiguration { enabled?: boolean; initialImportMode?: boolean; integrationDataStore?: string }

const invalid = (message: string) => outcome(400, "invalid", message);

export function importConfigurationOf(service: FhirService): ImportConfiguration {
  return (service.resource.properties?.importConfiguration ?? {}) as ImportConfiguration;
}

export function kickOffImport(req: SandboxRequest, ctx: SandboxContext, service: FhirService): SandboxResponse {
  const config = importConfigurationOf(service);
  if (service.kind !== "ahds" || config.enabled !== true) return invalid('The requested "import" operation is not enabled');
  const prefer = String(req.headers.prefer ?? "").split(",").map((s) => s.trim().toLowerCase());
  if (prefer.length !== 1 || prefer[0] !== "respond-async") return invalid("Missing required header; Prefer");
  if (!/application\/fhir\+json/i.test(String(req.headers["content-type"] ?? ""))) return invalid("Content-Type must be application/fhir+json.");
  let body: { resourceType?: string; parameter?: { name?: string; valueString?: string; valueUri?: string; part?: { name?: string; valueString?: string; valueUri?: string }[] }[] };
  try { body = JSON.parse(req.body.toString("utf8")) as typeof body; } catch { return invalid("The request body is not a Parameters resource."); }
  if (body?.resourceType !== "Parameters" || !Array.isArray(body.parameter)) return invalid("The request body is not a Parameters resource.");
  const value = (name: string) => body.parameter!.find((p) => p.name === name)?.valueString;
  const format = value("inputFormat");
  if (format !== undefined && format !== "application/fhir+ndjson") return invalid("Input format is not supported: only application/fhir+ndjson.");
  const mode = value("mode") ?? "IncrementalLoad";
  if (mode !== "InitialLoad" && mode !== "IncrementalLoad") return invalid('Import mode can be either "InitialLoad"or "IncrementalLoad". Please provide valid import mode.');
  if (mode === "InitialLoad" && config.initialImportMode !== true) return invalid("Initial import mode is not enabled. Please update the FHIR server configuration.");
  const inputs = body.parameter.filter((p) => p.name === "input").map((p) => ({
    type: p.part?.find((x) => x.name === "type")?.valueString ?? "", url: p.part?.find((x) => x.name === "url")?.valueUri ?? "",
  }));
  if (inputs.length === 0) return invalid("Input resource list is empty.");
  if (inputs.length > MAX_IMPORT_FILES) return invalid(`Import request cannot have more than ${MAX_IMPORT_FILES} files.`);
  if (new Set(inputs.map((i) => i.url)).size !== inputs.length) return invalid("Import request cannot have duplicate files. Found duplicates.");
  const store = config.integrationDataStore?.toLowerCase();
  for (const input of inputs) {
    if (input.type === "SearchParameter") return outcome(400, "not-supported", "Import of SearchParameter resources is not supported (UnsupportedResourceType).");
    if (!/^[A-Z][A-Za-z]{1,63}$/.test(input.type)) return invalid(`Resource type ${input.type} is not supported.`);
    const blob = parseBlobUrl(input.url, ctx.state.hosts.blobSuffix);
    if (!blob || input.url.includes("?")) return invalid(`The input url ${input.url} must be an absolute blob URL without a query.`);
    if (blob.account !== store) return invalid("input.url must match the configured integration storage account endpoint.");
  }

  const payloadSha256 = createHash("sha256").update(req.body).digest("hex");
  const jobs = [...ctx.state.fhirJobs.values()].filter((j) => j.kind === "import" && j.service.toLowerCase() === service.resource.id.toLowerCase());
  const same = jobs.find((j) => j.import!.payloadSha256 === payloadSha256 && j.status !== "cancelled");
  if (same) return accepted(service, same);
  const now = ctx.state.now();
  // A job past its end is done in Azure even if nobody polled it since (this sandbox completes it lazily, on its next poll).
  if (jobs.filter((j) => j.status === "running" && j.endsAt > now).length >= MAX_IMPORT_JOBS) {
    return outcome(429, "throttled", `Too many import jobs are running on this service (at most ${MAX_IMPORT_JOBS}).`, { "retry-after": "60", "x-ms-retry-after-ms": "60000" });
  }
  const job: FhirJob = {
    id: String(1 + [...ctx.state.fhirJobs.values()].filter((j) => j.kind === "import").length), kind: "import", service: service.resource.id,
    request: `${service.baseUrl}/$import`, queuedAt: now, endsAt: now + ctx.state.behaviour.fhirJobDurationMs, status: "running",
    import: { payloadSha256, inputs, storageAccount: store! },
  };
  ctx.state.fhirJobs.set(fhirJobKey(job), job);
  ctx.changed();
  return accepted(service, job);
}

function accepted(service: FhirService, job: FhirJob): SandboxResponse {
  return { status: 202, headers: { "content-location": `${service.baseUrl}/_operations/import/${job.id}` } };
}

export function importStatus(ctx: SandboxContext, service: FhirService, id: string, cancel: boolean): SandboxResponse {
  const job = ctx.state.fhirJobs.get(fhirJobKey({ kind: "import", id }));
  if (!job || job.service.toLowerCase() !== service.resource.id.toLowerCase()) return outcome(404, "not-found", `The requested job "${id}" was not found.`);
  if (cancel) {
    if (job.status !== "running") return outcome(409, "conflict", "ImportOperationCompleted");
    job.status = "cancelled";
    ctx.changed();
    return { status: 202 };
  }
  if (job.status === "cancelled") return invalid("User requested cancellation of operation.");
  return jobStatus(ctx, job, () => complete(ctx, service, job));
}

function complete(ctx: SandboxContext, service: FhirService, job: FhirJob): void {
  const state = ctx.state;
  const i = job.import!;
  const storage = state.listResources("Microsoft.Storage/storageAccounts").find((r) => r.name.toLowerCase() === i.storageAccount);
  const identities = identityPrincipals(state, service);
  if (!storage || !identities.some((p) => hasDataAction(state, p, storage.id, BLOB_READ))) {
    job.status = "failed";
    job.failure = { status: 403, message: "Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature." };
    return;
  }
  const store = state.fhirStore(service.resource.id);
  const output: { type: string; count: number; inputUrl: string }[] = [];
  const error: { type: string; count: number; inputUrl: string; url: string }[] = [];
  for (const [n, input] of i.inputs.entries()) {
    const where = parseBlobUrl(input.url, state.hosts.blobSuffix)!;
    const blob = state.blobs.get(where.account, where.container, where.name);
    if (!blob) {
      job.status = "failed";
      job.failure = { status: 400, message: `The blob ${input.url} was not found. ErrorFile: ${input.url}` };
      return;
    }
    let loaded = 0;
    const failures: string[] = [];
    blob.content.split("\n").forEach((line, index) => {
      if (line.trim() === "") return;
      const fail = (diagnostics: string) => failures.push(JSON.stringify({ resourceType: "OperationOutcome", issue: [{ severity: "error", code: "processing", diagnostics }] }));
      if (longDecimal(line)) { fail(`Failed to import resource: a decimal has more than 18 digits of precision, line: ${index + 1}`); return; }
      let r: FhirResource;
      try { r = JSON.parse(line) as FhirResource; } catch { fail(`Failed to parse resource, line: ${index + 1}`); return; }
      if (r.resourceType !== input.type) { fail(`Resource type ${r.resourceType} does not match the input type ${input.type}, line: ${index + 1}`); return; }
      let outcomeOf: ReturnType<typeof store.load>;
      try { outcomeOf = store.load(r); } catch (e) { fail(`${(e as Error).message}, line: ${index + 1}`); return; }
      if (outcomeOf === "conflict") fail(`Failed to import resource with version conflict, resource id: ${r.id}, line: ${index + 1}`);
      else loaded++;
    });
    output.push({ type: input.type, count: loaded, inputUrl: input.url });
    if (failures.length > 0) {
      const name = `${input.type}${job.id}_${n + 1}.ndjson`;
      state.blobs.put(i.storageAccount, "fhirlogs", name, `${failures.join("\n")}\n`, "application/fhir+ndjson", state.now());
      error.push({ type: input.type, count: failures.length, inputUrl: input.url, url: `https://${i.storageAccount}${state.hosts.blobSuffix}/fhirlogs/${name}` });
    }
  }
  job.status = "completed";
  job.result = { transactionTime: new Date(job.queuedAt).toISOString(), request: job.request, output, error };
}

function identityPrincipals(state: SandboxContext["state"], service: FhirService): string[] {
  const identity = service.resource.identity as { principalId?: string; userAssignedIdentities?: Record<string, { principalId?: string }> } | undefined;
  const out = identity?.principalId ? [identity.principalId] : [];
  for (const [id, v] of Object.entries(identity?.userAssignedIdentities ?? {})) {
    const principal = v?.principalId ?? (state.getResource(id)?.properties as { principalId?: string } | undefined)?.principalId;
    if (principal) out.push(principal);
  }
  return out;
}

function longDecimal(line: string): boolean {
  for (const m of line.matchAll(LONG_DECIMAL)) {
    if ((m[1] ?? "").replace(/[^\d]/g, "").replace(/^0+/, "").length > 18) return true;
  }
  return false;
}

