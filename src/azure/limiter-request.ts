// What the limiter needs to know about one request: which ARM bucket it draws from and which
// remaining-quota header answers for that bucket (azure-facts §4.1, Learn "Request limits and throttling").

export type ArmOperationKind = "read" | "write" | "delete";

/** Services whose requests go through the limiter: ARM uses buckets; Key Vault and Graph only the queue. */
export type LimitedService = "arm" | "keyvault" | "graph" | "fhir";

/** The bucket scope of tenant-level ARM calls (`GET /subscriptions`, `/providers/…`). */
export const TENANT_SCOPE = "tenant";

/** ARM's classification: GET/HEAD reads, DELETE deletes, everything else (PUT, PATCH, POST) writes. */
export function armKindOf(method: string): ArmOperationKind {
  const m = method.toUpperCase();
  if (m === "GET" || m === "HEAD" || m === "OPTIONS") return "read";
  if (m === "DELETE") return "delete";
  return "write";
}

/**
 * The subscription id (lower case) a request URL is under, or TENANT_SCOPE. Repeated slashes are collapsed:
 * role-assignment calls put a scope `/subscriptions/…` after a `/` (SDK-RECIPE §4) and send `//subscriptions/…`.
 */
export function armScopeOf(url: string): string {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    path = url.split("?")[0] ?? "";
  }
  const m = /^\/subscriptions\/([^/]+)/i.exec(path.replace(/\/{2,}/g, "/"));
  return m?.[1] ? decodeURIComponent(m[1]).toLowerCase() : TENANT_SCOPE;
}

/** `x-ms-ratelimit-remaining-{subscription|tenant}-{reads|writes|deletes}`. */
export function remainingHeaderOf(scope: string, kind: ArmOperationKind): string {
  return `x-ms-ratelimit-remaining-${scope === TENANT_SCOPE ? "tenant" : "subscription"}-${kind}s`;
}
