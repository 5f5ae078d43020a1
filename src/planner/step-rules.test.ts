// The step rules (issue 10 §1) on the example plan buildPlan made of the demo estate (every step kind,
// storage and registry grants, an access-policy vault): it passes as written, and one edit per rule is named.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Plan, PlanStep } from "../domain/plan.js";
import { firstStepViolation } from "./step-rules.js";

const EXAMPLE = JSON.parse(readFileSync(fileURLToPath(new URL("../../plans/example.plan.json", import.meta.url)), "utf8")) as Plan;
type Props = Record<string, unknown>;
const props = (s: PlanStep) => (s.request.body as { properties: Props }).properties;
const grantOn = (p: Plan, re: RegExp) => p.steps.find((s) => s.kind === "grant-data-role" && re.test(s.request.url))!;
/** The example's export storage account (contosofhirexport), chosen as the data copy's store where a case needs one. */
const STORAGE_OF = (p: Plan) => decodeURIComponent(new URL(grantOn(p, /storageAccounts\/contosofhirexport\//).request.url).pathname).split("/providers/Microsoft.Authorization/")[0]!;

const CASES: { name: string; rule: string; edit: (p: Plan) => PlanStep }[] = [
  { name: "another api-version", rule: "api-version", edit: (p) => { const s = p.steps[0]!; s.request.url = s.request.url.replace(/api-version=.*/, "api-version=2018-01-01"); return s; } },
  { name: "an extra query parameter", rule: "api-version", edit: (p) => { const s = p.steps[0]!; s.request.url += "&x=1"; return s; } },
  { name: "another host", rule: "url", edit: (p) => { const s = p.steps[0]!; s.request.url = s.request.url.replace("management.azure.com", "example.com"); return s; } },
  { name: "a workspace PUT on the source account", rule: "url", edit: (p) => {
    const s = p.steps.find((x) => x.kind === "ensure-workspace")!;
    s.request.url = `https://management.azure.com${s.accountId}?api-version=2024-03-31`; return s;
  } },
  { name: "workspace properties", rule: "body", edit: (p) => { const s = p.steps.find((x) => x.kind === "ensure-workspace")!; props(s).publicNetworkAccess = "Enabled"; return s; } },
  { name: "a second identity on the FHIR service", rule: "body", edit: (p) => {
    const s = p.steps.find((x) => x.kind === "create-fhir-service")!;
    ((s.request.body as Props).identity as { userAssignedIdentities: Props }).userAssignedIdentities["/subscriptions/x/resourceGroups/y/providers/Microsoft.ManagedIdentity/userAssignedIdentities/z"] = {};
    return s;
  } },
  { name: "another key URL on the FHIR service", rule: "body", edit: (p) => {
    const s = p.steps.find((x) => x.kind === "create-fhir-service" && props(x).encryption)!;
    props(s).encryption = { customerManagedKeyEncryption: { keyEncryptionKeyUrl: "https://evil.vault.azure.net/keys/k/0123456789abcdef0123456789abcdef" } };
    return s;
  } },
  { name: "Storage Blob Data Owner instead of Contributor", rule: "role", edit: (p) => {
    const s = grantOn(p, /storageAccounts/);
    props(s).roleDefinitionId = String(props(s).roleDefinitionId).replace(/[0-9a-f-]{36}$/, "b7e6dc6d-f1e8-4753-8033-0f276bb0955b"); return s;
  } },
  { name: "a storage grant to a literal principal", rule: "principal", edit: (p) => { const s = grantOn(p, /storageAccounts/); props(s).principalId = "99999999-9999-4999-8999-999999999999"; return s; } },
  { name: "a grant on another storage account", rule: "scope", edit: (p) => { const s = grantOn(p, /storageAccounts\/contosofhirexport\//); s.request.url = s.request.url.replace("contosofhirexport", "othersa"); return s; } },
  { name: "a grant on another registry", rule: "scope", edit: (p) => { const s = grantOn(p, /registries/); s.request.url = s.request.url.replace("contosofhiracr", "otheracr"); return s; } },
  { name: "Owner at the new FHIR service", rule: "role", edit: (p) => {
    const s = grantOn(p, /fhirservices/);
    props(s).roleDefinitionId = String(props(s).roleDefinitionId).replace(/[0-9a-f-]{36}$/, "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"); return s;
  } },
  { name: "a FHIR data role at the subscription", rule: "scope", edit: (p) => {
    const s = grantOn(p, /fhirservices/);
    s.request.url = s.request.url.replace(/\/resourceGroups\/.*\/providers\/Microsoft\.Authorization/, "/providers/Microsoft.Authorization"); return s;
  } },
  { name: "a roleDefinitionId of another subscription", rule: "role", edit: (p) => {
    const s = p.steps.find((x) => x.kind === "grant-key-role")!;
    props(s).roleDefinitionId = String(props(s).roleDefinitionId).replace(/^\/subscriptions\/[^/]+/, "/subscriptions/00000000-0000-0000-0000-000000000000"); return s;
  } },
  { name: "an importConfiguration although the plan chose no --storage-account", rule: "body", edit: (p) => {
    const s = p.steps.find((x) => x.kind === "create-fhir-service")!;
    props(s).importConfiguration = { enabled: true, initialImportMode: false, integrationDataStore: "contosofhirexport" }; return s;
  } },
  { name: "an importConfiguration in initial mode, or from another store than --storage-account", rule: "body", edit: (p) => {
    p.choices.storageAccount = STORAGE_OF(p);
    const s = p.steps.find((x) => x.kind === "create-fhir-service")!;
    props(s).importConfiguration = { enabled: true, initialImportMode: true, integrationDataStore: "contosofhirexport" }; return s;
  } },
  { name: "a storage grant on the --storage-account of another plan", rule: "scope", edit: (p) => {
    p.choices.storageAccount = STORAGE_OF(p);
    const s = grantOn(p, /storageAccounts\/contosofhirexport\//); s.request.url = s.request.url.replace("contosofhirexport", "othersa"); return s;
  } },
  { name: "an access policy with secrets too", rule: "body", edit: (p) => {
    const s = p.steps.find((x) => x.kind === "grant-key-access-policy")!;
    ((props(s).accessPolicies as Props[])[0]!.permissions as Props).secrets = ["get"]; return s;
  } },
];

describe("firstStepViolation", () => {
  it("passes the data copy's importConfiguration and storage grant when the plan chose that --storage-account", () => {
    const p = structuredClone(EXAMPLE);
    p.choices.storageAccount = STORAGE_OF(p);
    for (const s of p.steps.filter((x) => x.kind === "create-fhir-service")) {
      props(s).importConfiguration = { enabled: true, initialImportMode: false, integrationDataStore: "contosofhirexport" };
    }
    expect(firstStepViolation(p)).toBeNull();
  });

  it("passes the example plan, which has every step kind", () => {
    expect(new Set(EXAMPLE.steps.map((s) => s.kind)).size).toBeGreaterThanOrEqual(6);
    expect(firstStepViolation(EXAMPLE)).toBeNull();
  });

  it.each(CASES)("names $name as the $rule rule of that step", ({ edit, rule }) => {
    const p = structuredClone(EXAMPLE);
    const step = edit(p);
    expect(firstStepViolation(p)).toMatchObject({ stepId: step.id, rule });
  });
});
