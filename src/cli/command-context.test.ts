import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

import { prepareContext } from "./command-context.js";

function writeProfile(cloud: string, withCa = true): string {
  const dir = mkdtempSync(join(tmpdir(), "ahds-ctx-"));
  if (withCa) writeFileSync(join(dir, "ca.pem"), "not really a CA");
  const file = join(dir, "p.json");
  writeFileSync(file, JSON.stringify({ formatVersion: 1, cloud, proxyUrl: "http://127.0.0.1:9", caCertPath: "ca.pem",
    adminUrl: "http://127.0.0.1:9", tenantId: "t", clientId: "c", clientSecret: "s" }));
  return file;
}

const saved = { ...process.env };
afterEach(() => {
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  Object.assign(process.env, saved);
});

describe("prepareContext", () => {
  it("uses --cloud without a profile", async () => {
    expect(await prepareContext({ cloud: "AzureUSGovernment" })).toEqual(
      { debug: false, cloud: "AzureUSGovernment", profile: undefined, profilePath: undefined });
  });

  it("applies the profile to this process (no child): its cloud wins over --cloud, its CA goes to the transport", async () => {
    const file = writeProfile("AzureUSGovernment");
    const ctx = await prepareContext({ cloud: "AzureCloud", profile: file, debug: true });
    expect(ctx).toMatchObject({ debug: true, cloud: "AzureUSGovernment", profilePath: file });
    expect(process.env.HTTPS_PROXY).toBe("http://127.0.0.1:9");
    expect(process.env.AZURE_CLIENT_ID).toBe("c");
    expect(process.env.AHDS_MIGRATE_CA_CERTS).toBe(join(dirname(file), "ca.pem"));
  });

  it("--ca-certs names a CA file for this process; a missing one is a user error", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ahds-ctx-"));
    writeFileSync(join(dir, "corp.pem"), "x");
    await prepareContext({ caCerts: join(dir, "corp.pem") });
    expect(process.env.AHDS_MIGRATE_CA_CERTS).toBe(join(dir, "corp.pem"));
    await expect(prepareContext({ caCerts: join(dir, "none.pem") })).rejects.toMatchObject({ name: "UserError" });
  });

  it("refuses a profile whose CA file is gone, before anything is applied", async () => {
    const file = writeProfile("AzureCloud", false);
    await expect(prepareContext({ profile: file })).rejects.toMatchObject({ name: "UserError",
      message: expect.stringContaining("its CA file") });
  });

  it("refuses a profile that is not JSON as a usage error", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ahds-ctx-"));
    writeFileSync(join(dir, "p.json"), "{");
    await expect(prepareContext({ profile: join(dir, "p.json") })).rejects.toMatchObject({ name: "UsageError" });
  });
});
