// Raw ARM requests for the arm-* integration tests: the real @azure/core-rest-pipeline (proxy policy from
// HTTPS_PROXY, CA from NODE_EXTRA_CA_CERTS) with a token the test chooses — none, expired, for another
// audience — for the calls no SDK client makes (storage / ACR lists) or that must carry a bad token.
import { createHttpHeaders, createPipelineFromOptions, createPipelineRequest, createDefaultHttpClient } from "@azure/core-rest-pipeline";
import type { TokenCredential } from "@azure/identity";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read ARM JSON bodies ad hoc
export interface RawResponse { status: number; headers: Record<string, string>; body: any }

const client = createDefaultHttpClient();

export async function armRaw(method: string, url: string, o: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<RawResponse> {
  const pipeline = createPipelineFromOptions({ retryOptions: { maxRetries: 0 } });
  const headers = createHttpHeaders({ accept: "application/json" });
  for (const [k, v] of Object.entries(o.headers ?? {})) headers.set(k, v);
  if (o.token) headers.set("authorization", `Bearer ${o.token}`);
  if (o.body !== undefined) headers.set("content-type", "application/json");
  const req = createPipelineRequest({ url, method: method as "GET", headers, ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}) });
  const res = await pipeline.sendRequest(client, req);
  let body: unknown;
  try { body = res.bodyAsText ? JSON.parse(res.bodyAsText) : undefined; } catch { body = res.bodyAsText; }
  return { status: res.status, headers: res.headers.toJSON({ preserveCase: false }), body };
}

export async function armToken(credential: TokenCredential, resource = "https://management.azure.com"): Promise<string> {
  const t = await credential.getToken(`${resource}/.default`);
  if (!t) throw new Error("no token");
  return t.token;
}
