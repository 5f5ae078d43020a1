// A step Azure refuses (403 on the key's role assignment, injected by the sandbox) fails as a value: the
// built CLI's apply finishes the other accounts, skips the refused step's dependents (the FHIR service that
// needs the key), prints the Azure error with its request id and exits 4; once the cause is fixed (the fault
// removed) the same command finishes the plan (exit 0) with a second attempt of that step only.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JournalRecord } from "../../src/domain/journal.js";
import type { Plan } from "../../src/domain/plan.js";
import { ACCOUNTS, startCliSandbox, threeAccountEstate, writeEstate, type CliSandbox } from "./apply-cli-estate.js";
import { runCli, tempDir } from "./cli-process.js";

const dir = tempDir("ahds-e2e-apply-fail-");
const planPath = join(dir, "wave.plan.json");
let sb: CliSandbox;
let plan: Plan;

const records = () => readFileSync(join(dir, "wave.journal.jsonl"), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as JournalRecord);

beforeAll(async () => {
  sb = await startCliSandbox(dir, "sandbox", writeEstate(dir, threeAccountEstate()), join(dir, "ca"));
  const planned = await runCli(["plan", ...ACCOUNTS.flatMap((a) => ["--account", a]), "--out", planPath], { env: sb.env });
  expect(planned.code, planned.stderr).toBe(0);
  plan = JSON.parse(readFileSync(planPath, "utf8")) as Plan;
});

afterAll(async () => {
  await sb?.stop();
});

describe("apply with a step Azure refuses", () => {
  it("exits 4 naming the step's Azure error; its dependents are skipped, the other accounts finish; the same command then completes", async () => {
    const role = plan.steps.find((s) => s.kind === "grant-key-role")!;
    const fhirOfRole = plan.steps.find((s) => s.kind === "create-fhir-service" && s.dependsOn.includes(role.id))!;
    await sb.admin("POST", "/_sandbox/faults", [{ match: { method: "PUT", pathRegex: "/roleAssignments/" }, status: 403 }]);
    const failed = await runCli(["apply", planPath, "--yes"], { env: sb.env });
    expect(failed.code, failed.stderr).toBe(4);
    expect(failed.stderr).toContain(`${role.title} failed: `);
    expect(failed.stderr).toMatch(/\(request id [0-9a-f-]{36}\)/);
    expect(failed.stderr).toContain(`${fhirOfRole.title} skipped: a step it depends on failed`);
    expect(failed.stderr).toContain(`Fix the cause, then run the same command again: ahds-migrate apply ${planPath} --yes`);
    const after = records();
    const others = plan.steps.filter((s) => s.kind === "create-fhir-service" && s.id !== fhirOfRole.id);
    for (const s of others) expect(after.some((r) => r.type === "step-succeeded" && r.stepId === s.id), s.id).toBe(true);
    expect(after.at(-1)).toMatchObject({ type: "run-finished", reason: "failed-steps" });

    await sb.admin("POST", "/_sandbox/faults", []);
    const again = await runCli(["apply", planPath, "--yes"], { env: sb.env });
    expect(again.code, again.stderr).toBe(0);
    const second = records().slice(after.length);
    expect(second.filter((r) => r.type === "step-started").map((r) => [r.stepId, r.attempt]).sort())
      .toEqual([[fhirOfRole.id, 1], [role.id, 2]].sort());
    expect(second.at(-1)).toMatchObject({ type: "run-finished", reason: "completed" });
  });
});
