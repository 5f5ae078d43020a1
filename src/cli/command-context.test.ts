import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { PROFILE_MARKER, readProfile, sandboxEnv } from "../azure/profile.js";
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
    expect(await prepareContext({ cloud: "AzureUSGovernment" })).toEqual({ kind: "run",
      ctx: { debug: false, cloud: "AzureUSGovernment", profile: undefined, profilePath: undefined } });
  });

  it("in the re-executed child, the profile's cloud wins over --cloud", async () => {
    const file = writeProfile("AzureUSGovernment");
    const profile = await readProfile(file);
    Object.assign(process.env, sandboxEnv(profile, {}), { [PROFILE_MARKER]: file });
    const prepared = await prepareContext({ cloud: "AzureCloud", profile: file, debug: true });
    expect(prepared).toMatchObject({ kind: "run", ctx: { debug: true, cloud: "AzureUSGovernment", profilePath: file } });
  });

  it("refuses a profile whose CA file is gone, before re-executing", async () => {
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
