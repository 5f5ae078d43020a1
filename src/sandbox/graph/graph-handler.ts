// Microsoft Graph on the cloud's Graph host (graph.microsoft.com / graph.microsoft.us): only
// `POST /v1.0/directoryObjects/getByIds`, answered from the estate's principals of the caller's tenant.
// Every request needs a bearer token for the Graph audience, checked before the path (as Graph does).
// Imports only src/sandbox.
import type { SandboxContext } from "../context.js";
import type { SandboxRequest, SandboxResponse } from "../http.js";
import { segments } from "../http.js";
import { authenticate } from "../entra/authenticate.js";
import { getByIds } from "./get-by-ids.js";
import { graphError } from "./graph-errors.js";

/** Graph's wording per failed check (InvalidAuthenticationToken in every case). */
const AUTH_MESSAGES = {
  missing: "Access token is empty.",
  malformed: "IDX14100: JWT is not well formed, there are no dots (.).",
  "invalid-signature": "Access token validation failure. Invalid signature.",
  expired: "Lifetime validation failed, the token is expired.",
  audience: "Access token validation failure. Invalid audience.",
} as const;

export function handleGraph(req: SandboxRequest, ctx: SandboxContext): SandboxResponse {
  const state = ctx.state;
  const nowMs = state.now();
  const auth = authenticate(req, ctx, [state.hosts.graphAudience]);
  if (!auth.ok) {
    return graphError(req, nowMs, 401, "InvalidAuthenticationToken", AUTH_MESSAGES[auth.reason],
      { "www-authenticate": `Bearer realm="", authorization_uri="https://${state.hosts.login}/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"` });
  }
  ctx.notes.principal = auth.claims.oid;

  const segs = segments(req.path);
  const version = segs[0] ?? "";
  if (version !== "v1.0" && version !== "beta") {
    return graphError(req, nowMs, 400, "BadRequest", `Invalid version: ${version}`);
  }
  const [entity, action, ...more] = segs.slice(1);
  if (entity?.toLowerCase() !== "directoryobjects") {
    return graphError(req, nowMs, 400, "BadRequest", `Resource not found for the segment '${entity ?? ""}'.`);
  }
  if (action?.toLowerCase() === "getbyids" && more.length === 0) {
    if (req.method !== "POST") {
      return graphError(req, nowMs, 405, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.");
    }
    // A POST that only reads (Graph "directoryObject: getByIds" needs Directory.Read.All): logged as a read.
    ctx.notes.kind = "read";
    return getByIds(req, ctx, auth.claims, version);
  }
  return graphError(req, nowMs, 404, "Request_ResourceNotFound",
    `Resource '${action ?? ""}' does not exist or one of its queried reference-property objects are not present.`);
}
