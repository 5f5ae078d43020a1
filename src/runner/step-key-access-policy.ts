// grant-key-access-policy: Vaults_UpdateAccessPolicy `PUT …/vaults/{v}/accessPolicies/add` (merges one
// entry for the identity only; azure-facts §2.4: get, wrapKey, unwrapKey). Read the vault first: an entry
// of that tenant and object id already holding every planned key permission → already-satisfied. A vault
// switched to RBAC ignores access policies → conflict (the plan's permission model no longer holds).
import type { PlanStep } from "../domain/plan.js";
import type { StepContext, StepExecutor, StepOutcome } from "./executor.js";
import { armErrorOf } from "./poll-operation.js";
import { asOutcome, conflict, failedWith, get, put, resolvedBody } from "./step-common.js";

interface PolicyEntry { tenantId?: unknown; objectId?: unknown; permissions?: { keys?: unknown } }

export function vaultUrlOf(addUrl: string): string {
  const u = new URL(addUrl);
  u.pathname = u.pathname.replace(/\/accessPolicies\/[^/]+$/i, "");
  return u.toString();
}

function covers(entry: PolicyEntry, wanted: PolicyEntry): boolean {
  const same = (a: unknown, b: unknown) => typeof a === "string" && typeof b === "string" && a.toLowerCase() === b.toLowerCase();
  if (!same(entry.tenantId, wanted.tenantId) || !same(entry.objectId, wanted.objectId)) return false;
  const have = new Set((Array.isArray(entry.permissions?.keys) ? entry.permissions.keys : []).map((k) => String(k).toLowerCase()));
  const need = Array.isArray(wanted.permissions?.keys) ? wanted.permissions.keys : [];
  return need.every((k) => have.has(String(k).toLowerCase()));
}

async function ensureAccessPolicy(step: PlanStep, ctx: StepContext): Promise<StepOutcome> {
  const wire = resolvedBody(step, ctx);
  const body = wire as unknown as { properties: { accessPolicies: PolicyEntry[] } };
  const vaultUrl = vaultUrlOf(step.request.url);
  const what = `Vault ${new URL(vaultUrl).pathname.split("/").pop()}`;
  const read = await get(ctx, vaultUrl);
  if (read.status !== 200) return failedWith(armErrorOf(read));
  const props = (read.body as { properties?: { enableRbacAuthorization?: unknown; accessPolicies?: PolicyEntry[] } }).properties ?? {};
  if (props.enableRbacAuthorization === true) {
    return conflict(step, what, "properties.enableRbacAuthorization is true in Azure (access policies are ignored), the plan adds an access policy", read.requestId);
  }
  const existing = props.accessPolicies ?? [];
  if (body.properties.accessPolicies.every((w) => existing.some((e) => covers(e, w)))) {
    return { status: "succeeded", reason: ctx.inDoubt ? "reconciled" : "already-satisfied" };
  }
  const r = await put(ctx, step.request.url, wire);
  if (r.status >= 300) return failedWith(armErrorOf(r));
  return { status: "succeeded", reason: ctx.inDoubt ? "reconciled" : "created" };
}

export const keyAccessPolicyExecutor: StepExecutor = {
  kind: "grant-key-access-policy",
  execute: (step, ctx) => asOutcome(() => ensureAccessPolicy(step, ctx)),
};
