// The one in-memory Azure behind every host the sandbox serves. Plain data plus indexes; the rules
// that change it live with the routes (arm/*, keyvault/*, entra/*). Everything here is serializable
// to the --state file (persistence.ts) so that a killed run resumes against the same Azure.
import type {
  ArmResource, Behaviour, Cloud, Estate, EstateCaller, EstateKey, EstatePrincipal, EstateSubscription, EstateTenant,
  FhirJob, OperationRecord, SandboxStateFile,
} from "./estate-types.js";
import { CLOUD_HOSTS, type CloudHosts } from "./clouds.js";
import { FhirStore } from "./fhir/fhir-store.js";
import { BlobStore } from "./storage/blob-store.js";
import { loadFhirData } from "./fhir/fhir-estate.js";

/** ARM ids compare case-insensitively. */
export function idKey(id: string): string {
  return id.replace(/\/+$/, "").toLowerCase();
}

export class SandboxState {
  cloud: Cloud;
  hosts: CloudHosts;
  tenants: EstateTenant[];
  principals: EstatePrincipal[];
  caller: EstateCaller;
  subscriptions: EstateSubscription[];
  /** Every ARM resource incl. resource groups (type Microsoft.Resources/resourceGroups), keyed by idKey. */
  resources = new Map<string, ArmResource>();
  /**
   * The same resources by lower-cased type (insertion order as in `resources`): listResources is on every
   * RBAC check, and scanning every resource made the sandbox, not the tool, the bench's bottleneck (issue 9 §6).
   */
  private readonly byType = new Map<string, Map<string, ArmResource>>();
  /** Key Vault keys keyed by `${vaultName}/${keyName}` lower-cased. */
  keys = new Map<string, EstateKey>();
  operations = new Map<string, OperationRecord>();
  /** FHIR data per service (legacy account or AHDS FHIR service), keyed by idKey of its ARM id. */
  fhir: Map<string, FhirStore>;
  /** FHIR $export / $import jobs by fhirJobKey (export ids are GUIDs, import ids numbers, as fhir-server's). */
  fhirJobs = new Map<string, FhirJob>();
  /** The built-in Blob storage's content. */
  blobs = new BlobStore();
  behaviour: Behaviour;
  /** Per fault rule: how many requests matched it, and how many it hit (for nth / count). */
  faultMatches: number[] = [];
  faultHits: number[] = [];
  /** Injectable clock (epoch ms). */
  now: () => number;

  constructor(estate: Estate, now: () => number = Date.now) {
    this.cloud = estate.cloud;
    this.hosts = CLOUD_HOSTS[estate.cloud];
    this.tenants = estate.tenants;
    this.principals = estate.principals;
    this.caller = estate.caller;
    this.subscriptions = estate.subscriptions;
    this.behaviour = estate.behaviour;
    this.now = now;
    for (const rg of estate.resourceGroups) {
      const name = rg.id.split("/").pop() ?? "";
      this.putResource({
        id: rg.id, name, type: "Microsoft.Resources/resourceGroups", location: rg.location,
        ...(rg.tags ? { tags: rg.tags } : {}), properties: { provisioningState: "Succeeded" },
      });
    }
    for (const r of estate.resources) this.putResource(r);
    for (const k of estate.keys) this.keys.set(keyKey(k.vaultName, k.name), k);
    this.fhir = loadFhirData(estate.fhirData ?? [], now());
  }

  /** The FHIR store of a service (created empty on first use: every FHIR service starts with no data). */
  fhirStore(serviceId: string): FhirStore {
    const k = idKey(serviceId);
    let store = this.fhir.get(k);
    if (!store) this.fhir.set(k, store = new FhirStore());
    return store;
  }

  getResource(id: string): ArmResource | undefined {
    return this.resources.get(idKey(id));
  }

  putResource(r: ArmResource): void {
    const k = idKey(r.id);
    const before = this.resources.get(k);
    if (before && before.type.toLowerCase() !== r.type.toLowerCase()) this.byType.get(before.type.toLowerCase())?.delete(k);
    this.resources.set(k, r);
    const t = r.type.toLowerCase();
    let ofType = this.byType.get(t);
    if (!ofType) this.byType.set(t, ofType = new Map());
    ofType.set(k, r);
  }

  deleteResource(id: string): boolean {
    const k = idKey(id);
    const before = this.resources.get(k);
    if (before) this.byType.get(before.type.toLowerCase())?.delete(k);
    return this.resources.delete(k);
  }

  /** Resources of one type (case-insensitive), optionally under an id prefix (subscription or group). */
  listResources(type: string, under?: string): ArmResource[] {
    const t = type.toLowerCase();
    const prefix = under ? idKey(under) + "/" : undefined;
    const out: ArmResource[] = [];
    for (const [k, r] of this.byType.get(t) ?? []) {
      if (prefix && !k.startsWith(prefix)) continue;
      out.push(r);
    }
    return out;
  }

  subscription(subscriptionId: string): EstateSubscription | undefined {
    const s = subscriptionId.toLowerCase();
    return this.subscriptions.find((x) => x.subscriptionId.toLowerCase() === s);
  }

  getKey(vaultName: string, keyName: string): EstateKey | undefined {
    return this.keys.get(keyKey(vaultName, keyName));
  }

  /** The vault resource whose name is `vaultName` (vault names are globally unique). */
  vaultByName(vaultName: string): ArmResource | undefined {
    const n = vaultName.toLowerCase();
    return this.listResources("Microsoft.KeyVault/vaults").find((v) => v.name.toLowerCase() === n);
  }

  toEstate(): Estate {
    const all = [...this.resources.values()];
    return {
      formatVersion: 1,
      cloud: this.cloud,
      tenants: this.tenants,
      principals: this.principals,
      caller: this.caller,
      subscriptions: this.subscriptions,
      resourceGroups: all.filter((r) => r.type === "Microsoft.Resources/resourceGroups")
        .map((r) => ({ id: r.id, location: r.location ?? "", ...(r.tags ? { tags: r.tags } : {}) })),
      resources: all.filter((r) => r.type !== "Microsoft.Resources/resourceGroups"),
      keys: [...this.keys.values()],
      behaviour: this.behaviour,
      ...(this.fhir.size > 0 ? { fhirData: [...this.fhir].map(([k, store]) => ({ service: this.getResource(k)?.id ?? k, resources: store.toResources() })) } : {}),
    };
  }

  toStateFile(): SandboxStateFile {
    return {
      ...this.toEstate(),
      sandbox: {
        savedAt: new Date(this.now()).toISOString(),
        operations: [...this.operations.values()],
        faultHits: this.faultHits,
        faultMatches: this.faultMatches,
        ...(this.blobs.all().length > 0 ? { blobs: this.blobs.all() } : {}),
        ...(this.fhirJobs.size > 0 ? { fhirJobs: [...this.fhirJobs.values()] } : {}),
      },
    };
  }

  static fromStateFile(file: SandboxStateFile, now: () => number = Date.now): SandboxState {
    const s = new SandboxState(file, now);
    for (const op of file.sandbox?.operations ?? []) s.operations.set(op.id, op);
    s.faultHits = file.sandbox?.faultHits ?? [];
    s.faultMatches = file.sandbox?.faultMatches ?? [];
    s.blobs = new BlobStore(file.sandbox?.blobs ?? []);
    for (const job of file.sandbox?.fhirJobs ?? []) s.fhirJobs.set(fhirJobKey(job), job);
    return s;
  }
}

export function fhirJobKey(job: Pick<FhirJob, "kind" | "id">): string {
  return `${job.kind}/${job.id}`;
}

export function keyKey(vaultName: string, keyName: string): string {
  return `${vaultName}/${keyName}`.toLowerCase();
}
