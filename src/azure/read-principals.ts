// Which accessPolicies object ids are principals of the signed-in tenant: Microsoft Graph
// `POST /v1.0/directoryObjects/getByIds` (at most 1000 ids per call, Graph docs) through the SDK pipeline of
// clients.ts (Node's global fetch ignores HTTPS_PROXY, SDK-RECIPE §3). Ids that are not in the tenant are
// simply absent from the answer. 401/403 (no Directory.Read permission) → the whole answer is unknown.
import type { PrincipalType } from "../domain/snapshot.js";
import { failed, type ReadResult } from "./read-failure.js";
import type { ReadSession } from "./read-session.js";

export const GET_BY_IDS_BATCH = 1000;

const TYPES: Record<string, PrincipalType> = {
  "#microsoft.graph.user": "User", "#microsoft.graph.group": "Group", "#microsoft.graph.serviceprincipal": "ServicePrincipal",
};

export async function readPrincipals(session: ReadSession, objectIds: string[]): Promise<ReadResult<Record<string, PrincipalType>>> {
  const ids = [...new Set(objectIds.map((i) => i.toLowerCase()))];
  const batches: string[][] = [];
  for (let i = 0; i < ids.length; i += GET_BY_IDS_BATCH) batches.push(ids.slice(i, i + GET_BY_IDS_BATCH));
  try {
    const answers = await Promise.all(batches.map((batch) => session.graph().postJson("/v1.0/directoryObjects/getByIds", { ids: batch })));
    const out: Record<string, PrincipalType> = {};
    for (const a of answers) {
      for (const o of (a as { value?: { id?: string; "@odata.type"?: string }[] } | undefined)?.value ?? []) {
        const t = TYPES[(o["@odata.type"] ?? "").toLowerCase()];
        if (o.id && t) out[o.id.toLowerCase()] = t;
      }
    }
    return { ok: true, value: out };
  } catch (err) {
    return failed(err);
  }
}
