// How a failed read becomes data (FINDINGS.md "Definitions"): the SDK error is classified into a
// ReadFailure (src/domain/snapshot.ts) plus a one-line message, so discovery never crashes on a 403, a 404,
// a vanished vault or another tenant's vault. Cancellation is the one error that is not data: it is rethrown.
import type { ReadFailure } from "../domain/snapshot.js";

export type ReadResult<T> =
  | { ok: true; value: T }
  | { ok: false; failure: ReadFailure; message: string; status?: number };

export interface ClassifiedFailure {
  failure: ReadFailure | "disabled";
  message: string;
  status?: number;
  /** For "cross-tenant": the tenant the vault's challenge named. */
  tenantId?: string;
}

interface ErrorLike { name?: string; message?: string; statusCode?: number; code?: string }

// DefaultAzureCredential (additionallyAllowedTenants unset) refuses a challenge naming another tenant with
// "The current credential is not configured to acquire tokens for tenant {tid}" (SDK-RECIPE §4, observed).
const CROSS_TENANT = /not configured to acquire tokens for tenant ([0-9a-f-]{36}|[\w.-]+)/i;
// Key Vault: 403 "Operation get is not allowed on a disabled key." (inner code KeyDisabled, which RestError
// does not keep; SDK-RECIPE §5).
const DISABLED = /not allowed on a disabled key/i;
// Key Vault firewall: 403 "Client address is not authorized and caller is not a trusted service."
// (inner code ForbiddenByFirewall; Learn "Troubleshoot Azure Key Vault firewall").
const FIREWALL = /ForbiddenByFirewall|Client address is not authorized/i;

export function isAbort(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as ErrorLike).name === "AbortError";
}

/** True when the host does not exist: DNS failure, or (behind a proxy) the proxy refused the tunnel (502). */
export function isHostGone(err: unknown): boolean {
  const e = err as ErrorLike;
  if (e.code === "ENOTFOUND" || e.code === "EAI_AGAIN" || /getaddrinfo ENOTFOUND/.test(e.message ?? "")) return true;
  return e.statusCode === 502 && (e.code === "ProxyHostNotFound" || /ProxyHostNotFound/.test(e.message ?? ""));
}

export function classify(err: unknown): ClassifiedFailure {
  if (isAbort(err)) throw err;
  const e = (typeof err === "object" && err !== null ? err : { message: String(err) }) as ErrorLike;
  const message = firstLine(e.message ?? String(err));
  const cross = CROSS_TENANT.exec(e.message ?? "");
  if (cross) return { failure: "cross-tenant", message, tenantId: cross[1] };
  const status = e.statusCode;
  const withStatus = (failure: ClassifiedFailure["failure"]): ClassifiedFailure =>
    status === undefined ? { failure, message } : { failure, message, status };
  if (isHostGone(err)) return withStatus("not-found");
  if (status === 403) {
    if (DISABLED.test(e.message ?? "")) return withStatus("disabled");
    if (e.code === "ForbiddenByFirewall" || FIREWALL.test(e.message ?? "")) return withStatus("firewall");
    return withStatus("forbidden");
  }
  if (status === 401) return withStatus("forbidden");
  if (status === 404) return withStatus("not-found");
  return withStatus("error");
}

/** A ReadResult failure from an error; "disabled" only makes sense for getKey and reads as "forbidden" elsewhere. */
export function failed<T>(err: unknown): ReadResult<T> {
  const c = classify(err);
  const out: ReadResult<T> = { ok: false, failure: c.failure === "disabled" ? "forbidden" : c.failure, message: c.message };
  if (c.status !== undefined) out.status = c.status;
  return out;
}

export function firstLine(message: string): string {
  return (message.split("\n").find((l) => l.trim() !== "") ?? message).trim();
}
