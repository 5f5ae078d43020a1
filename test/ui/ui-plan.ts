// A plan built by hand for UI tests (the review screen is under test here, not the planner): for the
// accounts of ui-estate.ts, a CMK account on an RBAC vault with an accepted finding, a Microsoft-managed
// one, and a blocked one that is not planned.
import type { Finding } from "../../src/domain/findings.js";
import type { Plan, PlannedAccount, PlanStep } from "../../src/domain/plan.js";
import { SUB_DEV, SUB_PROD } from "./ui-estate.js";
import { stepTitle } from "../../src/planner/step-title.js";

const RG = (sub: string) => `/subscriptions/${sub}/resourceGroups/fhir-rg`;
export const accountIdOf = (name: string, sub = SUB_PROD) => `${RG(sub)}/providers/Microsoft.HealthcareApis/services/${name}`;
const ARM = "https://management.azure.com";
const KEY_SCOPE = `/subscriptions/${SUB_PROD}/resourceGroups/keys/providers/Microsoft.KeyVault/vaults/contoso-kv/keys/fhir-cmk`;

const PINNED: Finding = { code: "key-version-pinned", severity: "info", message: "The source key URI is versionless; the plan pins the current version." };
const SMART: Finding = { code: "smart-proxy-enabled", severity: "action", message: "The SMART on FHIR proxy is enabled; the target has no proxy." };
const GONE: Finding = { code: "key-not-found", severity: "blocker", message: "The key cmk-gone does not exist in vault contoso-old-kv.",
  fix: "Restore the key or point the account at an existing key before migrating." };

function account(name: string, sub: string, o: Partial<PlannedAccount>): PlannedAccount {
  const ws = name.replace(/[^a-z0-9]/g, "");
  const rg = RG(sub);
  return {
    id: accountIdOf(name, sub), name, subscriptionId: sub, resourceGroup: "fhir-rg", location: "eastus", status: "planned", notPlanned: [],
    target: { resourceGroup: "fhir-rg", workspaceName: ws, fhirServiceName: "fhir",
      workspaceId: `${rg}/providers/Microsoft.HealthcareApis/workspaces/${ws}`,
      fhirServiceId: `${rg}/providers/Microsoft.HealthcareApis/workspaces/${ws}/fhirservices/fhir`,
      identityName: `${ws}-fhir-id`, identityId: `${rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${ws}-fhir-id`,
      fhirUrl: `https://${ws}-fhir.fhir.azurehealthcareapis.com`, kind: "fhir-R4" },
    keyLinkage: null, settings: [], findings: [], accepted: [], followUps: [], ...o,
  };
}

/** The request of each kind as the planner shapes it (titles are rendered from it, src/planner/step-title.ts). */
function requestOf(a: PlannedAccount, kind: PlanStep["kind"]): PlanStep["request"] {
  const t = a.target;
  const put = (path: string, version: string, body: PlanStep["request"]["body"]) => ({ method: "PUT" as const, url: `${ARM}${path}?api-version=${version}`, body });
  const grant = (scope: string, role: string, principalId: PlanStep["request"]["body"], principalType: string) =>
    put(`${scope}/providers/Microsoft.Authorization/roleAssignments/6d1c0f4e-0000-5000-8000-00000000000${scope.length % 10}`, "2022-04-01", {
      properties: { roleDefinitionId: `/subscriptions/${scope.split("/")[2]}/providers/Microsoft.Authorization/roleDefinitions/${role}`, principalId, principalType } });
  switch (kind) {
    case "ensure-workspace": return put(t.workspaceId, "2024-03-31", { location: a.location, tags: {}, properties: {} });
    case "ensure-identity": return put(t.identityId, "2024-11-30", { location: a.location, tags: {} });
    case "grant-key-role": return grant(KEY_SCOPE, "e147488a-f6f5-4113-8e2d-b22465e65bf6", { $fromStep: `${t.workspaceName}/ensure-identity`, output: "principalId" }, "ServicePrincipal");
    case "create-fhir-service": return put(t.fhirServiceId, "2024-03-31", { location: a.location, kind: t.kind,
      properties: a.keyLinkage ? { encryption: { customerManagedKeyEncryption: { keyEncryptionKeyUrl: a.keyLinkage.targetKeyUrl } } } : {} });
    case "grant-data-role": return grant(t.fhirServiceId, "5a1fc7df-4bf1-4951-a576-89034ee01acd", "44444444-4444-4444-4444-444444444444", "ServicePrincipal");
    default: return put(t.workspaceId, "2024-03-31", {});
  }
}

function step(a: PlannedAccount, kind: PlanStep["kind"], title: string, dependsOn: string[] = []): PlanStep {
  return { id: `${a.target.workspaceName}/${kind}`, accountId: a.id, kind, title, dependsOn, longRunning: kind === "ensure-workspace" || kind === "create-fhir-service",
    outputs: kind === "ensure-identity" ? ["principalId", "clientId"] : [], request: requestOf(a, kind) };
}

const SETTINGS = [
  { setting: "Authority", source: "https://login.microsoftonline.com/33333333-3333-3333-3333-333333333333",
    target: "https://login.microsoftonline.com/33333333-3333-3333-3333-333333333333", action: "copied", why: "The tenant's own authority." },
  { setting: "Audience", source: "https://fhir-02.azurehealthcareapis.com", target: "https://fhir02-fhir.fhir.azurehealthcareapis.com",
    action: "changed", why: "The FHIR service answers on its own URL; clients must ask for tokens with the new audience." },
  { setting: "SMART proxy", source: "enabled", target: "", action: "dropped", why: "FHIR services have no SMART proxy (accepted)." },
] as const;

/** The plan the UI tests expect for fhir-02 + fhir-01 (planned) and fhir-05 (not planned). */
export function uiPlan(): Plan {
  const cmk = account("fhir-02", SUB_DEV, {
    findings: [SMART, PINNED], accepted: ["smart-proxy-enabled"], settings: SETTINGS.map((r) => ({ ...r })),
    followUps: ["Register your SMART apps with the new audience."],
    keyLinkage: { sourceKeyUri: "https://contoso-kv.vault.azure.net/keys/fhir-cmk", targetKeyUrl: "https://contoso-kv.vault.azure.net/keys/fhir-cmk/0123456789abcdef0123456789abcdef",
      chosenKey: false, vaultId: `/subscriptions/${SUB_PROD}/resourceGroups/keys/providers/Microsoft.KeyVault/vaults/contoso-kv`, permissionModel: "rbac",
      identityId: "", role: { roleDefinitionId: "e147488a-f6f5-4113-8e2d-b22465e65bf6", roleName: "Key Vault Crypto Service Encryption User",
        scope: KEY_SCOPE, assignmentName: "6d1c0f4e-0000-5000-8000-000000000001" } },
  });
  cmk.keyLinkage!.identityId = cmk.target.identityId;
  const mmk = account("fhir-01", SUB_PROD, { findings: [], settings: [{ ...SETTINGS[0] }] });
  const blocked = account("fhir-05", SUB_PROD, { status: "not-planned", findings: [GONE],
    notPlanned: [{ code: "key-not-found", message: GONE.message, resolve: "--key /subscriptions/…/fhir-05=https://VAULT.vault.azure.net/keys/KEY" }] });
  const steps = [
    step(cmk, "ensure-workspace", "Workspace fhir02 in fhir-rg (eastus)"),
    step(cmk, "ensure-identity", "Identity fhir02-fhir-id in fhir-rg"),
    step(cmk, "grant-key-role", "Key Vault Crypto Service Encryption User for fhir02-fhir-id on key fhir-cmk", ["fhir02/ensure-identity"]),
    step(cmk, "create-fhir-service", "FHIR service fhir02/fhir (fhir-R4) with key fhir-cmk@01234567", ["fhir02/ensure-workspace", "fhir02/grant-key-role"]),
    step(cmk, "grant-data-role", "FHIR Data Contributor for 44444444-4444-4444-4444-444444444444 on fhir02/fhir", ["fhir02/create-fhir-service"]),
    step(mmk, "ensure-workspace", "Workspace fhir01 in fhir-rg (eastus)"),
    step(mmk, "create-fhir-service", "FHIR service fhir01/fhir (fhir-R4) with Microsoft-managed keys", ["fhir01/ensure-workspace"]),
  ];
  // What the planner would have titled them: the title rendered from each request (step-title.ts).
  for (const s of steps) s.title = stepTitle(steps, s);
  return {
    formatVersion: 1, tool: { name: "ahds-migrate", version: "0.4.0" }, planId: "plan-3f2a91c0d4e5", createdAt: "2026-11-28T09:00:00.000Z",
    cloud: "AzureCloud", tenantId: "33333333-3333-3333-3333-333333333333",
    choices: { accounts: [cmk.id, mmk.id, blocked.id], targetResourceGroup: null, keys: {}, kinds: {}, accept: { [cmk.id]: ["smart-proxy-enabled"] } },
    fingerprint: { accounts: [], keys: [], vaults: [] },
    accounts: [cmk, mmk, blocked], steps,
    digest: "sha256:3f2a91c0d4e5b6a7988776655443322110ffeeddccbbaa998877665544332211",
  };
}

/** makePlan / exportPlan the test drives: each call is recorded and settles when the test says so. */
export function recordingPlans(o: { exportResult?: { jsonPath: string; mdPath: string } | Error } = {}) {
  const planned: string[][] = [];
  /** The data-copy storage account each makePlan call asked for (null: none). */
  const stores: (string | null)[] = [];
  const exported: Plan[] = [];
  const pending: { resolve(p: Plan): void; reject(e: unknown): void }[] = [];
  return {
    planned, stores, exported,
    /** Settles the oldest unsettled makePlan call. */
    resolvePlan: (p: Plan = uiPlan()) => pending.shift()!.resolve(p),
    rejectPlan: (e: unknown) => pending.shift()!.reject(e),
    plans: {
      makePlan: (ids: string[], mo?: { storageAccount: string | null }) => { planned.push(ids); stores.push(mo?.storageAccount ?? null); return new Promise<Plan>((resolve, reject) => pending.push({ resolve, reject })); },
      exportPlan: async (plan: Plan) => {
        exported.push(plan);
        const r = o.exportResult ?? { jsonPath: "plans/2026-11-28-1.plan.json", mdPath: "plans/2026-11-28-1.plan.md" };
        if (r instanceof Error) throw r;
        return r;
      },
    },
  };
}
