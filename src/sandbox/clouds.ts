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
  },
  AzureUSGovernment: {
    login: "login.microsoftonline.us",
    arm: "management.usgovcloudapi.net",
    graph: "graph.microsoft.us",
    vaultSuffix: ".vault.usgovcloudapi.net",
    armAudience: "https://management.usgovcloudapi.net",
    vaultAudience: "https://vault.usgovcloudapi.net",
    graphAudience: "https://graph.microsoft.us",
  },
};
