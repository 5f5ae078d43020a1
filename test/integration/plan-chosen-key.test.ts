// `plan --key ACCOUNT_ID=KEY_URL`: the chosen key is read with discovery's own reads — here from a vault in a
// subscription that discovery of `--account` did not list — judged by the same rules, and the plan pins its
// current version (or the version the URL names), grants the identity on THAT vault's key, and fingerprints
// that key and vault. The account's own (unsupported) key leaves the plan.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keyRef, scopeKey, vaultKey } from "../../src/domain/snapshot.js";
import type { Plan } from "../../src/domain/plan.js";
import type { Sandbox } from "../../src/sandbox/server.js";
import { keyUri, VAULT_NAME } from "../fixtures/estate-builders.js";
import { startTestSandbox } from "../helpers/sandbox.js";
import { CHOSEN_KEY, CHOSEN_VAULT, CHOSEN_VAULT_ID, id, planEstate, planWith } from "./plan-estate.js";

const estate = planEstate();
const versions = estate.keys.find((k) => k.vaultName === CHOSEN_VAULT && k.name === CHOSEN_KEY)!.versions;
const [older, current] = [versions[0]!.version, versions[1]!.version];
const chosenUrl = keyUri(CHOSEN_VAULT, CHOSEN_KEY);
const weak = id("fhir-weak-key");
let sandbox: Sandbox;

beforeAll(async () => { sandbox = await startTestSandbox(estate); });
afterAll(async () => { await sandbox.close(); });

const onlyAccount = (plan: Plan) => {
  expect(plan.accounts).toHaveLength(1);
  return plan.accounts[0]!;
};

describe("plan --key", () => {
  it("without it, the account with an RSA 4096 key is not planned and the reason names --key", async () => {
    const { plan } = await planWith(estate, { account: [weak] });
    const a = onlyAccount(plan);
    expect(a.status).toBe("not-planned");
    expect(a.notPlanned.map((r) => r.code)).toEqual(["key-type-unsupported"]);
    expect(a.notPlanned[0]!.resolve).toContain("--key");
  });

  it("a versionless key in another vault: planned with that key's current version, granted on that vault's key", async () => {
    const { plan, snapshot, assessments } = await planWith(estate, { account: [weak], key: [`${weak}=${chosenUrl}`] });
    // Read like discovery reads: the vault (found in the other subscription), the key, the caller's rights there.
    expect(snapshot.vaults[vaultKey(CHOSEN_VAULT)]?.id).toBe(CHOSEN_VAULT_ID);
    expect(snapshot.keys[keyRef(CHOSEN_VAULT, CHOSEN_KEY, null)]?.version).toBe(current);
    expect(snapshot.permissions[scopeKey(`${CHOSEN_VAULT_ID}/keys/${CHOSEN_KEY}`)]).not.toBeNull();
    // Judged by the same rules, on the chosen key; the assessment keeps the account as it is in Azure.
    const assessed = assessments.find((x) => x.account.id === weak)!;
    expect(assessed.verdict).toBe("ready");
    expect(assessed.cmk?.vaultName).toBe(CHOSEN_VAULT);
    expect(assessed.account.properties.cosmosDbConfiguration?.keyVaultKeyUri).toBe(keyUri(VAULT_NAME, "cmk-4096"));

    const a = onlyAccount(plan);
    expect(a.status).toBe("planned");
    expect(plan.choices.keys).toEqual({ [weak]: chosenUrl });
    expect(a.keyLinkage).toMatchObject({
      sourceKeyUri: keyUri(VAULT_NAME, "cmk-4096"), targetKeyUrl: `${chosenUrl}/${current}`, chosenKey: true,
      vaultId: CHOSEN_VAULT_ID, permissionModel: "rbac",
    });
    expect(a.keyLinkage?.role?.scope).toBe(`${CHOSEN_VAULT_ID}/keys/${CHOSEN_KEY}`);
    const grant = plan.steps.find((s) => s.kind === "grant-key-role")!;
    expect(grant.request.url.toLowerCase()).toContain(`${CHOSEN_VAULT_ID}/keys/${CHOSEN_KEY}/providers/Microsoft.Authorization/roleAssignments/`.toLowerCase());
    const create = plan.steps.find((s) => s.kind === "create-fhir-service")!;
    expect(JSON.stringify(create.request.body)).toContain(`${chosenUrl}/${current}`);
    expect(JSON.stringify(plan)).not.toContain("cmk-4096/"); // the unsupported key is never pinned
    // The plan relies on the chosen key and its vault: both fingerprinted.
    expect(plan.fingerprint.keys).toEqual([expect.objectContaining({ vaultName: CHOSEN_VAULT, keyName: CHOSEN_KEY, version: current, currentVersion: current })]);
    expect(plan.fingerprint.vaults.map((v) => v.id.toLowerCase())).toEqual([CHOSEN_VAULT_ID.toLowerCase()]);
  });

  it("a versioned key URL pins the version it names, not the current one", async () => {
    const { plan } = await planWith(estate, { account: [weak], key: [`${weak}=${chosenUrl}/${older}`] });
    const a = onlyAccount(plan);
    expect(a.status).toBe("planned");
    expect(a.keyLinkage?.targetKeyUrl).toBe(`${chosenUrl}/${older}`);
  });

  it("a chosen key that does not exist is judged like any missing key: not planned (key-not-found)", async () => {
    const { plan } = await planWith(estate, { account: [weak], key: [`${weak}=${keyUri(CHOSEN_VAULT, "no-such-key")}`] });
    const a = onlyAccount(plan);
    expect(a.status).toBe("not-planned");
    expect(a.notPlanned.map((r) => r.code)).toContain("key-not-found");
  });
});
