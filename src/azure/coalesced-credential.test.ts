import { describe, expect, it } from "vitest";
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/identity";
import { coalescedCredential } from "./coalesced-credential.js";

/** An inner credential whose token requests stay open until the test answers them. */
function manualCredential() {
  const calls: { scopes: string | string[]; options?: GetTokenOptions; answer: (t: AccessToken) => void; fail: (e: Error) => void }[] = [];
  const credential: TokenCredential = {
    getToken: (scopes, options) => new Promise<AccessToken | null>((answer, fail) => calls.push({ scopes, options, answer, fail })),
  };
  return { credential, calls };
}

const token = (t: string): AccessToken => ({ token: t, expiresOnTimestamp: 1 });

describe("coalescedCredential", () => {
  it("merges concurrent requests for the same scopes, tenant and claims into one", async () => {
    const { credential, calls } = manualCredential();
    const c = coalescedCredential(credential);
    const vault = "https://vault.azure.net/.default";
    const all = [c.getToken(vault, { tenantId: "t1" }), c.getToken([vault], { tenantId: "t1", abortSignal: new AbortController().signal }),
      c.getToken(vault, { tenantId: "t2" }), c.getToken(vault, { tenantId: "t1", claims: "x" }), c.getToken("https://management.azure.com/.default")];
    expect(calls).toHaveLength(4);
    expect(calls[0]!.options?.abortSignal).toBeUndefined();
    calls.forEach((call, i) => call.answer(token(`t${i}`)));
    expect((await Promise.all(all)).map((t) => t?.token)).toEqual(["t0", "t0", "t1", "t2", "t3"]);
    // Answered: the next call goes to the inner credential (its cache answers; nothing is kept here).
    void c.getToken(vault, { tenantId: "t1" });
    expect(calls).toHaveLength(5);
  });

  it("lets one caller stop waiting on its own signal without failing the others, and shares a failure", async () => {
    const { credential, calls } = manualCredential();
    const c = coalescedCredential(credential);
    const abort = new AbortController();
    const first = c.getToken("s", { abortSignal: abort.signal });
    const second = c.getToken("s");
    abort.abort();
    await expect(first).rejects.toMatchObject({ name: "AbortError" });
    calls[0]!.answer(token("ok"));
    await expect(second).resolves.toMatchObject({ token: "ok" });
    const a = c.getToken("s2");
    const b = c.getToken("s2");
    calls[1]!.fail(new Error("no"));
    await expect(a).rejects.toThrow("no");
    await expect(b).rejects.toThrow("no");
  });
});
