// Validation of the estate file, format 1 (DESIGN.md "Estate file"; types in estate-types.ts). The
// sandbox refuses an invalid estate with the JSON path of the first problem, so a user editing the file
// by hand learns exactly where it went wrong; unknown keys are only warned about (forward compatible).
// A --state file is an estate plus a `sandbox` section and passes through here too.
import { DEFAULT_BEHAVIOUR, KEY_ACCESS_ERROR_SHAPES } from "./estate-types.js";
import type { Behaviour, Estate, EstateKeyVersion, FaultRule } from "./estate-types.js";
import { checkFhirData } from "./fhir/fhir-estate.js";

export class EstateError extends Error {
  constructor(public readonly jsonPath: string, problem: string) {
    super(`${jsonPath}: ${problem}`);
    this.name = "EstateError";
  }
}

type Obj = Record<string, unknown>;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX32 = /^[0-9a-f]{32}$/;
const KTY = ["RSA", "RSA-HSM", "EC", "EC-HSM", "oct", "oct-HSM"];
const CURVES = ["P-256", "P-384", "P-521", "P-256K"];
const PRINCIPAL_TYPES = ["ServicePrincipal", "User", "Group"];
const CLOUDS = ["AzureCloud", "AzureUSGovernment"];
const SUBSCRIPTION_STATES = ["Enabled", "Warned", "PastDue", "Disabled", "Deleted"];

const TOP_KEYS = ["formatVersion", "cloud", "tenants", "principals", "caller", "subscriptions", "resourceGroups",
  "resources", "keys", "behaviour", "fhirData", "sandbox", "$schema", "description"];
const BEHAVIOUR_KEYS = Object.keys(DEFAULT_BEHAVIOUR);

const fail = (path: string, problem: string): never => { throw new EstateError(path, problem); };

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
function obj(v: unknown, path: string): Obj {
  return isObj(v) ? v : fail(path, "must be an object");
}
function arr(v: unknown, path: string): unknown[] {
  return Array.isArray(v) ? v : fail(path, "must be an array");
}
function str(o: Obj, key: string, path: string): string {
  const v = o[key];
  if (v === undefined) return fail(`${path}.${key}`, "is required");
  return typeof v === "string" && v.length > 0 ? v : fail(`${path}.${key}`, "must be a non-empty string");
}
function optStr(o: Obj, key: string, path: string): string | undefined {
  return o[key] === undefined ? undefined : str(o, key, path);
}
function guid(o: Obj, key: string, path: string): string {
  const v = str(o, key, path);
  return GUID.test(v) ? v : fail(`${path}.${key}`, "must be a GUID");
}
function oneOf(o: Obj, key: string, path: string, values: string[]): string {
  const v = str(o, key, path);
  return values.includes(v) ? v : fail(`${path}.${key}`, `must be one of ${values.join(", ")}`);
}
function num(v: unknown, path: string): number {
  return typeof v === "number" && Number.isFinite(v) ? v : fail(path, "must be a number");
}
function posInt(v: unknown, path: string): number {
  return Number.isInteger(v) && (v as number) >= 1 ? (v as number) : fail(path, "must be a positive integer");
}
function stringMap(v: unknown, path: string): void {
  const o = obj(v, path);
  for (const [k, x] of Object.entries(o)) if (typeof x !== "string") fail(`${path}.${k}`, "must be a string");
}
function warnUnknown(o: Obj, known: string[], path: string, warnings: string[]): void {
  for (const k of Object.keys(o)) if (!known.includes(k)) warnings.push(`${path}.${k}: unknown key, ignored`);
}
const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** Validate an estate (or state file) and return a deep copy with behaviour defaults filled in. */
export function parseEstate(json: unknown): { estate: Estate; warnings: string[] } {
  const warnings: string[] = [];
  const root = obj(structuredClone(json), "$");
  warnUnknown(root, TOP_KEYS, "$", warnings);

  if (root.formatVersion !== 1) fail("$.formatVersion", "must be 1");
  if (root.cloud === undefined) root.cloud = "AzureCloud";
  oneOf(root, "cloud", "$", CLOUDS);

  const tenants = arr(root.tenants, "$.tenants");
  if (tenants.length === 0) fail("$.tenants", "must list at least one tenant");
  const tenantIds: string[] = [];
  tenants.forEach((t, i) => {
    const p = `$.tenants[${i}]`;
    const o = obj(t, p);
    const id = guid(o, "tenantId", p);
    if (tenantIds.some((x) => same(x, id))) fail(`${p}.tenantId`, "duplicate tenant");
    tenantIds.push(id);
    str(o, "displayName", p);
    warnUnknown(o, ["tenantId", "displayName"], p, warnings);
  });
  const knownTenant = (id: string): boolean => tenantIds.some((x) => same(x, id));

  const principals = arr(root.principals, "$.principals");
  principals.forEach((x, i) => {
    const p = `$.principals[${i}]`;
    const o = obj(x, p);
    const tid = guid(o, "tenantId", p);
    if (!knownTenant(tid)) fail(`${p}.tenantId`, "names no tenant of the estate");
    guid(o, "objectId", p);
    oneOf(o, "type", p, PRINCIPAL_TYPES);
    str(o, "displayName", p);
    if (o.appId !== undefined) guid(o, "appId", p);
    if (o.clientSecret !== undefined) {
      str(o, "clientSecret", p);
      if (o.appId === undefined) fail(`${p}.appId`, "is required with clientSecret");
    }
    warnUnknown(o, ["tenantId", "objectId", "type", "displayName", "appId", "clientSecret"], p, warnings);
  });

  const caller = obj(root.caller, "$.caller");
  const callerTenant = guid(caller, "tenantId", "$.caller");
  if (!knownTenant(callerTenant)) fail("$.caller.tenantId", "names no tenant of the estate");
  const clientId = guid(caller, "clientId", "$.caller");
  const secret = str(caller, "clientSecret", "$.caller");
  const signer = principals.map((x) => x as Obj)
    .find((x) => same(String(x.tenantId), callerTenant) && typeof x.appId === "string" && same(x.appId, clientId));
  if (!signer) fail("$.caller.clientId", "no principal of the caller's tenant has this appId");
  if (signer!.clientSecret !== secret) fail("$.caller.clientSecret", "does not match the principal's clientSecret");
  warnUnknown(caller, ["tenantId", "clientId", "clientSecret"], "$.caller", warnings);

  const subscriptions = arr(root.subscriptions, "$.subscriptions");
  const subIds: string[] = [];
  subscriptions.forEach((x, i) => {
    const p = `$.subscriptions[${i}]`;
    const o = obj(x, p);
    const id = guid(o, "subscriptionId", p);
    if (subIds.some((s) => same(s, id))) fail(`${p}.subscriptionId`, "duplicate subscription");
    subIds.push(id);
    const tid = guid(o, "tenantId", p);
    if (!knownTenant(tid)) fail(`${p}.tenantId`, "names no tenant of the estate");
    str(o, "displayName", p);
    if (o.state !== undefined) oneOf(o, "state", p, SUBSCRIPTION_STATES);
    if (o.providerLocations !== undefined) parseProviderLocations(o.providerLocations, `${p}.providerLocations`);
    warnUnknown(o, ["subscriptionId", "tenantId", "displayName", "state", "providerLocations"], p, warnings);
  });
  const knownSub = (id: string): boolean => subIds.some((s) => same(s, id));

  const groups = arr(root.resourceGroups, "$.resourceGroups");
  const groupIds: string[] = [];
  groups.forEach((x, i) => {
    const p = `$.resourceGroups[${i}]`;
    const o = obj(x, p);
    const id = str(o, "id", p);
    const m = /^\/subscriptions\/([^/]+)\/resourceGroups\/([-\w._()]{1,90})$/i.exec(id);
    if (!m || m[2]!.endsWith(".")) fail(`${p}.id`, "must be /subscriptions/{subscriptionId}/resourceGroups/{name}");
    if (!knownSub(m![1]!)) fail(`${p}.id`, "names no subscription of the estate");
    if (groupIds.some((g) => same(g, id))) fail(`${p}.id`, "duplicate resource group");
    groupIds.push(id);
    str(o, "location", p);
    if (o.tags !== undefined) stringMap(o.tags, `${p}.tags`);
    warnUnknown(o, ["id", "location", "tags"], p, warnings);
  });

  const resources = arr(root.resources, "$.resources");
  const vaultNames: string[] = [];
  const resourceIds: string[] = [];
  resources.forEach((x, i) => {
    const p = `$.resources[${i}]`;
    const r = obj(x, p);
    const id = str(r, "id", p);
    const name = str(r, "name", p);
    const type = str(r, "type", p);
    const m = /^\/subscriptions\/([^/]+)(?:\/resourceGroups\/([^/]+))?(\/.*)?$/i.exec(id);
    if (!m) fail(`${p}.id`, "must start with /subscriptions/{subscriptionId}");
    if (!knownSub(m![1]!)) fail(`${p}.id`, "names no subscription of the estate");
    if (m![2] !== undefined && !groupIds.some((g) => same(g, `/subscriptions/${m![1]}/resourceGroups/${m![2]}`))) {
      fail(`${p}.id`, "names a resource group that is not in $.resourceGroups");
    }
    if (resourceIds.some((y) => same(y, id))) fail(`${p}.id`, "duplicate resource id");
    resourceIds.push(id);
    if (!same(id.split("/").pop()!, name)) fail(`${p}.name`, "must equal the last segment of id");
    if (r.tags !== undefined) stringMap(r.tags, `${p}.tags`);
    if (r.properties !== undefined) obj(r.properties, `${p}.properties`);
    if (r.identity !== undefined) obj(r.identity, `${p}.identity`);
    if (r.location !== undefined) str(r, "location", p);
    checkResource(r, type, p, root.cloud as string);
    if (same(type, "Microsoft.KeyVault/vaults")) vaultNames.push(name);
  });

  const keys = arr(root.keys, "$.keys");
  const keyIds: string[] = [];
  keys.forEach((x, i) => {
    const p = `$.keys[${i}]`;
    const o = obj(x, p);
    const vault = str(o, "vaultName", p);
    if (!vaultNames.some((v) => same(v, vault))) fail(`${p}.vaultName`, "names no Microsoft.KeyVault/vaults resource of the estate");
    const name = str(o, "name", p);
    if (!/^[0-9a-zA-Z-]{1,127}$/.test(name)) fail(`${p}.name`, "must be 1-127 letters, digits or hyphens");
    if (keyIds.includes(`${vault}/${name}`.toLowerCase())) fail(`${p}.name`, "duplicate key in this vault");
    keyIds.push(`${vault}/${name}`.toLowerCase());
    if (o.tags !== undefined) stringMap(o.tags, `${p}.tags`);
    const versions = arr(o.versions, `${p}.versions`);
    if (versions.length === 0) fail(`${p}.versions`, "must list at least one version");
    versions.forEach((v, j) => checkKeyVersion(v, `${p}.versions[${j}]`, warnings));
    warnUnknown(o, ["vaultName", "name", "versions", "tags"], p, warnings);
  });

  root.behaviour = parseBehaviour(root.behaviour, warnings);
  const typeOf = (id: string): string | undefined => (resources.find((r) => same((r as Obj).id as string, id)) as Obj | undefined)?.type as string | undefined;
  checkFhirData(root.fhirData, typeOf, warnings);

  if (root.sandbox !== undefined) {
    const s = obj(root.sandbox, "$.sandbox");
    arr(s.operations ?? [], "$.sandbox.operations");
  }
  return { estate: root as unknown as Estate, warnings };
}

/** Per-type rules for the resources the sandbox's own logic reads. */
function checkResource(r: Obj, type: string, p: string, cloud: string): void {
  const props = (r.properties ?? {}) as Obj;
  if (same(type, "Microsoft.KeyVault/vaults")) {
    const pp = `${p}.properties`;
    obj(r.properties, pp);
    guid(props, "tenantId", pp);
    const uri = str(props, "vaultUri", pp);
    // The sandbox serves a vault on its real host name, which belongs to the estate's cloud (azure-facts §6).
    const suffix = cloud === "AzureUSGovernment" ? "vault.usgovcloudapi.net" : "vault.azure.net";
    if (!new RegExp(`^https://[a-z0-9-]+\\.${suffix.replace(/\./g, "\\.")}/$`, "i").test(uri)) {
      fail(`${pp}.vaultUri`, `must be https://{vault}.${suffix}/ in ${cloud}`);
    }
    if (!same(new URL(uri).hostname.split(".")[0]!, String(r.name))) fail(`${pp}.vaultUri`, "must name the vault itself");
    str(r, "location", p);
  } else if (same(type, "Microsoft.HealthcareApis/services")) {
    str(r, "kind", p);
    str(r, "location", p);
    const cosmos = props.cosmosDbConfiguration;
    if (cosmos !== undefined) {
      const c = obj(cosmos, `${p}.properties.cosmosDbConfiguration`);
      if (c.keyVaultKeyUri !== undefined && c.keyVaultKeyUri !== null) {
        const uri = str(c, "keyVaultKeyUri", `${p}.properties.cosmosDbConfiguration`);
        if (!/^https:\/\/[^/]+\/keys\/[^/]+(\/[^/]*)?\/?$/i.test(uri)) {
          fail(`${p}.properties.cosmosDbConfiguration.keyVaultKeyUri`, "must be https://{vault host}/keys/{name}[/{version}]");
        }
      }
    }
  } else if (same(type, "Microsoft.HealthcareApis/workspaces") || same(type, "Microsoft.HealthcareApis/workspaces/fhirservices")
    || same(type, "Microsoft.ManagedIdentity/userAssignedIdentities") || same(type, "Microsoft.Storage/storageAccounts")
    || same(type, "Microsoft.ContainerRegistry/registries")) {
    str(r, "location", p);
    if (same(type, "Microsoft.HealthcareApis/workspaces/fhirservices")) str(r, "kind", p);
    if (same(type, "Microsoft.ManagedIdentity/userAssignedIdentities")) {
      guid(props, "tenantId", `${p}.properties`);
      guid(props, "principalId", `${p}.properties`);
      guid(props, "clientId", `${p}.properties`);
    }
  } else if (same(type, "Microsoft.Authorization/roleAssignments")) {
    const pp = `${p}.properties`;
    obj(r.properties, pp);
    guid(r, "name", p);
    const def = str(props, "roleDefinitionId", pp);
    if (!/\/providers\/Microsoft\.Authorization\/roleDefinitions\/[0-9a-f-]{36}$/i.test(def)) {
      fail(`${pp}.roleDefinitionId`, "must end with /providers/Microsoft.Authorization/roleDefinitions/{GUID}");
    }
    guid(props, "principalId", pp);
    str(props, "scope", pp);
  }
}

/** keySize of an EC key → its curve (P-256K is also 256 bits: keep its `crv`). */
const EC_CURVE_OF_SIZE: Record<string, string> = { 256: "P-256", 384: "P-384", 521: "P-521" };

function checkKeyVersion(v: unknown, p: string, warnings: string[]): EstateKeyVersion {
  const o = obj(v, p);
  const version = str(o, "version", p);
  if (!HEX32.test(version)) fail(`${p}.version`, "must be 32 lower-case hex characters");
  const kty = oneOf(o, "kty", p, KTY);
  if (kty.startsWith("RSA")) {
    const size = o.keySize;
    if (size === undefined) fail(`${p}.keySize`, "is required for RSA keys");
    if (!Number.isInteger(size) || (size as number) < 1024 || (size as number) > 16384 || (size as number) % 8 !== 0) {
      fail(`${p}.keySize`, "must be an integer 1024..16384, a multiple of 8");
    }
  } else if (o.keySize !== undefined) {
    // DESIGN.md's estate format gives every version a keySize; on an EC key it names the curve (Key Vault's
    // own `az keyvault key create --kty EC --curve` sizes): 256 → P-256, 384 → P-384, 521 → P-521.
    const curve = EC_CURVE_OF_SIZE[String(o.keySize)];
    if (curve === undefined) fail(`${p}.keySize`, "on an EC key must be 256, 384 or 521 (the curves P-256, P-384, P-521)");
    if (o.crv !== undefined && o.crv !== curve && !(curve === "P-256" && o.crv === "P-256K")) {
      fail(`${p}.crv`, `is ${JSON.stringify(o.crv)}, but keySize ${String(o.keySize)} names ${curve}`);
    }
    if (o.crv === undefined) o.crv = curve;
  }
  if (kty.startsWith("EC") && o.crv !== undefined) oneOf(o, "crv", p, CURVES);
  if (typeof o.enabled !== "boolean") fail(`${p}.enabled`, "must be true or false");
  for (const k of ["exp", "nbf"]) {
    if (o[k] === undefined) o[k] = null;
    if (o[k] !== null) num(o[k], `${p}.${k}`);
  }
  num(o.created, `${p}.created`);
  if (o.updated !== undefined) num(o.updated, `${p}.updated`);
  if (o.keyOps !== undefined) {
    arr(o.keyOps, `${p}.keyOps`).forEach((x, i) => { if (typeof x !== "string") fail(`${p}.keyOps[${i}]`, "must be a string"); });
  }
  warnUnknown(o, ["version", "kty", "keySize", "crv", "enabled", "exp", "nbf", "created", "updated", "keyOps"], p, warnings);
  return o as unknown as EstateKeyVersion;
}

function parseBehaviour(v: unknown, warnings: string[]): Behaviour {
  const p = "$.behaviour";
  const o = v === undefined ? {} : obj(v, p);
  warnUnknown(o, BEHAVIOUR_KEYS, p, warnings);
  const out: Behaviour = structuredClone(DEFAULT_BEHAVIOUR);
  if (o.latencyMs !== undefined && num(o.latencyMs, `${p}.latencyMs`) < 0) fail(`${p}.latencyMs`, "must be >= 0");
  if (o.latencyMs !== undefined) out.latencyMs = o.latencyMs as number;
  if (o.pageSize !== undefined) out.pageSize = posInt(o.pageSize, `${p}.pageSize`);
  if (o.rolePropagationMs !== undefined) {
    if (num(o.rolePropagationMs, `${p}.rolePropagationMs`) < 0) fail(`${p}.rolePropagationMs`, "must be >= 0");
    out.rolePropagationMs = o.rolePropagationMs as number;
  }
  if (o.fhirJobDurationMs !== undefined) {
    if (num(o.fhirJobDurationMs, `${p}.fhirJobDurationMs`) < 0) fail(`${p}.fhirJobDurationMs`, "must be >= 0");
    out.fhirJobDurationMs = o.fhirJobDurationMs as number;
  }
  if (o.keyAccessErrorShape !== undefined) {
    if (!(KEY_ACCESS_ERROR_SHAPES as readonly unknown[]).includes(o.keyAccessErrorShape)) {
      fail(`${p}.keyAccessErrorShape`, `must be one of ${KEY_ACCESS_ERROR_SHAPES.join(", ")}`);
    }
    out.keyAccessErrorShape = o.keyAccessErrorShape as Behaviour["keyAccessErrorShape"];
  }
  if (o.seed !== undefined) out.seed = num(o.seed, `${p}.seed`);
  if (o.operationDurationMs !== undefined) {
    const d = obj(o.operationDurationMs, `${p}.operationDurationMs`);
    for (const [k, x] of Object.entries(d)) {
      if (num(x, `${p}.operationDurationMs.${k}`) < 0) fail(`${p}.operationDurationMs.${k}`, "must be >= 0");
      out.operationDurationMs[k] = x as number;
    }
  }
  if (o.throttle !== undefined) {
    const t = obj(o.throttle, `${p}.throttle`);
    warnUnknown(t, ["reads", "writes", "deletes"], `${p}.throttle`, warnings);
    for (const kind of ["reads", "writes", "deletes"] as const) {
      if (t[kind] === undefined) continue;
      const tp = `${p}.throttle.${kind}`;
      const pair = arr(t[kind], tp);
      if (pair.length !== 2) fail(tp, "must be [bucket size, refill per second]");
      pair.forEach((n, i) => { if (num(n, `${tp}[${i}]`) <= 0) fail(`${tp}[${i}]`, "must be a positive number"); });
      out.throttle[kind] = [pair[0] as number, pair[1] as number];
    }
  }
  if (o.faults !== undefined) {
    out.faults = arr(o.faults, `${p}.faults`).map((f, i) => parseFault(f, `${p}.faults[${i}]`, warnings));
  }
  return out;
}

/** `subscriptions[].providerLocations`: resource type ("Namespace/type[/child]") → non-empty location names. */
function parseProviderLocations(v: unknown, p: string): void {
  const o = obj(v, p);
  for (const [type, locations] of Object.entries(o)) {
    if (!/^[A-Za-z][\w.]*\/[\w]+(\/[\w]+)*$/.test(type)) fail(`${p}["${type}"]`, "must be a resource type such as Microsoft.HealthcareApis/workspaces/fhirservices");
    if (!Array.isArray(locations) || locations.some((l) => typeof l !== "string" || l.trim() === "")) {
      fail(`${p}["${type}"]`, "must be an array of location names");
    }
  }
}

/** One fault rule (DESIGN.md "Estate file" `behaviour.faults`); also used by the admin API's POST /_sandbox/faults. */
export function parseFault(v: unknown, p: string, warnings: string[] = []): FaultRule {
  const o = obj(v, p);
  warnUnknown(o, ["match", "status", "rate", "nth", "count", "drop", "hang", "provisioningState"], p, warnings);
  const m = obj(o.match, `${p}.match`);
  warnUnknown(m, ["method", "host", "pathRegex"], `${p}.match`, warnings);
  for (const k of ["method", "host", "pathRegex"]) optStr(m, k, `${p}.match`);
  if (typeof m.pathRegex === "string") {
    try { new RegExp(m.pathRegex); } catch { fail(`${p}.match.pathRegex`, "must be a valid regular expression"); }
  }
  if (o.status !== undefined && (!Number.isInteger(o.status) || (o.status as number) < 100 || (o.status as number) > 599)) {
    fail(`${p}.status`, "must be an HTTP status 100-599");
  }
  if (o.rate !== undefined && (num(o.rate, `${p}.rate`) < 0 || (o.rate as number) > 1)) fail(`${p}.rate`, "must be 0..1");
  if (o.nth !== undefined) posInt(o.nth, `${p}.nth`);
  if (o.count !== undefined) posInt(o.count, `${p}.count`);
  if (o.drop !== undefined && typeof o.drop !== "boolean") fail(`${p}.drop`, "must be true or false");
  if (o.hang !== undefined && typeof o.hang !== "boolean") fail(`${p}.hang`, "must be true or false");
  optStr(o, "provisioningState", p);
  if (o.status === undefined && o.drop !== true && o.hang !== true && o.provisioningState === undefined) {
    fail(p, "needs status, drop, hang or provisioningState");
  }
  return o as unknown as FaultRule;
}
