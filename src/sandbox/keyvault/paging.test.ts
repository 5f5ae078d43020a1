import { describe, expect, it } from "vitest";
import { HttpError } from "../http.js";
import { decodeSkipToken, encodeSkipToken, kvPage } from "./paging.js";

const items = Array.from({ length: 30 }, (_, i) => `k${String(i).padStart(2, "0")}`);
const req = (q: string) => ({ host: "kv.vault.azure.net", path: "/keys", apiVersion: "2025-07-01", query: new URLSearchParams(q) });

describe("kvPage", () => {
  it("serves 25 by default with an absolute nextLink carrying api-version, $skiptoken and maxresults", () => {
    const p = kvPage(items, (s) => s, req(""));
    expect(p.value).toHaveLength(25);
    const next = new URL(p.nextLink!);
    expect(next.host).toBe("kv.vault.azure.net");
    expect(next.pathname).toBe("/keys");
    expect(next.searchParams.get("api-version")).toBe("2025-07-01");
    expect(next.searchParams.get("maxresults")).toBe("25");
    const p2 = kvPage(items, (s) => s, req(next.search.slice(1)));
    expect(p2.value).toEqual(items.slice(25));
    expect(p2.nextLink).toBeUndefined();
  });

  it("uses a smaller default page (behaviour.pageSize) but never more than 25", () => {
    expect(kvPage(items, (s) => s, { ...req(""), defaultMax: 4 }).value).toHaveLength(4);
    expect(kvPage(items, (s) => s, { ...req(""), defaultMax: 100 }).value).toHaveLength(25);
    expect(kvPage(items, (s) => s, { ...req("maxresults=10"), defaultMax: 4 }).value).toHaveLength(10);
  });

  it("walks every item exactly once with maxresults=4", () => {
    const seen: string[] = [];
    let q = "maxresults=4";
    for (;;) {
      const p = kvPage(items, (s) => s, req(q));
      expect(p.value.length).toBeLessThanOrEqual(4);
      seen.push(...p.value);
      if (!p.nextLink) break;
      q = new URL(p.nextLink).search.slice(1);
    }
    expect(seen).toEqual(items);
  });

  it.each(["0", "26", "abc"])("refuses maxresults=%s with BadParameter", (m) => {
    try {
      kvPage(items, (s) => s, req(`maxresults=${m}`));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(HttpError);
      const r = (e as HttpError).response;
      expect(r.status).toBe(400);
      expect((r.body as { error: { code: string } }).error.code).toBe("BadParameter");
    }
  });

  it("round-trips the skip token and refuses garbage", () => {
    expect(decodeSkipToken(encodeSkipToken("cmk/abc"))).toBe("cmk/abc");
    expect(() => decodeSkipToken("not-a-token")).toThrow(HttpError);
  });
});
