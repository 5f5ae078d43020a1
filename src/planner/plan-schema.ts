// JSON Schema (2020-12) of plan format 1, field for field what src/domain/plan.ts declares. The object here is
// the source: src/planner does no file I/O, so the loader validates against it directly, and the committed
// plans/plan.schema.json is this object printed (plan-schema.test.ts fails when they differ; regenerate with
// `AHDS_WRITE_SCHEMA=1 npx vitest run src/planner/plan-schema.test.ts`).
// Every object of the format is closed (additionalProperties: false) except step request bodies, which are
// ARM wire JSON and may carry `$fromStep` references anywhere.
import { FINDING_CODES } from "../domain/findings.js";

/** A case-insensitive word for a pattern (JSON Schema patterns have no flags; ARM ids vary in case). */
const ci = (word: string): string => [...word].map((c) => (/[a-z]/i.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c)).join("");
const GUID = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";
/** An ARM storage account id (names: 3–24 lower-case letters and digits). */
const STORAGE_ACCOUNT_ID = "^/subscriptions/[0-9a-fA-F-]{36}/resourceGroups/[^/]+/providers/Microsoft\\.Storage/storageAccounts/[a-z0-9]{3,24}$";
const SHA256_HEX = "^[0-9a-f]{64}$";
/** An ARM resource id below a resource group: `/subscriptions/{s}/resourceGroups/{rg}/providers/{ns}/{type}/{name}…`. */
const RESOURCE_ID = `^/${ci("subscriptions")}/[^/\\s]+/${ci("resourceGroups")}/[^/\\s]+/${ci("providers")}/[^/\\s]+/[^/\\s]+/[^/\\s]+(/[^/\\s]+/[^/\\s]+)*$`;
/** Any ARM scope (subscription, resource group, resource, key). */
const SCOPE = `^/${ci("subscriptions")}/[^/\\s]+(/[^/\\s]+)*$`;
/** The cloud ARM endpoints (src/azure/cloud.ts) with a path under /subscriptions and an api-version. */
const ARM_URL = "^https://management\\.(azure\\.com|usgovcloudapi\\.net)/subscriptions/[^?#\\s]+\\?([^#\\s]*&)?api-version=[0-9]{4}-[0-9]{2}-[0-9]{2}(-preview)?(&[^#\\s]*)?$";
/** `https://{vault}.vault.azure.net/keys/{name}[/{version}]` (or the US Government `.vault.usgovcloudapi.net`). */
const KEY_URI = "^https://[A-Za-z0-9-]+\\.vault\\.[a-z.]+/keys/[A-Za-z0-9-]+(/[0-9A-Za-z]+)?/?$";
const VERSIONED_KEY_URL = "^https://[A-Za-z0-9-]+\\.vault\\.[a-z.]+/keys/[A-Za-z0-9-]+/[0-9A-Za-z]+$";
const FHIR_URL = "^https://[a-z0-9]+-[a-z0-9]+\\.fhir\\.azurehealthcareapis\\.(com|us)$";
/** ISO-8601 UTC as Date.toISOString() writes it. */
const ISO_UTC = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?Z$";
const STEP_ID = "^[A-Za-z0-9][A-Za-z0-9._:/-]*$";
/** Workspace and FHIR service names the tool gives or accepts (src/domain/target-names.ts TARGET_NAME). */
const TARGET_NAME = "^[a-z0-9]{3,24}$";

/** What each pattern means, for messages: "must be <description>" reads better than the regular expression. */
export const PATTERN_DESCRIPTIONS: Record<string, string> = {
  [GUID]: "a GUID",
  [STORAGE_ACCOUNT_ID]: "a storage account id /subscriptions/…/resourceGroups/…/providers/Microsoft.Storage/storageAccounts/{name}",
  [SHA256_HEX]: "64 lower-case hex digits (SHA-256)",
  [RESOURCE_ID]: "an ARM resource id /subscriptions/…/resourceGroups/…/providers/…",
  [SCOPE]: "an ARM scope /subscriptions/…",
  [ARM_URL]: "an ARM URL https://management.azure.com/subscriptions/…?api-version=… (or management.usgovcloudapi.net)",
  [KEY_URI]: "a Key Vault key URI https://{vault}.vault.azure.net/keys/{name}[/{version}]",
  [VERSIONED_KEY_URL]: "a versioned Key Vault key URL https://{vault}.vault.azure.net/keys/{name}/{version}",
  [FHIR_URL]: "a FHIR service URL https://{workspace}-{fhir}.fhir.azurehealthcareapis.com",
  [ISO_UTC]: "an ISO-8601 UTC time like 2026-01-01T00:00:00.000Z",
  [STEP_ID]: "a step id (letters, digits and . _ : / -)",
  [TARGET_NAME]: "3–24 lower-case letters and digits",
};

const STEP_KINDS = [
  "ensure-resource-group", "ensure-workspace", "ensure-identity", "grant-key-role", "grant-key-access-policy",
  "create-fhir-service", "grant-data-role",
];
const FINDING_CODE_LIST = Object.keys(FINDING_CODES);

type Schema = Record<string, unknown>;

/** A closed object: every listed property, `required` ones must be present, nothing else. */
function closed(properties: Record<string, Schema>, required: string[] = Object.keys(properties)): Schema {
  return { type: "object", properties, required, additionalProperties: false };
}

const str = (extra: Schema = {}): Schema => ({ type: "string", ...extra });
const strings = (items: Schema = { type: "string" }): Schema => ({ type: "array", items });
const bool: Schema = { type: "boolean" };
const pattern = (p: string): Schema => ({ type: "string", pattern: p });
const map = (value: Schema): Schema => ({ type: "object", additionalProperties: value });

// A URN, not a URL: the schema is not published anywhere, it ships in the repository and the package.
export const PLAN_SCHEMA_ID = "urn:ahds-migrate:plan-format:1";

export const PLAN_SCHEMA = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: PLAN_SCHEMA_ID,
  title: "ahds-migrate plan, format 1",
  description: "A migration plan written by `ahds-migrate plan` (plans/README.md). The digest covers every field but `digest` and `planId`.",
  type: "object",
  properties: {
    formatVersion: { const: 1 },
    tool: closed({ name: { const: "ahds-migrate" }, version: str({ minLength: 1 }) }),
    planId: pattern("^plan-[0-9a-f]{12}$"),
    createdAt: pattern(ISO_UTC),
    cloud: { enum: ["AzureCloud", "AzureUSGovernment"] },
    tenantId: pattern(GUID),
    choices: { $ref: "#/$defs/choices" },
    fingerprint: { $ref: "#/$defs/fingerprint" },
    accounts: { type: "array", items: { $ref: "#/$defs/account" } },
    steps: { type: "array", items: { $ref: "#/$defs/step" } },
    digest: pattern("^sha256:[0-9a-f]{64}$"),
  },
  required: ["formatVersion", "tool", "planId", "createdAt", "cloud", "tenantId", "choices", "fingerprint", "accounts", "steps", "digest"],
  additionalProperties: false,
  $defs: {
    findingCode: { enum: FINDING_CODE_LIST },
    finding: closed({
      code: { $ref: "#/$defs/findingCode" },
      severity: { enum: ["info", "action", "blocker"] },
      message: str(),
      fix: str(),
    }, ["code", "severity", "message"]),
    kind: { enum: ["fhir-R4", "fhir-Stu3"] },
    choices: closed({
      accounts: { type: ["array", "string"], items: pattern(RESOURCE_ID), pattern: "^all-ready$" },
      targetResourceGroup: { type: ["string", "null"], minLength: 1, maxLength: 90 },
      keys: map(pattern(KEY_URI)),
      kinds: map({ $ref: "#/$defs/kind" }),
      accept: map({ type: "array", items: { $ref: "#/$defs/findingCode" } }),
      names: map(closed({ workspace: pattern(TARGET_NAME), fhirService: pattern(TARGET_NAME) })),
      subscriptions: { type: "array", items: pattern(GUID), minItems: 1 },
      storageAccount: pattern(STORAGE_ACCOUNT_ID),
    }, ["accounts", "targetResourceGroup", "keys", "kinds", "accept"]),
    fingerprint: closed({
      accounts: {
        type: "array",
        items: closed({ id: pattern(RESOURCE_ID), etag: { type: ["string", "null"] }, propertiesSha256: pattern(SHA256_HEX) }),
      },
      keys: {
        type: "array",
        items: closed({
          vaultName: str({ minLength: 1 }), keyName: str({ minLength: 1 }), version: str({ minLength: 1 }),
          currentVersion: str({ minLength: 1 }), attributesSha256: pattern(SHA256_HEX),
        }),
      },
      vaults: {
        type: "array",
        items: closed({
          id: pattern(RESOURCE_ID), location: str({ minLength: 1 }), softDelete: bool, purgeProtection: bool,
          permissionModel: { enum: ["rbac", "accessPolicy"] }, networkAclsSha256: pattern(SHA256_HEX),
        }),
      },
    }),
    stepRequest: closed({
      method: { const: "PUT" },
      url: pattern(ARM_URL),
      // ARM wire JSON: any JSON value; `{ "$fromStep", "output" }` objects stand for apply-time values.
      body: {},
    }),
    step: closed({
      id: pattern(STEP_ID),
      accountId: pattern(RESOURCE_ID),
      kind: { enum: STEP_KINDS },
      title: str({ minLength: 1 }),
      dependsOn: strings(pattern(STEP_ID)),
      request: { $ref: "#/$defs/stepRequest" },
      longRunning: bool,
      outputs: strings(str({ minLength: 1 })),
    }),
    settingRow: closed({
      setting: str({ minLength: 1 }), source: str(), target: str(),
      action: { enum: ["copied", "changed", "dropped", "manual"] }, why: str(),
    }),
    keyLinkage: {
      type: ["object", "null"],
      properties: {
        sourceKeyUri: pattern(KEY_URI),
        targetKeyUrl: pattern(VERSIONED_KEY_URL),
        chosenKey: bool,
        vaultId: pattern(RESOURCE_ID),
        permissionModel: { enum: ["rbac", "accessPolicy"] },
        identityId: pattern(RESOURCE_ID),
        role: closed({
          roleDefinitionId: pattern(SCOPE), roleName: str({ minLength: 1 }), scope: pattern(SCOPE), assignmentName: pattern(GUID),
        }),
        accessPolicy: closed({ keys: strings(str({ minLength: 1 })) }),
      },
      required: ["sourceKeyUri", "targetKeyUrl", "chosenKey", "vaultId", "permissionModel", "identityId"],
      additionalProperties: false,
    },
    notPlanned: closed({ code: { $ref: "#/$defs/findingCode" }, message: str(), resolve: str() }),
    account: closed({
      id: pattern(RESOURCE_ID),
      name: str({ minLength: 1 }),
      subscriptionId: pattern(GUID),
      resourceGroup: str({ minLength: 1, maxLength: 90 }),
      location: str({ minLength: 1 }),
      status: { enum: ["planned", "not-planned"] },
      notPlanned: { type: "array", items: { $ref: "#/$defs/notPlanned" } },
      target: closed({
        resourceGroup: str({ minLength: 1, maxLength: 90 }),
        workspaceName: pattern(TARGET_NAME),
        fhirServiceName: pattern(TARGET_NAME),
        workspaceId: pattern(RESOURCE_ID),
        fhirServiceId: pattern(RESOURCE_ID),
        identityName: str({ minLength: 1 }),
        identityId: pattern(RESOURCE_ID),
        fhirUrl: pattern(FHIR_URL),
        kind: { $ref: "#/$defs/kind" },
        existingWorkspace: closed({
          createdAt: { type: ["string", "null"] }, createdBy: { type: ["string", "null"] }, createdByType: { type: ["string", "null"] },
        }),
      }, ["resourceGroup", "workspaceName", "fhirServiceName", "workspaceId", "fhirServiceId", "identityName", "identityId", "fhirUrl", "kind"]),
      keyLinkage: { $ref: "#/$defs/keyLinkage" },
      settings: { type: "array", items: { $ref: "#/$defs/settingRow" } },
      findings: { type: "array", items: { $ref: "#/$defs/finding" } },
      accepted: { type: "array", items: { $ref: "#/$defs/findingCode" } },
      followUps: strings(),
    }),
  },
} as const;
