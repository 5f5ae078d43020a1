// One signed-in Azure session: the credential (created once), the rate limiter, and the SDK clients built
// with the limiter's pipeline policy and SDK retries off (DESIGN.md "Rate limits live in src/azure"),
// cached per subscription and per vault so every caller shares one queue, one set of ARM buckets and one
// retry budget. Inventory uses it now; apply reuses it. Every client and the credential also share one
// transport (http-client.ts: kept-alive proxy tunnels) and concurrent token requests are merged
// (coalesced-credential.ts).
import type { TokenCredential } from "@azure/identity";
import type { SubscriptionClient } from "@azure/arm-resources-subscriptions";
import type { KeyClient } from "@azure/keyvault-keys";
import type { HttpClient } from "@azure/core-rest-pipeline";
import type { CloudName } from "./cloud.js";
import {
  createArmClients, createCredential, createFhirClient, createGraphClient, createKeyClient, createSubscriptionClient, type FhirClient, type GraphClient,
} from "./clients.js";
import { ArmLimiter, type ArmLimiterOptions } from "./limiter.js";
import { createSharedHttpClient } from "./http-client.js";
import { coalescedCredential } from "./coalesced-credential.js";

export interface AzureSessionOptions {
  /** Options of a new limiter, or a limiter to share with another session. */
  limiter?: ArmLimiterOptions | ArmLimiter;
  /** Default: DefaultAzureCredential for the cloud (clients.ts createCredential). */
  credential?: TokenCredential;
  /** Transport below the shared one of every client (benchmarks and tests wrap the default one to measure it). */
  httpClient?: HttpClient;
}

export interface AzureSession {
  cloud: CloudName;
  credential: TokenCredential;
  limiter: ArmLimiter;
  subscriptions(): SubscriptionClient;
  arm(subscriptionId: string): ReturnType<typeof createArmClients>;
  keys(vaultUrl: string): KeyClient;
  graph(): GraphClient;
  /** A FHIR data plane (issue 11), paced and retried by the limiter (429 + Retry-After honoured) like every other client. */
  fhir(target: { baseUrl: string; audience: string }): FhirClient;
}

export function createAzureSession(cloud: CloudName, options: AzureSessionOptions = {}): AzureSession {
  // One transport for every client of the session (and its credential): kept-alive proxy tunnels are
  // shared by all of them, not pooled per client (http-client.ts).
  const httpClient = createSharedHttpClient(options.httpClient);
  const credential = coalescedCredential(options.credential ?? createCredential(cloud, { httpClient }));
  const limiter = options.limiter instanceof ArmLimiter ? options.limiter : new ArmLimiter(options.limiter);
  const transport = { httpClient };
  const arm = new Map<string, ReturnType<typeof createArmClients>>();
  const keys = new Map<string, KeyClient>();
  let subscriptions: SubscriptionClient | undefined;
  let graph: GraphClient | undefined;
  return {
    cloud, credential, limiter,
    subscriptions: () => (subscriptions ??= createSubscriptionClient(credential, cloud, { policy: limiter.policy("arm"), ...transport })),
    arm(subscriptionId) {
      const k = subscriptionId.toLowerCase();
      let c = arm.get(k);
      if (!c) arm.set(k, (c = createArmClients(credential, cloud, subscriptionId, { policy: limiter.policy("arm"), ...transport })));
      return c;
    },
    keys(vaultUrl) {
      // `https://kv.vault.azure.net/` and `https://KV.vault.azure.net` are one vault (host names are case-insensitive).
      const k = vaultUrl.toLowerCase().replace(/\/+$/, "");
      let c = keys.get(k);
      if (!c) keys.set(k, (c = createKeyClient(credential, vaultUrl, { policy: limiter.policy("keyvault"), ...transport })));
      return c;
    },
    graph: () => (graph ??= createGraphClient(credential, cloud, { policy: limiter.policy("graph"), ...transport })),
    fhir: (target) => createFhirClient(credential, target, { policy: limiter.policy("fhir"), ...transport }),
  };
}
