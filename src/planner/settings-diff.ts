// The settings diff of one account: one SettingRow per row of azure-facts §3.4 (field mapping services →
// workspaces/fhirservices), always in that order and always all of them, so a reviewer sees every setting
// and what happens to it — copied, changed, dropped, or left to them (manual) — and why.
import type { KeyLinkage, PlannedAccount, SettingRow } from "../domain/plan.js";
import type { LegacyAccount } from "../domain/snapshot.js";
import { canonicalJson } from "../domain/canonical-json.js";
import { SOURCE_TAG } from "./step-common.js";

/** The `setting` of each row, in azure-facts §3.4 order. */
export const SETTING_NAMES = [
  "kind", "location", "tags", "identity", "cosmosDbConfiguration.keyVaultKeyUri",
  "cosmosDbConfiguration.crossTenantCmkApplicationId", "cosmosDbConfiguration.offerThroughput", "accessPolicies",
  "role assignments on the account",
  "authenticationConfiguration.authority", "authenticationConfiguration.audience",
  "authenticationConfiguration.smartProxyEnabled", "corsConfiguration", "exportConfiguration.storageAccountName",
  "acrConfiguration", "importConfiguration", "publicNetworkAccess, privateEndpointConnections",
  "resourceVersionPolicyConfiguration", "diagnostic settings",
] as const;

export interface SettingsInput {
  account: LegacyAccount;
  target: PlannedAccount["target"];
  keyLinkage: KeyLinkage | null;
  /** The authority the target gets (the tenant's own). */
  authority: string;
  /** Object ids that get FHIR Data Contributor, and those left out (foreign, or unverified). */
  contributors: string[];
  leftOut: string[];
  /** Grant targets that were not found (their grants are follow-ups). */
  missingGrantTargets: string[];
  /** Direct FHIR data role assignments on the account, and how many the plan copies (issue 9 §1). */
  rbac: { direct: number; copied: number };
  /** The data copy's storage account name (--storage-account), or null (issue 11). */
  importStore: string | null;
}

const NOT_SET = "(not set)";

function show(v: unknown): string {
  return v === undefined || v === null ? NOT_SET : typeof v === "string" ? v : canonicalJson(v);
}

function row(setting: (typeof SETTING_NAMES)[number], source: string, target: string, action: SettingRow["action"], why: string): SettingRow {
  return { setting, source, target, action, why };
}

export function settingsDiff(input: SettingsInput): SettingRow[] {
  const { account, target, keyLinkage } = input;
  const p = account.properties ?? {};
  const cmk = p.cosmosDbConfiguration ?? {};
  const auth = p.authenticationConfiguration ?? {};
  const tags = account.tags ?? {};
  const pes = Array.isArray(p.privateEndpointConnections) ? p.privateEndpointConnections.length : 0;
  const sameAuthority = (auth.authority ?? "").replace(/\/+$/, "").toLowerCase() === input.authority.toLowerCase();
  const storage = p.exportConfiguration?.storageAccountName;
  const acr = p.acrConfiguration;
  const acrSet = !!acr && ((acr.loginServers?.length ?? 0) > 0 || (acr.ociArtifacts?.length ?? 0) > 0);
  const missing = (what: string) => input.missingGrantTargets.some((m) => m.toLowerCase() === what.toLowerCase());

  return [
    account.kind === target.kind
      ? row("kind", account.kind, target.kind, "copied", "same FHIR version on AHDS")
      : row("kind", account.kind, target.kind, "changed", account.kind.toLowerCase() === "fhir"
        ? "the bare `fhir` kind has no AHDS equivalent: the kind chosen with --kind" : "spelled as AHDS spells it"),
    row("location", account.location, account.location, "copied", "workspace, identity and FHIR service in the account's region; the key vault must be there too"),
    row("tags", show(Object.keys(tags).length ? tags : null), `source tags + ${SOURCE_TAG}`, "copied",
      target.existingWorkspace
        ? `copied to the identity and FHIR service, plus ${SOURCE_TAG} naming the source account; the existing workspace keeps its own tags`
        : `copied to the workspace, identity and FHIR service, plus ${SOURCE_TAG} naming the source account`),
    row("identity", show(account.identity?.type ?? null), `UserAssigned ${target.identityName}`, "changed",
      "a user-assigned identity exists before the FHIR service, so the key can be set at creation (azure-facts §2.4)"),
    keyLinkage
      ? row("cosmosDbConfiguration.keyVaultKeyUri", show(cmk.keyVaultKeyUri ?? null), keyLinkage.targetKeyUrl, "changed",
        keyLinkage.chosenKey ? "another key chosen with --key, pinned to a version (AHDS needs a versioned key URL)"
          : cmk.keyVaultKeyUri === keyLinkage.targetKeyUrl ? "the same versioned key" : "pinned to the current version: AHDS needs a versioned key URL and rotation is manual")
      : row("cosmosDbConfiguration.keyVaultKeyUri", NOT_SET, NOT_SET, "copied", "no customer-managed key: Microsoft-managed keys on both"),
    cmk.crossTenantCmkApplicationId
      ? row("cosmosDbConfiguration.crossTenantCmkApplicationId", cmk.crossTenantCmkApplicationId, NOT_SET, "dropped",
        "no equivalent on fhirservices: the FHIR service's own identity reaches the key")
      : row("cosmosDbConfiguration.crossTenantCmkApplicationId", NOT_SET, NOT_SET, "copied", "not set on the source"),
    row("cosmosDbConfiguration.offerThroughput", show(cmk.offerThroughput ?? null), NOT_SET, "dropped", "AHDS scales on its own; there is no throughput setting"),
    (p.accessPolicies?.length ?? 0) === 0
      ? row("accessPolicies", "none", "none", "copied", "no local RBAC on the source")
      : row("accessPolicies", `${p.accessPolicies!.length} object id(s)`, `${input.contributors.length} FHIR Data Contributor role assignment(s)`,
        input.leftOut.length ? "manual" : "changed",
        input.leftOut.length ? `AHDS has no local RBAC; left out (grant them yourself): ${input.leftOut.join(", ")}`
          : "AHDS has no local RBAC: each becomes an Azure RBAC role assignment at the FHIR service"),
    input.rbac.direct === 0
      ? row("role assignments on the account", "no FHIR data role assignments", "none", "copied", "no Azure RBAC data access granted on the account itself")
      : row("role assignments on the account", `${input.rbac.direct} FHIR data role assignment(s)`, `${input.rbac.copied} copied to the FHIR service`,
        input.rbac.copied === input.rbac.direct ? "copied" : "manual",
        input.rbac.copied === input.rbac.direct ? "same role, same principal, at the new FHIR service"
          : "the rest cannot be copied as they are (see the follow-ups), or name principals no longer in the directory"),
    row("authenticationConfiguration.authority", show(auth.authority ?? null), input.authority, sameAuthority ? "copied" : "changed",
      sameAuthority ? "the tenant's own sign-in endpoint" : "AHDS accepts only the tenant's own authority (custom authority accepted)"),
    row("authenticationConfiguration.audience", show(auth.audience ?? null), target.fhirUrl, "changed",
      "the audience is the new service's URL: clients must request tokens for it"),
    auth.smartProxyEnabled
      ? row("authenticationConfiguration.smartProxyEnabled", "true", "false", "manual", "the SMART proxy is deprecated: configure SMART anew (smartIdentityProviders, FHIR SMART User)")
      : row("authenticationConfiguration.smartProxyEnabled", show(auth.smartProxyEnabled ?? null), "false", "copied", "SMART proxy off on both"),
    row("corsConfiguration", show(p.corsConfiguration ?? null), show(p.corsConfiguration ?? null), "copied", p.corsConfiguration ? "same shape on AHDS" : "not set on the source"),
    !storage
      ? row("exportConfiguration.storageAccountName", NOT_SET, NOT_SET, "copied", "export not configured")
      : row("exportConfiguration.storageAccountName", storage, storage, missing(storage) ? "manual" : "copied",
        missing(storage) ? "copied, but the storage account was not found: grant the identity Storage Blob Data Contributor yourself"
          : `copied; the new identity gets Storage Blob Data Contributor on ${storage}`),
    !acrSet
      ? row("acrConfiguration", NOT_SET, NOT_SET, "copied", "ACR not configured")
      : row("acrConfiguration", show(acr), show(acr), input.missingGrantTargets.some((m) => m.includes(".azurecr.")) ? "manual" : "copied",
        input.missingGrantTargets.some((m) => m.includes(".azurecr.")) ? "copied, but a registry was not found: grant the identity AcrPull yourself"
          : "copied; the new identity gets AcrPull on each registry"),
    input.importStore
      ? row("importConfiguration", show(p.importConfiguration ?? null), `enabled, incremental, from ${input.importStore}`, "changed",
        `set for the data copy (--storage-account): the new identity gets Storage Blob Data Contributor on ${input.importStore}`)
      : row("importConfiguration", show(p.importConfiguration ?? null), NOT_SET, "dropped",
        "not copied: Azure API for FHIR cannot import; for the data copy plan with --storage-account"),
    pes > 0
      ? row("publicNetworkAccess, privateEndpointConnections", `${show(p.publicNetworkAccess ?? null)}, ${pes} private endpoint(s)`, "workspace default", "manual",
        "private endpoints are set on the workspace: recreate them there; publicNetworkAccess is read-only in 2024-03-31")
      : row("publicNetworkAccess, privateEndpointConnections", `${show(p.publicNetworkAccess ?? null)}, no private endpoints`, "workspace default",
        (p.publicNetworkAccess ?? "Enabled").toLowerCase() === "enabled" ? "copied" : "manual",
        (p.publicNetworkAccess ?? "Enabled").toLowerCase() === "enabled" ? "public access, as on the source"
          : "publicNetworkAccess is read-only in 2024-03-31: restrict access with private endpoints on the workspace"),
    row("resourceVersionPolicyConfiguration", "not visible in ARM", NOT_SET, "manual",
      "the versioning policy is not part of the legacy ARM resource: set it on the target if you changed it (naming differs: versioned-update)"),
    row("diagnostic settings", "not read", NOT_SET, "manual", "extension resources are not copied: recreate them on the FHIR service (AuditLogs, DiagnosticLogs)"),
  ];
}
