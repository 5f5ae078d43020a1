// The FHIR part of the sandbox admin API (issue 11): writes to a service between sync rounds, and what
// a service holds per type, so tests and the demo can change a source mid-sync and compare both sides.
//   POST /_sandbox/fhir/write  { service: ARM_ID, resources: [...], deletes?: [{ resourceType, id }] }
//        → { written, deleted } (each resource a new version now, each delete a delete version)
//   GET  /_sandbox/fhir/counts?service=ARM_ID → { Type: { current, versions, deleted } }
import type { SandboxState } from "../state.js";
import type { FhirResource, TypeCounts } from "./fhir-store.js";

export type AdminFail = (status: number, code: string, message: string) => Error;

function serviceOf(state: SandboxState, id: unknown, fail: AdminFail): string {
  if (typeof id !== "string" || id.length === 0) throw fail(400, "MissingField", "The body needs a string 'service' (the ARM id of a FHIR service).");
  const r = state.getResource(id);
  const type = r?.type.toLowerCase();
  if (type !== "microsoft.healthcareapis/services" && type !== "microsoft.healthcareapis/workspaces/fhirservices") {
    throw fail(404, "ResourceNotFound", `${id} is no Microsoft.HealthcareApis/services or workspaces/fhirservices resource of the sandbox.`);
  }
  return r!.id;
}

export function writeFhir(state: SandboxState, body: unknown, fail: AdminFail): { written: number; deleted: number } {
  const o = (body ?? {}) as { service?: unknown; resources?: unknown; deletes?: unknown };
  const store = state.fhirStore(serviceOf(state, o.service, fail));
  const resources = o.resources ?? [];
  const deletes = o.deletes ?? [];
  if (!Array.isArray(resources) || !Array.isArray(deletes)) throw fail(400, "InvalidField", "'resources' and 'deletes' must be arrays.");
  const now = state.now();
  let written = 0;
  for (const [i, r] of resources.entries()) {
    const x = r as FhirResource;
    if (typeof x?.resourceType !== "string" || typeof x.id !== "string") throw fail(400, "InvalidField", `resources[${i}] needs resourceType and id.`);
    try { store.write(x, now); } catch (e) { throw fail(400, "InvalidField", `resources[${i}]: ${(e as Error).message}`); }
    written++;
  }
  let deleted = 0;
  for (const d of deletes as { resourceType?: unknown; id?: unknown }[]) {
    if (typeof d?.resourceType === "string" && typeof d.id === "string" && store.delete(d.resourceType, d.id, now)) deleted++;
  }
  return { written, deleted };
}

export function fhirCounts(state: SandboxState, service: string | null, fail: AdminFail): Record<string, TypeCounts> {
  return state.fhirStore(serviceOf(state, service, fail)).counts();
}
