// parsePlan's refusals, each with its error class (exit code via src/cli/error-handler.ts) and its message,
// and the tamper cases of issue 4: one byte of a step URL, an account, the digest itself → refused as
// edited; an edit re-digested so it reaches the schema → malformed, naming the JSON path.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parsePlan } from "./load-plan.js";
import { sealPlan } from "./digest.js";
import { exitCodeFor } from "../cli/error-handler.js";
import type { Plan } from "../domain/plan.js";
import { planText, sealedPlan } from "../../test/fixtures/plan-files.js";

const SOURCE = "x.plan.json";

function refusal(text: string): { name: string; exit: number; message: string; nextSteps: string[] } {
  try {
    parsePlan(text, SOURCE);
  } catch (err) {
    const e = err as { name: string; message: string; nextSteps?: string[] };
    return { name: e.name, exit: exitCodeFor(err), message: e.message, nextSteps: e.nextSteps ?? [] };
  }
  throw new Error("parsePlan accepted the text");
}

/** Replace the first occurrence of `from` in the file text (a hand edit). */
function editText(from: string, to: string): string {
  const text = planText();
  expect(text).toContain(from);
  return text.replace(from, to);
}

const EXAMPLE = readFileSync(fileURLToPath(new URL("../../plans/example.plan.json", import.meta.url)), "utf8");
const EDITED = "x.plan.json was edited after planning (digest mismatch): run `ahds-migrate plan` again.";

describe("parsePlan", () => {
  it("loads a sealed plan as written", () => {
    expect(parsePlan(planText(), SOURCE)).toEqual(sealedPlan());
  });

  it("refuses text that is not JSON with its line and column (exit 2)", () => {
    const text = planText().replace("\"cloud\": \"AzureCloud\",", "\"cloud\": AzureCloud,");
    const line = text.split("\n").findIndex((l) => l.includes("\"cloud\"")) + 1;
    expect(refusal(text)).toMatchObject({ name: "UsageError", exit: 2,
      message: `Can't read plan x.plan.json: not JSON (line ${line}, column 12).` });
    expect(refusal("")).toMatchObject({ exit: 2, message: "Can't read plan x.plan.json: not JSON (line 1, column 1)." });
  });

  it("refuses a JSON document that is not an object (exit 2)", () => {
    expect(refusal("[1]")).toMatchObject({ exit: 2, message: "Can't read plan x.plan.json: $ must be a JSON object (a plan of format 1)." });
  });

  it("refuses another format before anything else (exit 3), even a plan a later schema would shape differently", () => {
    const text = JSON.stringify({ formatVersion: 7, somethingNew: true });
    expect(refusal(text)).toMatchObject({ name: "PlanFormatError", exit: 3,
      message: "x.plan.json has format 7; this ahds-migrate reads format 1. Upgrade ahds-migrate or re-plan." });
  });

  it.each([
    ["one byte of a step URL", () => editText("api-version=2024-03-31", "api-version=2024-03-30")],
    ["the account's location", () => editText("\"location\": \"westeurope\"", "\"location\": \"westeuropf\"")],
    ["an account id in the fingerprint", () => editText("services/fhir-a\"", "services/fhir-c\"")],
    ["the digest itself", () => { const p = sealedPlan(); return planText({ ...p, digest: p.digest.replace(/.$/, (c) => (c === "0" ? "1" : "0")) }); }],
    ["the planId", () => { const p = sealedPlan(); return planText({ ...p, planId: "plan-000000000000" }); }],
    ["a removed digest", () => { const { digest: _d, ...p } = sealedPlan(); return JSON.stringify(p); }],
    ["an edit that also breaks the schema", () => editText("\"method\": \"PUT\"", "\"method\": \"DELETE\"")],
  ])("refuses a plan edited after planning (%s) as edited (exit 3)", (_name, text) => {
    expect(refusal(text())).toEqual({ name: "PlanFormatError", exit: 3, message: EDITED, nextSteps: [] });
  });

  it("loads the example plan of the demo estate, and refuses it with one byte of a step URL changed", () => {
    const plan = parsePlan(EXAMPLE, SOURCE);
    const url = plan.steps[0]!.request.url;
    const edited = EXAMPLE.replace(url, url.replace("api-version=", "api-version=2"));
    expect(edited).not.toBe(EXAMPLE);
    expect(refusal(edited)).toMatchObject({ name: "PlanFormatError", exit: 3, message: EDITED });
  });

  it("accepts formatting changes: whitespace and member order are not edits", () => {
    const p = sealedPlan();
    expect(parsePlan(JSON.stringify(p), SOURCE)).toEqual(p);
    const reordered = Object.fromEntries(Object.entries(p).reverse());
    expect(parsePlan(JSON.stringify(reordered, null, 4), SOURCE)).toEqual(p);
  });

  it("names the JSON path of the first problem of a re-digested edit (exit 2)", () => {
    const p = sealedPlan() as Plan & Record<string, unknown>;
    p.steps[3]!.request.url = "https://evil.example/subscriptions/x?api-version=2024-03-31";
    const r = refusal(planText(sealPlan(p)));
    expect(r).toMatchObject({ name: "UsageError", exit: 2 });
    expect(r.message).toMatch(/^Can't read plan x\.plan\.json: \$\.steps\[3\]\.request\.url: must be an ARM URL https:\/\/management\.azure\.com\/subscriptions\/…\?api-version=…/);
    expect(r.nextSteps).toEqual(["The file matches its digest but not plan format 1: run `ahds-migrate plan` again."]);
  });

  it("names a broken step graph of a re-digested edit (exit 2)", () => {
    const p = sealedPlan();
    p.steps[2]!.dependsOn = [];
    expect(refusal(planText(sealPlan(p)))).toMatchObject({ exit: 2,
      message: "Can't read plan x.plan.json: $.steps[2].request.body.properties.principalId.$fromStep: names no step this step depends on (fhir-a/ensure-identity)" });
  });

  it("refuses a re-digested plan with formatVersion missing or a string as malformed (exit 2)", () => {
    const { formatVersion: _f, ...rest } = sealedPlan();
    expect(refusal(JSON.stringify(sealPlan(rest as Plan)))).toMatchObject({ exit: 2,
      message: "Can't read plan x.plan.json: $.formatVersion: is required" });
    expect(refusal(JSON.stringify(sealPlan({ ...sealedPlan(), formatVersion: "1" as unknown as 1 })))).toMatchObject({ exit: 2,
      message: "Can't read plan x.plan.json: $.formatVersion: must be 1" });
  });
});
