// `ahds-migrate plan` choices, through the real reads (sandbox + SDK clients) and the real rules: which
// accounts are planned, and how --kind, --accept and --key each turn a needs-action account into a planned
// one, while an account left alone is listed as not planned with the flag that would resolve it.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkMarkdownDigest, loadPlanFile, writePlanFiles } from "../../src/cli/plan-files.js";
import { renderPlanMarkdown } from "../../src/planner/render-markdown.js";
import type { Plan, PlannedAccount } from "../../src/domain/plan.js";
import type { Sandbox } from "../../src/sandbox/server.js";
import { startTestSandbox } from "../helpers/sandbox.js";
import { id, planEstate, planWith } from "./plan-estate.js";

const estate = planEstate();
let sandbox: Sandbox;

beforeAll(async () => { sandbox = await startTestSandbox(estate); });
afterAll(async () => { await sandbox.close(); });

function account(plan: Plan, name: string): PlannedAccount {
  const a = plan.accounts.find((x) => x.name === name);
  if (!a) throw new Error(`${name} is not in the plan (${plan.accounts.map((x) => x.name).join(", ")})`);
  return a;
}

const planned = (plan: Plan) => plan.accounts.filter((a) => a.status === "planned").map((a) => a.name).sort();
const stepAccounts = (plan: Plan) => [...new Set(plan.steps.map((s) => s.accountId.toLowerCase()))].sort();

describe("plan --all-ready", () => {
  it("plans exactly the accounts that are ready as they are, and records the choice", async () => {
    const { plan, assessments } = await planWith(estate, { allReady: true });
    const ready = assessments.filter((a) => a.verdict === "ready").map((a) => a.account.name).sort();
    expect(ready).toEqual(["fhir-ready", "fhir-stu3"]);
    expect(planned(plan)).toEqual(ready);
    expect(stepAccounts(plan)).toEqual([id("fhir-ready"), id("fhir-stu3")].map((x) => x.toLowerCase()).sort());
    expect(plan.choices.accounts).toBe("all-ready");
    expect(plan.planId).toMatch(/^plan-[0-9a-f]{12}$/);
    expect(plan.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(account(plan, "fhir-stu3").target.kind).toBe("fhir-Stu3");

    // Written as `--out` writes it, it loads back as the same plan, its Markdown carrying the digest.
    const out = join(mkdtempSync(join(tmpdir(), "ahds-plan-")), "ready.plan.json");
    await writePlanFiles(out, plan, renderPlanMarkdown(plan));
    expect(await loadPlanFile(out)).toEqual(plan);
    await expect(checkMarkdownDigest(out, plan)).resolves.toBeUndefined();
  });
});

describe("plan --account", () => {
  it("an account that needs a kind is not planned, naming --kind; --kind ID=fhir-R4 plans it with that kind", async () => {
    const left = await planWith(estate, { account: [id("fhir-bare")] });
    const bare = account(left.plan, "fhir-bare");
    expect(bare.status).toBe("not-planned");
    expect(bare.notPlanned.map((r) => r.code)).toEqual(["kind-unversioned"]);
    expect(bare.notPlanned[0]!.resolve).toContain("--kind");
    expect(left.plan.steps).toEqual([]);

    const chosen = await planWith(estate, { account: [id("fhir-bare").toLowerCase()], kind: [`${id("fhir-bare")}=fhir-R4`] });
    const a = account(chosen.plan, "fhir-bare");
    expect(a.status).toBe("planned");
    expect(a.target.kind).toBe("fhir-R4");
    // Recorded with ARM's spelling of the id, whatever the user typed.
    expect(chosen.plan.choices.accounts).toEqual([id("fhir-bare")]);
    expect(chosen.plan.choices.kinds).toEqual({ [id("fhir-bare")]: "fhir-R4" });
    const create = chosen.plan.steps.find((s) => s.kind === "create-fhir-service");
    expect((create?.request.body as { kind?: string }).kind).toBe("fhir-R4");
  });

  it("an acceptable finding is not planned naming --accept; --accept ID=custom-authority plans it and records the acceptance", async () => {
    const left = await planWith(estate, { account: [id("fhir-sso")] });
    const sso = account(left.plan, "fhir-sso");
    expect(sso.status).toBe("not-planned");
    expect(sso.notPlanned.map((r) => r.code)).toEqual(["custom-authority"]);
    expect(sso.notPlanned[0]!.resolve).toContain("--accept");

    const accepted = await planWith(estate, { account: [id("fhir-sso")], accept: [`${id("fhir-sso")}=custom-authority`] });
    const a = account(accepted.plan, "fhir-sso");
    expect(a.status).toBe("planned");
    expect(a.accepted).toEqual(["custom-authority"]);
    expect(accepted.plan.choices.accept).toEqual({ [id("fhir-sso")]: ["custom-authority"] });
    expect(accepted.plan.steps.some((s) => s.kind === "create-fhir-service")).toBe(true);
  });

  it("a blocked account is listed as not planned next to a planned one; only the planned one has steps", async () => {
    const { plan } = await planWith(estate, { account: [id("fhir-ready"), id("fhir-suspended")] });
    expect(planned(plan)).toEqual(["fhir-ready"]);
    expect(account(plan, "fhir-suspended").notPlanned.map((r) => r.code)).toContain("source-not-succeeded");
    expect(stepAccounts(plan)).toEqual([id("fhir-ready").toLowerCase()]);
  });

  it("an account id discovery does not find is a usage error naming it", async () => {
    const missing = id("fhir-gone");
    await expect(planWith(estate, { account: [missing] })).rejects.toMatchObject({
      name: "UsageError", message: `--account: no Azure API for FHIR account ${missing} is visible to the signed-in caller.`,
    });
  });
});
