// Host names and token audiences of each cloud the sandbox can impersonate (azure-facts §6,
// SDK-RECIPE §3). Switched together: a US Government estate answers only the .us / usgovcloudapi names.
import type { Cloud } from "./estate-types.js";

export interface CloudHosts {
  login: string;
  arm: string;
  graph: string;
  /** Suffix of vault host names, with the leading dot. */
  vaultSuffix: string;
  /** Token audiences (`aud`) as issued for `<resource>/.default`. */
  armAudience: string;
  vaultAudience: string;
  graphAudience: string;
  /**
   * FHIR data planes (issue 11): a legacy account answers on `{name}{legacyFhirSuffix}`, an AHDS FHIR service
   * on `{workspace}-{fhir}{ahdsFhirSuffix}` (azure-facts §6; the legacy .us host is UNCONFIRMED,
   * DATA-MIGRATION.md §4). Entra issues tokens for any resource under either (the Healthcare APIs app).
   */
  legacyFhirSuffix: string;
  ahdsFhirSuffix: string;
  /** Blob endpoints `{account}{blobSuffix}`; tokens for https://storage.azure.com in both clouds (UNCONFIRMED for US Gov, DATA-MIGRATION.md §4). */
  blobSuffix: string;
  storageAudience: string;
}

export const CLOUD_HOSTS: Record<Cloud, CloudHosts> = {
  AzureCloud: {
    login: "login.microsoftonline.com",
    arm: "management.azure.com",
    graph: "graph.microsoft.com",
    vaultSuffix: ".vault.azure.net",
    armAudience: "https://management.azure.com",
    vaultAudience: "https://vault.azure.net",
    graphAudience: "https://graph.microsoft.com",
    legacyFhirSuffix: ".azurehealthcareapis.com",
    ahdsFhirSuffix: ".fhir.azurehealthcareapis.com",
    blobSuffix: ".blob.core.windows.net",
    storageAudience: "https://storage.azure.com",
  },
  AzureUSGovernment: {
    login: "login.microsoftonline.us",
    arm: "management.usgovcloudapi.net",
    graph: "graph.microsoft.us",
    vaultSuffix: ".vault.usgovcloudapi.net",
    armAudience: "https://management.usgovcloudapi.net",
    vaultAudience: "https://vault.usgovcloudapi.net",
    graphAudience: "https://graph.microsoft.us",
    legacyFhirSuffix: ".azurehealthcareapis.us",
    ahdsFhirSuffix: ".fhir.azurehealthcareapis.us",
    blobSuffix: ".blob.core.usgovcloudapi.net",
    storageAudience: "https://storage.azure.com",
  },
};
