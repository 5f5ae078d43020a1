// Which in-memory service answers a host name: the estate cloud's login, ARM and Graph hosts,
// `<vault><vaultSuffix>` for each vault of the estate, and the data plane of each FHIR service (legacy
// account or AHDS, fhir/fhir-service.ts). Any other name is not served — the proxy
// refuses its CONNECT as a proxy refuses a name that does not resolve (SDK-RECIPE §3).
import type { SandboxContext } from "./context.js";
import type { SandboxRequest, SandboxResponse } from "./http.js";
import type { SandboxState } from "./state.js";
import { handleArm } from "./arm/arm-handler.js";
import { handleEntra } from "./entra/entra-handler.js";
import { handleGraph } from "./graph/graph-handler.js";
import { handleKeyVault } from "./keyvault/keyvault-handler.js";
import { handleFhir } from "./fhir/fhir-handler.js";
import { fhirServiceOfHost } from "./fhir/fhir-service.js";
import { handleBlob, storageAccountOfHost } from "./storage/blob-handler.js";

export type HostHandler = (req: SandboxRequest, ctx: SandboxContext) => SandboxResponse | Promise<SandboxResponse>;

/** The vault name of a vault host of this cloud (`contoso-kv.vault.azure.net` → `contoso-kv`), if it is one. */
export function vaultNameOfHost(state: SandboxState, host: string): string | undefined {
  const h = host.toLowerCase();
  const suffix = state.hosts.vaultSuffix.toLowerCase();
  if (!h.endsWith(suffix)) return undefined;
  const name = h.slice(0, -suffix.length);
  return name.length > 0 && !name.includes(".") ? name : undefined;
}

/** The handler for a host, or undefined when the sandbox does not serve it. */
export function handlerForHost(state: SandboxState, host: string): HostHandler | undefined {
  const h = host.toLowerCase();
  if (h === state.hosts.login) return handleEntra;
  if (h === state.hosts.arm) return handleArm;
  if (h === state.hosts.graph) return handleGraph;
  const vault = vaultNameOfHost(state, h);
  // Vaults are looked up per request: a vault created or deleted through ARM changes what resolves.
  if (vault !== undefined && state.vaultByName(vault)) return handleKeyVault;
  // FHIR services too: one created through ARM answers at once, one deleted stops resolving.
  if (fhirServiceOfHost(state, h)) return handleFhir;
  if (storageAccountOfHost({ state }, h)) return handleBlob;
  return undefined;
}
