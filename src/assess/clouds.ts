// Per-cloud facts the rules need. Kept here (not imported from src/azure) because src/assess imports no
// Azure-facing code (DESIGN.md "Layout"); the login hosts are AzureAuthorityHosts (azure-facts §6).
import type { CloudName } from "../domain/snapshot.js";

export const LOGIN_HOST: Record<CloudName, string> = {
  AzureCloud: "login.microsoftonline.com",
  AzureUSGovernment: "login.microsoftonline.us",
};

// FINDINGS.md "Supported regions" (azure-facts §2.4; Qatar Central excluded as retiring).
const PUBLIC_FHIR_REGIONS = [
  "centralindia", "japaneast", "koreacentral", "southeastasia", "australiaeast", "canadacentral", "francecentral",
  "germanywestcentral", "northeurope", "swedencentral", "switzerlandnorth", "uksouth", "ukwest", "westeurope",
  "eastus", "eastus2", "southcentralus", "northcentralus", "westcentralus", "westus2", "westus3", "southafricanorth",
];
// UNCONFIRMED (azure-facts §6): no regional list for US Gov was found; FINDINGS.md names these two.
const US_GOV_FHIR_REGIONS = ["usgovvirginia", "usgovarizona"];

export function fhirRegions(cloud: CloudName): ReadonlySet<string> {
  return new Set(cloud === "AzureUSGovernment" ? [...PUBLIC_FHIR_REGIONS, ...US_GOV_FHIR_REGIONS] : PUBLIC_FHIR_REGIONS);
}

/** ARM compares locations case- and space-insensitively ("West Europe" = westeurope). */
export function normalizeLocation(location: string): string {
  return location.replace(/\s+/g, "").toLowerCase();
}

export function sameLocation(a: string, b: string): boolean {
  return normalizeLocation(a) === normalizeLocation(b);
}
