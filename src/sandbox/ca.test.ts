import { mkdtempSync, rmSync, statSync } from "node:fs";
import { X509Certificate } from "node:crypto";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadOrCreateCa } from "./ca.js";

const root = mkdtempSync(path.join(tmpdir(), "ca-test-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("loadOrCreateCa", () => {
  it("creates a CA (0700 dir, 0600 keys) whose leaf covers every served name of both clouds", async () => {
    const dir = path.join(root, "a", "ca");
    const ca = await loadOrCreateCa(dir);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const f of ["ca-key.pem", "ca-cert.pem", "token-signing-key.pem"]) {
      expect(statSync(path.join(dir, f)).mode & 0o777).toBe(0o600);
    }
    const caCert = new X509Certificate(ca.caCertPem);
    expect(caCert.ca).toBe(true);
    expect(caCert.keyUsage ?? []).toBeDefined();
    const leaf = new X509Certificate(ca.leafCertPem);
    expect(leaf.checkIssued(caCert)).toBe(true);
    expect(leaf.verify(caCert.publicKey)).toBe(true);
    for (const host of ["login.microsoftonline.com", "management.azure.com", "graph.microsoft.com", "contoso-kv.vault.azure.net",
      "login.microsoftonline.us", "management.usgovcloudapi.net", "graph.microsoft.us", "gov-kv.vault.usgovcloudapi.net"]) {
      expect(leaf.checkHost(host), host).toBeDefined();
    }
    expect(leaf.checkHost("example.com")).toBeUndefined();
  });

  it("reuses an existing CA and token-signing key", async () => {
    const dir = path.join(root, "b");
    const first = await loadOrCreateCa(dir);
    const second = await loadOrCreateCa(dir);
    expect(second.caCertPem).toBe(first.caCertPem);
    expect(second.tokenSigningKeyPem).toBe(first.tokenSigningKeyPem);
    expect(new X509Certificate(second.leafCertPem).checkIssued(new X509Certificate(first.caCertPem))).toBe(true);
  });

  it("two loaders racing on an empty directory agree on one CA", async () => {
    const dir = path.join(root, "c");
    const [a, b] = await Promise.all([loadOrCreateCa(dir), loadOrCreateCa(dir)]);
    expect(a.caCertPem).toBe(b.caCertPem);
    expect(a.tokenSigningKeyPem).toBe(b.tokenSigningKeyPem);
    expect(new X509Certificate(b.leafCertPem).checkIssued(new X509Certificate(a.caCertPem))).toBe(true);
  });
});
