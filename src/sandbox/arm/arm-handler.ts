// Azure Resource Manager on the cloud's ARM host (management.azure.com / management.usgovcloudapi.net).
// Every request goes through ARM's front door in this order: bearer token (401 + WWW-Authenticate), the
// subscription and its tenant, the throttle (429 + Retry-After; rate-limit headers on every answer),
// route, api-version (400), RBAC (403 AuthorizationFailed), then the route's handler. Error bodies are
// ARM's `{ error: { code, message } }`; every answer carries x-ms-request-id and x-ms-correlation-request-id.
import { randomUUID } from "node:crypto";
import { armError, HttpError, segments, type OperationKind, type SandboxRequest, type SandboxResponse } from "../http.js";
import type { SandboxContext, TokenClaims } from "../context.js";
import { authenticate } from "../entra/authenticate.js";
import { takeToken } from "../throttle.js";
import { healthcareRoutes } from "./healthcare/routes.js";
import { isSupportedApiVersion, supportedApiVersions } from "./api-versions.js";
import { hasAction } from "./rbac.js";
import { findRoute, type ArmCall, type ArmRoute } from "./route.js";
import { authorizationFailed } from "./routes-common.js";
import { containerRegistryRoutes } from "./routes-container-registry.js";
import { keyVaultRoutes } from "./routes-key-vault.js";
import { managedIdentityRoutes } from "./routes-managed-identity.js";
import { permissionRoutes } from "./routes-permissions.js";
import { resourceGroupRoutes } from "./routes-resource-groups.js";
import { roleAssignmentRoutes } from "./routes-role-assignments.js";
import { roleDefinitionRoutes } from "./routes-role-definitions.js";
import { storageRoutes } from "./routes-storage.js";
import { subscriptionRoutes } from "./routes-subscriptions.js";
import { providerRoutes } from "./routes-providers.js";

/** Every route ARM serves, most specific first (the first match wins). */
let routes: ArmRoute[] | undefined;

export function armRoutes(): ArmRoute[] {
  return routes ??= [
    ...subscriptionRoutes, ...providerRoutes, ...resourceGroupRoutes, ...roleDefinitionRoutes, ...permissionRoutes, ...roleAssignmentRoutes,
    ...managedIdentityRoutes, ...keyVaultRoutes, ...storageRoutes, ...containerRegistryRoutes, ...healthcareRoutes,
  ];
}

const KIND_HEADER: Record<OperationKind, string> = { read: "reads", write: "writes", delete: "deletes" };

function kindOfMethod(method: string): OperationKind {
  const m = method.toUpperCase();
  if (m === "GET" || m === "HEAD") return "read";
  if (m === "DELETE") return "delete";
  return "write";
}

/** Claims of a JWT without verifying it — only to word an error message (exp, aud). */
function peekClaims(req: SandboxRequest): Record<string, unknown> {
  const h = req.headers.authorization;
  const token = typeof h === "string" ? h.replace(/^Bearer\s+/i, "") : "";
  try {
    return JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    return {};
  }
}

function utc(seconds: unknown): string {
  const n = typeof seconds === "number" ? seconds : Number(seconds);
  return Number.isFinite(n) ? new Date(n * 1000).toISOString().replace("T", " ").replace(/\.\d+Z$/, "") : "unknown";
}

/** ARM's 401s (Learn "Troubleshoot common Azure deployment errors" / token validation errors). */
function unauthorized(ctx: SandboxContext, tenant: string, code: string, message: string): SandboxResponse {
  const login = ctx.state.hosts.login;
  return armError(401, code, message, {
    "WWW-Authenticate": `Bearer authorization_uri="https://${login}/${tenant}", error="invalid_token", error_description="${message.replace(/"/g, "'")}"`,
  });
}

function authFailure(req: SandboxRequest, ctx: SandboxContext, tenant: string, reason: string): SandboxResponse {
  const peek = peekClaims(req);
  const arm = ctx.state.hosts.armAudience;
  switch (reason) {
    case "missing":
      return unauthorized(ctx, tenant, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.");
    case "expired":
      return unauthorized(ctx, tenant, "ExpiredAuthenticationToken",
        `The access token expiry UTC time '${utc(peek.exp)}' is earlier than current UTC time '${utc(ctx.state.now() / 1000)}'.`);
    case "audience":
      return unauthorized(ctx, tenant, "InvalidAuthenticationTokenAudience",
        `The access token has been obtained for wrong audience or resource '${String(peek.aud ?? "")}'. It should exactly match with one of the allowed audiences '${arm}/','${arm}'.`);
    case "invalid-signature":
      return unauthorized(ctx, tenant, "InvalidAuthenticationToken", "The access token has invalid signature.");
    default:
      return unauthorized(ctx, tenant, "InvalidAuthenticationToken", "The access token is invalid.");
  }
}

function queryValue(req: SandboxRequest, name: string): string | undefined {
  for (const [k, v] of req.query) if (k.toLowerCase() === name) return v;
  return undefined;
}

/** "Microsoft.KeyVault/vaults" style type of a path we do not serve, for InvalidResourceType. */
function typeOfPath(segs: string[]): { namespace: string; type: string } | undefined {
  const i = segs.map((s) => s.toLowerCase()).lastIndexOf("providers");
  if (i < 0 || !segs[i + 1]) return undefined;
  const rest = segs.slice(i + 2).filter((_, j) => j % 2 === 0);
  return { namespace: segs[i + 1]!, type: rest.join("/") };
}

export async function handleArm(req: SandboxRequest, ctx: SandboxContext): Promise<SandboxResponse> {
  const correlation = typeof req.headers["x-ms-correlation-request-id"] === "string" ? req.headers["x-ms-correlation-request-id"] : randomUUID();
  const common: Record<string, string> = { "x-ms-request-id": randomUUID(), "x-ms-correlation-request-id": correlation };
  const clientRequestId = req.headers["x-ms-client-request-id"];
  if (typeof clientRequestId === "string") common["x-ms-client-request-id"] = clientRequestId;
  let res: SandboxResponse;
  try {
    res = await serve(req, ctx, common);
  } catch (e) {
    if (e instanceof HttpError) res = e.response;
    else throw e;
  }
  return { ...res, headers: { ...(res.headers ?? {}), ...common } };
}

async function serve(req: SandboxRequest, ctx: SandboxContext, common: Record<string, string>): Promise<SandboxResponse> {
  const state = ctx.state;
  const segs = segments(req.path);
  const subscriptionId = segs[0]?.toLowerCase() === "subscriptions" ? segs[1] : undefined;
  const subscription = subscriptionId ? state.subscription(subscriptionId) : undefined;
  const homeTenant = subscription?.tenantId ?? state.caller.tenantId;

  // (a) Bearer token.
  const auth = authenticate(req, ctx, [state.hosts.armAudience]);
  if (!auth.ok) return authFailure(req, ctx, homeTenant, auth.reason);
  const claims: TokenClaims = auth.claims;
  ctx.notes.principal = claims.oid;

  // The subscription must exist, and the token must come from its tenant.
  if (subscriptionId && !subscription) {
    return armError(404, "SubscriptionNotFound", `The subscription '${subscriptionId}' could not be found.`);
  }
  if (subscription && subscription.tenantId.toLowerCase() !== claims.tid.toLowerCase()) {
    const sts = (t: string): string => `https://sts.windows.net/${t}/`;
    return unauthorized(ctx, subscription.tenantId, "InvalidAuthenticationTokenTenant",
      `The access token is from the wrong issuer '${sts(claims.tid)}'. It must match the tenant '${sts(subscription.tenantId)}' associated with this subscription. Please use the authority (URL) 'https://${state.hosts.login}/${subscription.tenantId}' to get the token. Note, if the subscription is transferred to another tenant there is no impact to the services, but information about new tenant could take time to propagate (up to an hour). If you just transferred your subscription and see this error message, please try back later.`);
  }

  // (d) Throttle, before anything else is looked at: ARM counts every authenticated request.
  const found = findRoute(armRoutes(), req.method, req.path);
  const kind = found.match?.route.kind ?? kindOfMethod(req.method);
  const bucket = subscription ? subscription.subscriptionId : "tenant";
  ctx.notes.subscription = subscription?.subscriptionId;
  ctx.notes.kind = kind;
  const token = takeToken(state, bucket, claims.oid, kind);
  common[`x-ms-ratelimit-remaining-subscription-${KIND_HEADER[kind]}`] = String(token.remaining);
  if (!subscription) common[`x-ms-ratelimit-remaining-tenant-${KIND_HEADER[kind]}`] = String(token.remaining);
  if (!token.allowed) {
    ctx.notes.throttled = true;
    const window = kind === "read" ? "Read" : kind === "write" ? "Write" : "Delete";
    return armError(429, "TooManyRequests",
      `The request is being throttled as the limit has been reached for operation type - ${window}_ObservationWindow_00:05:00. For more information, see - https://aka.ms/armthrottling`,
      { "Retry-After": String(Math.max(1, Math.ceil(token.retryAfterSeconds))) });
  }

  // (b) Route.
  const apiVersion = queryValue(req, "api-version");
  if (!found.match) {
    if (found.pathMatched) {
      return armError(405, "MethodNotAllowed", `The requested resource does not support http method '${req.method.toUpperCase()}'.`);
    }
    if (!apiVersion) return missingApiVersion();
    const t = typeOfPath(segs);
    if (t) {
      return armError(404, "InvalidResourceType",
        `The resource type '${t.type}' could not be found in the namespace '${t.namespace}' for api version '${apiVersion}'.`);
    }
    return armError(404, "NotFound", `The requested path '${req.path}' was not found.`);
  }
  const { route, params } = found.match;

  // (c) api-version.
  if (!apiVersion) return missingApiVersion();
  if (!isSupportedApiVersion(route.resourceType, apiVersion)) {
    return armError(400, "InvalidApiVersionParameter",
      `The api-version '${apiVersion}' is invalid. The supported versions are '${supportedApiVersions(route.resourceType).join(",")}'.`);
  }

  // (e) RBAC at the scope the request addresses.
  const action = typeof route.action === "function" ? route.action(params) : route.action;
  if (!route.skipAuthorization) {
    const scope = "/" + segs.join("/");
    if (!hasAction(state, claims.oid, scope, action)) return authorizationFailed(claims.oid, action, scope);
  }

  const call: ArmCall = { req, ctx, params, apiVersion, claims, baseUrl: `https://${state.hosts.arm}` };
  return route.handle(call);
}

function missingApiVersion(): SandboxResponse {
  return armError(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.");
}
