// Staleness against the sandbox (issue 4, item 5): a plan built by discover → assess → buildPlan on a small
// estate, then the world changes through the sandbox (rotateKey, patchResource, key attributes) or through
// the plan's own kind of effects (an access policy, the target workspace and FHIR service, a role on the
// key), and readFingerprint + staleFacts — real SDK clients through the proxy — name exactly what changed,
// or nothing.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/server.js";
import type { Estate } from "../../src/sandbox/estate-types.js";
import { createAzureSession, type AzureSession } from "../../src/azure/azure-session.js";
import { discover } from "../../src/inventory/discover.js";
import { assess } from "../../src/assess/assess.js";
import { buildPlan } from "../../src/planner/build-plan.js";
import { readFingerprint } from "../../src/inventory/read-fingerprint.js";
import { staleFacts } from "../../src/planner/stale.js";
import { parsePlan } from "../../src/planner/load-plan.js";
import type { Plan } from "../../src/domain/plan.js";
import { startTestSandbox } from "../helpers/sandbox.js";
import { FAST_RETRY } from "../fixtures/inventory-estates.js";
import {
  accountId, addAccount, addKey, addRoleAssignment, addVault, baseEstate, CALLER_OBJECT_ID, KEY_NAME, keyUri, LOCATION, RESOURCE_GROUP,
  ROLE_IDS, SUBSCRIPTION_ID, TENANT_ID, VAULT_NAME, vaultId,
} from "../fixtures/estate-builders.js";

const NOW = new Date("2026-03-01T09:00:00.000Z");
const POLICY_VAULT = "kv-policies";
const short = (v: string) => `${v.slice(0, 8)}…`;

/** fhir-a: RBAC vault, versionless key; fhir-v: a version its URI names; fhir-p: access-policy vault. */
function estate(): { estate: Estate; pinnedVersion: string } {
  const e = baseEstate();
  const [pinned] = addKey(e, { name: "cmk-pinned" });
  addVault(e, { name: POLICY_VAULT, rbac: false,
    accessPolicies: [{ tenantId: TENANT_ID, objectId: CALLER_OBJECT_ID, permissions: { keys: ["get", "list"] } }] });
  addKey(e, { vault: POLICY_VAULT, name: "cmk-ap" });
  // Lets the caller still read cmk-ap once the vault is switched to Azure RBAC (the permission-model test).
  addRoleAssignment(e, { scope: vaultId(POLICY_VAULT), role: ROLE_IDS.keyVaultCryptoOfficer, principalId: CALLER_OBJECT_ID });
  addAccount(e, { name: "fhir-a" });
  addAccount(e, { name: "fhir-v", keyUri: keyUri(VAULT_NAME, "cmk-pinned", pinned!.version) });
  addAccount(e, { name: "fhir-p", keyUri: keyUri(POLICY_VAULT, "cmk-ap") });
  return { estate: e, pinnedVersion: pinned!.version };
}

let sandbox: Sandbox;
let session: AzureSession;
let plan: Plan;

beforeEach(async () => {
  sandbox = await startTestSandbox(estate().estate, { now: () => NOW.getTime() });
  session = createAzureSession("AzureCloud", FAST_RETRY);
  const snapshot = await discover(session, { now: () => NOW });
  const built = buildPlan(snapshot, assess(snapshot, { now: NOW }),
    { accounts: "all-ready", targetResourceGroup: null, keys: {}, kinds: {}, accept: {} }, { now: NOW, toolVersion: "0.0.0-test" });
  // Through the file format, as apply would load it.
  plan = parsePlan(JSON.stringify(built), "t.plan.json");
});
afterEach(async () => { await sandbox?.close(); });

/** What changed since planning, read now (a fresh session: no cached client state). */
async function stale(): Promise<string[]> {
  return staleFacts(plan.fingerprint, await readFingerprint(createAzureSession("AzureCloud", FAST_RETRY), plan));
}

const currentVersionOf = (vault: string, key: string): string =>
  [...sandbox.state.getKey(vault, key)!.versions].sort((a, b) => a.created - b.created).at(-1)!.version;

describe("a plan against the world it was planned on", () => {
  it("plans all three accounts and fingerprints their accounts, keys and vaults", () => {
    expect(plan.accounts.map((a) => [a.name, a.status])).toEqual([["fhir-a", "planned"], ["fhir-p", "planned"], ["fhir-v", "planned"]]);
    expect(plan.fingerprint.accounts).toHaveLength(3);
    expect(plan.fingerprint.keys.map((k) => k.keyName).sort()).toEqual(["cmk", "cmk-ap", "cmk-pinned"]);
    expect(plan.fingerprint.vaults).toHaveLength(2);
  });

  it("reads back the identical fingerprint: nothing is stale", async () => {
    const current = await readFingerprint(session, plan);
    expect({ accounts: current.accounts, keys: current.keys, vaults: current.vaults }).toEqual(plan.fingerprint);
    expect(current.unreadable).toEqual([]);
    expect(await stale()).toEqual([]);
  });
});

describe("stale: a fingerprinted fact changed", () => {
  it("names a key whose current version changed (rotated)", async () => {
    const planned = currentVersionOf(VAULT_NAME, KEY_NAME);
    const rotated = sandbox.rotateKey(VAULT_NAME, KEY_NAME);
    expect(await stale()).toEqual([`key cmk in kv-fixture has a new current version ${short(rotated.version)} (planned ${short(planned)})`]);
  });

  it("does not count a rotation of a key whose version the source URI names", async () => {
    sandbox.rotateKey(VAULT_NAME, "cmk-pinned");
    expect(await stale()).toEqual([]);
  });

  it("names the pinned version when its attributes change (disabled, expiry set)", async () => {
    const version = sandbox.state.getKey(POLICY_VAULT, "cmk-ap")!.versions[0]!;
    version.exp = Math.floor(Date.parse("2026-12-31T00:00:00Z") / 1000);
    expect(await stale()).toEqual([`key cmk-ap in kv-policies: version ${short(version.version)} changed since planning (now enabled, expires 2026-12-31T00:00:00.000Z, recovery level Recoverable)`]);
    version.enabled = false;
    expect(await stale()).toEqual([`key cmk-ap in kv-policies: version ${short(version.version)} changed since planning (now disabled, expires 2026-12-31T00:00:00.000Z)`]);
  });

  it("names a vault whose purge protection was turned off, and its keys, whose recovery level follows it", async () => {
    sandbox.patchResource(vaultId(), { properties: { enablePurgeProtection: null } });
    expect(await stale()).toEqual([
      "vault kv-fixture has purge protection off (planned on)",
      expect.stringMatching(/^key cmk-pinned in kv-fixture: version \w{8}… changed since planning \(now enabled, no expiry, recovery level Recoverable\+Purgeable\)$/),
      expect.stringMatching(/^key cmk in kv-fixture: version \w{8}… changed since planning \(now enabled, no expiry, recovery level Recoverable\+Purgeable\)$/),
    ]);
  });

  it("names a vault whose network ACLs changed", async () => {
    sandbox.patchResource(vaultId(), { properties: { networkAcls: { defaultAction: "Allow", bypass: "None", ipRules: [], virtualNetworkRules: [] } } });
    expect(await stale()).toEqual(["vault kv-fixture network ACLs changed since planning (now default action Allow, bypass None)"]);
  });

  it("names a vault whose permission model changed", async () => {
    sandbox.patchResource(vaultId(POLICY_VAULT), { properties: { enableRbacAuthorization: true } });
    expect(await stale()).toEqual(["vault kv-policies now uses Azure RBAC (planned access policies)"]);
  });

  it("names an account whose etag and properties changed", async () => {
    const planned = plan.fingerprint.accounts.find((a) => a.id === accountId("fhir-a"))!.etag;
    sandbox.patchResource(accountId("fhir-a"), { etag: "\"changed\"", properties: { corsConfiguration: { origins: ["https://app.contoso.example"] } } });
    expect(await stale()).toEqual([`account fhir-a changed since planning (etag "changed", planned ${planned}; its properties differ)`]);
  });

  it("names a fact that can no longer be read", async () => {
    sandbox.setFaults([{ match: { pathRegex: `/vaults/${POLICY_VAULT}$` }, status: 403 }]);
    const facts = await stale();
    expect(facts).toHaveLength(1);
    expect(facts[0]).toMatch(/^vault kv-policies can no longer be read: forbidden: /);
  });
});

describe("not stale: the plan's own effects", () => {
  it("ignores an access policy added to the vault, a role on the key (as grant-key-role makes), and the target workspace with FHIR services", async () => {
    const arm = session.arm(SUBSCRIPTION_ID);
    const identity = "66666666-6666-4666-8666-666666666666";
    await arm.keyVaultMgmt.vaults.updateAccessPolicy(RESOURCE_GROUP, POLICY_VAULT, "add", { properties: { accessPolicies: [
      { tenantId: TENANT_ID, objectId: identity, permissions: { keys: ["get", "wrapKey", "unwrapKey"] } }] } });
    await arm.authorization.roleAssignments.create(`${vaultId()}/keys/${KEY_NAME}`, "77777777-7777-4777-8777-777777777777", {
      roleDefinitionId: `/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Authorization/roleDefinitions/e147488a-f6f5-4113-8e2d-b22465e65bf6`,
      principalId: CALLER_OBJECT_ID, principalType: "ServicePrincipal" });
    const target = plan.accounts.find((a) => a.name === "fhir-a")!.target;
    await arm.healthcare.workspaces.beginCreateOrUpdateAndWait(RESOURCE_GROUP, target.workspaceName, { location: LOCATION }, { updateIntervalInMs: 1 });
    await arm.healthcare.fhirServices.beginCreateOrUpdateAndWait(RESOURCE_GROUP, target.workspaceName, "fhir",
      { location: LOCATION, kind: "fhir-R4", authenticationConfiguration: { authority: `https://login.microsoftonline.com/${TENANT_ID}`, audience: target.fhirUrl } },
      { updateIntervalInMs: 1 });
    await arm.healthcare.fhirServices.beginCreateOrUpdateAndWait(RESOURCE_GROUP, target.workspaceName, "fhir2",
      { location: LOCATION, kind: "fhir-R4", authenticationConfiguration: { authority: `https://login.microsoftonline.com/${TENANT_ID}`, audience: target.fhirUrl } },
      { updateIntervalInMs: 1 });
    expect(await stale()).toEqual([]);
  });
});
