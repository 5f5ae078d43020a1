// The admin API, on the proxy port only (never reachable through a tunnel): what tests, benchmarks
// and demos use to look at and change the sandbox's Azure (DESIGN.md "The sandbox"). The same
// operations are methods of the in-process Sandbox object (server.ts).
import { randomBytes } from "node:crypto";
import type { ArmResource, EstateKeyVersion, FaultRule } from "./estate-types.js";
import { HttpError, type SandboxRequest, type SandboxResponse } from "./http.js";
import type { RequestLogEntry } from "./request-log.js";
import type { SandboxState } from "./state.js";
import { fhirCounts, writeFhir } from "./fhir/fhir-admin.js";

export interface AdminKey {
  vault: string;
  key: string;
  tags?: Record<string, string>;
  versions: EstateKeyVersion[];
}

export interface RotatedKey extends EstateKeyVersion { vault: string; key: string }

function adminError(status: number, code: string, message: string): HttpError {
  return new HttpError({ status, body: { error: { code, message } } });
}

/** Every ARM resource as a GET returns it, resource groups included. */
export function allResources(state: SandboxState): ArmResource[] {
  return [...state.resources.values()].map((r) => structuredClone(r));
}

/** Vaults, keys and versions with their attributes (the estate holds no key material). */
export function allKeys(state: SandboxState): AdminKey[] {
  return [...state.keys.values()].map((k) => ({
    vault: k.vaultName, key: k.name, ...(k.tags ? { tags: { ...k.tags } } : {}),
    versions: k.versions.map((v) => ({ ...v })),
  }));
}

/** Add a new current version (same kty/size/curve, created now) and return it. */
export function rotateKey(state: SandboxState, vault: string, key: string): RotatedKey {
  const k = state.getKey(vault, key);
  if (!k) throw adminError(404, "KeyNotFound", `No key '${key}' in vault '${vault}'.`);
  const current = [...k.versions].sort((a, b) => a.created - b.created).at(-1);
  const created = Math.floor(state.now() / 1000);
  const v: EstateKeyVersion = {
    version: randomBytes(16).toString("hex"),
    kty: current?.kty ?? "RSA",
    ...(current?.keySize !== undefined ? { keySize: current.keySize } : {}),
    ...(current?.crv !== undefined ? { crv: current.crv } : {}),
    enabled: true, exp: null, nbf: null, created, updated: created,
    ...(current?.keyOps ? { keyOps: [...current.keyOps] } : {}),
  };
  k.versions.push(v);
  return { vault: k.vaultName, key: k.name, ...v };
}

/** RFC 7396 JSON merge patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== "object" || Array.isArray(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = target !== null && typeof target === "object" && !Array.isArray(target)
    ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** Merge-patch one resource (the id stays the resource's id) and return it as GET would. */
export function patchResource(state: SandboxState, id: string, patch: unknown): ArmResource {
  const r = state.getResource(id);
  if (!r) throw adminError(404, "ResourceNotFound", `No resource with id '${id}'.`);
  if (patch === null || typeof patch !== "object" || Array.isArray(patch)) {
    throw adminError(400, "InvalidPatch", "'patch' must be a JSON object (RFC 7396 merge patch).");
  }
  const next = mergePatch(r, patch) as ArmResource;
  next.id = r.id;
  state.putResource(next);
  return structuredClone(next);
}

/** Check a list of rules in behaviour.faults form; the message names the first bad value. */
export function validateFaults(rules: unknown): FaultRule[] {
  if (!Array.isArray(rules)) throw adminError(400, "InvalidFaults", "The body must be a JSON array of fault rules.");
  rules.forEach((r: unknown, i) => {
    const at = `[${i}]`;
    if (r === null || typeof r !== "object" || Array.isArray(r)) throw adminError(400, "InvalidFaults", `${at} must be an object.`);
    const rule = r as Record<string, unknown>;
    const match = rule.match ?? {};
    if (match === null || typeof match !== "object" || Array.isArray(match)) throw adminError(400, "InvalidFaults", `${at}.match must be an object.`);
    for (const f of ["method", "host", "pathRegex"]) {
      const v = (match as Record<string, unknown>)[f];
      if (v !== undefined && typeof v !== "string") throw adminError(400, "InvalidFaults", `${at}.match.${f} must be a string.`);
    }
    const re = (match as Record<string, unknown>).pathRegex;
    if (typeof re === "string") {
      try { new RegExp(re); } catch { throw adminError(400, "InvalidFaults", `${at}.match.pathRegex is not a valid regular expression.`); }
    }
    const s = rule.status;
    if (s !== undefined && !(Number.isInteger(s) && (s as number) >= 100 && (s as number) <= 599)) throw adminError(400, "InvalidFaults", `${at}.status must be an HTTP status.`);
    const rate = rule.rate;
    if (rate !== undefined && !(typeof rate === "number" && rate >= 0 && rate <= 1)) throw adminError(400, "InvalidFaults", `${at}.rate must be a number from 0 to 1.`);
    for (const f of ["nth", "count"]) {
      const v = rule[f];
      if (v !== undefined && !(Number.isInteger(v) && (v as number) >= 1)) throw adminError(400, "InvalidFaults", `${at}.${f} must be a positive integer.`);
    }
    if (rule.drop !== undefined && typeof rule.drop !== "boolean") throw adminError(400, "InvalidFaults", `${at}.drop must be a boolean.`);
    if (rule.hang !== undefined && typeof rule.hang !== "boolean") throw adminError(400, "InvalidFaults", `${at}.hang must be a boolean.`);
    if (rule.provisioningState !== undefined && typeof rule.provisioningState !== "string") throw adminError(400, "InvalidFaults", `${at}.provisioningState must be a string.`);
    if (s === undefined && rule.drop !== true && rule.hang !== true && rule.provisioningState === undefined) {
      throw adminError(400, "InvalidFaults", `${at} needs one of status, drop, hang or provisioningState.`);
    }
  });
  return structuredClone(rules) as FaultRule[];
}

/** Replace the active faults; their counters start again from zero. */
export function setFaults(state: SandboxState, rules: unknown): FaultRule[] {
  const valid = validateFaults(rules);
  state.behaviour.faults = valid;
  state.faultMatches = valid.map(() => 0);
  state.faultHits = valid.map(() => 0);
  return valid;
}

export interface AdminDeps { state: SandboxState; requests(): RequestLogEntry[]; changed(): void }

function jsonBody(req: SandboxRequest): unknown {
  if (req.body.length === 0) return undefined;
  try {
    return JSON.parse(req.body.toString("utf8"));
  } catch {
    throw adminError(400, "InvalidJson", "The request body is not valid JSON.");
  }
}

function str(body: unknown, field: string): string {
  const v = body !== null && typeof body === "object" ? (body as Record<string, unknown>)[field] : undefined;
  if (typeof v !== "string" || v.length === 0) throw adminError(400, "MissingField", `The body needs a string '${field}'.`);
  return v;
}

/** Route one admin request (`req.path` starts with /_sandbox). */
export function handleAdmin(req: SandboxRequest, deps: AdminDeps): SandboxResponse {
  const route = `${req.method.toUpperCase()} ${req.path.replace(/\/+$/, "")}`;
  switch (route) {
    case "GET /_sandbox/requests":
      return { status: 200, body: deps.requests() };
    case "GET /_sandbox/resources":
      return { status: 200, body: allResources(deps.state) };
    case "GET /_sandbox/keys":
      return { status: 200, body: allKeys(deps.state) };
    case "POST /_sandbox/keys/rotate": {
      const body = jsonBody(req);
      const out = rotateKey(deps.state, str(body, "vault"), str(body, "key"));
      deps.changed();
      return { status: 200, body: out };
    }
    case "PATCH /_sandbox/resources": {
      const body = jsonBody(req);
      const out = patchResource(deps.state, str(body, "id"), (body as Record<string, unknown>).patch);
      deps.changed();
      return { status: 200, body: out };
    }
    case "POST /_sandbox/fhir/write": {
      const out = writeFhir(deps.state, jsonBody(req), adminError);
      deps.changed();
      return { status: 200, body: out };
    }
    case "GET /_sandbox/fhir/counts":
      return { status: 200, body: fhirCounts(deps.state, req.query.get("service"), adminError) };
    case "POST /_sandbox/faults": {
      const out = setFaults(deps.state, jsonBody(req));
      deps.changed();
      return { status: 200, body: out };
    }
    default:
      throw adminError(404, "NotFound", `No admin route ${req.method} ${req.path}. Routes: GET /_sandbox/requests, GET /_sandbox/resources, `
        + "GET /_sandbox/keys, POST /_sandbox/keys/rotate, PATCH /_sandbox/resources, POST /_sandbox/faults, "
        + "POST /_sandbox/fhir/write, GET /_sandbox/fhir/counts.");
  }
}
