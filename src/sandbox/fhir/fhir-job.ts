// What the status URL of a FHIR bulk job answers, for `$export` and `$import` alike (fhir-server's
// GetExportRequestHandler / GetImportRequestHandler): a job due by the sandbox clock is completed first;
// then 202 with no body while it runs, its failure as an OperationOutcome with the job's status code
// ("{kind} operation failed for reason: …"), or 200 with its result.
import type { SandboxContext } from "../context.js";
import type { FhirJob } from "../estate-types.js";
import type { SandboxResponse } from "../http.js";
import { outcome } from "./fhir-outcome.js";

export function jobStatus(ctx: SandboxContext, job: FhirJob, complete: () => void): SandboxResponse {
  if (job.status === "running" && ctx.state.now() >= job.endsAt) {
    complete();
    ctx.changed();
  }
  if (job.status === "running") return { status: 202 };
  if (job.status === "failed") return outcome(job.failure!.status, "exception", `${job.kind} operation failed for reason: ${job.failure!.message}`);
  return { status: 200, headers: { "content-type": "application/json; charset=utf-8" }, body: job.result };
}
