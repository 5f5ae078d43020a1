// Key Vault data plane (keys, read-only) on each estate vault's own host name, `{vault}{vaultSuffix}`.
// Serves what @azure/keyvault-keys 4.10.2 sends (SDK-RECIPE §5): the 401 challenge naming the vault's tenant,
// GET /keys, /keys/{name}[/], /keys/{name}/{version}, /keys/{name}/versions, paged. Shapes from
// ../shared/specs keys.json 2026-04-01. Imports nothing outside src/sandbox.
import { randomUUID } from "node:crypto";
import type { SandboxContext } from "../context.js";
import type { ArmResource } from "../estate-types.js";
import { segments, type SandboxRequest, type SandboxResponse } from "../http.js";
import { checkKeyAccess } from "./access.js";
import { isKeyVaultApiVersion, LATEST_KEY_VAULT_API_VERSION } from "./api-versions.js";
import { authenticateVaultCaller } from "./challenge.js";
import { currentVersion, findVersion, keyBundle, keyItem } from "./key-bundle.js";
import { kvError } from "./kv-error.js";
import { kvPage } from "./paging.js";

/** Build reported in `x-ms-keyvault-service-version` (Key Vault sends e.g. "1.9.1720.1"). */
const SERVICE_VERSION = "1.9.2734.1";

/** Headers every Key Vault response carries (seen on real responses, e.g. Azure/azure-sdk-for-js#31094). */
function kvHeaders(req: SandboxRequest, vault: ArmResource | undefined): Record<string, string> {
  const h: Record<string, string> = {
    "cache-control": "no-cache",
    pragma: "no-cache",
    expires: "-1",
    "x-ms-request-id": randomUUID(),
    "x-ms-keyvault-service-version": SERVICE_VERSION,
    "x-ms-keyvault-network-info": "conn_type=Ipv4;addr=127.0.0.1;act_addr_fam=InterNetwork;",
    "x-content-type-options": "nosniff",
    "strict-transport-security": "max-age=31536000;includeSubDomains",
  };
  if (vault?.location) h["x-ms-keyvault-region"] = vault.location;
  const clientRequestId = req.headers["x-ms-client-request-id"];
  if (typeof clientRequestId === "string") h["x-ms-client-request-id"] = clientRequestId;
  return h;
}

function vaultNameOf(host: string, suffix: string): string | undefined {
  const h = host.toLowerCase();
  return h.endsWith(suffix) ? h.slice(0, -suffix.length) : undefined;
}

function keyNotFound(name: string, headers: Record<string, string>): SandboxResponse {
  return kvError(404, "KeyNotFound", `A key with (name/id) ${name} was not found in this key vault. If you recently `
    + "deleted this key you may be able to recover it using the correct recovery command. For help resolving this "
    + "issue, please see https://go.microsoft.com/fwlink/?linkid=2125182", undefined, headers);
}

export function handleKeyVault(req: SandboxRequest, ctx: SandboxContext): SandboxResponse {
  const state = ctx.state;
  const vaultName = vaultNameOf(req.host, state.hosts.vaultSuffix);
  const vault = vaultName ? state.vaultByName(vaultName) : undefined;
  const headers = kvHeaders(req, vault);
  ctx.notes.kind = "read";
  if (!vault) {
    // The hub only routes estate vaults here; a vault removed since (admin patch) looks like a vault that is gone.
    return kvError(404, "VaultNotFound", `The vault '${vaultName ?? req.host}' was not found.`, undefined, headers);
  }
  ctx.notes.subscription = vault.id.split("/")[2];

  const auth = authenticateVaultCaller(req, ctx, vault, headers);
  if (!auth.ok) return auth.response;
  const claims = auth.claims;
  ctx.notes.principal = claims.oid;

  const apiVersion = req.query.get("api-version");
  if (apiVersion === null || apiVersion === "") {
    return kvError(400, "BadParameter", "The 'api-version' query parameter is missing.", undefined, headers);
  }
  if (!isKeyVaultApiVersion(apiVersion)) {
    return kvError(400, "BadParameter", `The specified version (${apiVersion}) is not recognized. Consider using the `
      + `latest supported version (${LATEST_KEY_VAULT_API_VERSION}).`, undefined, headers);
  }

  const seg = segments(req.path);
  if (seg[0]?.toLowerCase() !== "keys" || seg.length > 3) {
    return kvError(404, "NotFound", `The requested path '${req.path}' is not served by this vault.`, undefined, headers);
  }
  if (req.method !== "GET") {
    // Key Vault has writes on these paths (create, update, delete…); the sandbox serves reads only.
    return kvError(405, "MethodNotAllowed", `The method '${req.method}' is not allowed on '${req.path}'.`, undefined,
      { ...headers, allow: "GET" });
  }
  const host = req.host.toLowerCase();
  const keyName = seg[1];

  if (keyName === undefined) {
    const denied = checkKeyAccess(state, claims, vault, "", "list", headers);
    if (denied) return denied;
    const keys = [...state.keys.values()]
      .filter((k) => k.vaultName.toLowerCase() === vault.name.toLowerCase() && k.versions.length > 0)
      .sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1));
    const page = kvPage(keys, (k) => k.name.toLowerCase(), { host, path: "/keys", apiVersion, query: req.query, defaultMax: state.behaviour.pageSize });
    return { status: 200, headers, body: {
      value: page.value.map((k) => keyItem(host, vault, k, currentVersion(k)!, true)),
      ...(page.nextLink ? { nextLink: page.nextLink } : {}),
    } };
  }

  const op = seg[2]?.toLowerCase() === "versions" ? "list" : "get";
  const denied = checkKeyAccess(state, claims, vault, keyName, op, headers);
  if (denied) return denied;
  const key = state.getKey(vault.name, keyName);
  if (!key || key.versions.length === 0) return keyNotFound(keyName, headers);

  if (op === "list") {
    const versions = [...key.versions].sort((a, b) => (a.version.toLowerCase() < b.version.toLowerCase() ? -1 : 1));
    const page = kvPage(versions, (v) => v.version.toLowerCase(),
      { host, path: `/keys/${encodeURIComponent(key.name)}/versions`, apiVersion, query: req.query,
        defaultMax: state.behaviour.pageSize });
    return { status: 200, headers, body: {
      value: page.value.map((v) => keyItem(host, vault, key, v, false)),
      ...(page.nextLink ? { nextLink: page.nextLink } : {}),
    } };
  }

  const version = seg[2] === undefined ? currentVersion(key) : findVersion(key, seg[2]);
  if (!version) return keyNotFound(`${keyName}/${seg[2]}`, headers);
  if (!version.enabled) {
    // Key Vault refuses reads of a disabled version while listing still shows it (SDK-RECIPE §5).
    return kvError(403, "Forbidden", "Operation get is not allowed on a disabled key.", "KeyDisabled", headers);
  }
  // Expired / not-yet-valid keys stay readable: exp/nbf only show in the attributes.
  return { status: 200, headers, body: keyBundle(host, vault, key, version) };
}
