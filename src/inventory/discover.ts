// discover(): reads the estate into a Snapshot (src/domain/snapshot.ts, FINDINGS.md "Definitions") through the
// read-* functions of src/azure, on the session's shared rate-limited clients.
//
// What counts as one read (issue 3, "Discovery"): the list pages of each subscription (services, workspaces
// + FHIR services per workspace, vaults, storage accounts, registries), at most one ARM read per vault (here:
// none beyond the vault listing, which already carries every property), exactly one `getKey` and one versions
// listing (all its pages) per DISTINCT key `keyRef(vault, key, pinnedVersion)` however many accounts share
// it, one `permissions` listing per distinct scope, one Graph getByIds per 1000 object ids. Key Vault's 401
// challenge is not a read: to send as few as possible, a vault's first key read goes alone and the rest of
// that vault's reads follow once its token is known.
//
// Everything is pipelined: each subscription's accounts start their key and permission reads as soon as
// that subscription's services are listed, without waiting for other subscriptions. A subscription, vault
// or key that cannot be read becomes data (an `error`, a failure field or an `errors` entry), never a throw;
// only cancellation (options.abortSignal) rejects.
import { setMaxListeners } from "node:events";
import type {
  KeyFacts, LegacyAccount, ReadFailure, Snapshot, SubscriptionFacts, VaultFacts,
} from "../domain/snapshot.js";
import { keyRef, parseKeyUri, scopeKey, vaultKey } from "../domain/snapshot.js";
import type { AzureSession } from "../azure/azure-session.js";
import { listSubscriptions } from "../azure/read-subscriptions.js";
import { listLegacyServices, listWorkspacesAndFhirServices } from "../azure/read-healthcare.js";
import { listVaults } from "../azure/read-vaults.js";
import { listKeyVersions, newestVersion, readKey, type KeyReadResult } from "../azure/read-keys.js";
import { readPermissions } from "../azure/read-permissions.js";
import { readPrincipals } from "../azure/read-principals.js";
import { listRegistries, listStorageAccounts } from "../azure/read-grant-targets.js";
import { ProgressTracker, type DiscoveryProgress } from "./progress.js";
import { VaultDirectory } from "./vault-directory.js";

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
    subscriptions: [], accounts: [], vaults: {}, keys: {}, principals: {}, permissions: {},
    storageAccounts: {}, registries: {}, workspaces: [], fhirServices: [], errors: [],
  };
  const errorAt = (scope: string, message: string) => snapshot.errors.push({ scope, message });

  const listed = await listSubscriptions(session, signal);
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
  const permissionTasks = new Map<string, Promise<void>>();
  const pending: Promise<unknown>[] = [];

  const readPermissionsOnce = (scope: string): void => {
    const k = scopeKey(scope);
    if (permissionTasks.has(k)) return;
    progress.permissionsPending++;
    permissionTasks.set(k, handled(readPermissions(session, scope, signal).then((r) => {
      snapshot.permissions[k] = r.ok ? r.value : null;
      if (!r.ok) errorAt(scope, `Can't read the caller's permissions (${r.failure}): ${r.message}`);
      progress.permissionsPending--;
      progress.emit();
    })));
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

  // --- keys: one getKey + one versions listing per distinct keyRef ---
  const ensureKey = (uri: ReturnType<typeof parseKeyUri> & object): void => {
    const ref = keyRef(uri.vaultName, uri.keyName, uri.version);
    if (keyTasks.has(ref)) return;
    progress.update((p) => p.keysTotal++);
    const vk = vaultKey(uri.vaultName);
    const vaultReady = ensureVault(uri.vaultName, uri.vaultUrl);
    let task: Promise<void>;
    const first = vaultFirstRead.get(vk);
    if (!first) {
      const get = readKey(session, uri.vaultUrl, uri.keyName, uri.version, signal);
      vaultFirstRead.set(vk, handled(get));
      task = get.then(async (g) => {
        const vaultGone = !g.ok && (g.failure === "cross-tenant" || (g.failure === "not-found" && g.status !== 404));
        const versions = vaultGone ? null : await listKeyVersions(session, uri.vaultUrl, uri.keyName, signal);
        snapshot.keys[ref] = keyFacts(uri, g, versions, snapshot.tenantId);
      });
    } else {
      task = first.then(async (f) => {
        // The vault's first read says whether the vault answers at all: another tenant's vault or a host
        // that does not resolve fails every key the same way, so its other keys are not asked again.
        if (!f.ok && (f.failure === "cross-tenant" || (f.failure === "not-found" && f.status !== 404))) {
          snapshot.keys[ref] = keyFacts(uri, f, null, snapshot.tenantId);
          return;
        }
        const [g, versions] = await Promise.all([
          readKey(session, uri.vaultUrl, uri.keyName, uri.version, signal),
          listKeyVersions(session, uri.vaultUrl, uri.keyName, signal),
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
      if (v.id) readPermissionsOnce(v.permissionModel === "rbac" ? `${v.id}/keys/${uri.keyName}` : v.id);
    })));
    keyTasks.set(ref, handled(task));
    pending.push(task);
  };

  const onAccounts = (accounts: LegacyAccount[]): void => {
    for (const a of accounts) {
      snapshot.accounts.push(a);
      if (a.resourceGroup) readPermissionsOnce(`/subscriptions/${a.subscriptionId}/resourceGroups/${a.resourceGroup}`);
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
    const services = listLegacyServices(session, sub, signal).then((r) => {
      if (r.ok) onAccounts(r.value);
      else s.error = `Can't list Azure API for FHIR accounts (${r.failure}): ${r.message}`;
      progress.update((p) => p.subscriptionsScanned++);
    });
    const targets = listWorkspacesAndFhirServices(session, sub, signal).then((r) => {
      if (r.ok) { snapshot.workspaces.push(...r.value.workspaces); snapshot.fhirServices.push(...r.value.fhirServices); }
      else errorAt(subScope, `Can't list AHDS workspaces and FHIR services (${r.failure}): ${r.message}`);
    });
    const vaultList = listVaults(session, sub, signal).then((r) => {
      if (r.ok) vaults.add(r.value);
      else { vaults.failed(r.failure); errorAt(subScope, `Can't list key vaults (${r.failure}): ${r.message}`); }
    });
    const storage = listStorageAccounts(session, sub, signal).then((r) => {
      if (r.ok) Object.assign(snapshot.storageAccounts, r.value);
      else errorAt(subScope, `Can't list storage accounts (${r.failure}): ${r.message}`);
    });
    const registries = listRegistries(session, sub, signal).then((r) => {
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
    if (storageId) readPermissionsOnce(storageId);
    for (const server of a.properties.acrConfiguration?.loginServers ?? []) {
      const registryId = snapshot.registries[server.toLowerCase()];
      if (registryId) readPermissionsOnce(registryId);
    }
  }

  // Principals: one getByIds per 1000 distinct accessPolicies object ids, once every account is known.
  const objectIds = [...new Set(snapshot.accounts.flatMap((a) => (a.properties.accessPolicies ?? []).map((p) => p.objectId.toLowerCase())))];
  progress.principalsPending = objectIds.length > 0;
  const principals = objectIds.length === 0 ? Promise.resolve() : handled(readPrincipals(session, objectIds).then((r) => {
    if (r.ok) snapshot.principals = r.value;
    else {
      snapshot.principals = null;
      // 401/403 is the expected "no directory read permission": the finding says so; anything else is an error too.
      if (r.status !== 401 && r.status !== 403) errorAt("Microsoft Graph", `Can't read principals (${r.failure}): ${r.message}`);
    }
    progress.principalsPending = false;
  }));

  await Promise.all([...pending, principals]);
  // Key tasks may have started permission reads as they finished: wait for those too.
  await Promise.all([...permissionTasks.values()]);
  signal.throwIfAborted();
  sortSnapshot(snapshot);
  progress.emit(true);
  return snapshot;
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

/**
 * The tenant a vault's challenge named. The credential only accepts its own tenant (SDK-RECIPE §4), so any
 * answer of the vault after the challenge (success, 403, 404) means the signed-in tenant; another tenant
 * fails with "cross-tenant" naming it; a vault that never answered named none.
 */
function challengeTenant(r: KeyReadResult, signedInTenant: string): string | null {
  if (r.ok) return signedInTenant;
  if (r.failure === "cross-tenant") return r.challengeTenantId;
  if (r.failure === "error" || (r.failure === "not-found" && r.status !== 404)) return null;
  return signedInTenant;
}

function keyFacts(uri: NonNullable<ReturnType<typeof parseKeyUri>>, g: KeyReadResult,
  versions: Awaited<ReturnType<typeof listKeyVersions>> | null, signedInTenant: string): KeyFacts {
  const listed = versions?.ok ? versions.value : [];
  const facts: KeyFacts = {
    vaultName: uri.vaultName, keyName: uri.keyName, pinnedVersion: uri.version,
    version: null, keyType: null, keySize: null, enabled: null, expiresOn: null, notBefore: null, recoveryLevel: null,
    challengeTenantId: challengeTenant(g, signedInTenant),
    getFailure: g.ok ? null : g.failure,
    // A listing not attempted (the vault did not answer) fails the same way as the get.
    listFailure: versions ? (versions.ok ? null : versions.failure) : (g.ok ? null : (g.failure === "disabled" ? "forbidden" : g.failure)),
    versions: listed,
  };
  if (g.ok) {
    Object.assign(facts, g.value);
  } else {
    // FINDINGS.md "Current key version" / "key-version-pinned": when the get fails (a disabled version), the
    // version judged is still known from the listing: the pinned one, or the newest by created.
    const judged = uri.version ? listed.find((v) => v.version.toLowerCase() === uri.version!.toLowerCase()) ?? null : newestVersion(listed);
    if (judged) {
      facts.version = judged.version;
      facts.enabled = judged.enabled;
      facts.expiresOn = judged.expiresOn;
      facts.notBefore = judged.notBefore;
    }
  }
  return facts;
}

/** Stable order for readers and tests: listings arrive in completion order. */
function sortSnapshot(s: Snapshot): void {
  const byId = (a: { id: string }, b: { id: string }) => a.id.toLowerCase().localeCompare(b.id.toLowerCase());
  s.accounts.sort(byId);
  s.workspaces.sort();
  s.fhirServices.sort();
  s.errors.sort((a, b) => a.scope.localeCompare(b.scope) || a.message.localeCompare(b.message));
}

export type { DiscoveryProgress } from "./progress.js";

