import { describe, expect, it } from "vitest";
import { DEFAULT_BEHAVIOUR, type Estate, type FaultRule } from "./estate-types.js";
import { requestFault, stuckState } from "./faults.js";
import { seededRandom } from "./random.js";
import { SandboxState } from "./state.js";

function stateWith(faults: FaultRule[], cloud: Estate["cloud"] = "AzureCloud"): SandboxState {
  return new SandboxState({
    formatVersion: 1, cloud, tenants: [], principals: [], caller: { tenantId: "t", clientId: "c", clientSecret: "s" },
    subscriptions: [], resourceGroups: [], resources: [], keys: [], behaviour: { ...structuredClone(DEFAULT_BEHAVIOUR), faults },
  }, () => 0);
}

const ARM = "management.azure.com";
const hitPattern = (s: SandboxState, n: number, random: () => number = () => 0, path = "/subscriptions") =>
  Array.from({ length: n }, () => requestFault(s, random, "GET", ARM, path, () => {}) ? 1 : 0).join("");

describe("requestFault", () => {
  it("hits only the n-th matching request", () => {
    const s = stateWith([{ match: { method: "GET", host: ARM }, status: 503, nth: 3 }]);
    expect(hitPattern(s, 5)).toBe("00100");
    expect(s.faultMatches).toEqual([5]);
    expect(s.faultHits).toEqual([1]);
  });

  it("hits at most `count` times", () => {
    const s = stateWith([{ match: {}, status: 500, count: 2 }]);
    expect(hitPattern(s, 4)).toBe("1100");
  });

  it("matches method, host and pathRegex, and ignores other requests", () => {
    const s = stateWith([{ match: { method: "PUT", host: ARM, pathRegex: "/workspaces/[^/]+$" }, status: 409 }]);
    expect(requestFault(s, () => 0, "GET", ARM, "/x/workspaces/ws1", () => {})).toBeUndefined();
    expect(requestFault(s, () => 0, "PUT", "graph.microsoft.com", "/x/workspaces/ws1", () => {})).toBeUndefined();
    expect(requestFault(s, () => 0, "PUT", ARM, "/x/workspaces/ws1/fhirservices/f", () => {})).toBeUndefined();
    expect(requestFault(s, () => 0, "put", ARM, "/x/workspaces/ws1", () => {})).toMatchObject({ drop: false, response: { status: 409 } });
  });

  it("answers in the host's dialect, with Retry-After on 429 and 503", () => {
    const s = stateWith([{ match: {}, status: 429 }]);
    const arm = requestFault(s, () => 0, "GET", ARM, "/", () => {});
    expect(arm).toMatchObject({ drop: false, response: { status: 429, headers: { "retry-after": "1" }, body: { error: { code: "TooManyRequests" } } } });
    const login = requestFault(s, () => 0, "POST", "login.microsoftonline.com", "/t/oauth2/v2.0/token", () => {});
    expect(login).toMatchObject({ drop: false, response: { body: { error: "invalid_request" } } });
    const s500 = stateWith([{ match: {}, status: 500 }]);
    const kv = requestFault(s500, () => 0, "GET", "kv.vault.azure.net", "/keys/k/", () => {});
    expect(kv).toMatchObject({ drop: false, response: { status: 500, body: { error: { code: "InternalServerError" } } } });
    expect((kv as { response: { headers: Record<string, string> } }).response.headers["retry-after"]).toBeUndefined();
  });

  it("drops the connection when the rule says so", () => {
    const s = stateWith([{ match: {}, drop: true, count: 1 }]);
    expect(requestFault(s, () => 0, "GET", ARM, "/", () => {})).toEqual({ drop: true, rule: 0 });
    expect(requestFault(s, () => 0, "GET", ARM, "/", () => {})).toBeUndefined();
  });

  it("hits at `rate` with a seeded random source: the same seed gives the same hits", () => {
    const rule: FaultRule = { match: {}, status: 503, rate: 0.3 };
    const a = hitPattern(stateWith([rule]), 200, seededRandom(42));
    const b = hitPattern(stateWith([rule]), 200, seededRandom(42));
    const c = hitPattern(stateWith([rule]), 200, seededRandom(7));
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    const hits = [...a].filter((x) => x === "1").length;
    expect(hits).toBeGreaterThan(30);
    expect(hits).toBeLessThan(90);
  });

  it("lets the first hitting rule decide while every matching rule counts the request", () => {
    const s = stateWith([{ match: {}, status: 500, nth: 2 }, { match: {}, status: 503 }]);
    const first = requestFault(s, () => 0, "GET", ARM, "/", () => {});
    const second = requestFault(s, () => 0, "GET", ARM, "/", () => {});
    expect(first).toMatchObject({ response: { status: 503 } });
    expect(second).toMatchObject({ response: { status: 500 } });
    expect(s.faultMatches).toEqual([2, 2]);
  });

  it("leaves provisioningState rules to the LRO code", () => {
    const s = stateWith([{ match: { pathRegex: "fhirservices" }, provisioningState: "Suspended", count: 1 }]);
    expect(requestFault(s, () => 0, "PUT", ARM, "/a/fhirservices/f", () => {})).toBeUndefined();
    expect(stuckState(s, () => 0, "PUT", ARM, "/a/fhirservices/f", () => {})).toBe("Suspended");
    expect(stuckState(s, () => 0, "PUT", ARM, "/a/fhirservices/f", () => {})).toBeUndefined();
    expect(stuckState(s, () => 0, "PUT", ARM, "/a/workspaces/w", () => {})).toBeUndefined();
  });
});
