// The benchmark's generated estate is a valid estate file with the counts it was asked for.
import { describe, expect, it } from "vitest";
import { parseEstate } from "../../src/sandbox/estate.js";
import { parseKeyUri } from "../../src/domain/snapshot.js";
import { BENCH_ESTATE, generatedEstate } from "../fixtures/generated-estate.js";

const small = { accounts: 37, subscriptions: 4, vaults: 6, keysPerVault: 2, versionsPerKey: 3, pinnedEvery: 4 };

function referenced(estate: ReturnType<typeof generatedEstate>) {
  const services = estate.resources.filter((r) => r.type === "Microsoft.HealthcareApis/services");
  const uris = services.map((r) => (r.properties!.cosmosDbConfiguration as { keyVaultKeyUri: string }).keyVaultKeyUri);
  const parsed = uris.map((u) => parseKeyUri(u)!);
  return {
    services,
    vaults: new Set(parsed.map((p) => p.vaultName)),
    keys: new Set(parsed.map((p) => `${p.vaultName}/${p.keyName}`)),
    pinned: parsed.filter((p) => p.version !== null).length,
  };
}

describe("generated benchmark estate", () => {
  it("passes parseEstate without warnings and has the requested counts", () => {
    const estate = generatedEstate(small);
    const { estate: parsed, warnings } = parseEstate(estate);
    expect(warnings).toEqual([]);
    expect(parsed.subscriptions).toHaveLength(4);
    expect(parsed.resources.filter((r) => r.type === "Microsoft.KeyVault/vaults")).toHaveLength(6);
    expect(parsed.keys).toHaveLength(12);
    expect(parsed.keys.every((k) => k.versions.length === 3 && k.versions.every((v) => v.kty === "RSA" && v.keySize === 3072))).toBe(true);
    expect(parsed.behaviour.latencyMs).toBe(20);
    expect(parsed.behaviour.throttle).toEqual({ reads: [250, 25], writes: [200, 10], deletes: [200, 10] });

    const ref = referenced(parsed);
    expect(ref.services).toHaveLength(37);
    expect(new Set(ref.services.map((r) => r.id.split("/")[2])).size).toBe(4);
    expect(ref.vaults.size).toBe(6);
    expect(ref.keys.size).toBe(12);
    // indices 3, 7, …, 35 pin a version; the rest are versionless.
    expect(ref.pinned).toBe(9);
  });

  it("every pinned version exists in its key", () => {
    const estate = generatedEstate(small);
    for (const r of referenced(estate).services) {
      const p = parseKeyUri((r.properties!.cosmosDbConfiguration as { keyVaultKeyUri: string }).keyVaultKeyUri)!;
      const key = estate.keys.find((k) => k.vaultName === p.vaultName && k.name === p.keyName);
      expect(key, r.name).toBeDefined();
      if (p.version) expect(key!.versions.map((v) => v.version)).toContain(p.version);
    }
  });

  it("is deterministic and defaults to the benchmark's figures", () => {
    expect(JSON.stringify(generatedEstate(small))).toBe(JSON.stringify(generatedEstate(small)));
    const full = generatedEstate();
    const ref = referenced(full);
    expect(ref.services).toHaveLength(BENCH_ESTATE.accounts);
    expect(full.subscriptions).toHaveLength(BENCH_ESTATE.subscriptions);
    expect(ref.vaults.size).toBe(BENCH_ESTATE.vaults);
    expect(() => parseEstate(full)).not.toThrow();
  });
});
