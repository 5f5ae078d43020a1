// classify(): which SDK errors become which ReadFailure (FINDINGS.md "Definitions"). The shapes are those the
// pinned SDKs throw (RestError: name, statusCode, code, message; identity's AuthenticationError).
import { describe, expect, it } from "vitest";
import { classify } from "./read-failure.js";

const rest = (statusCode: number, code: string, message: string) => Object.assign(new Error(message), { name: "RestError", statusCode, code });

describe("classify", () => {
  it.each([
    [rest(403, "Forbidden", "Operation get is not allowed on a disabled key."), "disabled"],
    [rest(403, "Forbidden", "Client address is not authorized and caller is not a trusted service.\r\nClient address: 203.0.113.9"), "firewall"],
    [rest(403, "ForbiddenByFirewall", "blocked"), "firewall"],
    [rest(403, "Forbidden", "Caller is not authorized to perform action on resource."), "forbidden"],
    [rest(403, "AuthorizationFailed", "The client does not have authorization"), "forbidden"],
    [rest(404, "KeyNotFound", "A key with (name/id) x was not found in this key vault."), "not-found"],
    [rest(502, "ProxyHostNotFound", "The proxy does not serve kv-gone.vault.azure.net"), "not-found"],
    [Object.assign(new Error("getaddrinfo ENOTFOUND kv-gone.vault.azure.net"), { name: "RestError", code: "ENOTFOUND" }), "not-found"],
    [rest(502, "BadGateway", "upstream failed"), "error"],
    [rest(500, "InternalServerError", "boom"), "error"],
  ])("%s → %s", (err, failure) => {
    expect(classify(err).failure).toBe(failure);
  });

  it("reads the challenge's tenant out of the credential's refusal", () => {
    const err = Object.assign(new Error("EnvironmentCredential authentication failed. CredentialUnavailableError: The current credential is not configured to acquire tokens for tenant 22222222-2222-4222-8222-222222222222. To enable acquiring tokens for this tenant add it to the additionallyAllowedTenants"), { name: "AuthenticationError" });
    expect(classify(err)).toMatchObject({ failure: "cross-tenant", tenantId: "22222222-2222-4222-8222-222222222222" });
  });

  it("rethrows cancellation", () => {
    const abort = Object.assign(new Error("The operation was aborted."), { name: "AbortError" });
    expect(() => classify(abort)).toThrow("aborted");
  });
});
