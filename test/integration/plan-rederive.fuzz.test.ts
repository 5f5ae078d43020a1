// Fuzz of re-sealed edits against re-derivation (issue 10 §4): on the example plan (the demo estate, every
// step kind), each round makes one targeted edit and re-seals it, then judges it the way `apply` does —
// parsePlan (schema, digest, step rules), then the plan made again from the edited plan's recorded
// choices (src/cli/plan-run.ts planFromSnapshot: the same chosen keys, assessment and buildPlan as `plan`,
// on the demo estate discovered through the real SDK clients once per set of subscriptions) and
// firstPlanDifference. Besides the step edits (test/fixtures/plan-edits.ts) two classes edit the choices:
//   choices        — a choice changed, the steps kept (select fewer accounts or others, accept a code,
//                    name a target, another resource group or kind);
//   choices-forged — a choice changed and the whole plan replaced by what `plan` makes from it: the
//                    attacker who has the planner too, which must be let through (it is plannable).
// Outcomes: refused (before anything is sent), equal (accepted, and it asks exactly what the plan made
// again asks: a plannable plan), other (accepted, yet it asks something else) — which must be 0 for every
// class. Seeded: a failure replays.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAzureSession, type AzureSession } from "../../src/azure/azure-session.js";
import { discover } from "../../src/inventory/discover.js";
import { planFromSnapshot } from "../../src/cli/plan-run.js";
import { subscriptionsOfChoices } from "../../src/cli/plan-choices.js";
import { ACCEPTABLE_CODES } from "../../src/domain/findings.js";
import type { Plan } from "../../src/domain/plan.js";
import type { Snapshot } from "../../src/domain/snapshot.js";
import { sealPlan } from "../../src/planner/digest.js";
import { parsePlan } from "../../src/planner/load-plan.js";
import { firstPlanDifference } from "../../src/planner/plan-difference.js";
import { demoEstate } from "../../src/sandbox/demo-estate.js";
import { seededRandom } from "../../src/sandbox/random.js";
import type { Sandbox } from "../../src/sandbox/server.js";
import { FAST_RETRY } from "../fixtures/inventory-estates.js";
import { asked, planEditor } from "../fixtures/plan-edits.js";
import { startTestSandbox } from "../helpers/sandbox.js";

const EXAMPLE_TEXT = readFileSync(fileURLToPath(new URL("../../plans/example.plan.json", import.meta.url)), "utf8");
const SEED = 0x3de1;
const ROUNDS = 600;

let sandbox: Sandbox;
let session: AzureSession;
const discovered = new Map<string, Snapshot>();

beforeAll(async () => {
  sandbox = await startTestSandbox(demoEstate());
  session = createAzureSession("AzureCloud", FAST_RETRY);
});
afterAll(async () => { await sandbox?.close(); });

/** What `apply` makes again of `plan` (one discovery per set of subscriptions: the estate does not change). */
async function rebuild(plan: Plan): Promise<Plan> {
  const subscriptionIds = subscriptionsOfChoices(plan.choices);
  const key = subscriptionIds?.join(",") ?? "*";
  let snapshot = discovered.get(key);
  if (!snapshot) {
    snapshot = await discover(session, { ...(subscriptionIds ? { subscriptionIds } : {}), now: () => new Date(plan.createdAt) });
    discovered.set(key, snapshot);
  }
  const run = await planFromSnapshot(session, snapshot, plan.choices, { toolVersion: plan.tool.version, now: () => new Date(plan.createdAt) });
  return JSON.parse(JSON.stringify(run.plan)) as Plan;
}

/** The status, target and key linkage of every account, and what the steps ask: what must equal the plan made again. */
const acted = (p: Plan): string => JSON.stringify([asked(p), p.accounts.map((a) => [a.id.toLowerCase(), a.status, a.target, a.keyLinkage])]);

function choiceEditor(random: () => number, accountIds: string[]) {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  return (plan: Plan): void => {
    const chosen = plan.choices.accounts as string[];
    const someone = pick(chosen);
    switch (Math.floor(random() * 6)) {
      case 0: plan.choices.accounts = chosen.filter((a) => a !== someone); break;
      case 1: plan.choices.accounts = [...new Set([...chosen, pick(accountIds)])]; break;
      case 2: plan.choices.accept[someone] = [...new Set([...(plan.choices.accept[someone] ?? []), pick(ACCEPTABLE_CODES)])].sort(); break;
      case 3: plan.choices.names = { ...plan.choices.names, [someone]: { workspace: pick(["renamed", "fhirpatients", "contosofhirdev"]), fhirService: pick(["fhir", "records"]) } }; break;
      case 4: plan.choices.targetResourceGroup = pick(["rg-migrated", "rg-fhir"]); break;
      default: plan.choices.kinds[someone] = pick(["fhir-R4", "fhir-Stu3"] as const);
    }
  };
}

describe(`re-sealed edits of the example plan judged by the plan made again (${ROUNDS} rounds, seed ${SEED})`, () => {
  it("the example plan as committed is what `plan` makes again from its choices", async () => {
    const example = parsePlan(EXAMPLE_TEXT, "example.plan.json");
    expect(firstPlanDifference(example, await rebuild(example))).toBeNull();
  });

  it("every edit is refused before anything is sent, or asks exactly what a plannable plan asks", async () => {
    const random = seededRandom(SEED);
    const editSteps = planEditor(random);
    const example = JSON.parse(EXAMPLE_TEXT) as Plan;
    const accountIds = [...(await rebuild(example)).accounts.map((a) => a.id), ...sandbox.state.listResources("Microsoft.HealthcareApis/services").map((r) => r.id)];
    const editChoices = choiceEditor(random, accountIds);
    const tally: Record<string, Record<"refused" | "equal" | "other", number>> = {};
    const others: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      let plan = JSON.parse(EXAMPLE_TEXT) as Plan;
      let cls: string;
      const roll = random();
      if (roll < 0.7) cls = editSteps(plan);
      else {
        editChoices(plan);
        cls = "choices";
        if (roll >= 0.85) {
          cls = "choices-forged";
          try { plan = await rebuild(plan); } catch { /* not plannable: judged below like any other edit */ }
        }
      }
      const row = (tally[cls] ??= { refused: 0, equal: 0, other: 0 });
      let loaded: Plan;
      let rebuilt: Plan;
      try {
        loaded = parsePlan(JSON.stringify(sealPlan(plan)), "fuzz.plan.json");
        rebuilt = await rebuild(loaded);
      } catch (e) {
        expect(["UsageError", "PlanFormatError"], String(e)).toContain((e as Error).name);
        row.refused++;
        continue;
      }
      if (firstPlanDifference(loaded, rebuilt) !== null) row.refused++;
      else if (acted(loaded) === acted(rebuilt)) row.equal++;
      else { row.other++; others.push(`round ${round} (${cls})`); }
    }
    if (process.env.AHDS_FUZZ_TALLY) console.info(tally);
    expect(others).toEqual([]);
    for (const cls of ["url", "api-version", "role", "fhir-grant-role", "principal", "fhir-grant-principal", "scope", "body", "tags",
      "dependsOn-dropped", "dependsOn-added", "choices"]) {
      expect(tally[cls]?.refused ?? 0, cls).toBeGreaterThan(0);
    }
    // The forged plans that `plan` itself makes are let through: re-derivation refuses what is not plannable, not edits as such.
    expect(tally["choices-forged"]?.equal ?? 0).toBeGreaterThan(0);
  }, 120_000);
});
