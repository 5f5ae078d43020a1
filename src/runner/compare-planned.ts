// "Exists as planned" (issue 5 item 2): only the fields the plan's wire JSON sets are compared; read-only
// and default fields Azure adds (provisioningState, principalId, systemData, extra defaults) are ignored.
// Locations compare normalized ("West Europe" = "westeurope"), ARM ids and object keys that are ARM ids
// case-insensitively (ARM ids are case-insensitive); everything else exactly, arrays element by element.
import type { JsonValue } from "../domain/plan.js";

export interface FieldDifference {
  /** Dotted path of the planned field, e.g. "properties.encryption.customerManagedKeyEncryption.keyEncryptionKeyUrl". */
  field: string;
  planned: unknown;
  actual: unknown;
}

function normLocation(v: unknown): unknown {
  return typeof v === "string" ? v.replace(/\s+/g, "").toLowerCase() : v;
}

function isArmId(v: unknown): v is string {
  return typeof v === "string" && /^\/subscriptions\//i.test(v);
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/** The first planned field whose actual value differs, or undefined when the resource is as planned. */
export function firstDifference(planned: JsonValue, actual: unknown, path = ""): FieldDifference | undefined {
  if (path === "location") {
    return normLocation(planned) === normLocation(actual) ? undefined : { field: path, planned, actual };
  }
  if (Array.isArray(planned)) {
    if (!Array.isArray(actual) || actual.length !== planned.length) return { field: path, planned, actual };
    for (let i = 0; i < planned.length; i++) {
      const d = firstDifference(planned[i]!, actual[i], `${path}[${i}]`);
      if (d) return { field: path, planned, actual };
    }
    return undefined;
  }
  if (typeof planned === "object" && planned !== null) {
    if (typeof actual !== "object" || actual === null || Array.isArray(actual)) return { field: path, planned, actual };
    const entries = Object.entries(actual as Record<string, unknown>);
    for (const [k, v] of Object.entries(planned)) {
      const match = entries.find(([ak]) => ak === k) ?? (isArmId(k) ? entries.find(([ak]) => ak.toLowerCase() === k.toLowerCase()) : undefined);
      const d = firstDifference(v, match?.[1], join(path, k));
      if (d) return d;
    }
    return undefined;
  }
  if (isArmId(planned) && typeof actual === "string") {
    return planned.toLowerCase() === actual.toLowerCase() ? undefined : { field: path, planned, actual };
  }
  return planned === actual ? undefined : { field: path, planned, actual };
}

/** "properties.x = \"a\" in Azure, the plan sets \"b\"" */
export function describeDifference(d: FieldDifference): string {
  const show = (v: unknown) => (v === undefined ? "(not set)" : JSON.stringify(v));
  return `${d.field || "(resource)"} is ${show(d.actual)} in Azure, the plan sets ${show(d.planned)}`;
}
