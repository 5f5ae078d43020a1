// Fuzz of re-sealed, well-formed edits (issue 10 §4): on the example plan (every step kind), each round
// re-seals one targeted edit — a URL segment, the api-version, a role id, a principal, a role assignment's
// scope, a body field, tags, a dependency — and loads it through parsePlan. Each outcome is one of:
//   refused — parsePlan throws a plan error (nothing would be sent);
//   equal   — it loads and its steps ask exactly what the original's do (ARM paths compare case-insensitively);
//   other   — it loads and asks something else.
// For the edits the step rules judge (§1) "other" must be 0. Four classes are not judged and are
// counted, not asserted (UNJUDGED): the role and the principal of a FHIR data role at the new FHIR service
// and the tags wait for §3 (re-deriving the plan from Azure's facts at apply); an added dependency only
// delays a step.
// A dropped dependency is refused (the planner's direct dependencies are required). Seeded: a failure replays.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Plan, PlanStep } from "../domain/plan.js";
import { canonicalJson } from "../domain/canonical-json.js";
import { seededRandom } from "../sandbox/random.js";
import { sealPlan } from "./digest.js";
import { parsePlan } from "./load-plan.js";

const EXAMPLE_TEXT = readFileSync(fileURLToPath(new URL("../../plans/example.plan.json", import.meta.url)), "utf8");
const SEED = 0x10e5;
const ROUNDS = 600;

type Props = Record<string, unknown>;
const props = (s: PlanStep): Props => ((s.request.body as { properties?: Props }).properties ??= {});
const GUIDS = [
  "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "b24988ac-6180-42a0-ab88-20f7382dd24c", "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
  "5a1fc7df-4bf1-4951-a576-89034ee01acd", "4c8d0bbc-75d3-4935-991f-5f3c56d81508", "e147488a-f6f5-4113-8e2d-b22465e65bf6",
  "ba92f5b4-2d11-453d-a403-e96b0029c9fe", "7f951dda-4ed3-4680-a7ca-43fe172d538d", "12345678-1234-4234-8234-123456789abc",
];

type EditClass = "url" | "api-version" | "role" | "fhir-grant-role" | "principal" | "fhir-grant-principal" | "scope" | "body" | "tags"
  | "dependsOn-dropped" | "dependsOn-added";
/**
 * Counted, not asserted: not judged by the step rules yet (they need the account facts, §3), or, for an
 * added dependency, only later (a step may wait for more than the planner wrote; it never waits for less).
 */
const UNJUDGED: EditClass[] = ["fhir-grant-role", "fhir-grant-principal", "tags", "dependsOn-added"];

function fuzzer(random: () => number) {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const isGrant = (s: PlanStep) => s.kind === "grant-key-role" || s.kind === "grant-data-role";
  return (plan: Plan): EditClass => {
    const step = pick(plan.steps);
    const cls = pick(["url", "api-version", "role", "principal", "scope", "body", "dependsOn"] as const);
    const u = new URL(step.request.url);
    switch (cls) {
      case "url": {
        const parts = u.pathname.split("/");
        const i = 1 + Math.floor(random() * (parts.length - 1));
        parts[i] = pick([parts[i]!.toUpperCase(), "rg-elsewhere", "services", "Microsoft.HealthcareApis", "other", parts[i]!]);
        u.pathname = parts.join("/");
        if (random() < 0.2) u.host = pick(["management.usgovcloudapi.net", "example.com"]);
        step.request.url = u.toString();
        return "url";
      }
      case "api-version":
        u.searchParams.set("api-version", pick(["2018-01-01", "2023-11-01", "2022-04-01", "2024-03-31", "2021-04-01"]));
        if (random() < 0.3) u.searchParams.set("extra", "1");
        step.request.url = u.toString();
        return "api-version";
      case "role":
        if (!isGrant(step)) return editBody(step);
        props(step).roleDefinitionId = String(props(step).roleDefinitionId).replace(/[0-9a-f-]{36}$/, pick(GUIDS));
        return /\/fhirservices\/[^/]+\/providers\//i.test(step.request.url) ? "fhir-grant-role" : "role";
      case "principal": {
        if (step.kind === "grant-key-access-policy") {
          ((props(step).accessPolicies as Props[])[0]!).objectId = pick(["99999999-9999-4999-8999-999999999999", { $fromStep: pick(plan.steps).id, output: "principalId" }]) as never;
          return "principal";
        }
        if (!isGrant(step)) return editBody(step);
        const literal = typeof props(step).principalId === "string";
        props(step).principalId = pick(["99999999-9999-4999-8999-999999999999",
          { $fromStep: pick(plan.steps.filter((s) => s.kind === "ensure-identity")).id, output: "principalId" }]);
        return literal ? "fhir-grant-principal" : "principal";
      }
      case "scope": {
        if (!isGrant(step)) return editBody(step);
        const other = pick(plan.steps).request.url.replace(/^https:\/\/[^/]+/, "").replace(/\?.*$/, "")
          .replace(/\/providers\/Microsoft\.Authorization\/roleAssignments\/.*$/, "");
        const scope = pick([other, other.replace(/\/providers\/.*$/, ""), other.replace(/\/resourceGroups\/.*$/, "")]);
        step.request.url = `${u.origin}${scope}/providers/Microsoft.Authorization/roleAssignments/${u.pathname.split("/").pop()}${u.search}`;
        return "scope";
      }
      case "body": return editBody(step);
      case "dependsOn":
        if (random() < 0.5) {
          step.dependsOn = step.dependsOn.filter(() => random() < 0.5);
          return "dependsOn-dropped";
        }
        step.dependsOn = [...new Set([...step.dependsOn, ...plan.steps.slice(0, plan.steps.indexOf(step)).slice(-1).map((s) => s.id)])];
        return "dependsOn-added";
    }
  };

  function editBody(step: PlanStep): EditClass {
    const body = step.request.body as Props;
    switch (Math.floor(random() * 4)) {
      case 0: body.extra = "x"; break;
      case 1: props(step).extra = true; break;
      case 2: if (step.kind === "create-fhir-service") body.kind = "fhir-Stu3"; else body.location = "eastus"; break;
      default:
        if (step.kind !== "grant-key-access-policy") { body.tags = { owner: "someone" }; return "tags"; }
        ((props(step).accessPolicies as Props[])[0]!.permissions as Props).keys = ["get", "wrapKey", "unwrapKey", "delete"];
    }
    return "body";
  }
}

/** What the steps ask, without the titles (rendered, never shown) and with ARM paths lower-cased. */
function asked(plan: Plan): string {
  return canonicalJson(plan.steps.map((s) => {
    const u = new URL(s.request.url);
    return { id: s.id, accountId: s.accountId, kind: s.kind, dependsOn: s.dependsOn, body: s.request.body,
      url: `${u.origin}${decodeURIComponent(u.pathname).toLowerCase()}${u.search}` };
  }) as never);
}

describe(`re-sealed edits of the example plan (${ROUNDS} rounds, seed ${SEED})`, () => {
  it("are refused before anything is sent, or ask what the plan asked; the unjudged classes are counted", () => {
    const original = JSON.parse(EXAMPLE_TEXT) as Plan;
    const want = asked(original);
    const edit = fuzzer(seededRandom(SEED));
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
        if (!UNJUDGED.includes(cls)) others.push(`round ${round} (${cls})`);
      }
    }
    if (process.env.AHDS_FUZZ_TALLY) console.info(tally);
    expect(others).toEqual([]);
    for (const cls of ["url", "api-version", "role", "principal", "scope", "body"]) expect(tally[cls]?.refused ?? 0, cls).toBeGreaterThan(0);
  });
});
