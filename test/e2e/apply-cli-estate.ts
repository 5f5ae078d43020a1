// Shared by the apply e2e tests: a 3-account estate (an RBAC-vault key, an access-policy-vault key, no CMK)
// with instant operations, a `sandbox start --estate --state` child per fresh Azure, the sandbox admin API
// (resources, request log, faults) and the CLI environment that reaches the sandbox WITHOUT a profile
// re-exec (the env the profile would apply), so a SIGKILL hits the process that writes the journal.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Estate } from "../../src/sandbox/estate-types.js";
import {
  accountId, addAccount, addKey, addVault, baseEstate, CALLER_OBJECT_ID, CALLER_SECRET, keyUri, TENANT_ID,
} from "../fixtures/estate-builders.js";
import { cleanEnv, startCli, type RunningCli } from "./cli-process.js";

export const ACCOUNTS = ["fhir-rbac", "fhir-ap", "fhir-nocmk"].map((n) => accountId(n));
export const ESTATE_SECRET = CALLER_SECRET;

export function threeAccountEstate(behaviour: Partial<Estate["behaviour"]> = {}): Estate {
  const e = baseEstate({ behaviour: { operationDurationMs: { default: 0 }, rolePropagationMs: 0, ...behaviour } });
  addVault(e, { name: "kv-ap", rbac: false, accessPolicies: [{ tenantId: TENANT_ID, objectId: CALLER_OBJECT_ID, permissions: { keys: ["get", "list"] } }] });
  addKey(e, { vault: "kv-ap", name: "cmk-ap" });
  addAccount(e, { name: "fhir-rbac" });
  addAccount(e, { name: "fhir-ap", keyUri: keyUri("kv-ap", "cmk-ap") });
  addAccount(e, { name: "fhir-nocmk", keyUri: null });
  return e;
}

interface Profile { proxyUrl: string; adminUrl: string; caCertPath: string; tenantId: string; clientId: string; clientSecret: string }

export interface CliSandbox {
  process: RunningCli;
  profilePath: string;
  profile: Profile;
  /** The CLI's environment for this sandbox (no profile: no re-exec). */
  env: NodeJS.ProcessEnv;
  admin<T>(method: string, path: string, body?: unknown): Promise<T>;
  stop(): Promise<void>;
}

/** `sandbox start --estate FILE --state STATE` in a child, ready once it says so. */
export async function startCliSandbox(dir: string, name: string, estatePath: string, caDir: string): Promise<CliSandbox> {
  const profilePath = join(dir, `${name}.profile.json`);
  const child = startCli(["sandbox", "start", "--estate", estatePath, "--state", join(dir, `${name}.state.json`),
    "--ca-dir", caDir, "--profile-out", profilePath]);
  await child.waitForStderr("Press Ctrl-C to stop.");
  const profile = JSON.parse(readFileSync(profilePath, "utf8")) as Profile;
  const env = cleanEnv({
    HTTPS_PROXY: profile.proxyUrl, NODE_EXTRA_CA_CERTS: profile.caCertPath, AZURE_TENANT_ID: profile.tenantId,
    AZURE_CLIENT_ID: profile.clientId, AZURE_CLIENT_SECRET: profile.clientSecret, AZURE_TOKEN_CREDENTIALS: "EnvironmentCredential",
  });
  return {
    process: child, profilePath, profile, env,
    async admin<T>(method: string, path: string, body?: unknown): Promise<T> {
      const res = await fetch(`${profile.adminUrl}${path}`, {
        method, ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
      });
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      return await res.json() as T;
    },
    async stop() {
      if (child.process.exitCode === null && child.process.signalCode === null) {
        child.process.kill("SIGTERM");
        await child.exited;
      }
    },
  };
}

/** Copies `name`.plan.json and .plan.md from `fromDir` into `toDir` (created): a fresh NAME for one run; the path of the copy. */
export function copyPlan(fromDir: string, toDir: string, name = "three"): string {
  mkdirSync(toDir, { recursive: true });
  for (const ext of [".plan.json", ".plan.md"]) copyFileSync(join(fromDir, `${name}${ext}`), join(toDir, `${name}${ext}`));
  return join(toDir, `${name}.plan.json`);
}

export function writeEstate(dir: string, estate: Estate): string {
  const p = join(dir, "estate.json");
  writeFileSync(p, JSON.stringify(estate, null, 2));
  return p;
}

export interface AdminResource { id: string; type: string; name: string; properties?: Record<string, unknown>; identity?: { userAssignedIdentities?: Record<string, unknown> } }
export interface AdminRequest { seq: number; method: string; host: string; path: string; status: number; kind: "read" | "write" | "delete" }

/** What apply made, independent of random principal ids: FHIR services with key URL + identity, identities, grants by identity name. */
export function targetState(resources: AdminResource[]): { fhir: string[]; identities: string[]; grants: string[]; accessPolicies: string[] } {
  const identities = resources.filter((r) => r.type === "Microsoft.ManagedIdentity/userAssignedIdentities");
  const nameOf = new Map(identities.map((i) => [String(i.properties?.principalId), i.name]));
  const fhir = resources.filter((r) => r.type === "Microsoft.HealthcareApis/workspaces/fhirservices").map((r) => {
    const enc = (r.properties?.encryption as { customerManagedKeyEncryption?: { keyEncryptionKeyUrl?: string } } | undefined)?.customerManagedKeyEncryption;
    return `${r.id.toLowerCase()} key=${enc?.keyEncryptionKeyUrl ?? "none"} identity=${Object.keys(r.identity?.userAssignedIdentities ?? {}).join(",").toLowerCase()}`;
  }).sort();
  const grants = resources.filter((r) => r.type === "Microsoft.Authorization/roleAssignments"
    && nameOf.has(String(r.properties?.principalId))).map((r) => {
    const p = r.properties as { scope: string; roleDefinitionId: string; principalId: string };
    return `${nameOf.get(p.principalId)} ${p.roleDefinitionId.split("/").at(-1)} @ ${p.scope.toLowerCase()}`;
  }).sort();
  const accessPolicies = resources.filter((r) => r.type === "Microsoft.KeyVault/vaults").flatMap((v) =>
    ((v.properties?.accessPolicies ?? []) as { objectId: string; permissions: { keys?: string[] } }[])
      .filter((e) => nameOf.has(e.objectId))
      .map((e) => `${v.name}: ${nameOf.get(e.objectId)} ${(e.permissions.keys ?? []).map((k) => k.toLowerCase()).sort().join(",")}`)).sort();
  return { fhir, identities: identities.map((i) => i.id.toLowerCase()).sort(), grants, accessPolicies };
}

/** Write requests (anything but GET/HEAD) to an Azure API for FHIR account. */
export function legacyWrites(log: AdminRequest[]): AdminRequest[] {
  return log.filter((r) => r.method !== "GET" && r.method !== "HEAD"
    && /\/providers\/Microsoft\.HealthcareApis\/services\//i.test(decodeURIComponent(r.path)));
}
