// behaviour.faults seen through a real KeyClient: a status at the n-th request, at most `count`
// times, a dropped connection, and `rate` hits that repeat with the same seed.
import { RestError } from "@azure/core-rest-pipeline";
import type { KeyClient } from "@azure/keyvault-keys";
import { afterEach, describe, expect, it } from "vitest";
import { baseEstate, KEY_NAME, VAULT_NAME } from "../fixtures/estate-builders.js";
import { startTestSandbox } from "../helpers/sandbox.js";
import { sdkClients } from "../helpers/sdk-clients.js";
import type { Sandbox } from "../../src/sandbox/server.js";
import type { FaultRule } from "../../src/sandbox/estate-types.js";

const VAULT_HOST = `${VAULT_NAME}.vault.azure.net`;
let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

/** A sandbox and a KeyClient (retries off) that has already passed its 401 challenge, then `faults`. */
async function keyClientWithFaults(faults: FaultRule[], seed = 1): Promise<KeyClient> {
  sandbox = await startTestSandbox(baseEstate({ behaviour: { seed } }));
  const client = sdkClients("AzureCloud", "x", { retryOptions: { maxRetries: 0 } }).keys(`https://${VAULT_HOST}`);
  await client.getKey(KEY_NAME);
  sandbox.setFaults(faults);
  return client;
}

/** "ok" or the status code / error code of each of `n` getKey calls. */
async function outcomes(client: KeyClient, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    try {
      await client.getKey(KEY_NAME);
      out.push("ok");
    } catch (e) {
      out.push(e instanceof RestError ? String(e.statusCode ?? e.code) : String(e));
    }
  }
  return out;
}

describe("fault injection", () => {
  it("answers the status at the n-th matching request only, in Key Vault's error shape", async () => {
    const client = await keyClientWithFaults([{ match: { method: "GET", host: VAULT_HOST, pathRegex: "^/keys/" }, status: 500, nth: 2 }]);
    const bodies: unknown[] = [];
    sandbox!.onResponse((ev) => bodies.push(ev.body));
    expect(await outcomes(client, 4)).toEqual(["ok", "500", "ok", "ok"]);
    expect(bodies[1]).toMatchObject({ error: { code: "InternalServerError", message: expect.stringContaining("faults[0]") } });
    expect(sandbox?.state.faultMatches).toEqual([4]);
    expect(sandbox?.state.faultHits).toEqual([1]);
    expect(sandbox?.requests().filter((r) => r.host === VAULT_HOST).map((r) => r.status).slice(-4)).toEqual([200, 500, 200, 200]);
  });

  it("stops after `count` hits and carries Retry-After on 503", async () => {
    const client = await keyClientWithFaults([{ match: { host: VAULT_HOST }, status: 503, count: 2 }]);
    const seen: { status: number; retryAfter?: string; code?: unknown }[] = [];
    sandbox!.onResponse((ev) => seen.push({ status: ev.status, retryAfter: ev.headers["retry-after"],
      code: (ev.body as { error?: { code?: string } } | undefined)?.error?.code }));
    expect(await outcomes(client, 3)).toEqual(["503", "503", "ok"]);
    expect(seen[0]).toEqual({ status: 503, retryAfter: "1", code: "ServiceUnavailable" });
  });

  it("drops the connection: the SDK sees a connection error, not a response", async () => {
    const client = await keyClientWithFaults([{ match: { host: VAULT_HOST }, drop: true, count: 1 }]);
    const e = await client.getKey(KEY_NAME).then(() => undefined, (x: unknown) => x);
    expect(e).toBeInstanceOf(RestError);
    expect((e as RestError).statusCode).toBeUndefined();
    expect((e as RestError).code).toMatch(/ECONNRESET|REQUEST_SEND_ERROR|socket hang up/i);
    expect(sandbox?.requests().at(-1)).toMatchObject({ host: VAULT_HOST, status: 0 });
    expect(await outcomes(client, 1)).toEqual(["ok"]);
  });

  it("hits at `rate` reproducibly for a seed", async () => {
    const rule: FaultRule = { match: { host: VAULT_HOST }, status: 500, rate: 0.5 };
    const first = await outcomes(await keyClientWithFaults([rule], 1234), 16);
    await sandbox?.close();
    const again = await outcomes(await keyClientWithFaults([rule], 1234), 16);
    expect(again).toEqual(first);
    expect(first).toContain("ok");
    expect(first).toContain("500");
  });
});
