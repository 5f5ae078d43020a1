// The one place that builds credentials and Azure SDK clients (SDK-RECIPE §2). No option differs between
// Azure and the sandbox: a connection profile changes only the process environment (profile.ts), so the
// code path proven against the sandbox is the one that runs against Azure.
import { DefaultAzureCredential, type TokenCredential } from "@azure/identity";
import { HealthcareApisManagementClient } from "@azure/arm-healthcareapis";
import { ManagedServiceIdentityClient } from "@azure/arm-msi";
import { AuthorizationManagementClient } from "@azure/arm-authorization";
import { SubscriptionClient } from "@azure/arm-resources-subscriptions";
import { KeyVaultManagementClient } from "@azure/arm-keyvault";
import { KeyClient } from "@azure/keyvault-keys";
import {
  bearerTokenAuthenticationPolicy, createDefaultHttpClient, createHttpHeaders, createPipelineFromOptions,
  createPipelineRequest, RestError,
} from "@azure/core-rest-pipeline";
import { CLOUDS, type CloudEndpoints, type CloudName } from "./cloud.js";

/** HealthcareApis api-version the product uses for every call, nextLink pages and LRO polls (DESIGN.md "Plan"). */
export const HEALTHCARE_API_VERSION = "2024-03-31";

export function createCredential(cloud: CloudName): TokenCredential {
  // With a profile, AZURE_TOKEN_CREDENTIALS=EnvironmentCredential narrows the chain (profile.ts sandboxEnv).
  return new DefaultAzureCredential({ authorityHost: CLOUDS[cloud].authorityHost });
}

function armOptions(c: CloudEndpoints) {
  // `endpoint`, not `baseUri`/`$host`: classic clients build URLs and the default scope from it (SDK-RECIPE §4).
  return { endpoint: c.arm, credentialScopes: [c.armScope] };
}

export function createSubscriptionClient(credential: TokenCredential, cloud: CloudName): SubscriptionClient {
  return new SubscriptionClient(credential, armOptions(CLOUDS[cloud]));
}

/** ARM clients bound to one subscription. */
export function createArmClients(credential: TokenCredential, cloud: CloudName, subscriptionId: string) {
  const c = CLOUDS[cloud];
  return {
    // apiVersion installs a policy that rewrites api-version in every URL of the client (SDK-RECIPE §4).
    healthcare: new HealthcareApisManagementClient(credential, subscriptionId,
      { ...armOptions(c), apiVersion: HEALTHCARE_API_VERSION }),
    msi: new ManagedServiceIdentityClient(credential, subscriptionId, armOptions(c)),
    authorization: new AuthorizationManagementClient(credential, subscriptionId, armOptions(c)),
    // @azure/arm-keyvault 5 is a modular client: `credentials.scopes`, not `credentialScopes`; its
    // `cloudSetting` would yield a trailing-slash endpoint and a `//.default` scope (SDK-RECIPE §4).
    keyVaultMgmt: new KeyVaultManagementClient(credential, subscriptionId,
      { endpoint: c.arm, credentials: { scopes: [c.armScope] } }),
  };
}

/** One KeyClient per vault URL; scope and tenant come from the vault's 401 challenge (SDK-RECIPE §5). */
export function createKeyClient(credential: TokenCredential, vaultUrl: string): KeyClient {
  return new KeyClient(vaultUrl, credential);
}

export interface GraphClient {
  /** POST a JSON body to a Graph path (`/v1.0/…`) and return the parsed JSON answer. */
  postJson(path: string, body: unknown): Promise<unknown>;
}

/**
 * Microsoft Graph through an @azure/core-rest-pipeline pipeline: Node's global fetch ignores HTTPS_PROXY
 * (SDK-RECIPE §3), the pipeline's proxy policy does not, and it brings the SDK's retry and auth policies.
 */
export function createGraphClient(credential: TokenCredential, cloud: CloudName): GraphClient {
  const c = CLOUDS[cloud];
  const pipeline = createPipelineFromOptions({});
  pipeline.addPolicy(bearerTokenAuthenticationPolicy({ credential, scopes: c.graphScope }));
  const httpClient = createDefaultHttpClient();
  return {
    async postJson(path, body) {
      const request = createPipelineRequest({
        url: `${c.graph}${path}`, method: "POST", body: JSON.stringify(body),
        headers: createHttpHeaders({ "content-type": "application/json", accept: "application/json" }),
      });
      const response = await pipeline.sendRequest(httpClient, request);
      const parsed: unknown = response.bodyAsText ? JSON.parse(response.bodyAsText) : undefined;
      if (response.status >= 400) {
        const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
        throw new RestError(error?.message ?? `Graph answered ${response.status}`,
          { statusCode: response.status, code: error?.code, request, response });
      }
      return parsed;
    },
  };
}
