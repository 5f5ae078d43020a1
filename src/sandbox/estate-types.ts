// The estate file (sandbox seed), format 1 — DESIGN.md "Estate file". Types only; validation is in
// estate.ts. A state file (--state) is an estate plus the sandbox's own bookkeeping (SandboxStateFile).

export type Cloud = "AzureCloud" | "AzureUSGovernment";

export interface EstateTenant { tenantId: string; displayName: string }

export type PrincipalType = "ServicePrincipal" | "User" | "Group";

export interface EstatePrincipal {
  tenantId: string;
  objectId: string;
  type: PrincipalType;
  displayName: string;
  /** Application (client) id; with clientSecret the principal may sign in (client credentials). */
  appId?: string;
  clientSecret?: string;
}

export interface EstateCaller { tenantId: string; clientId: string; clientSecret: string }

export interface EstateSubscription {
  subscriptionId: string;
  tenantId: string;
  displayName: string;
  /** Enabled (default) | Warned | PastDue | Disabled | Deleted */
  state?: string;
  /**
   * Provider metadata overrides (Providers_Get `resourceTypes[].locations`): full resource type
   * ("Microsoft.HealthcareApis/workspaces/fhirservices") → display names. Absent types use the cloud's
   * defaults (arm/provider-locations.ts); creates elsewhere fail LocationNotAvailableForResourceType.
   */
  providerLocations?: Record<string, string[]>;
}

export interface EstateResourceGroup { id: string; location: string; tags?: Record<string, string> }

/** An ARM resource exactly as a GET returns it. */
export interface ArmResource {
  id: string;
  name: string;
  type: string;
  location?: string;
  kind?: string;
  etag?: string;
  tags?: Record<string, string>;
  identity?: Record<string, unknown>;
  properties?: Record<string, unknown>;
  systemData?: Record<string, unknown>;
  [extra: string]: unknown;
}

export interface EstateKeyVersion {
  /** 32 lower-case hex characters. */
  version: string;
  kty: "RSA" | "RSA-HSM" | "EC" | "EC-HSM" | "oct" | "oct-HSM";
  /** RSA modulus length in bits (2048, 3072, 4096); absent for EC/oct. */
  keySize?: number;
  /** EC curve, for EC keys (default P-256). */
  crv?: string;
  enabled: boolean;
  /** Unix seconds or null. */
  exp: number | null;
  nbf: number | null;
  created: number;
  updated?: number;
  keyOps?: string[];
}

export interface EstateKey { vaultName: string; name: string; versions: EstateKeyVersion[]; tags?: Record<string, string> }

export interface FaultMatch { method?: string; host?: string; pathRegex?: string }

export interface FaultRule {
  match: FaultMatch;
  /** Answer with this status (an ARM/Key Vault-shaped error body). */
  status?: number;
  /** Probability 0..1 that a matching request is hit (default 1). */
  rate?: number;
  /** Only the n-th matching request (1-based) is hit. */
  nth?: number;
  /** At most this many hits. */
  count?: number;
  /** Drop the connection instead of answering. */
  drop?: boolean;
  /**
   * Accept the request and never answer (the socket stays open until the client gives up or the sandbox
   * closes): a half-open kept-alive tunnel, which only a client-side timeout ends (issue 8).
   */
  hang?: boolean;
  /** Leave the matching long-running operation stuck in this provisioning state. */
  provisioningState?: string;
}

export const KEY_ACCESS_ERROR_SHAPES = ["code", "forbidden", "unwrap", "vault-access"] as const;
export type KeyAccessErrorShape = (typeof KEY_ACCESS_ERROR_SHAPES)[number];

export interface Behaviour {
  latencyMs: number;
  pageSize: number;
  /** Keyed by resource type ("Microsoft.HealthcareApis/workspaces/fhirservices") or "default". */
  operationDurationMs: Record<string, number>;
  rolePropagationMs: number;
  /** How long a FHIR `$export` or `$import` job runs before its status answers 200 (issue 11); default 0. */
  fhirJobDurationMs: number;
  /**
   * How a FHIR create whose identity cannot use the key yet fails (issue 9 §4; Azure's shape is
   * UNCONFIRMED): "code" KeyVaultAccessForbidden (default), "forbidden" a 403-worded Forbidden naming the
   * vault, "unwrap" an InternalServerError about unwrapping the key, "vault-access" a BadRequest saying the
   * identity cannot reach the key vault.
   */
  keyAccessErrorShape: KeyAccessErrorShape;
  /** [bucket size, refill per second] per subscription × principal × kind. */
  throttle: { reads: [number, number]; writes: [number, number]; deletes: [number, number] };
  faults: FaultRule[];
  /** Seed of the random source used by fault `rate` (reproducible runs). */
  seed: number;
}

/**
 * FHIR data of one service (issue 11): `generate` makes Patients with Encounters, Observations and
 * Conditions (seeded; some with several versions, some deleted); `resources` are explicit FHIR resources,
 * each one version when it carries meta.versionId and meta.lastUpdated (the export form, deletes marked
 * with the deleted-state extension — what the --state file writes), else a new version.
 */
export interface EstateFhirData {
  /** ARM id of a Microsoft.HealthcareApis/services account or workspaces/fhirservices service of the estate. */
  service: string;
  generate?: { patients: number; seed: number; historyRate?: number; deleteRate?: number };
  resources?: Record<string, unknown>[];
}

export interface Estate {
  formatVersion: 1;
  cloud: Cloud;
  tenants: EstateTenant[];
  principals: EstatePrincipal[];
  caller: EstateCaller;
  subscriptions: EstateSubscription[];
  resourceGroups: EstateResourceGroup[];
  resources: ArmResource[];
  keys: EstateKey[];
  behaviour: Behaviour;
  /** Optional: services without an entry start empty. */
  fhirData?: EstateFhirData[];
}

export const DEFAULT_BEHAVIOUR: Behaviour = {
  latencyMs: 0,
  pageSize: 100,
  operationDurationMs: {},
  rolePropagationMs: 0,
  fhirJobDurationMs: 0,
  keyAccessErrorShape: "code",
  throttle: { reads: [250, 25], writes: [200, 10], deletes: [200, 10] },
  faults: [],
  seed: 1,
};

/** A long-running operation the sandbox is carrying out (persisted with the state). */
export interface OperationRecord {
  /** The operationresults id (a GUID). */
  id: string;
  subscriptionId: string;
  /** ARM location name of the resource, used in the operationresults URL. */
  location: string;
  /** Provider namespace whose operationresults route serves it, e.g. "Microsoft.HealthcareApis". */
  provider: string;
  resourceId: string;
  resourceType: string;
  method: "PUT" | "PATCH" | "DELETE";
  /** Epoch ms. */
  startedAt: number;
  endsAt: number;
  /** Terminal status once decided; absent while running. */
  status?: "Succeeded" | "Failed" | "Canceled";
  error?: { code: string; message: string };
  /** Fault injection: the operation never finishes and the resource stays in this state. */
  stuckState?: string;
  /** The resource as it will be once the operation succeeds (PUT/PATCH). */
  target?: ArmResource;
}

/** The --state file: the estate as it is now, plus the sandbox's own bookkeeping. */
export interface SandboxStateFile extends Estate {
  sandbox: {
    savedAt: string; operations: OperationRecord[]; faultHits: number[]; faultMatches: number[];
    /** Blobs the sandbox's own jobs wrote ($export output, $import error files); absent in older files. */
    blobs?: StoredBlob[];
    /** FHIR $export / $import jobs (issue 11); absent in older files. */
    fhirJobs?: FhirJob[];
  };
}

/** One blob of the built-in Blob storage (issue 11), text content (NDJSON and JSON only). */
export interface StoredBlob {
  /** Storage account name (lower case). */
  account: string;
  container: string;
  name: string;
  content: string;
  contentType: string;
  etag: string;
  /** Epoch ms. */
  lastModified: number;
}

/** A FHIR bulk job of the sandbox: `$export` on a service, or `$import` into one (DATA-MIGRATION.md §1.4, §2.2). */
export interface FhirJob {
  id: string;
  kind: "export" | "import";
  /** ARM id of the FHIR service. */
  service: string;
  /** The kick-off URL as received (the manifest's `request`). */
  request: string;
  /** Epoch ms when queued (the manifest's `transactionTime`) and when it completes. */
  queuedAt: number;
  endsAt: number;
  status: "running" | "completed" | "failed" | "cancelled";
  /** export: the window and what to include; import: the payload's digest (registration is idempotent per payload). */
  export?: { since: number | null; till: number; types: string[] | null; container: string | null; history: boolean; deleted: boolean; storageAccount: string };
  import?: { payloadSha256: string; inputs: { type: string; url: string }[]; storageAccount: string };
  /** Set when the job ended: the manifest body, or the failure (status code + OperationOutcome diagnostics). */
  result?: unknown;
  failure?: { status: number; message: string };
}
