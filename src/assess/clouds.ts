// Per-cloud facts the rules need. Kept here (not imported from src/azure) because src/assess imports no
// Azure-facing code (DESIGN.md "Layout"); the login hosts are AzureAuthorityHosts (azure-facts §6).
import type { CloudName, Snapshot } from "../domain/snapshot.js";
import { normalizeLocation } from "../domain/location.js";

export const LOGIN_HOST: Record<CloudName, string> = {
  AzureCloud: "login.microsoftonline.com",
  AzureUSGovernment: "login.microsoftonline.us",
};

// The fallback when ARM's provider metadata cannot be read (issue 9 §5; the rules prefer
// Snapshot.fhirRegions). FINDINGS.md "Supported regions" (azure-facts §2.4; Qatar Central excluded as
// retiring) without South Africa North: the regional-availability table shows Azure API for FHIR only there
// (its column layout is inconsistent, azure-facts §2.4), and the safer reading is "no FHIR service" — a
// blocker a user can see, not a plan that fails at apply (src/assess/README.md).
const PUBLIC_FHIR_REGIONS = [
  "centralindia", "japaneast", "koreacentral", "southeastasia", "australiaeast", "canadacentral", "francecentral",
  "germanywestcentral", "northeurope", "swedencentral", "switzerlandnorth", "uksouth", "ukwest", "westeurope",
  "eastus", "eastus2", "southcentralus", "northcentralus", "westcentralus", "westus2", "westus3",
];
// UNCONFIRMED (azure-facts §6): no regional list for US Gov was found; FINDINGS.md names these two.
const US_GOV_FHIR_REGIONS = ["usgovvirginia", "usgovarizona"];

/** The built-in list of FHIR service regions of a cloud (the fallback). */
export function builtInFhirRegions(cloud: CloudName): ReadonlySet<string> {
  return new Set(cloud === "AzureUSGovernment" ? [...PUBLIC_FHIR_REGIONS, ...US_GOV_FHIR_REGIONS] : PUBLIC_FHIR_REGIONS);
}

export interface RegionList {
  regions: ReadonlySet<string>;
  /** "arm": the subscription's provider metadata; "built-in": it was not read (or could not be). */
  source: "arm" | "built-in";
}

/** FHIR service regions for a subscription: what ARM listed for it, else the built-in list. */
export function fhirRegionsOf(snapshot: Pick<Snapshot, "cloud" | "fhirRegions">, subscriptionId: string): RegionList {
  const listed = snapshot.fhirRegions?.[subscriptionId.toLowerCase()];
  return listed ? { regions: new Set(listed.map(normalizeLocation)), source: "arm" }
    : { regions: builtInFhirRegions(snapshot.cloud), source: "built-in" };
}
