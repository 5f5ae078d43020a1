// Where Microsoft.HealthcareApis resource types may be created, as ARM's provider metadata lists them
// (Providers_Get `resourceTypes[].locations`, display names). An estate overrides a type per subscription
// with `subscriptions[].providerLocations` (DESIGN.md "Estate file"; src/sandbox/README.md); otherwise the
// cloud's defaults below apply. FHIR services: the regional-availability table (azure-facts §2.4) without
// Qatar Central (retiring) and without South Africa North (Azure API for FHIR only there, issue 9 §5).
// US Government: UNCONFIRMED (no regional list found; FINDINGS.md names Virginia and Arizona).
import type { Cloud, EstateSubscription } from "../estate-types.js";
import { normalizeLocation } from "./healthcare/names.js";

const AHDS_PUBLIC = [
  "Central India", "Japan East", "Korea Central", "Southeast Asia", "Australia East", "Canada Central", "France Central",
  "Germany West Central", "North Europe", "Sweden Central", "Switzerland North", "UK South", "UK West", "West Europe",
  "East US", "East US 2", "South Central US", "North Central US", "West Central US", "West US 2", "West US 3",
];
// Azure API for FHIR had a wider footprint (it is where the legacy accounts of an estate may sit).
const LEGACY_PUBLIC = [...AHDS_PUBLIC, "South Africa North", "Brazil South", "East Asia", "Qatar Central"];
const GOV = ["USGov Virginia", "USGov Arizona"];

const DEFAULTS: Record<Cloud, Record<string, string[]>> = {
  AzureCloud: { services: LEGACY_PUBLIC, workspaces: AHDS_PUBLIC, "workspaces/fhirservices": AHDS_PUBLIC },
  AzureUSGovernment: { services: GOV, workspaces: GOV, "workspaces/fhirservices": GOV },
};

/** The resource types the provider metadata lists, in order. */
export const HEALTHCARE_TYPES = ["services", "workspaces", "workspaces/fhirservices"] as const;

/** Display names of the locations of `resourceType` (a HealthcareApis type without the namespace). */
export function providerLocations(cloud: Cloud, subscription: EstateSubscription | undefined, resourceType: string): string[] {
  const t = resourceType.toLowerCase();
  const own = Object.entries(subscription?.providerLocations ?? {})
    .find(([k]) => k.toLowerCase() === `microsoft.healthcareapis/${t}`)?.[1];
  return own ?? DEFAULTS[cloud][t] ?? [];
}

/** ARM's answer to a create in a location the type is not offered in (LocationNotAvailableForResourceType). */
export function locationNotOffered(cloud: Cloud, subscription: EstateSubscription | undefined, resourceType: string,
  location: string): { code: string; message: string } | null {
  const offered = providerLocations(cloud, subscription, resourceType);
  if (offered.some((l) => normalizeLocation(l) === normalizeLocation(location))) return null;
  return {
    code: "LocationNotAvailableForResourceType",
    message: `The provided location '${location}' is not available for resource type 'Microsoft.HealthcareApis/${resourceType}'. ` +
      `List of available regions for the resource type is '${offered.map(normalizeLocation).join(",")}'.`,
  };
}
