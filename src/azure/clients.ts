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
  bearerTokenAuthenticationPolicy, bearerTokenAuthenticationPolicyName, createDefaultHttpClient, createHttpHeaders,
  createPipelineFromOptions, createPipelineRequest, RestError, type HttpClient, type Pipeline, type PipelinePolicy,
} from "@azure/core-rest-pipeline";
import { CLOUDS, type CloudEndpoints, type CloudName } from "./cloud.js";

/** HealthcareApis api-version the product uses for every call, nextLink pages and LRO polls (DESIGN.md "Plan"). */
export const HEALTHCARE_API_VERSION = "2024-03-31";

export function createCredential(cloud: CloudName, o: { httpClient?: HttpClient } = {}): TokenCredential {
  // With a profile, AZURE_TOKEN_CREDENTIALS=EnvironmentCredential narrows the chain (profile.ts sandboxEnv).
  // `httpClient`: a session's shared transport (http-client.ts), so token requests reuse its tunnels too.
  return new DefaultAzureCredential({ authorityHost: CLOUDS[cloud].authorityHost, ...(o.httpClient ? { httpClient: o.httpClient } : {}) });
}

/**
 * How a client's pipeline is wired to the rate limiter (limiter.ts). With a `policy`, the SDK's own retries
 * are off (`maxRetries: 0`, checked for every client: core-rest-pipeline's retryPolicy stops at
 * `retryCount >= maxRetries`) so the limiter's one budgeted retry is the only one (DESIGN.md "Rate limits
 * live in src/azure"). Without options a client is built exactly as SDK-RECIPE §2 says.
 */
export interface ClientPipelineOptions {
  /** ArmLimiter.policy(service) of the service the client talks to. */
  policy?: PipelinePolicy;
  /** Transport override (benchmarks and tests wrap the default client to measure it). */
  httpClient?: HttpClient;
}

function commonOptions(o: ClientPipelineOptions) {
  return { ...(o.policy ? { retryOptions: { maxRetries: 0 } } : {}), ...(o.httpClient ? { httpClient: o.httpClient } : {}) };
}

/**
 * Puts the limiter's policy in front of the bearer-token policy. Classic and modular clients add
 * `additionalPolicies` (perCall) *after* their bearer policy, in the same phase, so the wait would come
 * after a token was taken; placed before it, the token is fetched once the request may go, and a bearer
 * 401-claims round trip stays inside one limiter attempt. Still before the Retry phase (SDK retries off).
 */
function gate(pipeline: Pipeline, o: ClientPipelineOptions): void {
  if (o.policy) pipeline.addPolicy(o.policy, { beforePolicies: [bearerTokenAuthenticationPolicyName] });
}

function armOptions(c: CloudEndpoints, o: ClientPipelineOptions) {
  // `endpoint`, not `baseUri`/`$host`: classic clients build URLs and the default scope from it (SDK-RECIPE §4).
  return { endpoint: c.arm, credentialScopes: [c.armScope], ...commonOptions(o) };
}

export function createSubscriptionClient(credential: TokenCredential, cloud: CloudName,
  o: ClientPipelineOptions = {}): SubscriptionClient {
  const client = new SubscriptionClient(credential, armOptions(CLOUDS[cloud], o));
  gate(client.pipeline, o);
  return client;
}

/** ARM clients bound to one subscription. */
export function createArmClients(credential: TokenCredential, cloud: CloudName, subscriptionId: string,
  o: ClientPipelineOptions = {}) {
  const c = CLOUDS[cloud];
  const clients = {
    // apiVersion installs a policy that rewrites api-version in every URL of the client (SDK-RECIPE §4).
    healthcare: new HealthcareApisManagementClient(credential, subscriptionId,
      { ...armOptions(c, o), apiVersion: HEALTHCARE_API_VERSION }),
    msi: new ManagedServiceIdentityClient(credential, subscriptionId, armOptions(c, o)),
    authorization: new AuthorizationManagementClient(credential, subscriptionId, armOptions(c, o)),
    // @azure/arm-keyvault 5 is a modular client: `credentials.scopes`, not `credentialScopes`; its
    // `cloudSetting` would yield a trailing-slash endpoint and a `//.default` scope (SDK-RECIPE §4).
    keyVaultMgmt: new KeyVaultManagementClient(credential, subscriptionId,
      { endpoint: c.arm, credentials: { scopes: [c.armScope] }, ...commonOptions(o) }),
  };
  for (const client of Object.values(clients)) gate(client.pipeline, o);
  return clients;
}

/** One KeyClient per vault URL; scope and tenant come from the vault's 401 challenge (SDK-RECIPE §5). */
export function createKeyClient(credential: TokenCredential, vaultUrl: string, o: ClientPipelineOptions = {}): KeyClient {
  // KeyClient swaps the bearer policy for its challenge policy *after* building the pipeline, so a perCall
  // additional policy already runs before the challenge: the unauthenticated first request, the token and
  // the resend happen inside one limiter attempt (SDK-RECIPE §5: the challenge runs outside retries).
  return new KeyClient(vaultUrl, credential, {
    ...commonOptions(o), ...(o.policy ? { additionalPolicies: [{ policy: o.policy, position: "perCall" as const }] } : {}),
  });
}

export interface GraphClient {
  /** POST a JSON body to a Graph path (`/v1.0/…`) and return the parsed JSON answer. */
  postJson(path: string, body: unknown): Promise<unknown>;
}

/**
 * Microsoft Graph through an @azure/core-rest-pipeline pipeline: Node's global fetch ignores HTTPS_PROXY
 * (SDK-RECIPE §3), the pipeline's proxy policy does not, and it brings the SDK's auth policy — and its retry
 * policy, unless the limiter's policy (added first, before the bearer policy) takes over retries.
 */
export function createGraphClient(credential: TokenCredential, cloud: CloudName, o: ClientPipelineOptions = {}): GraphClient {
  const c = CLOUDS[cloud];
  const pipeline = createPipelineFromOptions(o.policy ? { retryOptions: { maxRetries: 0 } } : {});
  if (o.policy) pipeline.addPolicy(o.policy);
  pipeline.addPolicy(bearerTokenAuthenticationPolicy({ credential, scopes: c.graphScope }));
  const httpClient = o.httpClient ?? createDefaultHttpClient();
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

/** One FHIR data-plane answer: the status, the headers the data copy reads, and the parsed JSON body. */
export interface FhirResponse {
  status: number;
  headers: { contentLocation?: string; retryAfter?: string; etag?: string };
  body: unknown;
}

export interface FhirClient {
  /** `pathAndQuery` starts with "/" (e.g. "/Patient?_summary=count"); any status is returned, not thrown. */
  request(method: "GET" | "PUT" | "POST" | "DELETE", pathAndQuery: string, body?: unknown, headers?: Record<string, string>): Promise<FhirResponse>;
}

/**
 * A FHIR data plane (issue 11): there is no Azure SDK for it, so core-rest-pipeline with the bearer policy
 * for the service's configured audience — `{audience}/.default`, never one derived from the host, since
 * legacy accounts may be configured with another audience (DATA-MIGRATION.md §4).
 */
export function createFhirClient(credential: TokenCredential, target: { baseUrl: string; audience: string }, o: ClientPipelineOptions = {}): FhirClient {
  const pipeline = createPipelineFromOptions(o.policy ? { retryOptions: { maxRetries: 0 } } : {});
  if (o.policy) pipeline.addPolicy(o.policy);
  pipeline.addPolicy(bearerTokenAuthenticationPolicy({ credential, scopes: `${target.audience.replace(/\/+$/, "")}/.default` }));
  const httpClient = o.httpClient ?? createDefaultHttpClient();
  const base = target.baseUrl.replace(/\/+$/, "");
  return {
    async request(method, pathAndQuery, body, headers = {}) {
      const request = createPipelineRequest({
        url: `${base}${pathAndQuery}`, method, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        headers: createHttpHeaders({ accept: "application/fhir+json", ...(body === undefined ? {} : { "content-type": "application/fhir+json" }), ...headers }),
      });
      const response = await pipeline.sendRequest(httpClient, request);
      let parsed: unknown;
      try { parsed = response.bodyAsText ? JSON.parse(response.bodyAsText) : undefined; } catch { parsed = response.bodyAsText; }
      const h = response.headers;
      return {
        status: response.status, body: parsed,
        headers: {
          ...(h.get("content-location") ? { contentLocation: h.get("content-location")! } : {}),
          ...(h.get("retry-after") ? { retryAfter: h.get("retry-after")! } : {}),
          ...(h.get("etag") ? { etag: h.get("etag")! } : {}),
        },
      };
    },
  };
}
