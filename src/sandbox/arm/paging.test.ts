import { describe, expect, it } from "vitest";
import { pageOf } from "./paging.js";
import type { ArmCall } from "./route.js";

function call(query: string, pageSize = 100): ArmCall {
  return {
    req: { seq: 1, method: "GET", host: "management.azure.com", path: "/subscriptions/s/providers/Microsoft.KeyVault/vaults",
      query: new URLSearchParams(query), headers: {}, body: Buffer.alloc(0) },
    ctx: { state: { behaviour: { pageSize } } } as unknown as ArmCall["ctx"],
    params: {}, apiVersion: "2026-02-01", claims: {} as ArmCall["claims"], baseUrl: "https://management.azure.com",
  };
}

describe("pageOf", () => {
  const items = [1, 2, 3, 4, 5];

  it("pages by behaviour.pageSize with an absolute nextLink keeping api-version and the filter", () => {
    const p = pageOf(items, call("api-version=2026-02-01&$filter=atScope()", 2));
    expect(p.value).toEqual([1, 2]);
    expect(p.nextLink).toBe("https://management.azure.com/subscriptions/s/providers/Microsoft.KeyVault/vaults?api-version=2026-02-01&$filter=atScope()&$skiptoken=2");
  });

  it("continues from $skiptoken and ends without nextLink", () => {
    const p = pageOf(items, call("api-version=1&$skiptoken=4", 2));
    expect(p).toEqual({ value: [5] });
  });

  it("takes $top (or the route's own size) when smaller than the page size", () => {
    expect(pageOf(items, call("api-version=1&$top=1", 3)).value).toEqual([1]);
    expect(pageOf(items, call("api-version=1", 3), 2).value).toEqual([1, 2]);
  });
});
