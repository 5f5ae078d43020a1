import { describe, expect, it } from "vitest";
import { applyProfile, sandboxEnv, validateProfile } from "./profile.js";

const GOOD = {
  formatVersion: 1, cloud: "AzureUSGovernment", proxyUrl: "http://127.0.0.1:8443", caCertPath: "ca/ca-cert.pem",
  adminUrl: "http://127.0.0.1:8443", tenantId: "t-1", clientId: "c-1", clientSecret: "s3cr3t",
};

describe("validateProfile", () => {
  it("accepts a profile and resolves the CA path against the profile's folder", () => {
    expect(validateProfile(GOOD, "p.json", "/work/x")).toEqual({ ...GOOD, caCertPath: "/work/x/ca/ca-cert.pem" });
  });

  it("defaults the cloud to AzureCloud", () => {
    const { cloud: _cloud, ...rest } = GOOD;
    expect(validateProfile(rest, "p.json", "/").cloud).toBe("AzureCloud");
  });

  const invalid: [string, unknown, string][] = [
    ["not an object", [1], "$ is not a JSON object"],
    ["unknown format", { ...GOOD, formatVersion: 2 }, "$.formatVersion must be 1"],
    ["unknown cloud", { ...GOOD, cloud: "AzureChinaCloud" }, "$.cloud must be AzureCloud or AzureUSGovernment"],
    ["missing secret", { ...GOOD, clientSecret: undefined }, "$.clientSecret must be a non-empty string"],
    ["blank tenant", { ...GOOD, tenantId: " " }, "$.tenantId must be a non-empty string"],
    ["proxy with a path", { ...GOOD, proxyUrl: "http://127.0.0.1:1/x" }, "$.proxyUrl must be an http(s) origin"],
    ["bad admin URL", { ...GOOD, adminUrl: 5 }, "$.adminUrl must be an http(s) URL"],
  ];
  for (const [label, json, message] of invalid) {
    it(`refuses ${label} as a usage error naming the field`, () => {
      let caught: unknown;
      try { validateProfile(json, "p.json", "/"); } catch (e) { caught = e; }
      expect(caught).toMatchObject({ name: "UsageError" });
      expect((caught as Error).message).toContain(`Invalid connection profile p.json: ${message}`);
      expect((caught as Error).message).not.toContain("s3cr3t");
    });
  }
});

describe("sandboxEnv (SDK-RECIPE §2)", () => {
  const base = { PATH: "/bin", NO_PROXY: "*", no_proxy: "localhost", https_proxy: "http://corp:3128", AZURE_AUTHORITY_HOST: "x",
    AZURE_CLIENT_CERTIFICATE_PATH: "x", AZURE_USERNAME: "u", AZURE_PASSWORD: "p", AZURE_FEDERATED_TOKEN_FILE: "f", AZURE_CLIENT_SECRET: "old" };
  const env = sandboxEnv(validateProfile(GOOD, "p.json", "/w"), base);

  it("sets the proxy, CA and EnvironmentCredential variables", () => {
    expect(env).toMatchObject({ PATH: "/bin", HTTPS_PROXY: "http://127.0.0.1:8443", NODE_EXTRA_CA_CERTS: "/w/ca/ca-cert.pem",
      AZURE_TENANT_ID: "t-1", AZURE_CLIENT_ID: "c-1", AZURE_CLIENT_SECRET: "s3cr3t", AZURE_TOKEN_CREDENTIALS: "EnvironmentCredential" });
  });

  it("removes what would bypass the proxy or pick another credential", () => {
    for (const k of ["NO_PROXY", "no_proxy", "https_proxy", "AZURE_AUTHORITY_HOST", "AZURE_CLIENT_CERTIFICATE_PATH", "AZURE_USERNAME",
      "AZURE_PASSWORD", "AZURE_FEDERATED_TOKEN_FILE"]) expect(k in env).toBe(false);
  });

  it("does not change the environment it was given", () => expect(base.NO_PROXY).toBe("*"));
});

describe("applyProfile (in-process, no child)", () => {
  const p = validateProfile(GOOD, "p.json", "/w");

  it("sets the proxy and credential variables in the given environment, the CA as AHDS_MIGRATE_CA_CERTS", () => {
    const env: NodeJS.ProcessEnv = { PATH: "/bin", NO_PROXY: "*", AZURE_USERNAME: "u" };
    applyProfile(p, env);
    expect(env).toEqual({ PATH: "/bin", HTTPS_PROXY: "http://127.0.0.1:8443", AZURE_TENANT_ID: "t-1", AZURE_CLIENT_ID: "c-1",
      AZURE_CLIENT_SECRET: "s3cr3t", AZURE_TOKEN_CREDENTIALS: "EnvironmentCredential", AHDS_MIGRATE_CA_CERTS: "/w/ca/ca-cert.pem" });
  });

  it("keeps the user's own NODE_EXTRA_CA_CERTS (node read it at start) instead of the profile's", () => {
    const env: NodeJS.ProcessEnv = { NODE_EXTRA_CA_CERTS: "/corp/ca.pem" };
    applyProfile(p, env);
    expect(env.NODE_EXTRA_CA_CERTS).toBe("/corp/ca.pem");
    expect(env.AHDS_MIGRATE_CA_CERTS).toBe("/w/ca/ca-cert.pem");
  });
});
