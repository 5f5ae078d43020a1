// Maps what the Azure SDKs throw onto the domain taxonomy (src/domain/errors.ts), so nothing above
// src/azure needs to know RestError or the identity errors. Messages never carry tokens or secrets.
import { AzureError, UserError } from "../domain/errors.js";
import { EXTRA_CA_ENV } from "./extra-ca-env.js";

interface RestErrorLike {
  name: string;
  message: string;
  statusCode?: number;
  code?: string;
  response?: { headers: { get(name: string): string | undefined } };
}

const CREDENTIAL_ERRORS = new Set(["CredentialUnavailableError", "AuthenticationError", "AggregateAuthenticationError",
  "AuthenticationRequiredError"]);

/** Milliseconds from `retry-after-ms`, `x-ms-retry-after-ms` or `Retry-After` (seconds or HTTP date). */
export function retryAfterMsFrom(get: (name: string) => string | undefined, nowMs: number = Date.now()): number | undefined {
  for (const h of ["retry-after-ms", "x-ms-retry-after-ms"]) {
    const v = Number(get(h));
    if (get(h) !== undefined && Number.isFinite(v) && v >= 0) return v;
  }
  const ra = get("retry-after");
  if (ra === undefined) return undefined;
  const seconds = Number(ra);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(ra);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** Converts an SDK error into AzureError / UserError; anything else is returned unchanged. */
export function toDomainError(err: unknown, what: string): unknown {
  if (typeof err !== "object" || err === null) return err;
  const e = err as RestErrorLike;
  if (CREDENTIAL_ERRORS.has(e.name)) {
    return new UserError(`Can't sign in to Azure (${what}): ${firstLine(e.message)}`, [
      "Run 'az login' (and 'az account set'), or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET.",
      "Against the sandbox, pass --profile FILE (or AHDS_MIGRATE_PROFILE) with the file 'sandbox start --profile-out' wrote.",
      // The SDK reports a proxy certificate it does not trust as a plain sign-in failure (seen: "Status code: 400").
      ...(behindProxyWithoutCa() ? ["Behind a TLS-inspecting proxy (HTTPS_PROXY is set), name its CA with --ca-certs FILE (or AHDS_MIGRATE_CA_CERTS)."] : []),
    ], { cause: err });
  }
  if (e.name === "RestError") {
    const status = e.statusCode;
    const get = (h: string) => e.response?.headers.get(h);
    const requestId = get("x-ms-request-id");
    const retryAfterMs = e.response ? retryAfterMsFrom(get) : undefined;
    const retryable = status === undefined || status === 408 || status === 429 || (status >= 500 && status !== 501 && status !== 505);
    const detail = [status !== undefined ? `HTTP ${status}` : undefined, e.code].filter(Boolean).join(" ");
    return new AzureError(`Azure refused ${what}${detail ? ` (${detail})` : ""}: ${firstLine(e.message)}`,
      { status, code: e.code, requestId, retryable, retryAfterMs, cause: err });
  }
  return err;
}

function firstLine(message: string): string {
  return (message.split("\n").find((l) => l.trim() !== "") ?? message).trim();
}

function behindProxyWithoutCa(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.HTTPS_PROXY ?? env.https_proxy) && !env[EXTRA_CA_ENV];
}
