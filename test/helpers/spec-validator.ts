// Validates the sandbox's JSON responses against the Azure REST API specs in ../shared/specs (issue 2 §3:
// "Every JSON response … validated against the Swagger"). It does what oav's live validator does for a
// response: find the operation by method + path template, pick the schema for the status (or `default`),
// and check the body — with Swagger 2.0 turned into JSON Schema (draft 2019-09, for unevaluatedProperties):
//   - cross-file `$ref`s resolve as URIs (each spec file is one schema with a file:// $id);
//   - properties the model does not declare are errors (oav: OBJECT_ADDITIONAL_PROPERTIES), through allOf;
//   - a property not in `required` may be null unless `x-nullable: false` (oav's nullable transform);
//   - `x-ms-enum.modelAsString: true` enums accept any string (extensible enums, autorest semantics);
//   - readOnly is allowed (these are responses); discriminator is ignored (no subtypes in these specs).
// Routes the specs do not describe (Entra, Graph, admin, storage, ACR) are reported as skipped.
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Ajv2019 } from "ajv/dist/2019.js";
import type { ErrorObject, ValidateFunction } from "ajv";
import type { ResponseEvent } from "../../src/sandbox/server.js";

type Json = Record<string, unknown>;

/** The repository root: the nearest folder above this file with a package.json (also from dist/test/helpers). */
function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, "package.json")) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}
const ROOT = repoRoot();
/** Where the specs live: ../shared/specs next to the repository (absent on a plain clone). */
export const SPECS_DIR = path.resolve(ROOT, "../shared/specs");
export const specsAvailable = existsSync(path.join(SPECS_DIR, "specification"));
export const SPECS_SKIP_MESSAGE =
  `Swagger conformance tests skipped: the Azure specs are not at ${SPECS_DIR} (../shared/specs from the repository root).`;

/** The spec files whose operations are indexed (paths relative to specs/specification). */
const OPERATION_FILES: { file: string; plane: "arm" | "vault" }[] = [
  { file: "healthcareapis/resource-manager/Microsoft.HealthcareApis/stable/2024-03-31/healthcare-apis.json", plane: "arm" },
  { file: "keyvault/resource-manager/Microsoft.KeyVault/KeyVault/stable/2026-02-01/openapi.json", plane: "arm" },
  { file: "resources/resource-manager/Microsoft.Resources/subscriptions/stable/2022-12-01/subscriptions.json", plane: "arm" },
  { file: "authorization/resource-manager/Microsoft.Authorization/stable/2022-04-01/authorization-RoleAssignmentsCalls.json", plane: "arm" },
  { file: "authorization/resource-manager/Microsoft.Authorization/stable/2022-04-01/authorization-RoleDefinitionsCalls.json", plane: "arm" },
  { file: "msi/resource-manager/Microsoft.ManagedIdentity/stable/2024-11-30/ManagedIdentity.json", plane: "arm" },
  { file: "keyvault/data-plane/Keys/stable/2026-04-01/keys.json", plane: "vault" },
];

const ARM_HOSTS = ["management.azure.com", "management.usgovcloudapi.net"];
const VAULT_SUFFIXES = [".vault.azure.net", ".vault.usgovcloudapi.net"];

export interface Violation {
  operationId: string;
  method: string;
  host: string;
  path: string;
  status: number;
  /** ajv messages, e.g. `/properties/kind: must be equal to one of the allowed values (fhir, fhir-Stu3, fhir-R4)`. */
  errors: string[];
}

export type ValidationResult =
  | { skipped: true; reason: string }
  | { skipped: false; operationId: string; violations: Violation[]; tolerated?: string };

interface Segment { literal?: string; param?: string; multi?: boolean }

interface Operation {
  operationId: string;
  method: string;
  plane: "arm" | "vault";
  template: string;
  segments: Segment[];
  literals: number;
  multis: number;
  /** status ("200", "default") → compiled validator, or null when that response has no schema. */
  responses: Map<string, ValidateFunction | null>;
  /** The `in: body` parameter's schema, compiled on first use; null when the operation takes no body. */
  requestBody: ValidateFunction | null;
  /** info.version of the spec file: the api-version the operation is described for. */
  apiVersion: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// RFC 3339 with any number of fractional digits (ARM writes 7: 2024-06-01T00:00:00.0000000Z).
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

class SpecIndex {
  private readonly docs = new Map<string, Json>();
  private readonly ajv = new Ajv2019({
    strict: false, allErrors: true, validateSchema: false, logger: false, unicodeRegExp: false,
    formats: {
      uuid: GUID, "date-time": DATE_TIME, uri: /^[a-z][a-z0-9+.-]*:/i,
      // Formats Swagger/autorest use that carry no check worth making here.
      "arm-id": true, int32: true, int64: true, float: true, double: true, byte: true, base64url: true,
      unixtime: true, duration: true, password: true, url: true, date: true, "uri-reference": true,
    },
  });
  readonly operations: Operation[] = [];
  /** ARM's common error body (common-types v5 ErrorResponse) and error detail, see KNOWN_SPEC_GAPS. */
  armError!: ValidateFunction;
  errorDetail!: ValidateFunction;

  constructor(readonly specsDir: string) {
    const base = path.join(specsDir, "specification");
    for (const file of walk(base)) {
      if (!file.endsWith(".json") || file.includes(`${path.sep}examples${path.sep}`)) continue;
      const uri = pathToFileURL(file).href;
      const doc = JSON.parse(readFileSync(file, "utf8")) as Json;
      this.docs.set(uri, doc);
    }
    for (const [uri, doc] of this.docs) {
      const defs: Json = {};
      for (const [name, schema] of Object.entries((doc.definitions ?? {}) as Json)) {
        defs[name] = this.convert(schema as Json, uri, { root: true });
      }
      this.ajv.addSchema({ $id: uri, definitions: defs });
    }
    for (const { file, plane } of OPERATION_FILES) this.indexFile(pathToFileURL(path.join(base, file)).href, plane);
    const v5 = pathToFileURL(path.join(base, "common-types/resource-management/v5/types.json")).href;
    this.armError = this.lazy({ $ref: `${v5}#/definitions/ErrorResponse` }, v5);
    this.errorDetail = this.lazy({ $ref: `${v5}#/definitions/ErrorDetail` }, v5);
  }

  private indexFile(uri: string, plane: "arm" | "vault"): void {
    const doc = this.docs.get(uri);
    if (!doc) throw new Error(`spec file missing: ${fileURLToPath(uri)}`);
    const all = { ...(doc.paths as Json), ...((doc["x-ms-paths"] ?? {}) as Json) };
    for (const [rawTemplate, item] of Object.entries(all)) {
      const template = rawTemplate.replace(/\?.*$/, "");
      const pathParams = ((item as Json).parameters ?? []) as Json[];
      for (const [method, op] of Object.entries(item as Json)) {
        if (!["get", "put", "post", "patch", "delete", "head"].includes(method)) continue;
        const o = op as Json;
        const resolved = [...pathParams, ...((o.parameters ?? []) as Json[])].map((p) => this.resolveRaw(p, uri));
        const params = resolved.map((r) => r.schema);
        const bodyParam = resolved.find((r) => r.schema.in === "body" && r.schema.schema);
        const multi = new Set(params.filter((p) => p.in === "path" && p["x-ms-skip-url-encoding"] === true).map((p) => p.name as string));
        const segments: Segment[] = template.split("/").filter(Boolean).map((s) => {
          const m = /^\{(.+)\}$/.exec(s);
          return m ? { param: m[1]!, multi: multi.has(m[1]!) } : { literal: s.toLowerCase() };
        });
        // `/{roleAssignmentId}`, `/{roleId}`: any path at all; the scoped templates cover the same URLs.
        if (segments.length === 1 && segments[0]!.multi) continue;
        const responses = new Map<string, ValidateFunction | null>();
        for (const [status, resp] of Object.entries((o.responses ?? {}) as Json)) {
          const r = this.resolveRaw(resp as Json, uri);
          const schema = r.schema.schema as Json | undefined;
          responses.set(status, schema ? this.lazy(schema, r.uri) : null);
        }
        this.operations.push({
          operationId: String(o.operationId), method: method.toUpperCase(), plane, template, segments,
          literals: segments.filter((s) => s.literal).length, multis: segments.filter((s) => s.multi).length, responses,
          requestBody: bodyParam ? this.lazy(bodyParam.schema.schema as Json, bodyParam.uri) : null,
          apiVersion: String((doc.info as Json | undefined)?.version ?? ""),
        });
      }
    }
  }

  /** Compile on first use: most operations are never answered in a test run. */
  private lazy(schema: Json, uri: string): ValidateFunction {
    let compiled: ValidateFunction | undefined;
    const validate = ((body: unknown) => {
      compiled ??= this.ajv.compile(this.convert(schema, uri, { root: false }));
      const ok = compiled(body);
      validate.errors = compiled.errors;
      return ok;
    }) as ValidateFunction;
    return validate;
  }

  /** Follow `$ref`s of raw (unconverted) spec nodes. */
  private resolveRaw(node: Json, uri: string): { schema: Json; uri: string } {
    let cur = node;
    let curUri = uri;
    for (let i = 0; i < 20 && typeof cur.$ref === "string"; i++) {
      const abs = new URL(cur.$ref, curUri);
      const hash = decodeURIComponent(abs.hash.replace(/^#/, ""));
      abs.hash = "";
      curUri = abs.href;
      const doc = this.docs.get(curUri);
      if (!doc) throw new Error(`unresolved $ref ${cur.$ref as string} in ${uri}`);
      cur = hash.split("/").filter(Boolean).reduce<Json>((o, k) => o[k.replace(/~1/g, "/").replace(/~0/g, "~")] as Json, doc);
      if (!cur) throw new Error(`unresolved $ref pointer ${hash} in ${curUri}`);
    }
    return { schema: cur, uri: curUri };
  }

  /** Whether a schema (through $ref and allOf) declares properties and no additionalProperties: extra keys are errors. */
  private closed(node: Json, uri: string, seen = new Set<Json>()): boolean | undefined {
    const { schema, uri: u } = this.resolveRaw(node, uri);
    if (seen.has(schema)) return undefined;
    seen.add(schema);
    if (schema.additionalProperties !== undefined && schema.additionalProperties !== false) return false;
    if (schema.discriminator !== undefined) return false;
    let result: boolean | undefined = schema.properties !== undefined ? true : undefined;
    for (const part of (schema.allOf ?? []) as Json[]) {
      const c = this.closed(part, u, seen);
      if (c === false) return false;
      if (c) result = true;
    }
    return result;
  }

  private nullable(node: Json, uri: string): boolean {
    if (node["x-nullable"] !== undefined) return node["x-nullable"] === true;
    return typeof node.$ref === "string" ? this.resolveRaw(node, uri).schema["x-nullable"] === true : false;
  }

  /** Swagger 2.0 schema → JSON Schema 2019-09 (refs made absolute). `root`: a definition's top, which may be an allOf base. */
  private convert(s: Json, uri: string, at: { root?: boolean; inAllOf?: boolean }): Json {
    const out: Json = {};
    if (typeof s.$ref === "string") {
      out.$ref = new URL(s.$ref, uri).href;
    }
    for (const k of ["type", "format", "required", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength",
      "maxLength", "pattern", "minItems", "maxItems", "uniqueItems", "multipleOf", "const"]) {
      if (s[k] !== undefined) out[k] = s[k];
    }
    // Swagger 2.0 exclusiveMinimum/Maximum are booleans modifying minimum/maximum.
    if (typeof s.exclusiveMinimum === "boolean") { delete out.exclusiveMinimum; if (s.exclusiveMinimum) { out.exclusiveMinimum = s.minimum; delete out.minimum; } }
    if (typeof s.exclusiveMaximum === "boolean") { delete out.exclusiveMaximum; if (s.exclusiveMaximum) { out.exclusiveMaximum = s.maximum; delete out.maximum; } }
    if (out.type === "file") delete out.type;
    const xEnum = s["x-ms-enum"] as Json | undefined;
    if (Array.isArray(s.enum) && xEnum?.modelAsString !== true) out.enum = s.enum;
    if (s.items !== undefined) out.items = this.convert(s.items as Json, uri, {});
    if (typeof s.additionalProperties === "object" && s.additionalProperties !== null) {
      const ap = s.additionalProperties as Json;
      const conv = this.convert(ap, uri, {});
      out.additionalProperties = this.nullable(ap, uri) ? { anyOf: [{ type: "null" }, conv] } : conv;
    } else if (typeof s.additionalProperties === "boolean") {
      out.additionalProperties = s.additionalProperties;
    }
    if (s.allOf !== undefined) out.allOf = (s.allOf as Json[]).map((p) => this.convert(p, uri, { inAllOf: true }));
    if (s.properties !== undefined) {
      const required = new Set((s.required ?? []) as string[]);
      const props: Json = {};
      for (const [name, p] of Object.entries(s.properties as Json)) {
        const pj = p as Json;
        const conv = this.convert(pj, uri, {});
        const explicit = pj["x-nullable"];
        const allowNull = explicit === true || (explicit !== false && !required.has(name)) || this.nullable(pj, uri);
        props[name] = allowNull ? { anyOf: [{ type: "null" }, conv] } : conv;
      }
      out.properties = props;
    }
    if (!at.root && !at.inAllOf && this.closed(s, uri)) out.unevaluatedProperties = false;
    return out;
  }

  find(plane: "arm" | "vault", method: string, rawPath: string): Operation | undefined {
    const segs = rawPath.split("/").slice(1).map((s) => { try { return decodeURIComponent(s); } catch { return s; } });
    // `/keys/{name}` and `/keys/{name}/` both mean "current version" (the SDK sends the trailing slash).
    const candidates = [segs];
    if (plane === "vault" && segs.length === 2) candidates.push([...segs, ""]);
    let best: Operation | undefined;
    for (const op of this.operations) {
      if (op.plane !== plane || op.method !== method.toUpperCase()) continue;
      if (!candidates.some((c) => matchSegments(op.segments, 0, trimTrailing(c, op), 0))) continue;
      if (!best || op.literals > best.literals || (op.literals === best.literals && op.multis < best.multis)) best = op;
    }
    return best;
  }
}

/** Drop the empty segment of a trailing slash unless the template ends in a parameter that may take it (vault keys). */
function trimTrailing(segs: string[], op: Operation): string[] {
  if (segs.length > 0 && segs[segs.length - 1] === "" && !(op.plane === "vault" && op.segments.at(-1)?.param)) return segs.slice(0, -1);
  return segs;
}

function matchSegments(t: Segment[], ti: number, p: string[], pi: number): boolean {
  if (ti === t.length) return pi === p.length;
  const seg = t[ti]!;
  if (seg.literal !== undefined) return pi < p.length && p[pi]!.toLowerCase() === seg.literal && matchSegments(t, ti + 1, p, pi + 1);
  if (seg.multi) {
    for (let n = 0; pi + n <= p.length; n++) if (matchSegments(t, ti + 1, p, pi + n)) return true;
    return false;
  }
  return pi < p.length && (p[pi] !== "" || ti === t.length - 1) && matchSegments(t, ti + 1, p, pi + 1);
}

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) yield* walk(full);
    else yield full;
  }
}

let index: SpecIndex | undefined;

/** The operation index (built once per process; throws when the specs are absent). */
export function specIndex(): SpecIndex {
  if (!specsAvailable) throw new Error(SPECS_SKIP_MESSAGE);
  index ??= new SpecIndex(SPECS_DIR);
  return index;
}

function formatError(e: ErrorObject): string {
  const where = e.instancePath || "/";
  const params = e.params as Record<string, unknown>;
  const detail = params.unevaluatedProperty !== undefined ? ` '${String(params.unevaluatedProperty)}'`
    : params.allowedValues !== undefined ? ` (${(params.allowedValues as unknown[]).join(", ")})`
      : params.missingProperty !== undefined ? "" : "";
  return `${where}: ${e.message ?? e.keyword}${detail}`;
}

function planeOf(host: string): "arm" | "vault" | undefined {
  const h = host.toLowerCase().replace(/:\d+$/, "");
  if (ARM_HOSTS.includes(h)) return "arm";
  if (VAULT_SUFFIXES.some((s) => h.endsWith(s))) return "vault";
  return undefined;
}

/** Validate one response of the sandbox against the spec operation it answers. */
export function validateResponse(e: Pick<ResponseEvent, "method" | "host" | "path" | "status" | "body">): ValidationResult {
  const plane = planeOf(e.host);
  if (!plane) return { skipped: true, reason: `host ${e.host} is not described by the specs` };
  const op = specIndex().find(plane, e.method, e.path);
  if (!op) return { skipped: true, reason: `no spec operation for ${e.method} ${e.path}` };
  const v = { operationId: op.operationId, method: e.method, host: e.host, path: e.path, status: e.status };
  const key = op.responses.has(String(e.status)) ? String(e.status) : op.responses.has("default") ? "default" : undefined;
  if (key === undefined) {
    return { skipped: false, operationId: op.operationId, violations: [{ ...v, errors: [`status ${e.status} is not a response of ${op.operationId}`] }] };
  }
  const validate = op.responses.get(key);
  if (!validate) return { skipped: false, operationId: op.operationId, violations: [] };
  if (e.body === undefined) {
    return { skipped: false, operationId: op.operationId, violations: [{ ...v, errors: [`response ${key} has a schema but the body is empty or not JSON`] }] };
  }
  if (validate(e.body)) return { skipped: false, operationId: op.operationId, violations: [] };
  const errors = (validate.errors ?? []).filter(meaningful).map(formatError);
  const gap = KNOWN_SPEC_GAPS.find((g) => g.applies(op, e) && g.accepts(specIndex(), e.body, validate));
  if (gap) return { skipped: false, operationId: op.operationId, violations: [], tolerated: gap.name };
  return { skipped: false, operationId: op.operationId, violations: [{ ...v, errors: [...new Set(errors)] }] };
}

/** Errors worth showing: not the anyOf wrapper, nor the "must be null" branch of a nullable property. */
function meaningful(e: ErrorObject): boolean {
  if (e.keyword === "anyOf") return false;
  return !(e.keyword === "type" && (e.params as { type?: unknown }).type === "null");
}

/**
 * Where the saved specs contradict what Azure documents (and what the product relies on). Each entry
 * accepts a body that fails the operation's schema only in that documented way; everything else in the
 * body is still checked. Results carry `tolerated` so a reader can see which rule let a body through.
 */
const KNOWN_SPEC_GAPS: {
  name: string;
  applies(op: Operation, e: { status: number; host: string }): boolean;
  accepts(idx: SpecIndex, body: unknown, validate: ValidateFunction): boolean;
}[] = [
  {
    // ARM itself (not the resource provider) answers bearer, RBAC, api-version, throttling and
    // subscription-not-found failures, always as `{ error: { code, message, … } }` (ARM RPC "Error
    // response content"; common-types ErrorResponse). subscriptions.json 2022-12-01's CloudError wraps
    // ErrorResponse once more (`{ error: { error: … } }`), a spec defect: real ARM never nests it.
    name: "arm-common-error",
    applies: (op, e) => op.plane === "arm" && e.status >= 400,
    accepts: (idx, body) => idx.armError(body),
  },
  {
    // The Azure-AsyncOperation status of a Failed operation carries `error` (ARM RPC "Asynchronous
    // operations": id, name, status, startTime, endTime, percentComplete, properties, error), and the
    // SDK's LRO poller reads it for the failure; HealthcareApis 2024-03-31 OperationResultsDescription
    // omits the property. Accept exactly that property, as an ARM ErrorDetail.
    name: "async-operation-error",
    applies: (op) => op.operationId === "OperationResults_Get",
    accepts: (idx, body, validate) => {
      if (typeof body !== "object" || body === null || !("error" in body)) return false;
      const { error, ...rest } = body as Record<string, unknown>;
      return idx.errorDetail(error) && validate(rest);
    },
  },
];

/** What stands in for a `$fromStep` reference when a request body is validated: a GUID, as principalId is. */
export const FROM_STEP_PLACEHOLDER = "00000000-0000-4000-8000-000000000000";

function replaceFromStep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(replaceFromStep);
  if (value !== null && typeof value === "object") {
    const o = value as Record<string, unknown>;
    if (typeof o.$fromStep === "string" && Object.keys(o).length === 2 && typeof o.output === "string") return FROM_STEP_PLACEHOLDER;
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, replaceFromStep(v)]));
  }
  return value;
}

/**
 * Validate a request the tool would send (a plan step's PUT) against the spec operation it calls: find the
 * operation by method + path, check the `api-version` is the spec file's, and validate the body against the
 * operation's body parameter schema — `$fromStep` references replaced by a placeholder GUID first. Requests
 * to operations the saved specs do not describe (e.g. resource groups: Microsoft.Resources resources.json is
 * not saved) are reported as skipped. Like responses, readOnly properties are not flagged.
 */
export function validateRequest(method: string, url: string, body: unknown): ValidationResult {
  const u = new URL(url);
  const plane = planeOf(u.host);
  if (!plane) return { skipped: true, reason: `host ${u.host} is not described by the specs` };
  const op = specIndex().find(plane, method, u.pathname);
  if (!op) return { skipped: true, reason: `no spec operation for ${method} ${u.pathname}` };
  const v = { operationId: op.operationId, method, host: u.host, path: u.pathname, status: 0 };
  const errors: string[] = [];
  const apiVersion = u.searchParams.get("api-version");
  if (apiVersion !== op.apiVersion) errors.push(`api-version ${String(apiVersion)} is not ${op.apiVersion}, the version ${op.operationId} is described for`);
  if (op.requestBody) {
    if (body === undefined) errors.push(`${op.operationId} takes a body and none is sent`);
    else if (!op.requestBody(replaceFromStep(body))) errors.push(...new Set((op.requestBody.errors ?? []).filter(meaningful).map(formatError)));
  }
  return { skipped: false, operationId: op.operationId, violations: errors.length ? [{ ...v, errors }] : [] };
}

export function describeViolation(v: Violation): string {
  return `${v.method} https://${v.host}${v.path} → ${v.status} (${v.operationId}):\n    ${v.errors.join("\n    ")}`;
}

/** What a response listener collected: every violation, and which operations were checked. */
export interface ConformanceRecorder {
  violations: Violation[];
  /** operationId → number of responses checked. */
  checked: Map<string, number>;
  skipped: string[];
  /** Responses accepted only through a KNOWN_SPEC_GAPS rule: "<rule> <operationId> <status>". */
  tolerated: string[];
  /** Throws (failing the test) listing every violation; no-op when the specs are absent. */
  assertNone(): void;
  stop(): void;
}

/**
 * Attach in beforeAll after starting a sandbox; call `assertNone()` in afterAll (or at the end of a test).
 * Every JSON response of a spec-described route is validated as it is sent.
 */
export function expectConformingResponses(sandbox: { onResponse(l: (e: ResponseEvent) => void): () => void }): ConformanceRecorder {
  const rec: ConformanceRecorder = {
    violations: [], checked: new Map(), skipped: [], tolerated: [],
    assertNone() {
      if (rec.violations.length === 0) return;
      throw new Error(`${rec.violations.length} response(s) do not conform to the Azure specs:\n` +
        rec.violations.map(describeViolation).join("\n"));
    },
    stop: () => undefined,
  };
  if (!specsAvailable) {
    console.warn(SPECS_SKIP_MESSAGE);
    return rec;
  }
  specIndex();
  rec.stop = sandbox.onResponse((e) => {
    let r: ValidationResult;
    try {
      r = validateResponse(e);
    } catch (err) {
      rec.violations.push({ operationId: "?", method: e.method, host: e.host, path: e.path, status: e.status, errors: [String(err)] });
      return;
    }
    if (r.skipped) { rec.skipped.push(`${e.method} ${e.host}${e.path}`); return; }
    rec.checked.set(r.operationId, (rec.checked.get(r.operationId) ?? 0) + 1);
    if (r.tolerated) rec.tolerated.push(`${r.tolerated} ${r.operationId} ${e.status}`);
    rec.violations.push(...r.violations);
  });
  return rec;
}
