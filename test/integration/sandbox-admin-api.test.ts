// The admin API on the proxy port: plain (origin form) and through an SDK pipeline, which applies
// HTTPS_PROXY to http:// URLs too and so sends the absolute form (SDK-RECIPE §3, §9.9).
import { createDefaultHttpClient, createPipelineFromOptions, createPipelineRequest, type HttpMethods } from "@azure/core-rest-pipeline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseEstate, KEY_NAME, resourceGroupId, VAULT_NAME, vaultId } from "../fixtures/estate-builders.js";
import { startTestSandbox } from "../helpers/sandbox.js";
import { sdkClients } from "../helpers/sdk-clients.js";
import type { Sandbox } from "../../src/sandbox/server.js";
import type { RequestLogEntry } from "../../src/sandbox/request-log.js";

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox(baseEstate());
});
afterAll(async () => {
  await sandbox?.close();
});

/** Through an SDK pipeline: HTTPS_PROXY is set, so this reaches the proxy as `GET http://127.0.0.1:P/_sandbox/…`. */
async function viaPipeline(method: HttpMethods, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const pipeline = createPipelineFromOptions({ retryOptions: { maxRetries: 0 } });
  const req = createPipelineRequest({ url: `${sandbox.adminUrl}${path}`, method, allowInsecureConnection: true,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  req.headers.set("content-type", "application/json");
  const res = await pipeline.sendRequest(createDefaultHttpClient(), req);
  return { status: res.status, json: res.bodyAsText ? JSON.parse(res.bodyAsText) : undefined };
}

/** Plain: node's fetch ignores HTTPS_PROXY (SDK-RECIPE §3), so this is an origin-form request. */
async function plain(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${sandbox.adminUrl}${path}`, { method, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  return { status: res.status, json: await res.json() };
}

describe("admin API", () => {
  it("serves the request log in absolute form through an SDK pipeline and in origin form", async () => {
    const a = await viaPipeline("GET", "/_sandbox/requests");
    expect(a.status).toBe(200);
    const b = await plain("GET", "/_sandbox/requests");
    expect(b.status).toBe(200);
    const log = b.json as RequestLogEntry[];
    // The first request (absolute form) is in the log with the admin host and path.
    expect(log.at(-1)).toMatchObject({ method: "GET", host: "127.0.0.1", path: "/_sandbox/requests", status: 200 });
    expect(sandbox.requests().map((r) => r.path)).toEqual(["/_sandbox/requests", "/_sandbox/requests"]);
  });

  it("answers a raw absolute-form target, as a proxy receives it", async () => {
    const { request } = await import("node:http");
    const out = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      request({ host: "127.0.0.1", port: sandbox.port, path: `http://127.0.0.1:${sandbox.port}/_sandbox/keys?x=1` }, (res) => {
        let body = "";
        res.on("data", (c: Buffer) => (body += c.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      }).on("error", reject).end();
    });
    expect(out.status).toBe(200);
    expect(JSON.parse(out.body)).toMatchObject([{ vault: VAULT_NAME, key: KEY_NAME }]);
    expect(sandbox.requests().at(-1)).toMatchObject({ path: "/_sandbox/keys", query: { x: "1" }, kind: "read" });
  });

  it("lists every ARM resource as GET returns it, resource groups included", async () => {
    const { status, json } = await viaPipeline("GET", "/_sandbox/resources");
    expect(status).toBe(200);
    const ids = (json as { id: string; type: string }[]).map((r) => r.id);
    expect(ids).toContain(resourceGroupId());
    expect(ids).toContain(vaultId());
    expect((json as { id: string; type: string }[]).find((r) => r.id === resourceGroupId())?.type).toBe("Microsoft.Resources/resourceGroups");
  });

  it("rotates a key: the new version is listed and becomes what the SDK reads as current", async () => {
    const before = (await plain("GET", "/_sandbox/keys")).json as { vault: string; key: string; versions: { version: string }[] }[];
    expect(before).toHaveLength(1);
    expect(before[0]).toMatchObject({ vault: VAULT_NAME, key: KEY_NAME });
    const rotated = await viaPipeline("POST", "/_sandbox/keys/rotate", { vault: VAULT_NAME, key: KEY_NAME });
    expect(rotated.status).toBe(200);
    const v = rotated.json as { version: string; kty: string; keySize: number; enabled: boolean; created: number };
    expect(v.version).toMatch(/^[0-9a-f]{32}$/);
    expect(v).toMatchObject({ vault: VAULT_NAME, key: KEY_NAME, kty: "RSA", keySize: 3072, enabled: true });
    const after = (await plain("GET", "/_sandbox/keys")).json as { versions: { version: string }[] }[];
    expect(after[0]?.versions.map((x) => x.version)).toEqual([...(before[0]?.versions.map((x) => x.version) ?? []), v.version]);
    const key = await sdkClients("AzureCloud", "x").keys(`https://${VAULT_NAME}.vault.azure.net`).getKey(KEY_NAME);
    expect(key.properties.version).toBe(v.version);
  });

  it("merge-patches a resource", async () => {
    const { status, json } = await plain("PATCH", "/_sandbox/resources",
      { id: vaultId().toUpperCase(), patch: { tags: { owner: "team-a" }, properties: { enablePurgeProtection: null } } });
    expect(status).toBe(200);
    const vault = json as { id: string; tags: Record<string, string>; properties: Record<string, unknown> };
    expect(vault.id).toBe(vaultId());
    expect(vault.tags).toEqual({ owner: "team-a" });
    expect(vault.properties.enablePurgeProtection).toBeUndefined();
    expect(vault.properties.enableSoftDelete).toBe(true);
    expect(sandbox.state.getResource(vaultId())?.tags).toEqual({ owner: "team-a" });
  });

  it("replaces the active faults", async () => {
    const rules = [{ match: { host: "management.azure.com" }, status: 503, count: 1 }];
    const { status, json } = await viaPipeline("POST", "/_sandbox/faults", rules);
    expect(status).toBe(200);
    expect(json).toEqual(rules);
    expect(sandbox.state.behaviour.faults).toEqual(rules);
    expect(sandbox.state.faultHits).toEqual([0]);
    expect(sandbox.setFaults([])).toEqual([]);
  });

  it("answers mistakes with 400 and unknown things with 404, as JSON", async () => {
    expect(await plain("POST", "/_sandbox/keys/rotate", { vault: VAULT_NAME })).toMatchObject({ status: 400, json: { error: { code: "MissingField" } } });
    expect(await plain("POST", "/_sandbox/keys/rotate", { vault: VAULT_NAME, key: "nope" })).toMatchObject({ status: 404, json: { error: { code: "KeyNotFound" } } });
    expect(await plain("PATCH", "/_sandbox/resources", { id: "/subscriptions/x/resourceGroups/nope", patch: {} })).toMatchObject({ status: 404 });
    expect(await plain("POST", "/_sandbox/faults", { not: "a list" })).toMatchObject({ status: 400, json: { error: { code: "InvalidFaults" } } });
    expect(await viaPipeline("GET", "/_sandbox/nothing")).toMatchObject({ status: 404, json: { error: { code: "NotFound" } } });
    const res = await fetch(`${sandbox.adminUrl}/_sandbox/faults`, { method: "POST", body: "{not json" });
    expect(res.status).toBe(400);
  });

  it("offers the same operations in process", () => {
    const v = sandbox.rotateKey(VAULT_NAME, KEY_NAME);
    expect(sandbox.state.getKey(VAULT_NAME, KEY_NAME)?.versions.at(-1)?.version).toBe(v.version);
    const r = sandbox.patchResource(resourceGroupId(), { tags: { env: "test" } });
    expect(r.tags).toEqual({ env: "test" });
    expect(() => sandbox.setFaults([{ match: {}, status: 42 }])).toThrow();
  });
});
