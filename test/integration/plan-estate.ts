// The estate the plan-*.test.ts files plan against, and the in-process run of what `ahds-migrate plan`
// runs (src/cli/plan-run.ts: discover → chosen keys → assess → buildPlan) on the product's Azure session,
// real SDK clients through the sandbox proxy. One account per situation a choice resolves:
//   fhir-ready, fhir-stu3          ready as they are (--all-ready plans exactly these two)
//   fhir-bare                      kind "fhir" → kind-unversioned, resolved by --kind
//   fhir-sso                       custom authority → custom-authority, resolved by --accept
//   fhir-weak-key                  RSA 4096 key → key-type-unsupported, resolved by --key (another vault,
//                                  in another subscription that discovery of --account does not list)
//   fhir-suspended                 source-not-succeeded (blocked: nothing resolves it at plan time)
import { createAzureSession } from "../../src/azure/azure-session.js";
import { FAST_RETRY } from "../fixtures/inventory-estates.js";
import { parsePlanChoices, type RawPlanChoices } from "../../src/cli/plan-choices.js";
import { planFromAzure, type PlanRun } from "../../src/cli/plan-run.js";
import type { Estate } from "../../src/sandbox/estate-types.js";
import {
  accountId, addAccount, addKey, addRoleAssignment, addSubscription, addVault, baseEstate, CALLER_OBJECT_ID,
  fixtureGuid, keyUri, ROLE_IDS, vaultId,
} from "../fixtures/estate-builders.js";

export const NOW = new Date("2026-03-01T09:00:00.000Z");
/** addSubscription(estate, "Fixture Keys") gives this id. */
export const KEYS_SUBSCRIPTION = fixtureGuid("sub:Fixture Keys");
export const CHOSEN_VAULT = "kv-chosen";
export const CHOSEN_KEY = "cmk-3072";
export const CHOSEN_VAULT_ID = vaultId(CHOSEN_VAULT, "rg-keys", KEYS_SUBSCRIPTION);

export const id = (name: string): string => accountId(name);

export function planEstate(): Estate {
  const estate = baseEstate();
  addKey(estate, { name: "cmk-4096", versions: [{ keySize: 4096 }] });
  addAccount(estate, { name: "fhir-ready" });
  addAccount(estate, { name: "fhir-stu3", kind: "fhir-Stu3" });
  addAccount(estate, { name: "fhir-bare", kind: "fhir" });
  addAccount(estate, { name: "fhir-sso", authority: "https://login.contoso-idp.example/oauth2" });
  addAccount(estate, { name: "fhir-weak-key", keyUri: keyUri(undefined, "cmk-4096") });
  addAccount(estate, { name: "fhir-suspended", provisioningState: "Suspended" });

  // The key the user chooses for fhir-weak-key: another subscription of the tenant, two versions.
  if (addSubscription(estate, "Fixture Keys") !== KEYS_SUBSCRIPTION) throw new Error("fixture subscription id changed");
  addRoleAssignment(estate, { scope: `/subscriptions/${KEYS_SUBSCRIPTION}`, role: ROLE_IDS.owner, principalId: CALLER_OBJECT_ID });
  addVault(estate, { name: CHOSEN_VAULT, group: "rg-keys", subscriptionId: KEYS_SUBSCRIPTION });
  addKey(estate, { vault: CHOSEN_VAULT, name: CHOSEN_KEY, versions: [{}, {}] });
  addRoleAssignment(estate, { scope: CHOSEN_VAULT_ID, role: ROLE_IDS.keyVaultCryptoOfficer, principalId: CALLER_OBJECT_ID });
  return estate;
}

/** `ahds-migrate plan` with these flags, in process (the sandbox env must be set: startTestSandbox). */
export async function planWith(estate: Estate, raw: RawPlanChoices): Promise<PlanRun> {
  const session = createAzureSession(estate.cloud, FAST_RETRY);
  const run = await planFromAzure(session, parsePlanChoices(raw, estate.cloud), { toolVersion: "0.0.0-test", now: () => NOW });
  // Through JSON, as the plan file holds it.
  return { ...run, plan: JSON.parse(JSON.stringify(run.plan)) as PlanRun["plan"] };
}
