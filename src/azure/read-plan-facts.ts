// Reads a plan's staleness check needs beyond discovery's listings (src/inventory/read-fingerprint.ts): one
// legacy Azure API for FHIR account by id (`services.get`, api-version 2024-03-31 of the pinned client). The
// account is kept in its REST shape from the raw body, exactly as the listing keeps it (read-healthcare.ts),
// so its properties hash the same way as at plan time.
import type { LegacyAccount } from "../domain/snapshot.js";
import { failed, type ReadResult } from "./read-failure.js";
import { idParts } from "./read-healthcare.js";
import type { ReadSession } from "./read-session.js";

/** One legacy account by ARM id (`/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.HealthcareApis/services/{name}`). */
export async function readLegacyService(session: ReadSession, id: string, abortSignal?: AbortSignal): Promise<ReadResult<LegacyAccount>> {
  const { subscriptionId, resourceGroup } = idParts(id);
  const name = id.split("/").filter(Boolean).at(-1) ?? "";
  let raw: Record<string, unknown> | undefined;
  try {
    await session.arm(subscriptionId).healthcare.services.get(resourceGroup, name, {
      abortSignal,
      onResponse: (r) => { if (r.status === 200 && r.bodyAsText) raw = JSON.parse(r.bodyAsText) as Record<string, unknown>; },
    });
  } catch (err) {
    return failed(err);
  }
  if (!raw) return { ok: false, failure: "error", message: `The service ${name} answered without a body.` };
  const rawId = String(raw.id ?? id);
  const parts = idParts(rawId);
  return {
    ok: true,
    value: {
      ...raw, id: rawId, name: String(raw.name ?? name), subscriptionId: parts.subscriptionId || subscriptionId,
      resourceGroup: parts.resourceGroup || resourceGroup, location: String(raw.location ?? ""), kind: String(raw.kind ?? ""),
      properties: (raw.properties ?? {}) as LegacyAccount["properties"],
    } as LegacyAccount,
  };
}
