// The connection profile (DESIGN.md "Connection profile") and the re-run of node with its environment
// (SDK-RECIPE §2). Node reads NODE_EXTRA_CA_CERTS only at start, so a profile cannot be applied to the
// running process: the CLI re-executes itself with the profile's environment before any client exists.
// No @azure/* import here on purpose: the profile is handled before the CLI loads any SDK.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { constants as osConstants } from "node:os";
import { dirname, resolve } from "node:path";
import { UsageError, UserError } from "../domain/errors.js";
import { isCloudName, type CloudName } from "./cloud.js";

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

/** Set in the re-executed child to the absolute profile path, so it does not re-execute again. */
export const PROFILE_MARKER = "AHDS_MIGRATE_PROFILE_APPLIED";

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

/** The environment of SDK-RECIPE §2: the unmodified SDKs then reach the sandbox as they reach Azure. */
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

/** True when this process already runs with the profile's environment (the re-executed child). */
export function profileApplied(profilePath: string, p: ConnectionProfile, env: NodeJS.ProcessEnv = process.env): boolean {
  return env[PROFILE_MARKER] === resolve(profilePath) && env.HTTPS_PROXY === p.proxyUrl
    && env.NODE_EXTRA_CA_CERTS === p.caCertPath && env.AZURE_CLIENT_ID === p.clientId;
}

const FORWARDED_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/**
 * Runs this same command again in a child node with the profile's environment, stdio inherited, and
 * resolves with the exit code the parent must use: the child's, or 128 + signal number when the child
 * died of a signal. SIGINT/SIGTERM/SIGHUP reaching the parent are forwarded to the child (a terminal's
 * Ctrl-C reaches both; the child's handlers must tolerate a repeated signal).
 */
export function reexecWithProfile(profilePath: string, p: ConnectionProfile): Promise<number> {
  const env = { ...sandboxEnv(p), [PROFILE_MARKER]: resolve(profilePath) };
  return runNodeChild(process.argv.slice(1), env);
}

/**
 * Run this node binary on `args` with `env` and the terminal inherited; SIGINT/SIGTERM/SIGHUP reaching
 * this process go to the child; resolves with the child's exit code (128 + signal when it died of one).
 * Node flags (e.g. --import hooks) are kept, but not a debugger port the child could not bind again.
 */
export function runNodeChild(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const execArgv = process.execArgv.filter((a) => !a.startsWith("--inspect"));
  const child = spawn(process.execPath, [...execArgv, ...args], { env, stdio: "inherit" });
  return new Promise<number>((resolvePromise, reject) => {
    const forward = (signal: NodeJS.Signals) => () => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    };
    const handlers = FORWARDED_SIGNALS.map((s) => [s, forward(s)] as const);
    for (const [s, h] of handlers) process.on(s, h);
    const cleanup = () => { for (const [s, h] of handlers) process.off(s, h); };
    child.once("error", (err) => {
      cleanup();
      reject(new UserError(`Can't start ${process.execPath} with the profile's environment: ${err.message}.`));
    });
    child.once("exit", (code, signal) => {
      cleanup();
      resolvePromise(code ?? 128 + (signal ? osConstants.signals[signal] ?? 0 : 0));
    });
  });
}
