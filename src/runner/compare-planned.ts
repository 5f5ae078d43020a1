// "Exists as planned" — the ONE comparison of a planned body with what Azure reads back, used by the step
// executors before and after a write (step-common.ts) and by verify (verify.ts), so apply and verify can
// never disagree (issue 8: reordered CORS origins made apply report TargetConflict while verify passed).
// Only the fields the plan's wire JSON sets are compared; fields Azure adds (provisioningState,
// principalId, systemData, defaults) are ignored. Azure's equality rules:
// - `location` normalized ("West Europe" = "westeurope");
// - ARM ids, https URLs (key URLs: vault and key names are case-insensitive) and GUIDs case-insensitively;
// - object keys exactly, else case-insensitively (ARM ids as keys: userAssignedIdentities);
// - arrays as multisets: order is not significant in the lists the plan sets (CORS origins, headers,
//   methods, ACR login servers, OCI artifacts, access policies); strings inside arrays compare
//   case-insensitively (origins and header names are; ARM echoes methods as sent);
// - a `$fromStep` reference that could not be resolved is not compared (the step it comes from reports it);
// everything else exactly.
import type { JsonValue } from "../domain/plan.js";
import { sameLocation } from "../domain/location.js";

export interface FieldDifference {
  /** Dotted path of the planned field, e.g. "properties.encryption.customerManagedKeyEncryption.keyEncryptionKeyUrl". */
  field: string;
  planned: unknown;
  actual: unknown;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function isRef(v: unknown): boolean {
  return v !== null && typeof v === "object" && !Array.isArray(v) && typeof (v as Record<string, unknown>).$fromStep === "string";
}

function caseInsensitiveString(s: string): boolean {
  return /^\/subscriptions\//i.test(s) || /^https:\/\//i.test(s) || GUID.test(s);
}

function sameString(planned: string, actual: string, path: string, inArray: boolean): boolean {
  if (path === "location" || path.endsWith(".location")) {
    return sameLocation(planned, actual);
  }
  if (inArray || caseInsensitiveString(planned)) return planned.toLowerCase() === actual.toLowerCase();
  return planned === actual;
}

/** Every planned field whose actual value differs (empty when the resource is as planned). */
export function differences(planned: JsonValue | undefined, actual: unknown, path = "", inArray = false): FieldDifference[] {
  if (planned === undefined || isRef(planned)) return [];
  const differ = [{ field: path, planned, actual }];
  if (Array.isArray(planned)) {
    if (!Array.isArray(actual) || actual.length !== planned.length) return differ;
    // Multiset match: each planned element takes a distinct actual element it equals.
    const free = actual.map((_, i) => i);
    for (const p of planned) {
      const at = free.findIndex((i) => differences(p, actual[i], path, true).length === 0);
      if (at < 0) return differ;
      free.splice(at, 1);
    }
    return [];
  }
  if (planned !== null && typeof planned === "object") {
    if (typeof actual !== "object" || actual === null || Array.isArray(actual)) return differ;
    const a = actual as Record<string, unknown>;
    const out: FieldDifference[] = [];
    for (const [k, v] of Object.entries(planned)) {
      const key = k in a ? k : Object.keys(a).find((x) => x.toLowerCase() === k.toLowerCase());
      out.push(...differences(v, key === undefined ? undefined : a[key], join(path, k), inArray));
    }
    return out;
  }
  if (typeof planned === "string" && typeof actual === "string") return sameString(planned, actual, path, inArray) ? [] : differ;
  return planned === actual ? [] : differ;
}

/** The first planned field whose actual value differs, or undefined when the resource is as planned. */
export function firstDifference(planned: JsonValue, actual: unknown): FieldDifference | undefined {
  return differences(planned, actual)[0];
}

/** "properties.x = \"a\" in Azure, the plan sets \"b\"" */
export function describeDifference(d: FieldDifference): string {
  const show = (v: unknown) => (v === undefined ? "(not set)" : JSON.stringify(v));
  return `${d.field || "(resource)"} is ${show(d.actual)} in Azure, the plan sets ${show(d.planned)}`;
}
