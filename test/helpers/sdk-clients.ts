// The SDK clients exactly as SDK-RECIPE §2 builds them (the product's src/azure factory does the
// same): nothing sandbox-specific — the sandbox is reached through HTTPS_PROXY + NODE_EXTRA_CA_CERTS.
// Tests use these to drive the real SDKs against the sandbox.
import { AzureAuthorityHosts, DefaultAzureCredential, type TokenCredential } from "@azure/identity";
import { HealthcareApisManagementClient } from "@azure/arm-healthcareapis";
import { ManagedServiceIdentityClient } from "@azure/arm-msi";
import { AuthorizationManagementClient } from "@azure/arm-authorization";
import { SubscriptionClient } from "@azure/arm-resources-subscriptions";
import { KeyVaultManagementClient } from "@azure/arm-keyvault";
import { KeyClient } from "@azure/keyvault-keys";

export const CLOUDS = {
  AzureCloud: { arm: "https://management.azure.com", authorityHost: AzureAuthorityHosts.AzurePublicCloud, vaultSuffix: ".vault.azure.net" },
  AzureUSGovernment: { arm: "https://management.usgovcloudapi.net", authorityHost: AzureAuthorityHosts.AzureGovernment, vaultSuffix: ".vault.usgovcloudapi.net" },
} as const;

export type SdkCloud = keyof typeof CLOUDS;

export interface SdkClientOptions {
  /** e.g. `{ maxRetries: 0 }` to see a 429 or fault without the SDK's retries. */
  retryOptions?: { maxRetries?: number; retryDelayInMs?: number; maxRetryDelayInMs?: number };
}

export function sdkClients(cloud: SdkCloud, subscriptionId: string, opts: SdkClientOptions = {}) {
  const { arm, authorityHost, vaultSuffix } = CLOUDS[cloud];
  const credential: TokenCredential = new DefaultAzureCredential({ authorityHost });
  const common = opts.retryOptions ? { retryOptions: opts.retryOptions } : {};
  const armOptions = { endpoint: arm, credentialScopes: [`${arm}/.default`], ...common };
  return {
    credential,
    subscriptions: new SubscriptionClient(credential, armOptions),
    healthcare: new HealthcareApisManagementClient(credential, subscriptionId, { ...armOptions, apiVersion: "2024-03-31" }),
    msi: new ManagedServiceIdentityClient(credential, subscriptionId, armOptions),
    authorization: new AuthorizationManagementClient(credential, subscriptionId, armOptions),
    // @azure/arm-keyvault 5 (modular): `credentials.scopes`, not `credentialScopes`.
    keyVaultMgmt: new KeyVaultManagementClient(credential, subscriptionId,
      { endpoint: arm, credentials: { scopes: [`${arm}/.default`] }, ...common }),
    /** One KeyClient per vault URL (`https://<vault><suffix>`); scope and tenant come from its 401 challenge. */
    keys: (vaultUrl: string) => new KeyClient(vaultUrl, credential, common),
    /** The vault URL of a vault name in this cloud. */
    vaultUrl: (vaultName: string) => `https://${vaultName}${vaultSuffix}`,
  };
}
