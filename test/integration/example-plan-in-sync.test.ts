// plans/example.plan.json and plans/example.plan.md are what the tool makes of the demo estate at a fixed
// clock (test/helpers/make-example-plan.ts), written by the same writer as `plan --out`. This test fails
// when the committed files differ from what the code makes now; `npm run plans:example`
// (UPDATE_EXAMPLE_PLAN=1) rewrites them instead.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoEstate } from "../../src/sandbox/demo-estate.js";
import type { Sandbox } from "../../src/sandbox/server.js";
import { writePlanFiles } from "../../src/cli/plan-files.js";
import { markdownDigest } from "../../src/planner/render-markdown.js";
import { verifyDigest } from "../../src/planner/digest.js";
import type { Plan } from "../../src/domain/plan.js";
import { startTestSandbox } from "../helpers/sandbox.js";
import { EXAMPLE_CREATED_AT, makeExamplePlan } from "../helpers/make-example-plan.js";

const PLANS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../plans");
const JSON_FILE = path.join(PLANS, "example.plan.json");
const MD_FILE = path.join(PLANS, "example.plan.md");
const UPDATE = process.env.UPDATE_EXAMPLE_PLAN === "1";
const HOW = "plans/example.plan.* are out of sync with the code: run `npm run plans:example` and review the diff";

/** The committed file, or a line saying it is missing (so the failure names it instead of ENOENT). */
function committed(file: string): string {
  return existsSync(file) ? readFileSync(file, "utf8") : `(missing: ${path.relative(process.cwd(), file)})`;
}

let sandbox: Sandbox;
let tmp: string;
let fresh: { json: string; md: string; plan: Plan };

beforeAll(async () => {
  sandbox = await startTestSandbox(demoEstate());
  tmp = mkdtempSync(path.join(tmpdir(), "ahds-example-plan-"));
  const { plan, markdown } = await makeExamplePlan();
  const out = path.join(tmp, "example.plan.json");
  await writePlanFiles(out, plan, markdown);
  fresh = { json: readFileSync(out, "utf8"), md: readFileSync(path.join(tmp, "example.plan.md"), "utf8"), plan };
  if (UPDATE) await writePlanFiles(JSON_FILE, plan, markdown);
});
afterAll(async () => {
  await sandbox?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe("the example plan of the demo estate", () => {
  it("is made at the fixed clock, sealed, and its Markdown carries the same digest", () => {
    expect(fresh.plan.createdAt).toBe(EXAMPLE_CREATED_AT);
    expect(verifyDigest(fresh.plan)).toBe(true);
    expect(markdownDigest(fresh.md)).toBe(fresh.plan.digest);
  });

  it("plans the ready accounts of the demo estate (both vault models, and one without a key), each with steps", () => {
    const planned = fresh.plan.accounts.filter((a) => a.status === "planned");
    expect(planned.length).toBeGreaterThan(1);
    expect(new Set(planned.map((a) => a.keyLinkage?.permissionModel ?? "none"))).toEqual(new Set(["rbac", "accessPolicy", "none"]));
    for (const a of planned) {
      expect(fresh.plan.steps.some((s) => s.accountId === a.id)).toBe(true);
      expect(fresh.md).toContain(`## ${a.name} → ${a.target.workspaceName}/${a.target.fhirServiceName}\n`);
    }
  });

  it("is the same bytes when made again (nothing of the sandbox's start time or randomness leaks in)", async () => {
    const again = await makeExamplePlan();
    expect(again.plan.digest).toBe(fresh.plan.digest);
    expect(again.markdown).toBe(fresh.md);
  });

  it("matches plans/example.plan.json and plans/example.plan.md byte for byte", () => {
    expect(committed(JSON_FILE), HOW).toBe(fresh.json);
    expect(committed(MD_FILE), HOW).toBe(fresh.md);
  });
});
