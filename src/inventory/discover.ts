// discover(): reads the estate into a Snapshot (src/domain/snapshot.ts, FINDINGS.md "Definitions") through the
// read-* functions of src/azure, on the session's shared rate-limited clients.
//
// What counts as one read (issue 3, "Discovery"): the list pages of each subscription (services, workspaces
// + FHIR services per workspace, vaults, storage accounts, registries), one provider-metadata read per
// subscription that has accounts (the FHIR service regions), at most one ARM read per vault (here:
// none beyond the vault listing, which already carries every property), exactly one `getKey` per distinct
// key reference `keyRef(vault, key, pinnedVersion)` (the current or the pinned version) and one versions
// listing (all its pages) per distinct KEY (vault, key) — shared by its versionless and pinned references —
// however many accounts share them, one `permissions` listing per distinct scope (an RBAC vault's keys: the
// vault's scope, and a key's own only when the vault's does not already allow role assignments), one
// role-assignment listing per account (issue 9 §1), one Graph getByIds per
// 1000 object ids. Key Vault's 401 challenge is not a read: to send as few as possible, a vault's first key
// read goes alone and the rest of that vault's reads follow once its token is known, one at a time (they
// reuse the vault's one kept-alive tunnel; the other vaults fill the limiter's slots).
//
// Everything is pipelined: each subscription's accounts start their key and permission reads as soon as
// that subscription's services are listed, without waiting for other subscriptions, and those reads take
// the limiter's queue ahead of the other listings, permissions and Graph (limiter priorities). A subscription, vault
// or key that cannot be read becomes data (an `error`, a failure field or an `errors` entry), never a throw;
// only cancellation (options.abortSignal) rejects.
import { setMaxListeners } from "node:events";
import type {
  LegacyAccount, PermissionSet, ReadFailure, Snapshot, SubscriptionFacts, VaultFacts,
} from "../domain/snapshot.js";
import { keyRef, parseKeyUri, scopeKey, vaultKey } from "../domain/snapshot.js";
import type { AzureSession } from "../azure/azure-session.js";
import { PRIORITY } from "../azure/limiter.js";
import { listSubscriptions } from "../azure/read-subscriptions.js";
import { listLegacyServices, listWorkspacesAndFhirServices } from "../azure/read-healthcare.js";
import { listVaults } from "../azure/read-vaults.js";
import { listKeyVersions, readKey, type KeyReadResult } from "../azure/read-keys.js";
import { challengeTenant, keyFacts } from "./key-facts.js";
import { readPermissions } from "../azure/read-permissions.js";
import { readPrincipals } from "../azure/read-principals.js";
import { listRoleAssignmentsAt, readRoleDefinition } from "../azure/read-role-assignments.js";
import { FHIR_DATA_ROLES, roleGuidOf } from "../domain/fhir-data-roles.js";
import { listRegistries, listStorageAccounts } from "../azure/read-grant-targets.js";
import { FHIR_SERVICE_TYPE, readProviderLocations } from "../azure/read-provider-locations.js";
import { ProgressTracker, type DiscoveryProgress } from "./progress.js";
import { isAllowed, ROLE_ASSIGNMENTS_WRITE } from "../assess/permissions.js";
import { VaultDirectory } from "./vault-directory.js";
import { startGate } from "./start-gate.js";
import { codePointCompare } from "../domain/code-point-order.js";

export interface DiscoverOptions {
  subscriptionIds?: string[];
  onProgress?: (p: DiscoveryProgress) => void;
  abortSignal?: AbortSignal;
  now?: () => Date;
}

export async function discover(session: AzureSession, options: DiscoverOptions = {}): Promise<Snapshot> {
  options.abortSignal?.throwIfAborted();
  // One internal signal for the hundreds of concurrent SDK calls (each adds an abort listener), following the caller's.
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  const follow = () => controller.abort(options.abortSignal?.reason);
  options.abortSignal?.addEventListener("abort", follow, { once: true });
  try {
    return await discoverWith(session, options, controller.signal);
  } finally {
    options.abortSignal?.removeEventListener("abort", follow);
  }
}

async function discoverWith(session: AzureSession, options: DiscoverOptions, signal: AbortSignal): Promise<Snapshot> {
  const progress = new ProgressTracker(options.onProgress);
  const snapshot: Snapshot = {
    cloud: session.cloud, tenantId: "", generatedAt: (options.now?.() ?? new Date()).toISOString(),
    subscriptions: [], accounts: [], vaults: {}, keys: {}, principals: {}, permissions: {}, roleAssignments: {}, roleDefinitions: {},
    storageAccounts: {}, registries: {}, workspaces: [], workspaceFacts: {}, fhirServices: [], fhirRegions: {}, errors: [],
  };
  const errorAt = (scope: string, message: string) => snapshot.errors.push({ scope, message });
  // Queue order when requests wait for the limiter (limiter.ts `prioritized`): the critical path — services
  // lists, then each vault's challenge, getKey and versions listings — goes first; the vault listings
  // (needed for the permission reads) next; the other listings, permissions and Graph fill the slots left.
  const at = <T>(priority: number, read: () => Promise<T>): Promise<T> => session.limiter.prioritized(priority, read);
  const critical = <T>(read: () => Promise<T>): Promise<T> => at(PRIORITY.CRITICAL, read);

  const listed = await critical(() => listSubscriptions(session, signal));
  if (!listed.ok) {
    errorAt("/subscriptions", `Can't list subscriptions (${listed.failure}): ${listed.message}`);
    progress.subscriptionsListed = true;
    progress.emit(true);
    return snapshot;
  }
  snapshot.tenantId = listed.value.tenantId;
  snapshot.subscriptions = selectSubscriptions(listed.value.subscriptions, options.subscriptionIds);
  const readable = snapshot.subscriptions.filter((s) => s.error === null);
  progress.subscriptionsListed = true;
  progress.update((p) => {
    p.subscriptionsTotal = snapshot.subscriptions.length;
    p.subscriptionsScanned = snapshot.subscriptions.length - readable.length;
  });

  const vaults = new VaultDirectory(readable.length);
  const keyTasks = new Map<string, Promise<void>>();
  const vaultFirstRead = new Map<string, Promise<KeyReadResult>>();
  const permissionTasks = new Map<string, Promise<PermissionSet[] | null>>();
  const pending: Promise<unknown>[] = [];

  const readPermissionsOnce = (scope: string): Promise<PermissionSet[] | null> => {
    const k = scopeKey(scope);
    let task = permissionTasks.get(k);
    if (task) return task;
    progress.permissionsPending++;
    task = at(PRIORITY.LOW, () => readPermissions(session, scope, signal)).then((r) => {
      snapshot.permissions[k] = r.ok ? r.value : null;
      if (!r.ok) errorAt(scope, `Can't read the caller's permissions (${r.failure}): ${r.message}`);
      progress.permissionsPending--;
      progress.emit();
      return snapshot.permissions[k] ?? null;
    });
    permissionTasks.set(k, task);
    handled(task);
    return task;
  };
  // An RBAC vault's key: the vault scope first (issue 9 §6). Everything assigned at or above the vault
  // applies to its keys (azure-facts §2.6), so when the caller may already write role assignments at the
  // vault, the key scope answers at least that and is not asked: one permissions read per vault, not per key.
  // Otherwise the key scope is read too (a grant made at the key alone).
  const keyPermissionTasks = new Map<string, Promise<unknown>>();
  const readKeyPermissionsOnce = (vaultId: string, keyName: string): Promise<unknown> => {
    const keyScope = `${vaultId}/keys/${keyName}`;
    const k = scopeKey(keyScope);
    let task = keyPermissionTasks.get(k);
    if (!task) {
      task = handled(readPermissionsOnce(vaultId).then((atVault) => {
        if (!atVault || !isAllowed(atVault, ROLE_ASSIGNMENTS_WRITE)) return readPermissionsOnce(keyScope);
        snapshot.permissions[k] = atVault;
        return atVault;
      }));
      keyPermissionTasks.set(k, task);
    }
    return task;
  };

  // --- vaults: facts once per distinct name, from the listings (or the key URI when not visible) ---
  const vaultTasks = new Map<string, Promise<VaultFacts>>();
  const ensureVault = (name: string, vaultUrl: string): Promise<VaultFacts> => {
    const vk = vaultKey(name);
    let t = vaultTasks.get(vk);
    if (!t) {
      progress.update((p) => p.vaultsTotal++);
      t = vaults.find(name).then(async (found) => {
        const facts: VaultFacts = found ?? invisibleVault(name, vaultUrl, vaults.listingFailure());
        if (!found) {
          // Not visible to ARM: its tenant is the one its challenge named (seen by the first key read).
          const first = await vaultFirstRead.get(vk);
          facts.tenantId = first ? challengeTenant(first, snapshot.tenantId) : null;
        }
        snapshot.vaults[vk] = facts;
        progress.update((p) => p.vaultsRead++);
        return facts;
      });
      vaultTasks.set(vk, handled(t));
    }
    return t;
  };

  // A vault's reads after its first go at most VAULT_READS_AT_ONCE at a time: they reuse the vault's kept-alive
  // tunnels (azure/http-client.ts) instead of each opening one (a CONNECT + TLS handshake per tunnel), while
  // the other vaults' reads fill the limiter's slots.
  const vaultLanes = new Map<string, Lanes>();
  const inVaultLane = <T>(vk: string, read: () => Promise<T>): Promise<T> => {
    let lanes = vaultLanes.get(vk);
    if (!lanes) vaultLanes.set(vk, (lanes = new Lanes(VAULT_READS_AT_ONCE)));
    return lanes.run(() => critical(read));
  };

  // --- keys: one getKey per distinct keyRef (current or pinned version), one versions listing per key ---
  // The listing names every version, so the references of one key (versionless and pinned ones) share it.
  const listingTasks = new Map<string, Promise<Awaited<ReturnType<typeof listKeyVersions>> | null>>();
  const listingOnce = (uri: ReturnType<typeof parseKeyUri> & object, first: Promise<KeyReadResult>) => {
    const k = `${vaultKey(uri.vaultName)}/${uri.keyName.toLowerCase()}`;
    let t = listingTasks.get(k);
    if (!t) {
      // Not attempted when the vault's first read says the vault does not answer (null: fails like the get).
      t = first.then((f) => (vaultGone(f) ? null : inVaultLane(vaultKey(uri.vaultName), () => listKeyVersions(session, uri.vaultUrl, uri.keyName, signal))));
      listingTasks.set(k, handled(t));
    }
    return t;
  };
  const ensureKey = (uri: ReturnType<typeof parseKeyUri> & object): void => {
    const ref = keyRef(uri.vaultName, uri.keyName, uri.version);
    if (keyTasks.has(ref)) return;
    progress.update((p) => p.keysTotal++);
    const vk = vaultKey(uri.vaultName);
    const vaultReady = ensureVault(uri.vaultName, uri.vaultUrl);
    let task: Promise<void>;
    const first = vaultFirstRead.get(vk);
    if (!first) {
      // The vault's first key read goes alone: it meets the 401 challenge and fetches the vault's token.
      const get = critical(() => readKey(session, uri.vaultUrl, uri.keyName, uri.version, signal));
      vaultFirstRead.set(vk, handled(get));
      task = get.then(async (g) => {
        const versions = await listingOnce(uri, get);
        snapshot.keys[ref] = keyFacts(uri, g, versions, snapshot.tenantId);
      });
    } else {
      task = first.then(async (f) => {
        // The vault's first read says whether the vault answers at all: another tenant's vault or a host
        // that does not resolve fails every key the same way, so its other keys are not asked again.
        if (vaultGone(f)) {
          snapshot.keys[ref] = keyFacts(uri, f, null, snapshot.tenantId);
          return;
        }
        const [g, versions] = await Promise.all([
          inVaultLane(vk, () => readKey(session, uri.vaultUrl, uri.keyName, uri.version, signal)),
          listingOnce(uri, first),
        ]);
        snapshot.keys[ref] = keyFacts(uri, g, versions, snapshot.tenantId);
      });
    }
    task = task.then(() => {
      const k = snapshot.keys[ref]!;
      if (k.getFailure === "error" || k.listFailure === "error") errorAt(`https://${uri.vaultHost}/keys/${uri.keyName}`, "Key Vault could not be read (see the key's facts).");
      progress.update((p) => p.keysRead++);
    });
    // Caller's rights at the key (RBAC vault) or the vault (access-policy vault), FINDINGS.md "Caller's rights":
    // needs only the vault's ARM facts, so it runs beside the key reads rather than after them.
    pending.push(handled(vaultReady.then((v) => {
      if (v.id && v.permissionModel === "rbac") return readKeyPermissionsOnce(v.id, uri.keyName);
      if (v.id) return readPermissionsOnce(v.id);
      return undefined;
    })));
    keyTasks.set(ref, handled(task));
    pending.push(task);
  };

  // --- Azure RBAC at each account (issue 9 §1): one atScope() listing per account, one GetById per distinct
  // role that is neither a built-in FHIR data role nor a well-known role without data actions ---
  const roleDefinitionTasks = new Map<string, Promise<void>>();
  const readRoleDefinitionOnce = (subscriptionId: string, roleDefinitionId: string): void => {
    const guid = roleGuidOf(roleDefinitionId);
    if (FHIR_DATA_ROLES[guid] || NO_DATA_ACTION_ROLES.has(guid) || roleDefinitionTasks.has(guid)) return;
    roleDefinitionTasks.set(guid, handled(at(PRIORITY.LOW, () => readRoleDefinition(session, subscriptionId, roleDefinitionId, signal)).then((r) => {
      snapshot.roleDefinitions[guid] = r.ok ? r.value : null;
      if (!r.ok) errorAt(roleDefinitionId, `Can't read the role definition (${r.failure}): ${r.message}`);
    })));
  };
  const roleAssignmentTasks: Promise<void>[] = [];
  // Built only when the limiter could send them soon (start-gate.ts): twice its concurrency in flight.
  const roleAssignmentGate = startGate(2 * session.limiter.concurrency);
  const readRoleAssignments = (a: LegacyAccount): void => {
    roleAssignmentTasks.push(handled(roleAssignmentGate(() => at(PRIORITY.LOW, () => listRoleAssignmentsAt(session, a.id, signal))).then((r) => {
      snapshot.roleAssignments[scopeKey(a.id)] = r.ok ? r.value : null;
      // 403 is the expected "no roleAssignments/read": the finding says so; anything else is an error too.
      if (!r.ok && r.failure !== "forbidden") errorAt(a.id, `Can't list the role assignments (${r.failure}): ${r.message}`);
      if (r.ok) for (const x of r.value) readRoleDefinitionOnce(a.subscriptionId, x.roleDefinitionId);
    })));
  };

  const onAccounts = (accounts: LegacyAccount[]): void => {
    for (const a of accounts) {
      snapshot.accounts.push(a);
      readRoleAssignments(a);
      if (a.resourceGroup) void readPermissionsOnce(`/subscriptions/${a.subscriptionId}/resourceGroups/${a.resourceGroup}`);
      const raw = a.properties.cosmosDbConfiguration?.keyVaultKeyUri;
      if (!raw) continue;
      const uri = parseKeyUri(raw);
      if (!uri) { errorAt(a.id, `keyVaultKeyUri is not a Key Vault key URI: ${raw}`); continue; }
      ensureKey(uri);
    }
    progress.update((p) => { p.accountsFound = snapshot.accounts.length; });
  };

  // --- per subscription, all at once ---
  const perSubscription = readable.map((s) => handled((async () => {
    const sub = s.subscriptionId;
    const subScope = `/subscriptions/${sub}`;
    // Where FHIR services may be created (issue 9 §5): only asked where there is an account to judge.
    const readRegions = () => at(PRIORITY.NORMAL, () => readProviderLocations(session, sub, FHIR_SERVICE_TYPE, signal)).then((r) => {
      snapshot.fhirRegions[sub.toLowerCase()] = r.ok ? r.value : null;
      if (!r.ok) errorAt(`${subScope}/providers/Microsoft.HealthcareApis`, `Can't read the FHIR service regions (${r.failure}): ${r.message.replace(/\.$/, "")}; the built-in list is used.`);
    });
    const services = critical(() => listLegacyServices(session, sub, signal)).then((r) => {
      if (r.ok) onAccounts(r.value);
      else s.error = `Can't list Azure API for FHIR accounts (${r.failure}): ${r.message}`;
      progress.update((p) => p.subscriptionsScanned++);
      return r.ok && r.value.length > 0 ? readRegions() : undefined;
    });
    const targets = at(PRIORITY.NORMAL, () => listWorkspacesAndFhirServices(session, sub, signal)).then((r) => {
      if (r.ok) {
        for (const w of r.value.workspaces) { snapshot.workspaces.push(w.id); snapshot.workspaceFacts[scopeKey(w.id)] = w; }
        snapshot.fhirServices.push(...r.value.fhirServices);
      }
      else errorAt(subScope, `Can't list AHDS workspaces and FHIR services (${r.failure}): ${r.message}`);
    });
    const vaultList = at(PRIORITY.HIGH, () => listVaults(session, sub, signal)).then((r) => {
      if (r.ok) vaults.add(r.value);
      else { vaults.failed(r.failure); errorAt(subScope, `Can't list key vaults (${r.failure}): ${r.message}`); }
    });
    const storage = at(PRIORITY.NORMAL, () => listStorageAccounts(session, sub, signal)).then((r) => {
      if (r.ok) Object.assign(snapshot.storageAccounts, r.value);
      else errorAt(subScope, `Can't list storage accounts (${r.failure}): ${r.message}`);
    });
    const registries = at(PRIORITY.NORMAL, () => listRegistries(session, sub, signal)).then((r) => {
      if (r.ok) Object.assign(snapshot.registries, r.value);
      else errorAt(subScope, `Can't list container registries (${r.failure}): ${r.message}`);
    });
    await Promise.all([services, targets, vaultList, storage, registries].map(handled));
  })()));

  const allServices = Promise.all(perSubscription);
  await allServices;
  signal.throwIfAborted();

  // Grant targets are looked up by name in every listed subscription, so they wait for all listings.
  for (const a of snapshot.accounts) {
    const storageName = a.properties.exportConfiguration?.storageAccountName;
    const storageId = storageName ? snapshot.storageAccounts[storageName.toLowerCase()] : undefined;
    if (storageId) void readPermissionsOnce(storageId);
    for (const server of a.properties.acrConfiguration?.loginServers ?? []) {
      const registryId = snapshot.registries[server.toLowerCase()];
      if (registryId) void readPermissionsOnce(registryId);
    }
  }

  // Principals: one getByIds per 1000 distinct object ids — accessPolicies and the principals of direct role
  // assignments at the accounts (those the plan may copy) — once every account's assignments are known.
  await Promise.all(roleAssignmentTasks);
  const directPrincipals = snapshot.accounts.flatMap((a) => (snapshot.roleAssignments[scopeKey(a.id)] ?? [])
    .filter((x) => scopeKey(x.scope) === scopeKey(a.id) && !NO_DATA_ACTION_ROLES.has(roleGuidOf(x.roleDefinitionId)))
    .map((x) => x.principalId.toLowerCase()));
  const objectIds = [...new Set([
    ...snapshot.accounts.flatMap((a) => (a.properties.accessPolicies ?? []).map((p) => p.objectId.toLowerCase())), ...directPrincipals,
  ])];
  progress.principalsPending = objectIds.length > 0;
  const principals = objectIds.length === 0 ? Promise.resolve() : handled(at(PRIORITY.NORMAL, () => readPrincipals(session, objectIds)).then((r) => {
    if (r.ok) snapshot.principals = r.value;
    else {
      snapshot.principals = null;
      // 401/403 is the expected "no directory read permission": the finding says so; anything else is an error too.
      if (r.status !== 401 && r.status !== 403) errorAt("Microsoft Graph", `Can't read principals (${r.failure}): ${r.message}`);
    }
    progress.principalsPending = false;
  }));

  await Promise.all([...pending, principals, ...roleDefinitionTasks.values()]);
  // Key tasks may have started permission reads as they finished: wait for those too.
  await Promise.all([...permissionTasks.values()]);
  signal.throwIfAborted();
  sortSnapshot(snapshot);
  progress.emit(true);
  return snapshot;
}

/**
 * Built-in roles without data actions that estates assign everywhere (Owner, Contributor, Reader, User
 * Access Administrator, Role Based Access Control Administrator; Learn "Azure built-in roles"): they grant
 * no FHIR data access, so their definitions are not read.
 */
const NO_DATA_ACTION_ROLES: ReadonlySet<string> = new Set([
  "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "b24988ac-6180-42a0-ab88-20f7382dd24c", "acdd72a7-3385-48ef-bd42-f606fba81ae7",
  "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
]);

/**
 * Reads of one vault in flight at once, after its first (see inVaultLane). One keeps one tunnel (one TLS
 * handshake) per vault: in the benchmark (120 vaults, 3 references each) 139 tunnels instead of 259 at 2
 * and ~500 unbounded, and the shortest span. The price: a vault named by many distinct keys is read one
 * request after another (2 × keys round trips), which only matters when few vaults hold many keys.
 */
const VAULT_READS_AT_ONCE = 1;

/** At most `width` tasks at a time, in call order. */
class Lanes {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly width: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.width) await new Promise<void>((go) => this.waiting.push(go));
    else this.running++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}

/** The vault's first read says it does not answer at all: another tenant's vault, or a host that does not resolve. */
function vaultGone(r: KeyReadResult): boolean {
  return !r.ok && (r.failure === "cross-tenant" || (r.failure === "not-found" && r.status !== 404));
}

/**
 * Marks a promise as handled: when the run is cancelled, many reads reject at once with the AbortError and
 * only the first is awaited; the others must not surface as unhandled rejections. The promise returned is
 * the same one, still rejecting for whoever awaits it.
 */
function handled<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

/** The listed subscriptions, narrowed to `ids` when given; an id not visible in the signed-in tenant is an error entry. */
function selectSubscriptions(list: Omit<SubscriptionFacts, "error">[], ids: string[] | undefined): SubscriptionFacts[] {
  if (!ids || ids.length === 0) return list.map((s) => ({ ...s, error: null }));
  return [...new Set(ids.map((i) => i.toLowerCase()))].map((id) => {
    const s = list.find((x) => x.subscriptionId.toLowerCase() === id);
    return s ? { ...s, error: null } : {
      subscriptionId: id, displayName: "", tenantId: "",
      error: "The subscription is not visible to the signed-in caller in this tenant (no role on it, or it does not exist).",
    };
  });
}

function invisibleVault(name: string, vaultUrl: string, listingFailure: ReadFailure | null): VaultFacts {
  return {
    name, vaultUri: `${vaultUrl.replace(/\/+$/, "")}/`, id: null, location: null, tenantId: null,
    softDelete: null, purgeProtection: null, permissionModel: null, networkDefaultAction: null, networkBypass: null,
    // Not in any readable listing: not found, unless a listing failed (then it may be hidden behind that failure).
    armFailure: listingFailure ?? "not-found",
  };
}

/** Stable order for readers and tests: listings arrive in completion order. */
function sortSnapshot(s: Snapshot): void {
  // Code-point order, not localeCompare: a plan built from this snapshot must not depend on the locale.
  const byId = (a: { id: string }, b: { id: string }) => codePointCompare(a.id.toLowerCase(), b.id.toLowerCase());
  s.accounts.sort(byId);
  s.workspaces.sort();
  s.fhirServices.sort();
  s.errors.sort((a, b) => codePointCompare(a.scope, b.scope) || codePointCompare(a.message, b.message));
}

export type { DiscoveryProgress } from "./progress.js";

