// Which FHIR service a data-plane host names, and what its tokens must say (issue 11): a legacy account
// `{name}{legacyFhirSuffix}` (Microsoft.HealthcareApis/services; account names are global), an AHDS FHIR
// service `{workspace}-{fhir}{ahdsFhirSuffix}` (workspace and service names hold no hyphen, so the split is
// unique). Looked up per request, like vaults: a service created through ARM answers at once.
import type { ArmResource } from "../estate-types.js";
import type { SandboxState } from "../state.js";

export interface FhirService {
  resource: ArmResource;
  kind: "legacy" | "ahds";
  /** https://{host}, the base of every URL the service writes. */
  baseUrl: string;
  /** The `aud` values it accepts: the configured audience (legacy: documented default https://{name}.azurehealthcareapis.com; AHDS: also its own URL). */
  audiences: string[];
  /** The tenant of its authority (tokens from any other tenant are refused). */
  tenantId: string | null;
  /** Data-action prefix, e.g. "Microsoft.HealthcareApis/services/fhir/resources". */
  actionPrefix: string;
}

type Auth = { authority?: string; audience?: string } | undefined;

const tenantOf = (authority: string | undefined): string | null => /\/([0-9a-f-]{36})\/?$/i.exec(authority ?? "")?.[1] ?? null;

export function fhirServiceOfHost(state: SandboxState, host: string): FhirService | undefined {
  const h = host.toLowerCase();
  const { ahdsFhirSuffix, legacyFhirSuffix } = state.hosts;
  if (h.endsWith(ahdsFhirSuffix)) {
    const [workspace, fhir, more] = h.slice(0, -ahdsFhirSuffix.length).split("-");
    if (!workspace || !fhir || more !== undefined) return undefined;
    const resource = state.listResources("Microsoft.HealthcareApis/workspaces/fhirservices")
      .find((r) => r.name.toLowerCase() === fhir && r.id.toLowerCase().includes(`/workspaces/${workspace}/fhirservices/`));
    if (!resource) return undefined;
    const auth = (resource.properties?.authenticationConfiguration as Auth);
    const baseUrl = `https://${h}`;
    return {
      resource, kind: "ahds", baseUrl, audiences: [...new Set([baseUrl, ...(auth?.audience ? [auth.audience] : [])])],
      tenantId: tenantOf(auth?.authority), actionPrefix: "Microsoft.HealthcareApis/workspaces/fhirservices/resources",
    };
  }
  if (h.endsWith(legacyFhirSuffix)) {
    const name = h.slice(0, -legacyFhirSuffix.length);
    if (!name || name.includes(".")) return undefined;
    const resource = state.listResources("Microsoft.HealthcareApis/services").find((r) => r.name.toLowerCase() === name);
    if (!resource) return undefined;
    const auth = (resource.properties?.authenticationConfiguration as Auth);
    return {
      resource, kind: "legacy", baseUrl: `https://${h}`, audiences: [auth?.audience ?? `https://${h}`],
      tenantId: tenantOf(auth?.authority), actionPrefix: "Microsoft.HealthcareApis/services/fhir/resources",
    };
  }
  return undefined;
}
