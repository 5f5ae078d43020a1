// create-fhir-service: FhirServices_CreateOrUpdate (HealthcareApis 2024-03-31), a long-running PUT of the
// whole service (azure-facts §2.3, §3.4): the user-assigned identity, the versioned key URL (CMK can be set
// at creation only with a user-assigned identity, §2.4), the kind, the tenant's own authority and the new
// audience (§2.5), CORS, export and ACR copied field by field, no smartProxyEnabled: true (deprecated).
// importConfiguration only for the data copy (issue 11, `--storage-account`; DESIGN.md step 4 has none):
// enabled, incremental (initialImportMode false), the chosen account as integration data store.
import type { JsonValue, PlanStep } from "../domain/plan.js";
import type { LegacyAccount } from "../domain/snapshot.js";
import { API_VERSION, armUrl, stepId } from "./step-common.js";
import type { StepContext } from "./step-common.js";

export interface FhirServiceSpec {
  workspaceName: string;
  fhirServiceId: string;
  fhirServiceName: string;
  kind: "fhir-R4" | "fhir-Stu3";
  identityId: string;
  authority: string;
  audience: string;
  /** Versioned key URL, or null without CMK (Microsoft-managed keys). */
  keyUrl: string | null;
  /** The data copy's storage account name (--storage-account), or null: no importConfiguration. */
  importStore: string | null;
}

/** The importConfiguration the data copy needs (DATA-MIGRATION.md §2.5): incremental import from the chosen account. */
export function importConfigurationFor(store: string): Json {
  return { enabled: true, initialImportMode: false, integrationDataStore: store };
}

type Json = { [key: string]: JsonValue };

/** Only the named members that have a value (ARM returns null for unset members; the PUT leaves them out). */
function pick(source: Record<string, unknown> | undefined, names: string[]): Json | null {
  if (!source) return null;
  const out: Json = {};
  for (const n of names) {
    const v = source[n];
    if (v !== undefined && v !== null) out[n] = v as JsonValue;
  }
  return Object.keys(out).length > 0 ? out : null;
}

/** corsConfiguration, exportConfiguration, acrConfiguration as the target takes them (same shapes, §2.3). */
export function copiedSettings(account: LegacyAccount): Json {
  const p = account.properties ?? {};
  const out: Json = {};
  const cors = pick(p.corsConfiguration, ["origins", "headers", "methods", "maxAge", "allowCredentials"]);
  if (cors) out.corsConfiguration = cors;
  const exp = pick(p.exportConfiguration, ["storageAccountName"]);
  if (exp) out.exportConfiguration = exp;
  const acr = p.acrConfiguration;
  if (acr) {
    const a: Json = {};
    if (acr.loginServers && acr.loginServers.length > 0) a.loginServers = [...acr.loginServers];
    const oci = (acr.ociArtifacts ?? []).map((o) => pick(o, ["loginServer", "imageName", "digest"])).filter((o): o is Json => o !== null);
    if (oci.length > 0) a.ociArtifacts = oci;
    if (Object.keys(a).length > 0) out.acrConfiguration = a;
  }
  return out;
}

export function fhirServiceStep(ctx: StepContext, account: LegacyAccount, spec: FhirServiceSpec, dependsOn: string[]): PlanStep {
  const properties: Json = {
    authenticationConfiguration: { authority: spec.authority, audience: spec.audience, smartProxyEnabled: false },
    ...copiedSettings(account),
  };
  if (spec.importStore) properties.importConfiguration = importConfigurationFor(spec.importStore);
  if (spec.keyUrl) properties.encryption = { customerManagedKeyEncryption: { keyEncryptionKeyUrl: spec.keyUrl } };
  return {
    id: stepId(ctx.prefix, "create-fhir-service"), accountId: ctx.accountId, kind: "create-fhir-service",
    title: `FHIR service ${spec.fhirServiceName} (${spec.kind}) in workspace ${spec.workspaceName}${spec.keyUrl ? ", customer-managed key" : ""}`,
    dependsOn,
    request: {
      method: "PUT", url: armUrl(ctx.cloud, spec.fhirServiceId, API_VERSION.healthcare),
      body: {
        location: ctx.location,
        kind: spec.kind,
        identity: { type: "UserAssigned", userAssignedIdentities: { [spec.identityId]: {} } },
        tags: ctx.tags,
        properties,
      },
    },
    longRunning: true, outputs: [],
  };
}
