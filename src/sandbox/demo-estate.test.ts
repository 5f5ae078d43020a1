import { describe, expect, it } from "vitest";
import { demoEstate, demoEstateJson, demoGuid } from "./demo-estate.js";
import { parseEstate } from "./estate.js";
import type { ArmResource } from "./estate-types.js";

const services = (r: ArmResource[]): ArmResource[] => r.filter((x) => x.type === "Microsoft.HealthcareApis/services");

describe("demoEstate", () => {
  it("passes parseEstate without warnings", () => {
    const { estate, warnings } = parseEstate(JSON.parse(demoEstateJson()));
    expect(warnings).toEqual([]);
    expect(estate).toEqual(demoEstate());
  });

  it("is stable: the same JSON on every call", () => {
    expect(demoEstateJson()).toBe(demoEstateJson());
    expect(demoGuid("x")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("has about a dozen legacy accounts in three subscriptions of the caller's tenant", () => {
    const e = demoEstate();
    const accounts = services(e.resources);
    expect(accounts.length).toBeGreaterThanOrEqual(12);
    const subs = new Set(accounts.map((a) => a.id.split("/")[2]));
    expect(subs.size).toBe(3);
    for (const s of subs) expect(e.subscriptions.find((x) => x.subscriptionId === s)?.tenantId).toBe(e.caller.tenantId);
  });

  it("shares one RBAC vault with purge protection among several ready accounts", () => {
    const e = demoEstate();
    const byVault = new Map<string, number>();
    for (const a of services(e.resources)) {
      const uri = (a.properties!.cosmosDbConfiguration as { keyVaultKeyUri?: string }).keyVaultKeyUri;
      if (uri) byVault.set(uri, (byVault.get(uri) ?? 0) + 1);
    }
    const [sharedUri, count] = [...byVault].sort((a, b) => b[1] - a[1])[0]!;
    expect(count).toBeGreaterThanOrEqual(3);
    expect(sharedUri).toMatch(/^https:\/\/[a-z0-9-]+\.vault\.azure\.net\/keys\/[a-z0-9-]+$/);
    const vault = e.resources.find((r) => r.type === "Microsoft.KeyVault/vaults" && sharedUri.startsWith(r.properties!.vaultUri as string))!;
    expect(vault.properties).toMatchObject({ enableRbacAuthorization: true, enablePurgeProtection: true, enableSoftDelete: true });
  });

  it("covers the blocked cases: Suspended, another tenant's vault, a missing key", () => {
    const e = demoEstate();
    const accounts = services(e.resources);
    expect(accounts.some((a) => a.properties!.provisioningState === "Suspended")).toBe(true);
    const foreignVault = e.resources.find((r) => r.type === "Microsoft.KeyVault/vaults" && r.properties!.tenantId !== e.caller.tenantId);
    expect(foreignVault).toBeDefined();
    const keyUris = accounts.map((a) => (a.properties!.cosmosDbConfiguration as { keyVaultKeyUri?: string }).keyVaultKeyUri).filter(Boolean);
    expect(keyUris.some((u) => u!.startsWith(foreignVault!.properties!.vaultUri as string))).toBe(true);
    const missing = keyUris.filter((u) => {
      const [, host, , name] = /^https:\/\/([^.]+)[^/]*\/(keys)\/([^/]+)/.exec(u!)!;
      return !e.keys.some((k) => k.vaultName === host && k.name === name);
    });
    expect(missing).toHaveLength(1);
  });

  it("never writes a real-looking secret", () => {
    expect(demoEstate().caller.clientSecret).toMatch(/not-real/);
  });
});
