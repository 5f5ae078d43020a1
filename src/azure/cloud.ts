// The one table of per-cloud endpoints (azure-facts §6). Everything that differs between Azure public and
// Azure US Government switches together from here: ARM endpoint and token scope, Entra authority host,
// Key Vault, Graph and FHIR host names. Plain strings, no @azure/* import, so the CLI can name a cloud
// without loading an SDK (the authority hosts equal @azure/identity's AzureAuthorityHosts values).

export const CLOUD_NAMES = ["AzureCloud", "AzureUSGovernment"] as const;

export type CloudName = (typeof CLOUD_NAMES)[number];

export interface CloudEndpoints {
  name: CloudName;
  /** ARM endpoint, no trailing slash (a trailing slash makes the scope `https://host//.default`, SDK-RECIPE §4). */
  arm: string;
  /** Token scope for ARM. */
  armScope: string;
  /** Entra authority host (AzureAuthorityHosts.AzurePublicCloud / AzureGovernment). */
  authorityHost: string;
  /** Key Vault DNS suffix, with the leading dot. */
  keyVaultSuffix: string;
  /** Microsoft Graph origin. */
  graph: string;
  graphScope: string;
  /** AHDS FHIR service DNS suffix: `{workspace}-{fhir}.fhir.azurehealthcareapis.com` (azure-facts §2.5, §6). */
  fhirSuffix: string;
  /** Blob endpoints `{account}{blobSuffix}` (Azure Storage's public and US Government endpoints). */
  blobSuffix: string;
}

export const CLOUDS: Record<CloudName, CloudEndpoints> = {
  AzureCloud: {
    name: "AzureCloud",
    arm: "https://management.azure.com",
    armScope: "https://management.azure.com/.default",
    authorityHost: "https://login.microsoftonline.com",
    keyVaultSuffix: ".vault.azure.net",
    graph: "https://graph.microsoft.com",
    graphScope: "https://graph.microsoft.com/.default",
    fhirSuffix: ".fhir.azurehealthcareapis.com",
    blobSuffix: ".blob.core.windows.net",
  },
  AzureUSGovernment: {
    name: "AzureUSGovernment",
    arm: "https://management.usgovcloudapi.net",
    armScope: "https://management.usgovcloudapi.net/.default",
    authorityHost: "https://login.microsoftonline.us",
    keyVaultSuffix: ".vault.usgovcloudapi.net",
    graph: "https://graph.microsoft.us",
    graphScope: "https://graph.microsoft.us/.default",
    fhirSuffix: ".fhir.azurehealthcareapis.us",
    blobSuffix: ".blob.core.usgovcloudapi.net",
  },
};

export function isCloudName(value: unknown): value is CloudName {
  return typeof value === "string" && (CLOUD_NAMES as readonly string[]).includes(value);
}
