// The example plan of plans/ (plans/README.md): the demo estate (src/sandbox/demo-estate.ts) discovered
// through the real SDK clients and the sandbox, assessed and planned at a fixed clock — every ready
// account, plus three that show the choices: a bare `fhir` kind resolved with --kind (with export and
// ACR grants), acceptable findings accepted with --accept, and an RSA 4096 key left not planned —
// so the same code always gives the same bytes. The sandbox must already be running with this worker's
// environment pointed at it (test/helpers/sandbox.ts), which is why this runs inside a vitest file
// (NODE_EXTRA_CA_CERTS is read only at node start): test/integration/example-plan-in-sync.test.ts.
import { createAzureSession } from "../../src/azure/azure-session.js";
import { discover } from "../../src/inventory/discover.js";
import { assess, type AccountAssessment } from "../../src/assess/assess.js";
import { buildPlan } from "../../src/planner/build-plan.js";
import { sealPlan } from "../../src/planner/digest.js";
import { renderPlanMarkdown } from "../../src/planner/render-markdown.js";
import type { Plan, PlanChoices } from "../../src/domain/plan.js";
import type { Snapshot } from "../../src/domain/snapshot.js";
import { toolVersion } from "../../src/cli/version.js";

export const EXAMPLE_CREATED_AT = "2026-11-01T00:00:00.000Z";

/** The demo accounts named by the example's choices, besides every ready one. */
const EXPORTS = "fhir-exports";
const SMART_APPS = "fhir-smart-apps";
const RSA_4096 = "fhir-legacy-r4";

function exampleChoices(snapshot: Snapshot, assessments: AccountAssessment[]): PlanChoices {
  const idOf = (name: string) => {
    const a = snapshot.accounts.find((x) => x.name === name);
    if (!a) throw new Error(`the demo estate has no account ${name}`);
    return a.id;
  };
  const ready = assessments.filter((a) => a.verdict === "ready").map((a) => a.account.id);
  return {
    accounts: [...ready, idOf(EXPORTS), idOf(SMART_APPS), idOf(RSA_4096)],
    targetResourceGroup: null,
    keys: {},
    kinds: { [idOf(EXPORTS)]: "fhir-R4" },
    accept: { [idOf(SMART_APPS)]: ["custom-authority", "smart-proxy-enabled", "access-policy-foreign-principal"] },
  };
}

/** Short retry delays: the sandbox answers at once, and a fault-free demo estate needs no retries anyway. */
const FAST_RETRY = { limiter: { retryDelayMs: 5, maxRetryDelayMs: 20 } } as const;

export async function makeExamplePlan(): Promise<{ plan: Plan; markdown: string }> {
  const now = new Date(EXAMPLE_CREATED_AT);
  const snapshot = await discover(createAzureSession("AzureCloud", FAST_RETRY), { now: () => now });
  const assessments = assess(snapshot, { now });
  const plan = sealPlan(buildPlan(snapshot, assessments, exampleChoices(snapshot, assessments), { now, toolVersion: toolVersion() }));
  return { plan, markdown: renderPlanMarkdown(plan) };
}
