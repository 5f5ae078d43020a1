// Fuzz of re-sealed, well-formed edits (issue 10 §4): on the example plan (every step kind), each round
// re-seals one targeted edit — a URL segment, the api-version, a role id, a principal, a role assignment's
// scope, a body field, tags, a dependency — and loads it through parsePlan. Each outcome is one of:
//   refused — parsePlan throws a plan error (nothing would be sent);
//   equal   — it loads and its steps ask exactly what the original's do (ARM paths compare case-insensitively);
//   other   — it loads and asks something else.
// For the edits the step rules judge (§1) "other" must be 0. Four classes the rules cannot judge alone are
// counted here, not asserted (UNJUDGED_BY_RULES): the role and the principal of a FHIR data role at the
// new FHIR service, the tags (all three need the account's facts) and an added dependency. Re-deriving the
// plan from Azure's facts (§3) judges them: test/integration/plan-rederive.fuzz.test.ts asserts "other" 0
// for every class, these included.
// A dropped dependency is refused (the planner's direct dependencies are required). Seeded: a failure replays.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Plan } from "../domain/plan.js";
import { seededRandom } from "../sandbox/random.js";
import { asked, planEditor, UNJUDGED_BY_RULES } from "../../test/fixtures/plan-edits.js";
import { sealPlan } from "./digest.js";
import { parsePlan } from "./load-plan.js";

const EXAMPLE_TEXT = readFileSync(fileURLToPath(new URL("../../plans/example.plan.json", import.meta.url)), "utf8");
const SEED = 0x10e5;
const ROUNDS = 600;

describe(`re-sealed edits of the example plan (${ROUNDS} rounds, seed ${SEED})`, () => {
  it("are refused before anything is sent, or ask what the plan asked; the unjudged classes are counted", () => {
    const original = JSON.parse(EXAMPLE_TEXT) as Plan;
    const want = asked(original);
    const edit = planEditor(seededRandom(SEED));
    const tally: Record<string, Record<"refused" | "equal" | "other", number>> = {};
    const others: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const plan = JSON.parse(EXAMPLE_TEXT) as Plan;
      const cls = edit(plan);
      const row = (tally[cls] ??= { refused: 0, equal: 0, other: 0 });
      let loaded: Plan;
      try {
        loaded = parsePlan(JSON.stringify(sealPlan(plan)), "fuzz.plan.json");
      } catch (e) {
        expect(["UsageError", "PlanFormatError"]).toContain((e as Error).name);
        row.refused++;
        continue;
      }
      if (asked(loaded) === want) row.equal++;
      else {
        row.other++;
        if (!UNJUDGED_BY_RULES.includes(cls)) others.push(`round ${round} (${cls})`);
      }
    }
    if (process.env.AHDS_FUZZ_TALLY) console.info(tally);
    expect(others).toEqual([]);
    for (const cls of ["url", "api-version", "role", "principal", "scope", "body"]) expect(tally[cls]?.refused ?? 0, cls).toBeGreaterThan(0);
  });
});
