// POST /v1.0/directoryObjects/getByIds (Microsoft Graph v1.0, "directoryObject: getByIds"): the directory
// objects of the caller's tenant among `ids` (at most 1000), optionally narrowed by `types`; ids that do
// not exist are left out, not reported. Each object carries its `@odata.type`.
import { randomUUID } from "node:crypto";
import type { SandboxContext, TokenClaims } from "../context.js";
import type { SandboxRequest, SandboxResponse } from "../http.js";
import type { EstatePrincipal, PrincipalType } from "../estate-types.js";
import { graphError, graphHeaders } from "./graph-errors.js";

/** Graph documents "You can specify up to 1000 IDs". */
export const GET_BY_IDS_LIMIT = 1000;

const ODATA_TYPE: Record<PrincipalType, string> = {
  ServicePrincipal: "#microsoft.graph.servicePrincipal",
  User: "#microsoft.graph.user",
  Group: "#microsoft.graph.group",
};

/** Graph's `types` names (case-insensitive) for the principal types the estate holds. */
const TYPE_NAMES: Record<string, PrincipalType> = { serviceprincipal: "ServicePrincipal", user: "User", group: "Group" };

export function getByIds(req: SandboxRequest, ctx: SandboxContext, claims: TokenClaims, version: string): SandboxResponse {
  const nowMs = ctx.state.now();
  const bad = (message: string) => graphError(req, nowMs, 400, "Request_BadRequest", message);

  let body: unknown;
  try {
    body = req.body.length === 0 ? undefined : JSON.parse(req.body.toString("utf8"));
  } catch {
    return graphError(req, nowMs, 400, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) return bad("The request body is missing or is not a JSON object.");
  const { ids, types } = body as { ids?: unknown; types?: unknown };
  if (!Array.isArray(ids) || !ids.every((i): i is string => typeof i === "string")) {
    return bad("Invalid request: 'ids' must be a collection of strings.");
  }
  if (ids.length > GET_BY_IDS_LIMIT) {
    return bad(`Too many ids: ${ids.length}. At most ${GET_BY_IDS_LIMIT} ids may be requested at once.`);
  }
  if (types !== undefined && !(Array.isArray(types) && types.every((t) => typeof t === "string"))) {
    return bad("Invalid request: 'types' must be a collection of strings.");
  }
  const wanted = types === undefined ? undefined :
    new Set((types as string[]).map((t) => TYPE_NAMES[t.toLowerCase().replace(/^#?microsoft\.graph\./, "")]).filter((t) => t !== undefined));

  const tid = claims.tid.toLowerCase();
  const inTenant = ctx.state.principals.filter((p) => p.tenantId.toLowerCase() === tid);
  const seen = new Set<string>();
  const value: Record<string, unknown>[] = [];
  for (const id of ids) {
    const key = id.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    const p = inTenant.find((x) => x.objectId.toLowerCase() === key);
    if (!p || (wanted && !wanted.has(p.type))) continue;
    value.push(directoryObject(p));
  }
  return {
    status: 200,
    headers: graphHeaders(req, randomUUID()),
    body: { "@odata.context": `https://${ctx.state.hosts.graph}/${version}/$metadata#directoryObjects`, value },
  };
}

function directoryObject(p: EstatePrincipal): Record<string, unknown> {
  const out: Record<string, unknown> = { "@odata.type": ODATA_TYPE[p.type], id: p.objectId, displayName: p.displayName };
  if (p.type === "ServicePrincipal") {
    out.appId = p.appId ?? null;
    out.servicePrincipalType = "Application";
    out.accountEnabled = true;
  }
  return out;
}
