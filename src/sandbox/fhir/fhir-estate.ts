// The estate's `fhirData` (issue 11): per FHIR service (a legacy `services` account or an AHDS
// `workspaces/fhirservices` of the estate), generated data and/or explicit resources. Validated here with
// the JSON path of the first problem, like the rest of the estate (estate.ts), and loaded into one
// FhirStore per service. An explicit resource with meta.versionId and meta.lastUpdated is that version (a
// deleted-state marker makes it a delete); one without is a new version stamped at `nowMs`.
import { EstateError } from "../estate.js";
import type { EstateFhirData } from "../estate-types.js";
import { FhirStore, type FhirResource } from "./fhir-store.js";
import { generateFhirData } from "./fhir-generate.js";

const FHIR_SERVICE_TYPES = ["microsoft.healthcareapis/services", "microsoft.healthcareapis/workspaces/fhirservices"];
const fail = (path: string, problem: string): never => { throw new EstateError(path, problem); };
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Checks `$.fhirData` against the estate's resources (id → type); warns about unknown keys. */
export function checkFhirData(v: unknown, typeOf: (id: string) => string | undefined, warnings: string[]): void {
  if (v === undefined) return;
  if (!Array.isArray(v)) fail("$.fhirData", "must be an array");
  const seen = new Set<string>();
  (v as unknown[]).forEach((x, i) => {
    const p = `$.fhirData[${i}]`;
    if (!isObj(x)) fail(p, "must be an object");
    const o = x as Record<string, unknown>;
    if (typeof o.service !== "string") fail(`${p}.service`, "must be the ARM id of a FHIR service of the estate");
    const type = typeOf(o.service as string);
    if (!type || !FHIR_SERVICE_TYPES.includes(type.toLowerCase())) {
      fail(`${p}.service`, "names no Microsoft.HealthcareApis/services or workspaces/fhirservices resource of the estate");
    }
    if (seen.has((o.service as string).toLowerCase())) fail(`${p}.service`, "has a second fhirData entry");
    seen.add((o.service as string).toLowerCase());
    if (o.generate !== undefined) {
      if (!isObj(o.generate)) fail(`${p}.generate`, "must be an object");
      const g = o.generate as Record<string, unknown>;
      for (const k of ["patients", "seed"]) {
        if (!Number.isInteger(g[k]) || (g[k] as number) < 0) fail(`${p}.generate.${k}`, "must be a non-negative integer");
      }
      for (const k of ["historyRate", "deleteRate"]) {
        if (g[k] !== undefined && (typeof g[k] !== "number" || (g[k] as number) < 0 || (g[k] as number) > 1)) fail(`${p}.generate.${k}`, "must be a number from 0 to 1");
      }
      for (const k of Object.keys(g)) if (!["patients", "seed", "historyRate", "deleteRate"].includes(k)) warnings.push(`${p}.generate.${k}: unknown key, ignored`);
    }
    if (o.resources !== undefined) {
      if (!Array.isArray(o.resources)) fail(`${p}.resources`, "must be an array of FHIR resources");
      (o.resources as unknown[]).forEach((r, j) => {
        if (!isObj(r) || typeof r.resourceType !== "string" || typeof r.id !== "string") {
          fail(`${p}.resources[${j}]`, "must be a FHIR resource with resourceType and id");
        }
      });
    }
    for (const k of Object.keys(o)) if (!["service", "generate", "resources"].includes(k)) warnings.push(`${p}.${k}: unknown key, ignored`);
  });
}

/** One store per service, keyed by the lower-cased ARM id. */
export function loadFhirData(data: readonly EstateFhirData[], nowMs: number): Map<string, FhirStore> {
  const stores = new Map<string, FhirStore>();
  for (const d of data) {
    const store = new FhirStore();
    if (d.generate) {
      generateFhirData(store, { patients: d.generate.patients, seed: d.generate.seed, historyRate: d.generate.historyRate ?? 0.2, deleteRate: d.generate.deleteRate ?? 0.05 });
    }
    for (const r of d.resources ?? []) {
      const resource = r as FhirResource;
      if (resource.meta?.versionId !== undefined && resource.meta.lastUpdated !== undefined) store.load(resource);
      else store.write(resource, nowMs);
    }
    stores.set(d.service.toLowerCase(), store);
  }
  return stores;
}
