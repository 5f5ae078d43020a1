// src/planner — buildPlan: from the snapshot, its assessments and the user's choices to the plan (format 1,
// src/domain/plan.ts). Pure: no I/O, the clock comes in through `options.now`. Per selected account the step
// DAG of DESIGN.md "Steps for one account": (ensure resource group) → ensure workspace → ensure identity →
// key grant (RBAC role on the key, or an access policy) → create the FHIR service → data-plane grants. Every
// step is an exact ARM PUT; nothing writes to a Microsoft.HealthcareApis/services resource or deletes.
import { BugError, UsageError } from "../domain/errors.js";
import { PLAN_FORMAT_VERSION } from "../domain/plan.js";
import type { KeyLinkage, NotPlannedReason, Plan, PlanChoices, PlannedAccount, PlanStep } from "../domain/plan.js";
import { parseKeyUri, scopeKey } from "../domain/snapshot.js";
import type { LegacyAccount, PrincipalType, Snapshot, WorkspaceFacts } from "../domain/snapshot.js";
import { defaultTargetNames, SOURCE_TAG, targetIds, type TargetNames } from "../domain/target-names.js";
import { workspaceNameTakenBy } from "../assess/rules-targets.js";
import type { AccountAssessment } from "../assess/assess.js";
import { resolveKeyState } from "../assess/key-state.js";
import { acrLoginServers, exportStorageName, resourceGroupIdOf } from "../assess/grant-scopes.js";
import { LOGIN_HOST } from "../assess/clouds.js";
import { choiceFor, decideAccount } from "./not-planned.js";
import { settingsDiff } from "./settings-diff.js";
import { fingerprintOf } from "./fingerprint.js";
import { sealPlan } from "./digest.js";
import { ACCESS_POLICY_KEY_PERMISSIONS, FHIR_DNS_ZONE, ROLES, stepPrefix } from "./step-common.js";
import type { StepContext } from "./step-common.js";
import { resourceGroupStep } from "./step-resource-group.js";
import { workspaceStep } from "./step-workspace.js";
import { identityName, identityStep } from "./step-identity.js";
import { keyRoleStep } from "./step-key-role.js";
import { keyAccessPolicyStep } from "./step-key-access-policy.js";
import { fhirServiceStep } from "./step-fhir-service.js";
import { copiedRoleStep, fhirContributorStep, identityGrantStep } from "./step-data-role.js";
import { assignableAt, rbacGrants } from "../assess/rbac-grants.js";
import { sameLocation } from "../domain/location.js";

export interface BuildPlanOptions {
  now: Date;
  toolVersion: string;
}

type Target = PlannedAccount["target"];

/** ARM `kind` as AHDS spells it; null for the bare `fhir` (or anything unknown): the user chooses. */
function knownKind(kind: string): Target["kind"] | null {
  const k = kind.toLowerCase();
  return k === "fhir-r4" ? "fhir-R4" : k === "fhir-stu3" ? "fhir-Stu3" : null;
}

function subscriptionTenant(snapshot: Snapshot, account: LegacyAccount): string {
  const sub = snapshot.subscriptions.find((s) => s.subscriptionId.toLowerCase() === account.subscriptionId.toLowerCase());
  return sub?.tenantId || snapshot.tenantId;
}

/** The accounts to plan, in snapshot order. "all-ready": every account the choices leave nothing unresolved for. */
function selectAccounts(snapshot: Snapshot, assessmentOf: (a: LegacyAccount) => AccountAssessment, choices: PlanChoices): LegacyAccount[] {
  if (choices.accounts === "all-ready") {
    return snapshot.accounts.filter((a) => decideAccount(a.id, assessmentOf(a).findings, choices).reasons.length === 0);
  }
  const wanted = new Set(choices.accounts.map(scopeKey));
  for (const id of choices.accounts) {
    if (!snapshot.accounts.some((a) => scopeKey(a.id) === scopeKey(id))) {
      throw new UsageError(`account ${id} is not in the inventory`, ["run `ahds-migrate inventory` to list account ids"]);
    }
  }
  return snapshot.accounts.filter((a) => wanted.has(scopeKey(a.id)));
}

interface Built {
  account: PlannedAccount;
  steps: PlanStep[];
}

interface PlanState {
  snapshot: Snapshot;
  choices: PlanChoices;
  /** Subscription (lower) → its ensure-resource-group step id. */
  resourceGroupSteps: Map<string, string>;
  /** Target workspace name (lower; names are global) → the account that takes it. */
  targetsTaken: Map<string, string>;
}

function targetOf(snapshot: Snapshot, account: LegacyAccount, choices: PlanChoices, kind: Target["kind"], names: TargetNames): Target {
  const resourceGroup = choices.targetResourceGroup ?? account.resourceGroup;
  const rgId = choices.targetResourceGroup ? `/subscriptions/${account.subscriptionId}/resourceGroups/${resourceGroup}` : resourceGroupIdOf(account);
  const { workspaceId, fhirServiceId } = targetIds(rgId, account.name, names);
  const idName = identityName(names.workspace);
  const target: Target = {
    resourceGroup, workspaceName: names.workspace, fhirServiceName: names.fhirService, workspaceId, fhirServiceId,
    identityName: idName, identityId: `${rgId}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${idName}`,
    fhirUrl: `https://${names.workspace}-${names.fhirService}.${FHIR_DNS_ZONE[snapshot.cloud]}`,
    kind,
  };
  const facts = existingWorkspaceFacts(snapshot, account, workspaceId);
  if (facts) target.existingWorkspace = { createdAt: facts.createdAt, createdBy: facts.createdBy, createdByType: facts.createdByType };
  return target;
}

/**
 * The listed workspace at `workspaceId` when it exists and was not made for this account by this tool (its
 * source tag names another account, or none): the plan adopts it instead of PUTting over it (issue 9). One
 * the tool made for this account keeps its ensure step, which finds it as planned.
 */
function existingWorkspaceFacts(snapshot: Snapshot, account: LegacyAccount, workspaceId: string): WorkspaceFacts | null {
  if (!snapshot.workspaces.some((id) => scopeKey(id) === scopeKey(workspaceId))) return null;
  const facts = snapshot.workspaceFacts[scopeKey(workspaceId)]
    ?? { id: workspaceId, location: account.location, tags: {}, createdAt: null, createdBy: null, createdByType: null };
  const tag = facts.tags[SOURCE_TAG];
  return tag && scopeKey(tag) === scopeKey(account.id) ? null : facts;
}

/** Why the account's target cannot be planned as named (known now, so never a failure at apply), or null. */
function targetConflict(state: PlanState, account: LegacyAccount, target: Target): NotPlannedReason | null {
  const { snapshot } = state;
  const rename = `--name ${account.id}=WORKSPACE[/FHIR]`;
  const takenBy = state.targetsTaken.get(target.workspaceName);
  if (takenBy) {
    return { code: "target-name-conflict", resolve: rename,
      message: `workspace name ${target.workspaceName} is already the target of account ${takenBy} in this plan (workspace names are unique across subscriptions)` };
  }
  const elsewhere = workspaceNameTakenBy(snapshot, account.id, target.workspaceName, target.workspaceId);
  if (elsewhere) {
    return { code: "target-name-conflict", resolve: rename,
      message: `workspace name ${target.workspaceName} is taken by ${elsewhere} (workspace names are unique across subscriptions)` };
  }
  if (!target.existingWorkspace) return null;
  const facts = snapshot.workspaceFacts[scopeKey(target.workspaceId)];
  if (facts && facts.location && !sameLocation(facts.location, account.location)) {
    return { code: "target-exists", resolve: `${rename}, or --target-resource-group NAME`,
      message: `the existing workspace ${target.workspaceName} is in ${facts.location}, not in the account's region ${account.location} (the FHIR service, its key and its workspace share a region)` };
  }
  if (snapshot.fhirServices.some((id) => scopeKey(id) === scopeKey(target.fhirServiceId))) {
    return { code: "target-exists", resolve: `--name ${account.id}=${target.workspaceName}/OTHERNAME`,
      message: `the existing workspace ${target.workspaceName} already holds a FHIR service named ${target.fhirServiceName} that this tool did not create` };
  }
  return null;
}

interface ResolvedKey {
  sourceKeyUri: string;
  chosen: boolean;
  vaultId: string;
  vaultName: string;
  keyName: string;
  vaultTenantId: string;
  permissionModel: "rbac" | "accessPolicy";
  targetKeyUrl: string;
}

/** The key the target uses (chosen or source) with the version to pin, or the reason it cannot be planned. */
function resolveKey(snapshot: Snapshot, account: LegacyAccount, choices: PlanChoices, tenantId: string): ResolvedKey | NotPlannedReason | null {
  const source = account.properties?.cosmosDbConfiguration?.keyVaultKeyUri || null;
  const chosen = choiceFor(choices.keys, account.id) ?? null;
  const uri = chosen ?? source;
  if (!uri) return null;
  const parsed = parseKeyUri(uri);
  const state = resolveKeyState(snapshot, uri, tenantId);
  const vault = state.vault;
  const version = state.pinnedVersion ?? state.judgedVersion;
  if (!parsed || !version || !vault?.id || !vault.permissionModel) {
    // The assessment explains these (key-access-denied / key-not-found); this guards a snapshot without them.
    return {
      code: "key-access-denied",
      message: `the ${!version ? "current version of the key" : "vault resource"} behind ${uri} is not known`,
      resolve: `--key ${account.id}=KEY_URL, or fix: make the key and its vault readable and run again`,
    };
  }
  return {
    sourceKeyUri: source ?? uri, chosen: chosen !== null, vaultId: vault.id, vaultName: parsed.vaultName, keyName: parsed.keyName,
    vaultTenantId: vault.tenantId ?? tenantId, permissionModel: vault.permissionModel,
    targetKeyUrl: `${parsed.vaultUrl}/keys/${parsed.keyName}/${version}`,
  };
}

function notPlanned(base: Omit<PlannedAccount, "status" | "notPlanned" | "keyLinkage" | "settings" | "accepted" | "followUps">,
  reasons: NotPlannedReason[], accepted: PlannedAccount["accepted"]): Built {
  return { account: { ...base, status: "not-planned", notPlanned: reasons, keyLinkage: null, settings: [], accepted, followUps: [] }, steps: [] };
}

function planAccount(state: PlanState, account: LegacyAccount, assessment: AccountAssessment): Built {
  const { snapshot, choices } = state;
  const tenantId = subscriptionTenant(snapshot, account);
  const decision = decideAccount(account.id, assessment.findings, choices);
  const kind = knownKind(account.kind) ?? choiceFor(choices.kinds, account.id) ?? "fhir-R4";
  const names = choiceFor(choices.names ?? {}, account.id) ?? defaultTargetNames(account.name);
  const target = targetOf(snapshot, account, choices, kind, names);
  const base = {
    id: account.id, name: account.name, subscriptionId: account.subscriptionId, resourceGroup: account.resourceGroup,
    location: account.location, target, findings: assessment.findings,
  };
  if (decision.reasons.length > 0) return notPlanned(base, decision.reasons, decision.accepted);

  const key = resolveKey(snapshot, account, choices, tenantId);
  if (key && "code" in key) return notPlanned(base, [key], decision.accepted);
  const conflict = targetConflict(state, account, target);
  if (conflict) return notPlanned(base, [conflict], decision.accepted);
  state.targetsTaken.set(target.workspaceName, account.name);

  const prefix = stepPrefix(account);
  const ctx: StepContext = {
    cloud: snapshot.cloud, accountId: account.id, prefix, location: account.location,
    tags: { ...(account.tags ?? {}), [SOURCE_TAG]: account.id },
  };
  const steps: PlanStep[] = [];
  const rgDeps: string[] = [];
  if (choices.targetResourceGroup) {
    const subKey = account.subscriptionId.toLowerCase();
    let rgStep = state.resourceGroupSteps.get(subKey);
    if (!rgStep) {
      const s = resourceGroupStep(snapshot.cloud, account.id, prefix, account.subscriptionId, choices.targetResourceGroup, account.location);
      steps.push(s);
      rgStep = s.id;
      state.resourceGroupSteps.set(subKey, rgStep);
    }
    rgDeps.push(rgStep);
  }
  // An adopted workspace gets no PUT: the tool never rewrites a resource it did not create.
  const ws = target.existingWorkspace ? null : workspaceStep(ctx, target.workspaceId, target.workspaceName, target.resourceGroup, rgDeps);
  const id = identityStep(ctx, target.identityId, target.identityName, target.resourceGroup, rgDeps);
  if (ws) steps.push(ws);
  steps.push(id);

  let keyLinkage: KeyLinkage | null = null;
  const fhirDeps = ws ? [ws.id, id.id] : [id.id];
  if (key) {
    keyLinkage = {
      sourceKeyUri: key.sourceKeyUri, targetKeyUrl: key.targetKeyUrl, chosenKey: key.chosen, vaultId: key.vaultId,
      permissionModel: key.permissionModel, identityId: target.identityId,
    };
    if (key.permissionModel === "rbac") {
      const r = keyRoleStep(ctx, key.vaultId, key.vaultName, key.keyName, id.id, target.identityId, target.identityName);
      steps.push(r.step);
      fhirDeps.push(r.step.id);
      keyLinkage.role = {
        roleDefinitionId: r.roleDefinitionId, roleName: ROLES.cryptoServiceEncryptionUser.name, scope: r.scope, assignmentName: r.assignmentName,
      };
    } else {
      const s = keyAccessPolicyStep(ctx, key.vaultId, key.vaultName, key.vaultTenantId, id.id, target.identityName);
      steps.push(s);
      fhirDeps.push(s.id);
      keyLinkage.accessPolicy = { keys: [...ACCESS_POLICY_KEY_PERMISSIONS] };
    }
  }

  const authority = `https://${LOGIN_HOST[snapshot.cloud]}/${tenantId}`;
  const fhir = fhirServiceStep(ctx, account, {
    workspaceName: target.workspaceName, fhirServiceId: target.fhirServiceId, fhirServiceName: target.fhirServiceName, kind,
    identityId: target.identityId, authority, audience: target.fhirUrl, keyUrl: key?.targetKeyUrl ?? null,
    importStore: dataCopyStore(choices),
  }, fhirDeps);
  steps.push(fhir);

  // Data-plane grants.
  const fhirLabel = `FHIR service ${target.workspaceName}/${target.fhirServiceName}`;
  const principals = new Map(Object.entries(snapshot.principals ?? {}).map(([k, v]) => [k.toLowerCase(), v] as [string, PrincipalType]));
  const contributors: string[] = [];
  const leftOut: string[] = [];
  const seen = new Set<string>();
  for (const { objectId } of account.properties?.accessPolicies ?? []) {
    if (!objectId || seen.has(objectId.toLowerCase())) continue;
    seen.add(objectId.toLowerCase());
    const type = snapshot.principals ? principals.get(objectId.toLowerCase()) : undefined;
    if (!type) { leftOut.push(objectId); continue; }
    contributors.push(objectId);
    steps.push(fhirContributorStep(ctx, target.fhirServiceId, fhirLabel, objectId, type, fhir.id));
  }
  const rbac = copiedRoleGrants(ctx, snapshot, account, target, fhirLabel, fhir.id, new Set(steps.map((x) => x.request.url)));
  steps.push(...rbac.steps);
  const identity = { stepId: id.id, id: target.identityId, name: target.identityName };
  const missingGrantTargets: string[] = [];
  const storage = exportStorageName(account);
  const exportStorageId = storage ? snapshot.storageAccounts[storage.toLowerCase()] : undefined;
  if (storage) {
    if (exportStorageId) steps.push(identityGrantStep(ctx, { kind: "storage", id: exportStorageId, label: `storage account ${storage}` }, identity, fhir.id));
    else missingGrantTargets.push(storage);
  }
  // The data copy's store (issue 11): the targets import from it, so their identity reads it — one grant
  // when it is also the export storage account granted above.
  if (choices.storageAccount && (!exportStorageId || scopeKey(exportStorageId) !== scopeKey(choices.storageAccount))) {
    steps.push(identityGrantStep(ctx, { kind: "storage", id: choices.storageAccount, label: `storage account ${dataCopyStore(choices)}` }, identity, fhir.id));
  }
  const registryIds = new Set<string>();
  for (const server of acrLoginServers(account)) {
    const registryId = snapshot.registries[server];
    if (!registryId) { missingGrantTargets.push(server); continue; }
    if (registryIds.has(scopeKey(registryId))) continue;
    registryIds.add(scopeKey(registryId));
    steps.push(identityGrantStep(ctx, { kind: "registry", id: registryId, label: `registry ${registryId.split("/").pop()}` }, identity, fhir.id));
  }

  const settings = settingsDiff({ account, target, keyLinkage, authority, contributors, leftOut, missingGrantTargets, rbac: rbac.summary, importStore: dataCopyStore(choices) });
  const followUps = followUpsOf(account, target, {
    dataCopyStore: dataCopyStore(choices), dataCopyStoreId: choices.storageAccount ?? null,
    leftOut, principalsUnverified: snapshot.principals === null, missingGrantTargets, keyLinkage, accepted: decision.accepted, rbac: rbac.followUps,
  });
  return {
    account: { ...base, status: "planned", notPlanned: [], keyLinkage, settings, accepted: decision.accepted, followUps },
    steps,
  };
}

/**
 * The account's direct FHIR data role assignments copied to the new FHIR service (issue 9 §1), and what is
 * left to the user: grants whose role does not work there, conditioned grants, unverified principals (each
 * an acceptable finding the user accepted, or the account would not be planned). A grant equal to one the
 * plan already makes (an access policy's FHIR Data Contributor for the same principal) is not repeated.
 */
function copiedRoleGrants(ctx: StepContext, snapshot: Snapshot, account: LegacyAccount, target: Target, fhirLabel: string, fhirStepId: string,
  urls: Set<string>): { steps: PlanStep[]; followUps: string[]; summary: { direct: number; copied: number } } {
  const grants = rbacGrants(snapshot, account);
  const steps: PlanStep[] = [];
  const followUps: string[] = [];
  const yourself = (g: { roleName: string; assignment: { principalId: string } }, why: string) =>
    followUps.push(`Grant ${g.roleName} on ${target.fhirServiceId} to ${g.assignment.principalId} yourself (${why}).`);
  if (grants.unreadable) followUps.push(`Grant the FHIR data roles clients held on ${account.id} on ${target.fhirServiceId} yourself (its role assignments could not be read).`);
  for (const g of grants.direct) {
    if (g.assignment.condition) { yourself(g, `with an equivalent condition; the source's was ${g.assignment.condition}`); continue; }
    if (g.kind.kind !== "copyable" || !assignableAt(g, target.fhirServiceId)) { yourself(g, `custom role ${g.roleName} gives no access on workspaces/fhirservices as it is`); continue; }
    if (g.principal === undefined) { yourself(g, "its principal could not be verified in Microsoft Graph"); continue; }
    if (g.principal === null) continue; // gone from the directory: nothing to copy (rbac-principal-not-found)
    const step = copiedRoleStep(ctx, target.fhirServiceId, fhirLabel, {
      roleGuid: g.roleGuid, roleName: g.roleName, principalId: g.assignment.principalId, principalType: g.assignment.principalType ?? g.principal,
    }, fhirStepId);
    if (urls.has(step.request.url) || steps.some((x) => x.request.url === step.request.url)) continue;
    steps.push(step);
  }
  for (const g of grants.inherited) {
    followUps.push(`Check ${g.roleName} for ${g.assignment.principalId}, inherited from ${g.assignment.scope}: not copied; it ${g.coversAhds ? "covers the new FHIR service if the target is under that scope" : "names legacy actions only and will not cover the new FHIR service"}.`);
  }
  return { steps, followUps, summary: { direct: grants.direct.length, copied: steps.length } };
}

/** The name of the data copy's storage account (--storage-account), or null. */
function dataCopyStore(choices: PlanChoices): string | null {
  return choices.storageAccount ? choices.storageAccount.split("/").pop()!.toLowerCase() : null;
}

function followUpsOf(account: LegacyAccount, target: Target, f: {
  /** --storage-account's name and id, or null. */
  dataCopyStore: string | null;
  dataCopyStoreId: string | null;
  leftOut: string[]; principalsUnverified: boolean; missingGrantTargets: string[]; keyLinkage: KeyLinkage | null; accepted: string[];
  /** Role-assignment work left to the user (copiedRoleGrants). */
  rbac: string[];
}): string[] {
  const p = account.properties ?? {};
  const out: string[] = [];
  const pes = Array.isArray(p.privateEndpointConnections) ? p.privateEndpointConnections.length : 0;
  if (pes > 0) out.push(`Recreate ${pes} private endpoint(s) on workspace ${target.workspaceName} (private link is set per workspace), then restrict public access.`);
  if (f.accepted.includes("source-private-network")) {
    out.push(`Right after apply, before copying data: create a private endpoint on workspace ${target.workspaceName} and disable its public network access (the source had it disabled; the API creates the service public).`);
  }
  if (f.leftOut.length > 0) {
    out.push(f.principalsUnverified
      ? `Grant FHIR Data Contributor on ${target.fhirServiceId} to the access-policy object ids whose tenant could not be verified: ${f.leftOut.join(", ")}.`
      : `Give the object ids outside the tenant another way in (they cannot hold role assignments here): ${f.leftOut.join(", ")}.`);
  }
  out.push(...f.rbac);
  for (const t of f.missingGrantTargets) {
    out.push(`Grant ${target.identityName} ${t.includes(".azurecr.") ? "AcrPull on the registry" : "Storage Blob Data Contributor on the storage account"} ${t} (not found when planning).`);
  }
  if (p.authenticationConfiguration?.smartProxyEnabled) out.push("Configure SMART on FHIR anew (smartIdentityProviders and the FHIR SMART User role): the SMART proxy is not carried over.");
  if (f.accepted.includes("custom-authority")) out.push(`Move clients of the custom authority ${p.authenticationConfiguration?.authority ?? ""} to the tenant's own sign-in endpoint.`);
  if (f.accepted.includes("fhir-service-quota")) out.push(`Ask for a FHIR-service quota increase in subscription ${account.subscriptionId} (default 10) before applying.`);
  if (f.keyLinkage && !parseKeyUri(f.keyLinkage.sourceKeyUri)?.version && !f.keyLinkage.chosenKey) {
    out.push(`Key rotation is manual on AHDS: after rotating the key, update keyEncryptionKeyUrl of ${target.fhirServiceId}.`);
  }
  out.push(`Point client applications at ${target.fhirUrl} and have them request tokens for that audience.`);
  out.push("Recreate diagnostic settings (AuditLogs, DiagnosticLogs) on the new FHIR service if the account had any.");
  const storeSubscription = f.dataCopyStoreId ? /^\/subscriptions\/([^/]+)/i.exec(f.dataCopyStoreId)?.[1] : undefined;
  if (f.dataCopyStore && storeSubscription?.toLowerCase() !== account.subscriptionId.toLowerCase()) {
    out.push(`The data copy cannot export ${account.name} to ${f.dataCopyStore}: Azure API for FHIR exports only to a storage account of its own subscription (${account.subscriptionId}); plan it with one there.`);
  } else if (f.dataCopyStore) {
    const exportsThere = (p.exportConfiguration?.storageAccountName ?? "").toLowerCase() === f.dataCopyStore;
    const systemIdentity = /systemassigned/i.test(account.identity?.type ?? "");
    if (!exportsThere || !systemIdentity) {
      out.push(`Before the data copy, on ${account.name} (this tool never writes the source): ${[
        ...(systemIdentity ? [] : ["turn on its system-assigned identity"]),
        ...(exportsThere ? [] : [`set its export storage account to ${f.dataCopyStore}`]),
        `grant its identity Storage Blob Data Contributor on ${f.dataCopyStore}`].join(", ")}.`);
    } else {
      out.push(`Before the data copy: make sure the identity of ${account.name} holds Storage Blob Data Contributor on ${f.dataCopyStore} ($export writes there with it).`);
    }
  }
  out.push("Copy the FHIR data ($export from the account, $import into the new service): not done by this version.");
  return out;
}

export function buildPlan(snapshot: Snapshot, assessments: readonly AccountAssessment[], choices: PlanChoices, options: BuildPlanOptions): Plan {
  const byId = new Map(assessments.map((a) => [scopeKey(a.account.id), a]));
  const assessmentOf = (account: LegacyAccount): AccountAssessment => {
    const a = byId.get(scopeKey(account.id));
    if (!a) throw new BugError(`no assessment for account ${account.id}`);
    return a;
  };
  const state: PlanState = { snapshot, choices, resourceGroupSteps: new Map(), targetsTaken: new Map() };
  const accounts: PlannedAccount[] = [];
  const steps: PlanStep[] = [];
  for (const account of selectAccounts(snapshot, assessmentOf, choices)) {
    const built = planAccount(state, account, assessmentOf(account));
    accounts.push(built.account);
    steps.push(...built.steps);
  }
  const plan: Plan = {
    formatVersion: PLAN_FORMAT_VERSION as 1,
    tool: { name: "ahds-migrate", version: options.toolVersion },
    planId: "",
    createdAt: options.now.toISOString(),
    cloud: snapshot.cloud,
    tenantId: snapshot.tenantId,
    choices: JSON.parse(JSON.stringify(choices)) as PlanChoices,
    fingerprint: fingerprintOf(snapshot, accounts),
    accounts,
    steps,
    digest: "",
  };
  return sealPlan(plan);
}
