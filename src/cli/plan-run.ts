// What `ahds-migrate plan` does between the flags and the files: discover (--subscription, else only the
// chosen accounts' subscriptions when accounts are named) → resolve the chosen ids against what was found → read any
// `--key` the user chose → assess (each account with a chosen key judged by the same rules, on a copy whose
// keyVaultKeyUri is that key) → buildPlan. The command and test/integration/plan-*.test.ts both run this.
import type { AzureSession } from "../azure/azure-session.js";
import { assess, type AccountAssessment } from "../assess/assess.js";
import { discover } from "../inventory/discover.js";
import { readChosenKeys } from "../inventory/read-chosen-keys.js";
import { buildPlan } from "../planner/build-plan.js";
import type { DiscoveryProgress } from "../inventory/progress.js";
import type { Plan, PlanChoices } from "../domain/plan.js";
import type { Snapshot } from "../domain/snapshot.js";
import { UsageError, UserError } from "../domain/errors.js";
import { parseAccountId, resolveChoiceAccounts, resolveStorageAccount, subscriptionsOfChoices } from "./plan-choices.js";

export interface PlanRunOptions {
  toolVersion: string;
  onProgress?: (p: DiscoveryProgress) => void;
  /** The plan's createdAt and the instant keys are judged at. */
  now?: () => Date;
  abortSignal?: AbortSignal;
}

export interface PlanRun {
  /** What discovery read, plus the chosen keys' facts. */
  snapshot: Snapshot;
  assessments: AccountAssessment[];
  /** The choices with ARM's spelling of each account id. */
  choices: PlanChoices;
  plan: Plan;
}

/** Discovery of the subscriptions the choices name (subscriptionsOfChoices), then planFromSnapshot. */
export async function planFromAzure(session: AzureSession, choices: PlanChoices, o: PlanRunOptions): Promise<PlanRun> {
  const subscriptionIds = subscriptionsOfChoices(choices);
  const discovered = await discover(session, {
    ...(subscriptionIds ? { subscriptionIds } : {}),
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    ...(o.abortSignal ? { abortSignal: o.abortSignal } : {}),
    now: o.now ?? (() => new Date()),
  });
  return planFromSnapshot(session, discovered, choices, o);
}

/**
 * Everything after discovery: resolve the chosen ids against what was found, read any `--key` the user
 * chose, assess, buildPlan. Re-deriving a plan (rederive-plan.ts) and its fuzz run this on one snapshot.
 */
export async function planFromSnapshot(session: AzureSession, discovered: Snapshot, choices: PlanChoices, o: PlanRunOptions): Promise<PlanRun> {
  refuseUnlisted(discovered, choices);
  const resolved = resolveStorageAccount(resolveChoiceAccounts(choices, discovered.accounts.map((a) => a.id)), discovered.storageAccounts);
  const snapshot = await readChosenKeys(session, discovered, Object.values(resolved.keys), o.abortSignal);
  const assessments = assessWithChosenKeys(snapshot, resolved.keys);
  const plan = buildPlan(snapshot, assessments, resolved, { now: (o.now ?? (() => new Date()))(), toolVersion: o.toolVersion });
  return { snapshot, assessments, choices: resolved, plan };
}

/**
 * The assessment of every account, an account with a chosen key judged as if its keyVaultKeyUri were that
 * key (same rules, same facts), while the assessment keeps the account as it is in Azure: the plan's key
 * linkage shows the source URI, and its fingerprint hashes the real account.
 */
export function assessWithChosenKeys(snapshot: Snapshot, keys: Record<string, string>): AccountAssessment[] {
  const chosen = new Map(Object.entries(keys).map(([id, url]) => [id.toLowerCase(), url]));
  const judged: Snapshot = {
    ...snapshot,
    accounts: snapshot.accounts.map((a) => {
      const url = chosen.get(a.id.toLowerCase());
      if (url === undefined) return a;
      const props = a.properties ?? {};
      return { ...a, properties: { ...props, cosmosDbConfiguration: { ...props.cosmosDbConfiguration, keyVaultKeyUri: url } } };
    }),
  };
  // assess() keeps the order of snapshot.accounts.
  return assess(judged).map((x, i) => ({ ...x, account: snapshot.accounts[i]! }));
}

/**
 * Nothing to plan from: sign-in worked but the subscriptions (or the ones holding the chosen accounts)
 * could not be listed. A user error (exit 1) naming the failure, not "no such account".
 */
function refuseUnlisted(snapshot: Snapshot, choices: PlanChoices): void {
  if (snapshot.subscriptions.length === 0 && snapshot.errors.length > 0) {
    throw new UserError(snapshot.errors[0]!.message, ["Check the signed-in principal's access ('ahds-migrate doctor'), then plan again."]);
  }
  const failed = (sub: string) => snapshot.subscriptions.find((s) => s.subscriptionId.toLowerCase() === sub.toLowerCase() && s.error !== null);
  if (choices.accounts === "all-ready") {
    const readable = snapshot.subscriptions.filter((s) => s.error === null);
    if (snapshot.subscriptions.length > 0 && readable.length === 0) {
      throw new UserError(`Can't list Azure API for FHIR accounts in any subscription: ${snapshot.subscriptions[0]!.error}`,
        ["Grant the signed-in principal Reader on the subscriptions to migrate (or check --subscription), then plan again."]);
    }
    return;
  }
  for (const id of choices.accounts) {
    const sub = failed(parseAccountId(id)!.subscriptionId);
    // discover() gives a subscription the signed-in tenant does not list an empty tenantId: to the user
    // that account does not exist (a typo, or no role at all), like any unknown id.
    if (sub && sub.tenantId === "") {
      throw new UsageError(`--account: no Azure API for FHIR account ${id} is visible to the signed-in caller `
        + `(its subscription ${sub.subscriptionId} is not visible in this tenant).`,
      ["Check the id (and that you can read its subscription) with 'ahds-migrate inventory'."]);
    }
    if (sub) {
      throw new UserError(`Can't list the accounts of subscription ${sub.subscriptionId} (holding ${id}): ${sub.error}`,
        ["Grant the signed-in principal Reader on that subscription (or check --subscription), then plan again."]);
    }
  }
}
