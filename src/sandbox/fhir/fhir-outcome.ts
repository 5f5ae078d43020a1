// FHIR responses as fhir-server writes them: `application/fhir+json`, an OperationOutcome for every error
// (fhir-server Core resx wording where DATA-MIGRATION.md quotes it), a request id on every answer.
import { randomUUID } from "node:crypto";
import type { SandboxResponse } from "../http.js";

export function fhirHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return { "content-type": "application/fhir+json; charset=utf-8", "x-request-id": randomUUID(), ...extra };
}

export function fhirOk(status: number, body: unknown, extra: Record<string, string> = {}): SandboxResponse {
  return { status, headers: fhirHeaders(extra), body };
}

/** An OperationOutcome with one issue (FHIR R4 IssueType codes: login, forbidden, not-found, deleted, invalid, not-supported…). */
export function outcome(status: number, code: string, diagnostics: string, extra: Record<string, string> = {}): SandboxResponse {
  return fhirOk(status, { resourceType: "OperationOutcome", id: randomUUID(), issue: [{ severity: "error", code, diagnostics }] }, extra);
}
