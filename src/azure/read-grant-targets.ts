// Storage accounts and container registries of a subscription, for the export and ACR grants (FINDINGS.md
// "Grant targets"). No pinned SDK covers these providers, so the GET goes through an ARM client's own
// pipeline (`client.sendRequest`: same credential, proxy, limiter and user agent, DESIGN.md "Apply") — the
// authorization client, whose pipeline rewrites no api-version (the HealthcareApis one would). Pages follow
// `nextLink` verbatim (ARM makes it absolute with its api-version).
import { createPipelineRequest } from "@azure/core-rest-pipeline";
import { CLOUDS } from "./cloud.js";
import { failed, type ReadResult } from "./read-failure.js";
import type { ReadSession } from "./read-session.js";

/** Microsoft.Storage 2023-05-01 (storage.json), Microsoft.ContainerRegistry 2023-07-01 (containerregistry.json). */
export const STORAGE_API_VERSION = "2023-05-01";
export const REGISTRY_API_VERSION = "2023-07-01";

type ArmItem = { id?: string; name?: string; properties?: Record<string, unknown> };

async function listAll(session: ReadSession, subscriptionId: string, path: string, apiVersion: string, abortSignal?: AbortSignal): Promise<ArmItem[]> {
  const client = session.arm(subscriptionId).authorization;
  const items: ArmItem[] = [];
  let url: string | undefined = `${CLOUDS[session.cloud].arm}/subscriptions/${subscriptionId}/providers/${path}?api-version=${apiVersion}`;
  while (url) {
    const response = await client.sendRequest(createPipelineRequest({ url, method: "GET", abortSignal }));
    const body = response.bodyAsText ? (JSON.parse(response.bodyAsText) as { value?: ArmItem[]; nextLink?: string; error?: { code?: string; message?: string } }) : {};
    if (response.status >= 400) {
      throw Object.assign(new Error(body.error?.message ?? `ARM answered ${response.status}`),
        { name: "RestError", statusCode: response.status, code: body.error?.code });
    }
    items.push(...(body.value ?? []));
    url = body.nextLink ?? undefined;
  }
  return items;
}

/** Storage accounts: lower-case name → ARM id. */
export async function listStorageAccounts(session: ReadSession, subscriptionId: string, abortSignal?: AbortSignal): Promise<ReadResult<Record<string, string>>> {
  try {
    const out: Record<string, string> = {};
    for (const a of await listAll(session, subscriptionId, "Microsoft.Storage/storageAccounts", STORAGE_API_VERSION, abortSignal)) {
      if (a.id && a.name) out[a.name.toLowerCase()] = a.id;
    }
    return { ok: true, value: out };
  } catch (err) {
    return failed(err);
  }
}

/** Container registries: lower-case `properties.loginServer` → ARM id. */
export async function listRegistries(session: ReadSession, subscriptionId: string, abortSignal?: AbortSignal): Promise<ReadResult<Record<string, string>>> {
  try {
    const out: Record<string, string> = {};
    for (const r of await listAll(session, subscriptionId, "Microsoft.ContainerRegistry/registries", REGISTRY_API_VERSION, abortSignal)) {
      const login = r.properties?.loginServer;
      if (r.id && typeof login === "string") out[login.toLowerCase()] = r.id;
    }
    return { ok: true, value: out };
  } catch (err) {
    return failed(err);
  }
}
