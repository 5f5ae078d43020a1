// The connection profile (DESIGN.md "Connection profile"), applied to the running process (issue 8):
// the proxy and credential variables of SDK-RECIPE §2 before any client exists, and the CA through the
// shared transport (http-client.ts) instead of NODE_EXTRA_CA_CERTS, which node reads only at start — so
// the CLI no longer re-executes itself in a child that could outlive a killed parent.
// No @azure/* import here on purpose: the profile is handled before the CLI loads any SDK.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { UsageError, UserError } from "../domain/errors.js";
import { isCloudName, type CloudName } from "./cloud.js";
import { EXTRA_CA_ENV } from "./extra-ca-env.js";

export interface ConnectionProfile {
  formatVersion: 1;
  cloud: CloudName;
  proxyUrl: string;
  caCertPath: string;
  /** Origin of the sandbox admin API (`http://127.0.0.1:PORT`); routes under `/_sandbox/`. */
  adminUrl?: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
}

const REQUIRED_STRINGS = ["proxyUrl", "caCertPath", "tenantId", "clientId", "clientSecret"] as const;

/**
 * Validates a parsed profile. Relative `caCertPath` is resolved against `baseDir` (the profile's folder).
 * Throws UsageError naming the first invalid field; never echoes a value (the secret lives here).
 */
export function validateProfile(json: unknown, source: string, baseDir: string): ConnectionProfile {
  const invalid = (field: string, why: string) =>
    new UsageError(`Invalid connection profile ${source}: ${field} ${why}.`,
      ["Write it again with 'ahds-migrate sandbox start … --profile-out FILE' (DESIGN.md \"Connection profile\")."]);
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw invalid("$", "is not a JSON object");
  const p = json as Record<string, unknown>;
  if (p.formatVersion !== 1) throw invalid("$.formatVersion", "must be 1");
  const cloud = p.cloud ?? "AzureCloud";
  if (!isCloudName(cloud)) throw invalid("$.cloud", "must be AzureCloud or AzureUSGovernment");
  for (const field of REQUIRED_STRINGS) {
    if (typeof p[field] !== "string" || (p[field] as string).trim() === "") throw invalid(`$.${field}`, "must be a non-empty string");
  }
  const proxyUrl = p.proxyUrl as string;
  if (!/^https?:\/\/[^/\s]+\/?$/.test(proxyUrl)) throw invalid("$.proxyUrl", "must be an http(s) origin such as http://127.0.0.1:8443");
  if (p.adminUrl !== undefined && (typeof p.adminUrl !== "string" || !/^https?:\/\//.test(p.adminUrl))) {
    throw invalid("$.adminUrl", "must be an http(s) URL");
  }
  return {
    formatVersion: 1,
    cloud,
    proxyUrl,
    caCertPath: resolve(baseDir, p.caCertPath as string),
    ...(typeof p.adminUrl === "string" ? { adminUrl: p.adminUrl } : {}),
    tenantId: p.tenantId as string,
    clientId: p.clientId as string,
    clientSecret: p.clientSecret as string,
  };
}

/** Reads and validates a profile file. Missing/unreadable → UserError (1); not JSON or invalid → UsageError (2). */
export async function readProfile(path: string): Promise<ConnectionProfile> {
  const abs = resolve(path);
  let text: string;
  try {
    text = await readFile(abs, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(
      code === "ENOENT" ? `Can't read connection profile ${path}: the file does not exist.`
        : `Can't read connection profile ${path}: ${code ?? String(err)}.`,
      ["Start a sandbox with 'ahds-migrate sandbox start --demo --profile-out FILE' (or 'npm run demo') and pass that FILE, or drop --profile / AHDS_MIGRATE_PROFILE to use Azure."],
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError(`Invalid connection profile ${path}: not JSON.`,
      ["Write it again with 'ahds-migrate sandbox start … --profile-out FILE'."]);
  }
  const profile = validateProfile(json, path, dirname(abs));
  if (!existsSync(profile.caCertPath)) {
    throw new UserError(`Can't use connection profile ${path}: its CA file ${profile.caCertPath} does not exist.`,
      ["Start the sandbox again; it writes a fresh profile."]);
  }
  return profile;
}

/**
 * The environment of SDK-RECIPE §2: the unmodified SDKs then reach the sandbox as they reach Azure. For a
 * child node (benchmarks) NODE_EXTRA_CA_CERTS carries the CA; in-process, applyProfile adds EXTRA_CA_ENV.
 */
export function sandboxEnv(p: Pick<ConnectionProfile, "proxyUrl" | "caCertPath" | "tenantId" | "clientId" | "clientSecret">,
  base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, HTTPS_PROXY: p.proxyUrl, NODE_EXTRA_CA_CERTS: p.caCertPath,
    AZURE_TENANT_ID: p.tenantId, AZURE_CLIENT_ID: p.clientId, AZURE_CLIENT_SECRET: p.clientSecret,
    // A failing sandbox token must not fall through to IMDS or the az CLI.
    AZURE_TOKEN_CREDENTIALS: "EnvironmentCredential" };
  // NO_PROXY is read once per process and an empty upper-case value falls through to the lower-case one.
  for (const k of ["NO_PROXY", "no_proxy", "https_proxy", "AZURE_AUTHORITY_HOST", "AZURE_CLIENT_CERTIFICATE_PATH",
    "AZURE_USERNAME", "AZURE_PASSWORD", "AZURE_FEDERATED_TOKEN_FILE"]) delete env[k];
  return env;
}

/**
 * Applies the profile to THIS process (issue 8): the proxy and credential variables are set in
 * `env` before any SDK client or credential exists (clients read them when they are built), and the CA
 * goes to the one transport every client and the credential share (http-client.ts EXTRA_CA_ENV), so
 * there is no re-executed child — killing the process the user started stops all work.
 */
export function applyProfile(p: ConnectionProfile, env: NodeJS.ProcessEnv = process.env): void {
  const next = sandboxEnv(p, env);
  // NODE_EXTRA_CA_CERTS is read only when node starts: setting it now would change nothing but what
  // `doctor` and children would believe. The user's own value (if any) stays; the profile's CA goes to EXTRA_CA_ENV.
  if (env.NODE_EXTRA_CA_CERTS === undefined) delete next.NODE_EXTRA_CA_CERTS;
  else next.NODE_EXTRA_CA_CERTS = env.NODE_EXTRA_CA_CERTS;
  for (const k of Object.keys(env)) if (!(k in next)) delete env[k];
  Object.assign(env, next, { [EXTRA_CA_ENV]: p.caCertPath });
}
