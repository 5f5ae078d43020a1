import { describe, expect, it } from "vitest";
import { ACCEPTABLE_CODES } from "../domain/findings.js";
import {
  checkKeyUrl, checkResourceGroupName, parsePlanChoices, replanCommand, resolveChoiceAccounts,
  subscriptionsOfChoices, type RawPlanChoices,
} from "./plan-choices.js";

const SUB = "33333333-3333-4333-8333-333333333333";
const A = `/subscriptions/${SUB}/resourceGroups/rg-fhir/providers/Microsoft.HealthcareApis/services/fhir-a`;
const B = `/subscriptions/${SUB}/resourceGroups/rg-fhir/providers/Microsoft.HealthcareApis/services/fhir-b`;
const KEY = "https://kv-other.vault.azure.net/keys/cmk-2";

function refusal(raw: RawPlanChoices, cloud: "AzureCloud" | "AzureUSGovernment" = "AzureCloud"): { name: string; message: string; nextSteps: string[] } {
  try {
    parsePlanChoices(raw, cloud);
  } catch (e) {
    return e as { name: string; message: string; nextSteps: string[] };
  }
  throw new Error("expected a refusal");
}

describe("parsePlanChoices", () => {
  it("records every choice, account ids as given, codes sorted and de-duplicated", () => {
    const c = parsePlanChoices({
      account: [A, B, A.toUpperCase()], targetResourceGroup: "rg-ahds(new).1",
      key: [`${A}=${KEY}/0123456789abcdef0123456789ABCDEF`], kind: [`${B}=FHIR-r4`],
      accept: [`${A}=private-endpoints`, `${A}=custom-authority`, `${A.toLowerCase()}=private-endpoints`],
      name: [`${A}=fhirprod2`, `${B}=claims2/patients`, `${B.toLowerCase()}=claims2/patients`],
    }, "AzureCloud");
    expect(c).toEqual({
      accounts: [A, B], targetResourceGroup: "rg-ahds(new).1",
      keys: { [A]: `${KEY}/0123456789abcdef0123456789ABCDEF` }, kinds: { [B]: "fhir-R4" },
      accept: { [A]: ["custom-authority", "private-endpoints"] },
      names: { [A]: { workspace: "fhirprod2", fhirService: "fhir" }, [B]: { workspace: "claims2", fhirService: "patients" } },
    });
    expect(subscriptionsOfChoices(c)).toEqual([SUB]);
  });

  it("--subscription is recorded lower-cased, sorted and once, discovery reads exactly those, and the re-plan command repeats them", () => {
    const OTHER = "0AAAAAAA-0000-4000-8000-000000000000";
    const c = parsePlanChoices({ allReady: true, subscription: [SUB, OTHER, OTHER.toLowerCase()] }, "AzureCloud");
    expect(c.subscriptions).toEqual([OTHER.toLowerCase(), SUB]);
    expect(subscriptionsOfChoices(c)).toEqual([OTHER.toLowerCase(), SUB]);
    expect(replanCommand(c)).toBe(`ahds-migrate plan --all-ready --subscription ${OTHER.toLowerCase()} --subscription ${SUB}`);
    expect(resolveChoiceAccounts(c, []).subscriptions).toEqual(c.subscriptions);
    expect("subscriptions" in parsePlanChoices({ allReady: true }, "AzureCloud")).toBe(false);
  });

  it("--storage-account is recorded as given; not a storage account id, or another subscription than an account's, is a usage error", () => {
    const STORE = `/subscriptions/${SUB}/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/migstore`;
    expect(parsePlanChoices({ account: [A], storageAccount: STORE }, "AzureCloud").storageAccount).toBe(STORE);
    expect(refusal({ account: [A], storageAccount: "migstore" }).message).toMatch(/^--storage-account: 'migstore' is not a storage account id/);
    const elsewhere = STORE.replace(SUB, "0aaaaaaa-0000-4000-8000-000000000000");
    expect(refusal({ account: [A], storageAccount: elsewhere }).message).toBe(
      `--storage-account: ${elsewhere} is not in the subscription of ${A}; Azure API for FHIR exports only to a storage account of its own subscription.`);
    // --all-ready names no account to check it against at parse time.
    expect(parsePlanChoices({ allReady: true, storageAccount: elsewhere }, "AzureCloud").storageAccount).toBe(elsewhere);
    expect(replanCommand(parsePlanChoices({ allReady: true, storageAccount: STORE }, "AzureCloud"))).toBe(`ahds-migrate plan --all-ready --storage-account ${STORE}`);
  });

  it("--all-ready records 'all-ready' and lets choices name any account", () => {
    const c = parsePlanChoices({ allReady: true, kind: [`${A}=fhir-Stu3`] }, "AzureCloud");
    expect(c.accounts).toBe("all-ready");
    expect(c.kinds).toEqual({ [A]: "fhir-Stu3" });
    expect(subscriptionsOfChoices(c)).toBeUndefined();
  });

  const cases: [string, RawPlanChoices, RegExp][] = [
    ["--name with a hyphen", { account: [A], name: [`${A}=fhir-prod`] }, /^--name: 'fhir-prod' is not WORKSPACE\[\/FHIR\]: the workspace name must be 3–24/],
    ["--name with a short FHIR name", { account: [A], name: [`${A}=fhirprod/ab`] }, /^--name: 'fhirprod\/ab' is not WORKSPACE\[\/FHIR\]: the FHIR service name must be/],
    ["--name with three parts", { account: [A], name: [`${A}=a12/b12/c12`] }, /^--name: 'a12\/b12\/c12' is not WORKSPACE\[\/FHIR\]/],
    ["--name twice, different", { account: [A], name: [`${A}=one1`, `${A}=two2`] }, /^--name: .* is given two names \(one1\/fhir and two2\/fhir\)\.$/],
    ["--name: one workspace for two accounts", { account: [A, B], name: [`${A}=same1`, `${B}=same1/other`] }, /^--name: .* are both given workspace same1; workspace names are unique across subscriptions\.$/],
    ["--name for an account not selected", { account: [A], name: [`${B}=other1`] }, /^--name: .* is not one of the --account accounts\.$/],
    ["neither --account nor --all-ready", {}, /^Say which accounts to plan: --account ID \(repeatable\) or --all-ready\.$/],
    ["both", { account: [A], allReady: true }, /^--account and --all-ready exclude each other\.$/],
    ["a storage account id", { account: [A.replace("Microsoft.HealthcareApis/services", "Microsoft.Storage/storageAccounts")] }, /^--account: '.*' is not an Azure API for FHIR account id/],
    ["a subscription that is not a GUID", { account: [A.replace(SUB, "prod")] }, /^--account: '.*' is not an Azure API for FHIR account id/],
    ["an AHDS workspace id", { account: [`/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.HealthcareApis/workspaces/ws`] }, /not an Azure API for FHIR account id/],
    ["--key without '='", { allReady: true, key: [KEY] }, /^--key: expected ACCOUNT_ID=KEY_URL, got/],
    ["--key of the other cloud", { allReady: true, key: [`${A}=https://kv.vault.usgovcloudapi.net/keys/k`] }, /^--key: '.*' is not on this cloud's Key Vault \(AzureCloud: \*\.vault\.azure\.net\)\.$/],
    ["--key that is a secret", { allReady: true, key: [`${A}=https://kv-a.vault.azure.net/secrets/k`] }, /is not a Key Vault key URL/],
    ["--key over http", { allReady: true, key: [`${A}=http://kv-a.vault.azure.net/keys/k`] }, /is not a Key Vault key URL/],
    ["--key with a bad version", { allReady: true, key: [`${A}=${KEY}/v2`] }, /invalid key version 'v2'/],
    ["--key with a query", { allReady: true, key: [`${A}=${KEY}?api-version=7.4`] }, /has a query/],
    ["two keys for one account", { allReady: true, key: [`${A}=${KEY}`, `${A}=${KEY}-x`] }, /is given two keys/],
    ["--kind fhir", { allReady: true, kind: [`${A}=fhir`] }, /^--kind: 'fhir' is not a FHIR version; use fhir-R4 or fhir-Stu3\.$/],
    ["--kind for an account not selected", { account: [A], kind: [`${B}=fhir-R4`] }, /^--kind: .*fhir-b is not one of the --account accounts\.$/],
    ["--accept of a key finding", { allReady: true, accept: [`${A}=key-disabled`] }, /^--accept: key-disabled \(action\) cannot be accepted; acceptable codes: custom-authority, /],
    ["--accept of kind-unversioned", { allReady: true, accept: [`${A}=kind-unversioned`] }, /^--accept: kind-unversioned \(action\) cannot be accepted/],
    ["--accept of an unknown code", { allReady: true, accept: [`${A}=everything`] }, /^--accept: 'everything' is not a finding code; acceptable codes: /],
    ["a bad resource group", { allReady: true, targetResourceGroup: "rg/x" }, /^--target-resource-group: 'rg\/x' is not a valid resource group name\.$/],
  ];
  for (const [name, raw, message] of cases) {
    it(`refuses ${name} as a usage error with a next step`, () => {
      const e = refusal(raw);
      expect(e.name).toBe("UsageError");
      expect(e.message).toMatch(message);
      expect(e.message).not.toContain("\n");
      expect(e.nextSteps.length).toBeGreaterThan(0);
    });
  }

  it("names every acceptable code when refusing one, and points kind-unversioned at --kind", () => {
    const e = refusal({ allReady: true, accept: [`${A}=kind-unversioned`] });
    for (const code of ACCEPTABLE_CODES) expect(e.message).toContain(code);
    expect(e.nextSteps[0]).toContain("--kind");
  });

  it("takes US Government key URLs in AzureUSGovernment only", () => {
    const gov = "https://kv-gov.vault.usgovcloudapi.net/keys/cmk";
    expect(parsePlanChoices({ allReady: true, key: [`${A}=${gov}`] }, "AzureUSGovernment").keys[A]).toBe(gov);
    expect(refusal({ allReady: true, key: [`${A}=${KEY}`] }, "AzureUSGovernment").message).toContain("AzureUSGovernment");
  });
});

describe("small checks", () => {
  it("checkKeyUrl normalises the host's case and keeps the version", () => {
    expect(checkKeyUrl("https://KV-Other.vault.azure.net/keys/cmk-2/0123456789abcdef0123456789abcdef", "AzureCloud"))
      .toBe("https://kv-other.vault.azure.net/keys/cmk-2/0123456789abcdef0123456789abcdef");
    expect(() => checkKeyUrl("https://kv-other.vault.azure.net.evil.example/keys/k", "AzureCloud")).toThrow(/not on this cloud/);
    expect(() => checkKeyUrl("https://a.b.vault.azure.net/keys/k", "AzureCloud")).toThrow(/not on this cloud/);
  });

  it("checkResourceGroupName follows ARM's rules", () => {
    for (const ok of ["rg", "RG_1", "rg-ahds.new", "(rg)", "rg-ünïcode", "a".repeat(90)]) expect(checkResourceGroupName(ok)).toBe(ok);
    for (const bad of ["", "rg.", "rg x", "rg/x", "a".repeat(91), "rg#"]) expect(() => checkResourceGroupName(bad)).toThrow(/not a valid resource group name/);
  });
});

describe("resolveChoiceAccounts", () => {
  it("replaces the user's spelling with ARM's everywhere", () => {
    const c = parsePlanChoices({ account: [A.toLowerCase()], kind: [`${A.toUpperCase()}=fhir-R4`] }, "AzureCloud");
    const r = resolveChoiceAccounts(c, [A, B]);
    expect(r.accounts).toEqual([A]);
    expect(r.kinds).toEqual({ [A]: "fhir-R4" });
  });

  it("refuses an id discovery did not find, naming it and pointing at inventory", () => {
    const missing = A.replace("fhir-a", "fhir-gone");
    const c = parsePlanChoices({ account: [missing] }, "AzureCloud");
    expect(() => resolveChoiceAccounts(c, [A])).toThrow(`--account: no Azure API for FHIR account ${missing} is visible to the signed-in caller.`);
    try { resolveChoiceAccounts(c, [A]); } catch (e) {
      expect((e as { name: string }).name).toBe("UsageError");
      expect((e as { nextSteps: string[] }).nextSteps[0]).toContain("ahds-migrate inventory");
    }
  });
});

describe("replanCommand", () => {
  it("gives the command line that records the same choices, quoted for a shell", () => {
    const raw: RawPlanChoices = { account: [A], targetResourceGroup: "rg(new)", key: [`${A}=${KEY}`], kind: [`${A}=fhir-R4`], accept: [`${A}=custom-authority`] };
    const choices = parsePlanChoices(raw, "AzureCloud");
    expect(replanCommand(choices, "plans/x.plan.json")).toBe(
      `ahds-migrate plan --account ${A} --target-resource-group 'rg(new)' --key ${A}=${KEY} --kind ${A}=fhir-R4 `
      + `--accept ${A}=custom-authority --out plans/x.plan.json`);
    expect(replanCommand(parsePlanChoices({ allReady: true }, "AzureCloud"))).toBe("ahds-migrate plan --all-ready");
  });
});
