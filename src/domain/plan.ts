// The plan, format 1 (DESIGN.md "Plan", "Steps for one account", "Files the tool owns"): what apply will
// do, exactly, and the source facts it relies on. A contract: users review it in pull requests and the
// runner executes only from it. Built by src/planner (pure), written/read at the edge (src/cli).
import type { CloudName } from "./snapshot.js";
import type { Finding, FindingCode } from "./findings.js";

export const PLAN_FORMAT_VERSION = 1;

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** A JSON object (not null, not an array): what a request body and its `properties` must be. */
export function isJsonObject(v: JsonValue | undefined): v is JsonObject {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** A value only known at apply time: an output of an earlier step, journaled with that step's outputs. */
export interface FromStepRef {
  $fromStep: string;
  output: string;
}

export type StepKind =
  | "ensure-resource-group"
  | "ensure-workspace"
  | "ensure-identity"
  | "grant-key-role"              // RBAC vault: Key Vault Crypto Service Encryption User at the key scope
  | "grant-key-access-policy"     // access-policy vault: get, wrapKey, unwrapKey for the identity only
  | "create-fhir-service"
  | "grant-data-role";            // FHIR Data Contributor / Storage Blob Data Contributor / AcrPull

/** One exact ARM request (REST wire shape, nested `properties` as in the spec). */
export interface StepRequest {
  method: "PUT";
  /** Absolute URL on the cloud's ARM endpoint, with the api-version its pinned client uses. */
  url: string;
  /** Wire JSON; may hold FromStepRef objects anywhere a value is only known at apply time. */
  body: JsonValue;
}

export interface PlanStep {
  /** Unique in the plan, deterministic, e.g. "fhir-patients-3f2a91/ensure-workspace". */
  id: string;
  accountId: string;
  kind: StepKind;
  /** Human summary, noun first: "Workspace fhirpatients in rg-fhir (westeurope)". */
  title: string;
  dependsOn: string[];
  request: StepRequest;
  /** Whether ARM answers the PUT as a long-running operation (workspace, FHIR service). */
  longRunning: boolean;
  /** Output names the runner journals for later $fromStep references (e.g. ["principalId", "clientId"]). */
  outputs: string[];
}

/** One row of the settings diff (azure-facts §3.4): what happens to each source setting. */
export interface SettingRow {
  setting: string;
  source: string;
  target: string;
  action: "copied" | "changed" | "dropped" | "manual";
  why: string;
}

export interface KeyLinkage {
  /** As configured on the source (usually versionless). */
  sourceKeyUri: string;
  /** Versioned URL the FHIR service will use. */
  targetKeyUrl: string;
  /** True when the user chose another key (--key). */
  chosenKey: boolean;
  vaultId: string;
  permissionModel: "rbac" | "accessPolicy";
  identityId: string;
  /** RBAC vault: the role assignment. */
  role?: { roleDefinitionId: string; roleName: string; scope: string; assignmentName: string };
  /** Access-policy vault: the key permissions added for the identity only. */
  accessPolicy?: { keys: string[] };
}

export interface NotPlannedReason {
  code: FindingCode;
  message: string;
  /** The flag or fix that would resolve it, e.g. "--kind ID=fhir-R4" or "fix: enable purge protection". */
  resolve: string;
}

export interface PlannedAccount {
  id: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  status: "planned" | "not-planned";
  notPlanned: NotPlannedReason[];
  target: {
    resourceGroup: string;
    workspaceName: string;
    fhirServiceName: string;
    workspaceId: string;
    fhirServiceId: string;
    identityName: string;
    identityId: string;
    /** https://{workspace}-{fhir}.fhir.azurehealthcareapis.com (.us in US Government). */
    fhirUrl: string;
    kind: "fhir-R4" | "fhir-Stu3";
    /**
     * Set when the workspace exists and was not made for this account by this tool: the plan adopts it
     * (no workspace PUT; what its listing said of it is shown to the reviewer). Absent otherwise.
     */
    existingWorkspace?: { createdAt: string | null; createdBy: string | null; createdByType: string | null };
  };
  keyLinkage: KeyLinkage | null;
  settings: SettingRow[];
  findings: Finding[];
  accepted: FindingCode[];
  /** Work left to the user (private endpoints on the workspace, diagnostic settings, SMART, …). */
  followUps: string[];
}

/** What the user chose (every choice is recorded in the plan). */
export interface PlanChoices {
  /** Selected account ids, or "all-ready". */
  accounts: string[] | "all-ready";
  targetResourceGroup: string | null;
  /** Account id → another key URL (versioned or versionless). */
  keys: Record<string, string>;
  /** Account id → kind for a bare `fhir` account. */
  kinds: Record<string, "fhir-R4" | "fhir-Stu3">;
  /** Account id → accepted action finding codes (FINDINGS.md acceptable list). */
  accept: Record<string, FindingCode[]>;
  /** Account id → target names chosen with --name (absent in plans written before it existed: none chosen). */
  names?: Record<string, { workspace: string; fhirService: string }>;
  /**
   * --subscription: the only subscriptions discovery read (lower-case GUIDs, sorted). Absent: the chosen
   * accounts' subscriptions, or every one visible for "all-ready". Re-deriving the plan reads the same ones.
   */
  subscriptions?: string[];
  /**
   * --storage-account: the ARM id of an existing storage account for the data copy (issue 11): the targets
   * import from it (`importConfiguration`), their identities get Storage Blob Data Contributor on it.
   * Absent: no data-copy prerequisites are planned.
   */
  storageAccount?: string;
}

/**
 * Every source fact the plan relies on and does not itself change (DESIGN.md): not the vault's access
 * policies, not the target resources, not FHIR-service counts. Hashes are SHA-256 hex of RFC 8785 JSON.
 */
export interface PlanFingerprint {
  accounts: { id: string; etag: string | null; propertiesSha256: string }[];
  keys: {
    vaultName: string; keyName: string;
    /** The version pinned by the plan (current at plan time, or the source URI's). */
    version: string;
    /** Current version at plan time (for versionless sources; equals version otherwise). */
    currentVersion: string;
    attributesSha256: string;
  }[];
  vaults: {
    id: string; location: string; softDelete: boolean; purgeProtection: boolean;
    permissionModel: "rbac" | "accessPolicy"; networkAclsSha256: string;
  }[];
}

export interface Plan {
  formatVersion: 1;
  tool: { name: "ahds-migrate"; version: string };
  /** "plan-" + the first 12 hex characters of the digest. */
  planId: string;
  createdAt: string;
  cloud: CloudName;
  tenantId: string;
  choices: PlanChoices;
  fingerprint: PlanFingerprint;
  accounts: PlannedAccount[];
  steps: PlanStep[];
  /** "sha256:<hex>" over the RFC 8785 canonical JSON of the plan without `digest` and `planId`. */
  digest: string;
}
