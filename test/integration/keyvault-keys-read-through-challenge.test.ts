// The Key Vault data plane through the real KeyClient (@azure/keyvault-keys 4.10.2) and DefaultAzureCredential:
// the 401 challenge → token → 200 dance, current and pinned versions, RSA sizes from the JWK, paged listings
// (more items than a page), 403 KeyDisabled on a disabled current version while listing works, 404 KeyNotFound.
// Every Key Vault response is validated against keys.json 2026-04-01.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RestError } from "@azure/core-rest-pipeline";
import type { KeyClient } from "@azure/keyvault-keys";
import type { ResponseEvent, Sandbox } from "../../src/sandbox/server.js";
import { expectConformingResponses, type ConformanceRecorder } from "../helpers/spec-validator.js";
import { collectResponses, startTestSandbox } from "../helpers/sandbox.js";
import { sdkClients } from "../helpers/sdk-clients.js";
import { addKey, baseEstate, KEY_NAME, SUBSCRIPTION_ID, TENANT_ID, VAULT_NAME } from "../fixtures/estate-builders.js";

let sandbox: Sandbox;
let conformance: ConformanceRecorder;
let keys: KeyClient;
let responses: ResponseEvent[];
const VAULT_HOST = `${VAULT_NAME}.vault.azure.net`;
const sizes = [2048, 3072, 4096] as const;
let pinned: { old: string; current: string };
let disabledVersions: string[];
const MANY_VERSIONS = 30;
const EXTRA_KEYS = 26;

beforeAll(async () => {
  const estate = baseEstate();
  for (const bits of sizes) addKey(estate, { name: `rsa-${bits}`, versions: [{ keySize: bits }] });
  const [old, current] = addKey(estate, { name: "rotated", versions: [{ created: 100, keySize: 2048 }, { created: 200, keySize: 3072 }] });
  pinned = { old: old!.version, current: current!.version };
  addKey(estate, { name: "many", versions: Array.from({ length: MANY_VERSIONS }, (_, i) => ({ created: 1000 + i })) });
  disabledVersions = addKey(estate, { name: "switched-off", versions: [{ created: 1 }, { created: 2, enabled: false }] }).map((v) => v.version);
  for (let i = 0; i < EXTRA_KEYS; i++) addKey(estate, { name: `filler-${String(i).padStart(2, "0")}` });
  addKey(estate, { name: "expired", versions: [{ exp: 1_000_000, nbf: 500 }] });
  sandbox = await startTestSandbox(estate);
  conformance = expectConformingResponses(sandbox);
  responses = collectResponses(sandbox);
  const clients = sdkClients("AzureCloud", SUBSCRIPTION_ID);
  keys = clients.keys(clients.vaultUrl(VAULT_NAME));
});
afterAll(async () => {
  conformance?.stop();
  await sandbox?.close();
});

async function restError(p: Promise<unknown>): Promise<RestError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(RestError);
  return e as RestError;
}

/** The last response body the sandbox sent for `path`. The SDK's RestError (ts-http-runtime createRestError)
 *  keeps statusCode, code and message but not the parsed body, so the inner code is read on the wire. */
function lastBody(path: string): { error?: { code?: string; innererror?: { code?: string } } } {
  const e = responses.filter((r) => r.path === path).at(-1);
  return (e?.body ?? {}) as { error?: { code?: string; innererror?: { code?: string } } };
}

describe("Key Vault keys through the SDK", () => {
  it("answers the first request with the challenge, then serves it with the token the SDK fetched", async () => {
    const before = sandbox.requests().length;
    const key = await keys.getKey(KEY_NAME);
    expect(key.name).toBe(KEY_NAME);
    const log = sandbox.requests().slice(before);
    expect(log.map((r) => `${r.method} ${r.host} ${r.status}`)).toEqual([
      `GET ${VAULT_HOST} 401`,
      `POST login.microsoftonline.com 200`,
      `GET ${VAULT_HOST} 200`,
    ]);
    expect(log[1]!.path).toBe(`/${TENANT_ID}/oauth2/v2.0/token`);
    // The SDK's getKey(name): trailing slash and a percent-encoded api-version name, decoded for the log.
    expect(log[2]!.path).toBe(`/keys/${KEY_NAME}/`);
    expect(log[2]!.query["api-version"]).toBe("2025-07-01");
    expect(log[2]!.principal).toBeTruthy();
    // Later calls reuse the token: no second challenge.
    const n = sandbox.requests().length;
    await keys.getKey(KEY_NAME);
    expect(sandbox.requests().slice(n).map((r) => r.status)).toEqual([200]);
  });

  it("returns the newest version as current and a pinned older version on request", async () => {
    const current = await keys.getKey("rotated");
    expect(current.properties.version).toBe(pinned.current);
    expect(current.id).toBe(`https://${VAULT_HOST}/keys/rotated/${pinned.current}`);
    const old = await keys.getKey("rotated", { version: pinned.old });
    expect(old.properties.version).toBe(pinned.old);
    expect(old.key!.n!.length * 8).toBe(2048);
    expect(current.key!.n!.length * 8).toBe(3072);
    expect(current.keyType).toBe("RSA");
    expect(current.keyOperations).toEqual(["encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"]);
    expect(current.properties).toMatchObject({ enabled: true, recoveryLevel: "Recoverable", recoverableDays: 90, exportable: false });
  });

  it.each(sizes)("reports an RSA %i key's size through key.n.length * 8", async (bits) => {
    const key = await keys.getKey(`rsa-${bits}`);
    expect(key.key!.n!.length * 8).toBe(bits);
    expect(key.key!.n![0]! & 0x80).toBe(0x80);
    expect(Array.from(key.key!.e!)).toEqual([1, 0, 1]);
  });

  it("still reads an expired key, showing expiresOn and notBefore", async () => {
    const key = await keys.getKey("expired");
    expect(key.properties.expiresOn?.getTime()).toBe(1_000_000_000);
    expect(key.properties.notBefore?.getTime()).toBe(500_000);
  });

  it("pages a key's versions (30 versions > 25 per page) following nextLink", async () => {
    const before = sandbox.requests().length;
    const versions: string[] = [];
    for await (const p of keys.listPropertiesOfKeyVersions("many")) versions.push(p.version!);
    expect(versions).toHaveLength(MANY_VERSIONS);
    expect(new Set(versions).size).toBe(MANY_VERSIONS);
    const pages = sandbox.requests().slice(before).filter((r) => r.path === "/keys/many/versions");
    expect(pages.map((r) => r.status)).toEqual([200, 200]);
    expect(pages[1]!.query.$skiptoken).toBeTruthy();
    expect(pages[1]!.query.maxresults).toBe("25");
  });

  it("honours a smaller page size (maxresults) asked by byPage", async () => {
    const sizesSeen: number[] = [];
    for await (const page of keys.listPropertiesOfKeyVersions("many").byPage({ maxPageSize: 7 })) sizesSeen.push(page.length);
    expect(sizesSeen).toEqual([7, 7, 7, 7, 2]);
  });

  it("lists every key of the vault, versionless, over two pages", async () => {
    const names: string[] = [];
    for await (const p of keys.listPropertiesOfKeys()) {
      expect(p.version).toBeUndefined();
      names.push(p.name);
    }
    expect(names).toContain(KEY_NAME);
    expect(names).toContain("many");
    expect(names).toHaveLength(1 + sizes.length + 1 + 1 + 1 + EXTRA_KEYS + 1);
  });

  it("answers 403 Forbidden / KeyDisabled for a disabled current version while its versions list", async () => {
    const e = await restError(keys.getKey("switched-off"));
    expect(e.statusCode).toBe(403);
    expect(e.code).toBe("Forbidden");
    expect(e.message).toBe("Operation get is not allowed on a disabled key.");
    expect(e.response?.bodyAsText).toBeUndefined(); // what the product can and cannot see
    expect(lastBody("/keys/switched-off/").error).toEqual({ code: "Forbidden",
      message: "Operation get is not allowed on a disabled key.", innererror: { code: "KeyDisabled" } });
    const listed: { version?: string; enabled?: boolean }[] = [];
    for await (const p of keys.listPropertiesOfKeyVersions("switched-off")) listed.push({ version: p.version, enabled: p.enabled });
    expect(listed.find((p) => p.version === disabledVersions[1])?.enabled).toBe(false);
    expect(listed.find((p) => p.version === disabledVersions[0])?.enabled).toBe(true);
    // The older, enabled version is still readable when pinned.
    expect((await keys.getKey("switched-off", { version: disabledVersions[0] })).properties.enabled).toBe(true);
  });

  it("answers 404 KeyNotFound for an unknown key and an unknown version", async () => {
    const e = await restError(keys.getKey("no-such-key"));
    expect(e.statusCode).toBe(404);
    expect(e.code).toBe("KeyNotFound");
    expect(e.message).toContain("A key with (name/id) no-such-key was not found in this key vault.");
    const v = await restError(keys.getKey(KEY_NAME, { version: "0123456789abcdef0123456789abcdef" }));
    expect(v.statusCode).toBe(404);
    expect(v.code).toBe("KeyNotFound");
  });

  it("sends only responses that conform to keys.json", () => {
    expect(conformance.checked.get("GetKey") ?? 0).toBeGreaterThan(0);
    expect(conformance.checked.get("GetKeyVersions") ?? 0).toBeGreaterThan(0);
    expect(conformance.checked.get("GetKeys") ?? 0).toBeGreaterThan(0);
    conformance.assertNone();
  });
});
