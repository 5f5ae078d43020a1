import { describe, expect, it } from "vitest";
import { retryAfterMsFrom, toDomainError } from "./errors.js";

function restError(statusCode: number | undefined, code: string | undefined, headers: Record<string, string> = {}) {
  return { name: "RestError", message: "The client does not have authorization.\nmore", statusCode, code,
    response: { headers: { get: (h: string) => headers[h] } } };
}

describe("toDomainError", () => {
  it("maps a RestError to AzureError with status, code, request id and retry facts", () => {
    const e = toDomainError(restError(429, "TooManyRequests", { "x-ms-request-id": "rid", "retry-after": "7" }), "the list");
    expect(e).toMatchObject({ name: "AzureError", status: 429, code: "TooManyRequests", requestId: "rid", retryable: true, retryAfterMs: 7000,
      message: "Azure refused the list (HTTP 429 TooManyRequests): The client does not have authorization." });
  });

  const retryable: [number | undefined, boolean][] = [[403, false], [404, false], [408, true], [500, true], [501, false], [503, true], [undefined, true]];
  for (const [status, expected] of retryable) {
    it(`status ${status} is ${expected ? "" : "not "}retryable`, () =>
      expect(toDomainError(restError(status, undefined), "x")).toMatchObject({ retryable: expected }));
  }

  it("maps credential failures to a UserError that says how to sign in", () => {
    const e = toDomainError({ name: "CredentialUnavailableError", message: "EnvironmentCredential is unavailable." }, "the sign-in");
    expect(e).toMatchObject({ name: "UserError", message: "Can't sign in to Azure (the sign-in): EnvironmentCredential is unavailable." });
    expect((e as { nextSteps: string[] }).nextSteps[0]).toContain("az login");
  });

  it("leaves other errors alone", () => {
    const err = new TypeError("x");
    expect(toDomainError(err, "x")).toBe(err);
  });
});

describe("retryAfterMsFrom", () => {
  const h = (headers: Record<string, string>) => (name: string) => headers[name];
  it("prefers retry-after-ms", () => expect(retryAfterMsFrom(h({ "retry-after-ms": "250", "retry-after": "9" }))).toBe(250));
  it("reads seconds", () => expect(retryAfterMsFrom(h({ "retry-after": "2" }))).toBe(2000));
  it("reads an HTTP date", () => expect(retryAfterMsFrom(h({ "retry-after": "Thu, 01 Jan 2026 00:00:10 GMT" }), Date.parse("2026-01-01T00:00:00Z"))).toBe(10_000));
  it("is undefined without a header", () => expect(retryAfterMsFrom(h({}))).toBeUndefined());
});
