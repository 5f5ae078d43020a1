// verify (DESIGN.md "Verify"): read every target the plan names back from Azure and compare it, field by
// field, with what the plan promised — the FHIR service's key URL, identity, authentication, CORS, export
// and ACR, each identity and workspace, every role assignment and its scope, the key access policies.
// Read-only: GETs of each step's own URL (same api-version), through the session's pipeline. Every field
// the plan sets must read back equal by compare-planned.ts, the rules the executors use (issue 8); fields
// Azure adds (provisioningState, principalId, …) are ignored.
import { sendArmRequest, type ArmResponse } from "../azure/arm-request.js";
import type { AzureSession } from "../azure/azure-session.js";
import type { JsonValue, Plan, PlanStep } from "../domain/plan.js";
import { differences } from "./compare-planned.js";

export interface VerifyDifference {
  stepId: string;
  accountId: string;
  /** ARM id of the target (the step URL's path). */
  target: string;
  /** Dotted path of the field the plan sets ("properties.encryption.customerManagedKeyEncryption.keyEncryptionKeyUrl"), or "(resource)". */
  field: string;
  expected: string;
  actual: string;
}

export interface VerifyPlanOptions {
  abortSignal?: AbortSignal;
}

type Json = JsonValue | undefined;
type Outputs = Map<string, Record<string, string>>;

const ROLE_ASSIGNMENT = /^(.*)\/providers\/Microsoft\.Authorization\/roleAssignments\/([^/]+)$/i;
const ACCESS_POLICY_ADD = /\/accessPolicies\/add$/i;

export async function verifyPlan(plan: Plan, session: AzureSession, o: VerifyPlanOptions = {}): Promise<VerifyDifference[]> {
  const diffs: VerifyDifference[] = [];
  const outputs: Outputs = new Map();
  // Plan order puts every step after what it depends on, so $fromStep outputs are read before they are needed.
  for (const step of plan.steps) {
    const url = new URL(step.request.url);
    const base = { stepId: step.id, accountId: step.accountId, target: decodeURIComponent(url.pathname) };
    const add = (field: string, expected: string, actual: string) => diffs.push({ ...base, field, expected, actual });
    if (ACCESS_POLICY_ADD.test(url.pathname)) {
      await verifyAccessPolicy(session, step, outputs, add, o.abortSignal);
      continue;
    }
    let res = await get(session, step.request.url, o.abortSignal);
    const ra = ROLE_ASSIGNMENT.exec(decodeURIComponent(url.pathname));
    if (res.status === 404 && ra) res = await findEquivalentAssignment(session, step, ra[1]!, outputs, o.abortSignal) ?? res;
    if (res.status === 404) { add("(resource)", "exists", "not found"); continue; }
    if (res.status < 200 || res.status >= 300) {
      add("(resource)", "readable", `HTTP ${res.status}${errorCode(res)}${res.requestId ? ` (request id ${res.requestId})` : ""}`);
      continue;
    }
    const actual = res.body as Json;
    if (step.outputs.length > 0) outputs.set(step.id, outputsFrom(actual, step.outputs));
    compare(resolve(step.request.body, outputs), actual, add);
    if (ra) {
      // The scope is the URL's, not a body field: an assignment found at another scope is not the planned grant.
      const scope = str(get_(actual, ["properties", "scope"]));
      if (scope !== null && scope.toLowerCase() !== ra[1]!.toLowerCase()) add("properties.scope", ra[1]!, scope);
    }
  }
  return diffs;
}

async function get(session: AzureSession, url: string, abortSignal?: AbortSignal): Promise<ArmResponse> {
  return sendArmRequest(session, { method: "GET", url, ...(abortSignal ? { abortSignal } : {}) });
}

/**
 * A 409 RoleAssignmentExists made the executor accept an assignment of the same principal, role and scope
 * under another name (already-satisfied): look for it at the scope before calling the grant missing.
 */
async function findEquivalentAssignment(session: AzureSession, step: PlanStep, scope: string, outputs: Outputs,
  abortSignal?: AbortSignal): Promise<ArmResponse | null> {
  const body = resolve(step.request.body, outputs);
  const principal = str(get_(body, ["properties", "principalId"]));
  const role = str(get_(body, ["properties", "roleDefinitionId"]));
  if (!principal || !role) return null;
  const u = new URL(step.request.url);
  const list = new URL(`${u.origin}${scope}/providers/Microsoft.Authorization/roleAssignments`);
  list.searchParams.set("api-version", u.searchParams.get("api-version") ?? "2022-04-01");
  list.searchParams.set("$filter", `principalId eq '${principal}'`);
  const res = await get(session, list.toString(), abortSignal);
  const items = (res.body as { value?: unknown[] } | undefined)?.value ?? [];
  const roleGuid = lastSegment(role);
  const hit = items.find((a) => {
    const p = (a as { properties?: { roleDefinitionId?: string; scope?: string } }).properties;
    return p?.scope?.toLowerCase() === scope.toLowerCase() && lastSegment(p.roleDefinitionId ?? "") === roleGuid;
  });
  return hit ? { ...res, body: hit } : null;
}

async function verifyAccessPolicy(session: AzureSession, step: PlanStep, outputs: Outputs,
  add: (field: string, expected: string, actual: string) => void, abortSignal?: AbortSignal): Promise<void> {
  const vaultUrl = step.request.url.replace(/\/accessPolicies\/add(?=\?|$)/i, "");
  const res = await get(session, vaultUrl, abortSignal);
  if (res.status < 200 || res.status >= 300) { add("(resource)", "vault readable", `HTTP ${res.status}${errorCode(res)}`); return; }
  const actual = (get_(res.body as Json, ["properties", "accessPolicies"]) ?? []) as JsonValue[];
  const wanted = (get_(resolve(step.request.body, outputs), ["properties", "accessPolicies"]) ?? []) as JsonValue[];
  for (const w of wanted) {
    const objectId = str(get_(w, ["objectId"])) ?? "?";
    const tenantId = str(get_(w, ["tenantId"])) ?? "";
    const keys = ((get_(w, ["permissions", "keys"]) ?? []) as JsonValue[]).map((k) => String(k).toLowerCase());
    const entry = actual.find((a) => str(get_(a, ["objectId"]))?.toLowerCase() === objectId.toLowerCase()
      && str(get_(a, ["tenantId"]))?.toLowerCase() === tenantId.toLowerCase());
    const field = `properties.accessPolicies[objectId=${objectId}].permissions.keys`;
    if (!entry) { add(field, keys.join(","), "no access policy for this principal"); continue; }
    const have = new Set(((get_(entry, ["permissions", "keys"]) ?? []) as JsonValue[]).map((k) => String(k).toLowerCase()));
    const missing = keys.filter((k) => !have.has(k));
    if (missing.length > 0) add(field, keys.join(","), [...have].join(",") || "(none)");
  }
}

/** Every field of `expected` must read back equal in `actual` (compare-planned.ts: the executors' own rules). */
function compare(expected: Json, actual: Json, add: (field: string, expected: string, actual: string) => void): void {
  for (const d of differences(expected, actual)) add(d.field, show(d.planned as Json), show(d.actual as Json));
}

function resolve(v: JsonValue, outputs: Outputs): JsonValue {
  if (isRef(v)) {
    const value = outputs.get(v.$fromStep)?.[v.output];
    return value === undefined ? v : value;
  }
  if (Array.isArray(v)) return v.map((x) => resolve(x, outputs));
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x, outputs)]));
  return v;
}

function isRef(v: Json): v is { $fromStep: string; output: string } {
  return v !== null && typeof v === "object" && !Array.isArray(v) && typeof (v as Record<string, unknown>).$fromStep === "string";
}

/** A step's outputs as the resource shows them (an identity's principalId and clientId are under properties). */
function outputsFrom(body: Json, names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) {
    const v = str(get_(body, ["properties", n])) ?? str(get_(body, [n]));
    if (v !== null) out[n] = v;
  }
  return out;
}

function get_(v: Json, path: string[]): Json {
  let cur: Json = v;
  for (const p of path) {
    if (cur === null || typeof cur !== "object" || Array.isArray(cur)) return undefined;
    cur = cur[p];
  }
  return cur;
}

function str(v: Json): string | null {
  return typeof v === "string" ? v : null;
}

function show(v: Json): string {
  return v === undefined ? "(missing)" : typeof v === "string" ? v : JSON.stringify(v);
}

function errorCode(res: ArmResponse): string {
  const code = (res.body as { error?: { code?: string } } | undefined)?.error?.code;
  return code ? ` ${code}` : "";
}

function lastSegment(id: string): string {
  return (id.split("/").filter(Boolean).at(-1) ?? id).toLowerCase();
}
