// The proxy answers CONNECT only for the estate cloud's hosts and its vaults; any other host is
// refused with 502 and a JSON body that the SDKs surface as RestError 502 (SDK-RECIPE §3).
import { readFileSync } from "node:fs";
import { request } from "node:http";
import type { Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { createPipelineFromOptions, createPipelineRequest, createDefaultHttpClient, RestError } from "@azure/core-rest-pipeline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseEstate, KEY_NAME, VAULT_NAME } from "../fixtures/estate-builders.js";
import { startTestSandbox } from "../helpers/sandbox.js";
import { sdkClients } from "../helpers/sdk-clients.js";
import type { Sandbox } from "../../src/sandbox/server.js";

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox(baseEstate());
});
afterAll(async () => {
  await sandbox?.close();
});

const NO_RETRY = { retryOptions: { maxRetries: 0 } };

async function restError(p: Promise<unknown>): Promise<RestError> {
  try {
    await p;
  } catch (e) {
    return e as RestError;
  }
  throw new Error("expected the call to fail");
}

describe("sandbox proxy", () => {
  it("runs in a worker that inherited the CA from globalSetup, so an SDK call over HTTPS succeeds", async () => {
    expect(process.env.NODE_EXTRA_CA_CERTS).toBe(sandbox.caCertPath);
    expect(process.env.NO_PROXY).toBeUndefined();
    const key = await sdkClients("AzureCloud", "x").keys(`https://${VAULT_NAME}.vault.azure.net`).getKey(KEY_NAME);
    expect(key.name).toBe(KEY_NAME);
    const hosts = sandbox.requests().map((r) => `${r.method} ${r.host} ${r.status}`);
    expect(hosts).toContain("POST login.microsoftonline.com 200");
    expect(hosts).toContain(`GET ${VAULT_NAME}.vault.azure.net 200`);
  });

  it("refuses a KeyClient for a vault that is not in the estate with RestError 502 ProxyHostNotFound", async () => {
    const client = sdkClients("AzureCloud", "x", NO_RETRY).keys("https://no-such-vault.vault.azure.net");
    const e = await restError(client.getKey(KEY_NAME));
    expect(e).toBeInstanceOf(RestError);
    expect(e.statusCode).toBe(502);
    expect(e.code).toBe("ProxyHostNotFound");
    expect(sandbox.requests().at(-1)).toMatchObject({ method: "CONNECT", host: "no-such-vault.vault.azure.net", status: 502 });
  });

  it("refuses the other cloud's hosts and unrelated hosts, with a JSON body", async () => {
    const pipeline = createPipelineFromOptions(NO_RETRY);
    const client = createDefaultHttpClient();
    for (const url of ["https://management.usgovcloudapi.net/subscriptions?api-version=2022-12-01", "https://example.com/",
      `https://${VAULT_NAME}.vault.usgovcloudapi.net/keys/${KEY_NAME}/`]) {
      // A bare pipeline does not throw on a status: the 502 and its body come back as the response.
      const res = await pipeline.sendRequest(client, createPipelineRequest({ url }));
      expect(res.status, url).toBe(502);
      expect(JSON.parse(String(res.bodyAsText))).toMatchObject({ error: { code: "ProxyHostNotFound" } });
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    }
  });

  it("serves several keep-alive requests in one tunnel, for the CONNECT host, with collapsed slashes", async () => {
    const socket = await new Promise<Socket>((resolve, reject) => {
      request({ host: "127.0.0.1", port: sandbox.port, method: "CONNECT", path: `${VAULT_NAME}.vault.azure.net:443` })
        .on("connect", (res, s) => (res.statusCode === 200 ? resolve(s) : reject(new Error(`CONNECT ${res.statusCode}`))))
        .on("error", reject).end();
    });
    const tls = tlsConnect({ socket, servername: `${VAULT_NAME}.vault.azure.net`, ca: readFileSync(sandbox.caCertPath) });
    const text = await new Promise<string>((resolve, reject) => {
      let out = "";
      tls.on("data", (c: Buffer) => {
        out += c.toString();
        if ((out.match(/HTTP\/1\.1 /g) ?? []).length === 2 && /\}\s*$/.test(out)) resolve(out);
      });
      tls.on("error", reject);
      const req = (p: string) => `GET ${p} HTTP/1.1\r\nHost: ${VAULT_NAME}.vault.azure.net\r\nConnection: keep-alive\r\n\r\n`;
      tls.write(req(`/keys/${KEY_NAME}/?api-version=2025-07-01`) + req(`//keys//${KEY_NAME}?api%2Dversion=2025-07-01`));
    });
    tls.destroy();
    expect(text.match(/HTTP\/1\.1 (\d+)/g)).toEqual(["HTTP/1.1 401", "HTTP/1.1 401"]);
    expect(text).toMatch(/x-ms-request-id: [0-9a-f-]{36}/i);
    const log = sandbox.requests().slice(-2);
    expect(log.map((r) => [r.host, r.path, r.query["api-version"]])).toEqual([
      [`${VAULT_NAME}.vault.azure.net`, `/keys/${KEY_NAME}/`, "2025-07-01"],
      [`${VAULT_NAME}.vault.azure.net`, `/keys/${KEY_NAME}`, "2025-07-01"],
    ]);
  });

  it("answers a plain request for anything but the admin API with 404 JSON", async () => {
    const { status, body, type } = await new Promise<{ status: number; body: string; type: string }>((resolve, reject) => {
      request({ host: "127.0.0.1", port: sandbox.port, path: "/subscriptions" }, (res) => {
        let body = "";
        res.on("data", (c: Buffer) => (body += c.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body, type: String(res.headers["content-type"]) }));
      }).on("error", reject).end();
    });
    expect(status).toBe(404);
    expect(type).toMatch(/^application\/json/);
    expect(JSON.parse(body)).toMatchObject({ error: { code: "NotFound" } });
  });
});
