// plans/plan.schema.json is PLAN_SCHEMA printed; this test fails when they differ. To regenerate after
// changing plan-schema.ts: AHDS_WRITE_SCHEMA=1 npx vitest run src/planner/plan-schema.test.ts
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { PLAN_SCHEMA } from "./plan-schema.js";
import { firstPlanProblem } from "./validate-plan.js";
import { sealedPlan } from "../../test/fixtures/plan-files.js";

const SCHEMA_FILE = fileURLToPath(new URL("../../plans/plan.schema.json", import.meta.url));
const EXAMPLE_FILE = fileURLToPath(new URL("../../plans/example.plan.json", import.meta.url));
const printed = `${JSON.stringify(PLAN_SCHEMA, null, 2)}\n`;

describe("plans/plan.schema.json", () => {
  it("is PLAN_SCHEMA printed (regenerate with AHDS_WRITE_SCHEMA=1)", () => {
    if (process.env.AHDS_WRITE_SCHEMA === "1") writeFileSync(SCHEMA_FILE, printed);
    expect(readFileSync(SCHEMA_FILE, "utf8")).toBe(printed);
  });

  it("is a valid JSON Schema 2020-12 that ajv compiles in strict mode", () => {
    const ajv = new Ajv2020({ strict: true, allowUnionTypes: true });
    expect(ajv.validateSchema(JSON.parse(printed) as object)).toBe(true);
    expect(() => ajv.compile(JSON.parse(printed) as object)).not.toThrow();
  });
});

describe("the schema of format 1", () => {
  it("accepts the hand-made plan", () => {
    expect(firstPlanProblem(sealedPlan())).toBeNull();
  });

  it("accepts the example plan buildPlan made of the demo estate, with the committed JSON Schema too", () => {
    const example = JSON.parse(readFileSync(EXAMPLE_FILE, "utf8")) as { steps: unknown[] };
    expect(example.steps.length).toBeGreaterThan(0);
    expect(firstPlanProblem(example)).toBeNull();
    const validate = new Ajv2020({ strict: true, allowUnionTypes: true }).compile(JSON.parse(readFileSync(SCHEMA_FILE, "utf8")) as object);
    expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
  });

  // Each row breaks one field; the first problem names its JSON path.
  const plan = () => sealedPlan() as unknown as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  it.each<[string, (p: Record<string, any>) => void, string, RegExp]>([ // eslint-disable-line @typescript-eslint/no-explicit-any
    ["missing top-level field", (p) => { delete p.fingerprint; }, "$.fingerprint", /is required/],
    ["unknown top-level field", (p) => { p.extra = 1; }, "$.extra", /is not a field of plan format 1/],
    ["tool name", (p) => { p.tool.name = "other"; }, "$.tool.name", /must be "ahds-migrate"/],
    ["planId", (p) => { p.planId = "plan-XYZ"; }, "$.planId", /must (be|match) /],
    ["createdAt", (p) => { p.createdAt = "yesterday"; }, "$.createdAt", /must (be|match) /],
    ["cloud", (p) => { p.cloud = "AzureChinaCloud"; }, "$.cloud", /must be one of "AzureCloud", "AzureUSGovernment"/],
    ["tenant GUID", (p) => { p.tenantId = "contoso.onmicrosoft.com"; }, "$.tenantId", /must (be|match) /],
    ["choices.accounts string", (p) => { p.choices.accounts = "all"; }, "$.choices.accounts", /must (be|match) /],
    ["choices.accounts all-ready", (p) => { p.choices.accounts = "all-ready"; }, "", /^$/],
    ["choices kind", (p) => { p.choices.kinds = { x: "fhir-R5" }; }, "$.choices.kinds.x", /must be one of/],
    ["accepted code", (p) => { p.choices.accept = { x: ["no-such-code"] }; }, "$.choices.accept.x[0]", /must be one of/],
    ["fingerprint hash", (p) => { p.fingerprint.accounts[0].propertiesSha256 = "abc"; }, "$.fingerprint.accounts[0].propertiesSha256", /must (be|match) /],
    ["etag null allowed", (p) => { p.fingerprint.accounts[0].etag = null; }, "", /^$/],
    ["etag number", (p) => { p.fingerprint.accounts[0].etag = 5; }, "$.fingerprint.accounts[0].etag", /must be string,null/],
    ["vault permission model", (p) => { p.fingerprint.vaults[0].permissionModel = "both"; }, "$.fingerprint.vaults[0].permissionModel", /must be one of/],
    ["step URL host", (p) => { p.steps[3].request.url = p.steps[3].request.url.replace("management.azure.com", "evil.example"); }, "$.steps[3].request.url", /must (be|match) /],
    ["step URL without api-version", (p) => { p.steps[3].request.url = p.steps[3].request.url.replace(/\?.*/, ""); }, "$.steps[3].request.url", /must (be|match) /],
    ["step method", (p) => { p.steps[0].request.method = "DELETE"; }, "$.steps[0].request.method", /must be "PUT"/],
    ["step kind", (p) => { p.steps[0].kind = "delete-account"; }, "$.steps[0].kind", /must be one of/],
    ["step extra field", (p) => { p.steps[1].request.headers = {}; }, "$.steps[1].request.headers", /is not a field/],
    ["account id", (p) => { p.accounts[0].id = "fhir-a"; }, "$.accounts[0].id", /must (be|match) /],
    ["account status", (p) => { p.accounts[0].status = "done"; }, "$.accounts[0].status", /must be one of/],
    ["target workspace name", (p) => { p.accounts[0].target.workspaceName = "Fhir-A"; }, "$.accounts[0].target.workspaceName", /must (be|match) /],
    ["fhir URL", (p) => { p.accounts[0].target.fhirUrl = "http://fhira-fhir.example.com"; }, "$.accounts[0].target.fhirUrl", /must (be|match) /],
    ["versionless target key", (p) => { p.accounts[0].keyLinkage.targetKeyUrl = "https://contoso-kv.vault.azure.net/keys/fhir-cmk"; }, "$.accounts[0].keyLinkage.targetKeyUrl", /must (be|match) /],
    ["role assignment name", (p) => { p.accounts[0].keyLinkage.role.assignmentName = "name"; }, "$.accounts[0].keyLinkage.role.assignmentName", /must (be|match) /],
    ["key linkage array", (p) => { p.accounts[0].keyLinkage = []; }, "$.accounts[0].keyLinkage", /must be object,null/],
    ["setting action", (p) => { p.accounts[0].settings[0].action = "moved"; }, "$.accounts[0].settings[0].action", /must be one of/],
    ["finding severity", (p) => { p.accounts[0].findings[0].severity = "fatal"; }, "$.accounts[0].findings[0].severity", /must be one of/],
    ["steps object", (p) => { p.steps = {}; }, "$.steps", /must be array/],
    ["any request body", (p) => { p.steps[0].request.body = [1, "x", null]; }, "", /^$/],
  ])("%s", (_name, edit, path, message) => {
    const p = plan();
    edit(p);
    const problem = firstPlanProblem(p);
    if (path === "") { expect(problem).toBeNull(); return; }
    expect(problem?.path).toBe(path);
    expect(problem?.message).toMatch(message);
  });

  it.each<[string, (p: Record<string, any>) => void, string, RegExp]>([ // eslint-disable-line @typescript-eslint/no-explicit-any
    ["repeated step id", (p) => { p.steps[1].id = p.steps[0].id; }, "$.steps[1].id", /repeats step id/],
    ["dependency on a later step", (p) => { p.steps[0].dependsOn = [p.steps[4].id]; }, "$.steps[0].dependsOn[0]", /names no earlier step/],
    ["step of an unknown account", (p) => { p.steps[0].accountId += "x"; }, "$.steps[0].accountId", /names no account/],
    ["step of a not-planned account", (p) => { p.steps[0].accountId = p.accounts[1].id; }, "$.steps[0].accountId", /not planned/],
    ["repeated account", (p) => { p.accounts[1].id = p.accounts[0].id.toUpperCase(); }, "$.accounts[1].id", /repeats account/],
    ["$fromStep to a non-dependency", (p) => { p.steps[2].dependsOn = []; }, "$.steps[2].request.body.properties.principalId.$fromStep", /depends on/],
    ["$fromStep unknown output", (p) => { p.steps[2].request.body.properties.principalId.output = "objectId"; }, "$.steps[2].request.body.properties.principalId.output", /is not an output/],
    ["$fromStep extra member", (p) => { p.steps[2].request.body.properties.principalId.x = 1; }, "$.steps[2].request.body.properties.principalId", /must be exactly/],
    ["$fromStep transitive dependency", (p) => { p.steps[3].request.body.properties.x = { $fromStep: p.steps[1].id, output: "clientId" }; }, "", /^$/],
  ])("step graph: %s", (_name, edit, path, message) => {
    const p = plan();
    edit(p);
    const problem = firstPlanProblem(p);
    if (path === "") { expect(problem).toBeNull(); return; }
    expect(problem?.path).toBe(path);
    expect(problem?.message).toMatch(message);
  });
});
