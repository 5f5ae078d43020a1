// HealthcareApis reads of one subscription, through the pinned client (api-version 2024-03-31 on every URL
// and nextLink, SDK-RECIPE §4). Legacy services are kept in their REST shape (LegacyAccount): the raw page
// bodies are taken from `onResponse`, because the typed models of arm-healthcareapis 3.0.0 drop fields they
// do not know (DESIGN.md "Apply"), and the planner copies settings from them.
import type { LegacyAccount, WorkspaceFacts } from "../domain/snapshot.js";
import { failed, type ReadResult } from "./read-failure.js";
import type { ReadSession } from "./read-session.js";

type RawPages = Record<string, unknown>[];

function collectRaw(pages: RawPages) {
  return (raw: { status: number; bodyAsText?: string | null }) => {
    if (raw.status !== 200 || !raw.bodyAsText) return;
    const body = JSON.parse(raw.bodyAsText) as { value?: Record<string, unknown>[] };
    pages.push(...(body.value ?? []));
  };
}

/** `/subscriptions/{s}/resourceGroups/{rg}/…` → its subscription and resource group. */
export function idParts(id: string): { subscriptionId: string; resourceGroup: string } {
  const m = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)/i.exec(id);
  return { subscriptionId: m?.[1] ?? "", resourceGroup: m?.[2] ?? "" };
}

/** Every legacy Azure API for FHIR account of the subscription (all pages). */
export async function listLegacyServices(session: ReadSession, subscriptionId: string, abortSignal?: AbortSignal): Promise<ReadResult<LegacyAccount[]>> {
  const raw: RawPages = [];
  try {
    const pages = session.arm(subscriptionId).healthcare.services.list({ abortSignal, onResponse: collectRaw(raw) }).byPage();
    // Drain the pager: each page's raw body lands in `raw` through onResponse.
    for await (const _page of pages) { /* raw bodies collected */ }
  } catch (err) {
    return failed(err);
  }
  return {
    ok: true,
    value: raw.map((r) => {
      const id = String(r.id ?? "");
      const { subscriptionId: sub, resourceGroup } = idParts(id);
      return { ...r, id, name: String(r.name ?? ""), subscriptionId: sub || subscriptionId, resourceGroup,
        location: String(r.location ?? ""), kind: String(r.kind ?? ""),
        properties: (r.properties ?? {}) as LegacyAccount["properties"] } as LegacyAccount;
    }),
  };
}

/** Existing AHDS workspaces of the subscription (what a target adopts) and the FHIR services in each. */
export async function listWorkspacesAndFhirServices(session: ReadSession, subscriptionId: string, abortSignal?: AbortSignal):
  Promise<ReadResult<{ workspaces: WorkspaceFacts[]; fhirServices: string[] }>> {
  const hc = session.arm(subscriptionId).healthcare;
  const workspaces: (WorkspaceFacts & { group: string; name: string })[] = [];
  try {
    for await (const page of hc.workspaces.listBySubscription({ abortSignal }).byPage()) {
      for (const w of page) {
        if (!w.id || !w.name) continue;
        const created = w.systemData?.createdAt;
        workspaces.push({
          id: w.id, group: idParts(w.id).resourceGroup, name: w.name, location: w.location ?? "", tags: { ...(w.tags ?? {}) },
          createdAt: created ? new Date(created).toISOString() : null,
          createdBy: w.systemData?.createdBy ?? null, createdByType: w.systemData?.createdByType ?? null,
        });
      }
    }
    // There is no subscription-wide FHIR service list: one listing per workspace, all at once.
    const perWorkspace = await Promise.all(workspaces.map(async (w) => {
      const ids: string[] = [];
      for await (const page of hc.fhirServices.listByWorkspace(w.group, w.name, { abortSignal }).byPage()) {
        for (const f of page) if (f.id) ids.push(f.id);
      }
      return ids;
    }));
    return {
      ok: true,
      value: { workspaces: workspaces.map(({ group: _g, name: _n, ...facts }) => facts), fhirServices: perWorkspace.flat() },
    };
  } catch (err) {
    return failed(err);
  }
}
