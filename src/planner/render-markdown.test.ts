// The plan's Markdown twin: one table row per settings-diff row of azure-facts §3.4, the digest line that
// `plan --check` parses back, determinism, and escaping of values that come from Azure.
import { describe, expect, it } from "vitest";
import type { Plan, PlannedAccount, PlanStep, SettingRow } from "../domain/plan.js";
import { SETTING_NAMES } from "./settings-diff.js";
import { keyLinkageShort, markdownDigest, renderPlanMarkdown, resolveCell, settingRowLine } from "./render-markdown.js";
import { stepTitle } from "./step-title.js";

const SUB = "00000000-0000-0000-0000-000000000001";
const RG = `/subscriptions/${SUB}/resourceGroups/rg-fhir`;
const ACCOUNT = `${RG}/providers/Microsoft.HealthcareApis/services/fhir-patients`;
const WS = `${RG}/providers/Microsoft.HealthcareApis/workspaces/fhirpatients`;
const FHIR = `${WS}/fhirservices/fhir`;
const MI = `${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/fhirpatients-fhir`;
const VAULT = `${RG}/providers/Microsoft.KeyVault/vaults/kv-contoso`;
const KEY_SCOPE = `${VAULT}/keys/fhir-cmk`;
const VERSION = "4c2d8e0f1a2b3c4d5e6f708192a3b4c5";
const ARM = "https://management.azure.com";
const DIGEST = `sha256:${"ab12".repeat(16)}`;

const CORS = '{"allowCredentials":false,"headers":["*"],"methods":["GET","POST"],"origins":["https://app.contoso.com"]}';
/** `[` and `*` escaped: `["*"]` must not become a link or emphasis. */
const CORS_CELL = '{"allowCredentials":false,"headers":\\["\\*"],"methods":\\["GET","POST"],"origins":\\["https://app.contoso.com"]}';

/** One SettingRow per row of azure-facts §3.4, as a reviewer must see it in the settings table. */
const SECTION_3_4: { row: SettingRow; line: string }[] = [
  { row: { setting: "kind", source: "fhir", target: "fhir-R4", action: "changed", why: "the bare `fhir` kind has no AHDS equivalent: the kind chosen with --kind" },
    line: "| `kind` | fhir | fhir-R4 | **changed** | the bare \\`fhir\\` kind has no AHDS equivalent: the kind chosen with --kind |" },
  { row: { setting: "location", source: "westeurope", target: "westeurope", action: "copied", why: "the key vault is in the same region" },
    line: "| `location` | westeurope | westeurope | copied | the key vault is in the same region |" },
  { row: { setting: "tags", source: "env=prod", target: "env=prod, ahds-migrate-source=" + ACCOUNT, action: "changed", why: "a tag names the source account" },
    line: `| \`tags\` | env=prod | env=prod, ahds-migrate-source=${ACCOUNT} | **changed** | a tag names the source account |` },
  { row: { setting: "identity", source: "SystemAssigned", target: "UserAssigned fhirpatients-fhir", action: "changed", why: "the key must be reachable at create time" },
    line: "| `identity` | SystemAssigned | UserAssigned fhirpatients-fhir | **changed** | the key must be reachable at create time |" },
  { row: { setting: "cosmosDbConfiguration.keyVaultKeyUri", source: "https://kv-contoso.vault.azure.net/keys/fhir-cmk",
    target: `https://kv-contoso.vault.azure.net/keys/fhir-cmk/${VERSION}`, action: "changed", why: "the FHIR service needs a versioned key URL" },
    line: `| \`cosmosDbConfiguration.keyVaultKeyUri\` | https://kv-contoso.vault.azure.net/keys/fhir-cmk | https://kv-contoso.vault.azure.net/keys/fhir-cmk/${VERSION} | **changed** | the FHIR service needs a versioned key URL |` },
  { row: { setting: "cosmosDbConfiguration.crossTenantCmkApplicationId", source: "11111111-2222-3333-4444-555555555555", target: "", action: "dropped", why: "no equivalent on the FHIR service" },
    line: "| `cosmosDbConfiguration.crossTenantCmkApplicationId` | 11111111-2222-3333-4444-555555555555 | — | **dropped** | no equivalent on the FHIR service |" },
  { row: { setting: "cosmosDbConfiguration.offerThroughput", source: "1000", target: "", action: "dropped", why: "autoscale is built in" },
    line: "| `cosmosDbConfiguration.offerThroughput` | 1000 | — | **dropped** | autoscale is built in |" },
  { row: { setting: "accessPolicies", source: "2 object ids", target: "2 FHIR Data Contributor role assignments", action: "changed", why: "local RBAC becomes Azure RBAC" },
    line: "| `accessPolicies` | 2 object ids | 2 FHIR Data Contributor role assignments | **changed** | local RBAC becomes Azure RBAC |" },
  { row: { setting: "role assignments on the account", source: "3 FHIR data role assignment(s)", target: "2 copied to the FHIR service", action: "manual", why: "one custom role lacks the AHDS actions" },
    line: "| `role assignments on the account` | 3 FHIR data role assignment(s) | 2 copied to the FHIR service | **manual** | one custom role lacks the AHDS actions |" },
  { row: { setting: "authenticationConfiguration.authority", source: "https://login.microsoftonline.com/contoso", target: "https://login.microsoftonline.com/" + SUB, action: "changed", why: "must be the FHIR service's own tenant" },
    line: `| \`authenticationConfiguration.authority\` | https://login.microsoftonline.com/contoso | https://login.microsoftonline.com/${SUB} | **changed** | must be the FHIR service's own tenant |` },
  { row: { setting: "authenticationConfiguration.audience", source: "https://fhir-patients.azurehealthcareapis.com", target: "https://fhirpatients-fhir.fhir.azurehealthcareapis.com", action: "changed", why: "clients must request the new resource" },
    line: "| `authenticationConfiguration.audience` | https://fhir-patients.azurehealthcareapis.com | https://fhirpatients-fhir.fhir.azurehealthcareapis.com | **changed** | clients must request the new resource |" },
  { row: { setting: "authenticationConfiguration.smartProxyEnabled", source: "true", target: "false", action: "manual", why: "SMART proxy is deprecated: configure smartIdentityProviders" },
    line: "| `authenticationConfiguration.smartProxyEnabled` | true | false | **manual** | SMART proxy is deprecated: configure smartIdentityProviders |" },
  { row: { setting: "corsConfiguration", source: CORS, target: CORS, action: "copied", why: "same shape on AHDS" },
    line: `| \`corsConfiguration\` | ${CORS_CELL} | ${CORS_CELL} | copied | same shape on AHDS |` },
  { row: { setting: "exportConfiguration.storageAccountName", source: "contosofhirexport", target: "contosofhirexport", action: "copied", why: "Storage Blob Data Contributor re-granted to the new identity" },
    line: "| `exportConfiguration.storageAccountName` | contosofhirexport | contosofhirexport | copied | Storage Blob Data Contributor re-granted to the new identity |" },
  { row: { setting: "acrConfiguration", source: "contosofhiracr.azurecr.io", target: "contosofhiracr.azurecr.io", action: "copied", why: "AcrPull re-granted to the new identity" },
    line: "| `acrConfiguration` | contosofhiracr.azurecr.io | contosofhiracr.azurecr.io | copied | AcrPull re-granted to the new identity |" },
  { row: { setting: "importConfiguration", source: "", target: "", action: "dropped", why: "data copy is a later feature" },
    line: "| `importConfiguration` | — | — | **dropped** | data copy is a later feature |" },
  { row: { setting: "publicNetworkAccess, privateEndpointConnections", source: "Disabled, 1 private endpoint", target: "", action: "manual", why: "recreate private endpoints on the workspace" },
    line: "| `publicNetworkAccess, privateEndpointConnections` | Disabled, 1 private endpoint | — | **manual** | recreate private endpoints on the workspace |" },
  { row: { setting: "resourceVersionPolicyConfiguration", source: "versioned-update", target: "version-update", action: "manual", why: "naming differs: set the policy on the FHIR service" },
    line: "| `resourceVersionPolicyConfiguration` | versioned-update | version-update | **manual** | naming differs: set the policy on the FHIR service |" },
  { row: { setting: "diagnostic settings", source: "not read", target: "", action: "manual", why: "recreate with categories AuditLogs, DiagnosticLogs" },
    line: "| `diagnostic settings` | not read | — | **manual** | recreate with categories AuditLogs, DiagnosticLogs |" },
];

function step(id: string, kind: PlanStep["kind"], title: string, url: string, body: PlanStep["request"]["body"], dependsOn: string[] = []): PlanStep {
  return { id: `fhir-patients-3f2a91/${id}`, accountId: ACCOUNT, kind, title, dependsOn: dependsOn.map((d) => `fhir-patients-3f2a91/${d}`),
    request: { method: "PUT", url, body }, longRunning: kind === "ensure-workspace" || kind === "create-fhir-service",
    outputs: kind === "ensure-identity" ? ["principalId", "clientId"] : [] };
}

function fixturePlan(settings: SettingRow[] = SECTION_3_4.map((s) => s.row)): Plan {
  const planned: PlannedAccount = {
    id: ACCOUNT, name: "fhir-patients", subscriptionId: SUB, resourceGroup: "rg-fhir", location: "westeurope",
    status: "planned", notPlanned: [],
    target: { resourceGroup: "rg-fhir", workspaceName: "fhirpatients", fhirServiceName: "fhir", workspaceId: WS, fhirServiceId: FHIR,
      identityName: "fhirpatients-fhir", identityId: MI, fhirUrl: "https://fhirpatients-fhir.fhir.azurehealthcareapis.com", kind: "fhir-R4" },
    keyLinkage: { sourceKeyUri: "https://kv-contoso.vault.azure.net/keys/fhir-cmk", targetKeyUrl: `https://kv-contoso.vault.azure.net/keys/fhir-cmk/${VERSION}`,
      chosenKey: false, vaultId: VAULT, permissionModel: "rbac", identityId: MI,
      role: { roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/e147488a-f6f5-4113-8e2d-b22465e65bf6`,
        roleName: "Key Vault Crypto Service Encryption User", scope: KEY_SCOPE, assignmentName: "9a3c0d52-1f0e-5b7a-8c61-2d4e5f607182" } },
    settings,
    findings: [
      { code: "key-version-pinned", severity: "info", message: "The key is pinned to version 4c2d8e0f." },
      { code: "custom-authority", severity: "action", message: "The authority is not the tenant's own.", fix: "Accept with --accept." },
    ],
    accepted: ["custom-authority"],
    followUps: ["Recreate the private endpoint on workspace fhirpatients."],
  };
  const blocked: PlannedAccount = {
    ...planned, id: `${RG}/providers/Microsoft.HealthcareApis/services/fhir-legacy`, name: "fhir-legacy", status: "not-planned",
    notPlanned: [{ code: "kind-unversioned", message: "The account's kind is fhir: the FHIR version is not known.", resolve: "--kind ID=fhir-R4" }],
    keyLinkage: null, settings: [], findings: [], accepted: [], followUps: [],
    target: { ...planned.target, workspaceName: "fhirlegacy" },
  };
  const roleUrl = (scope: string, name: string): string =>
    `${ARM}${scope}/providers/Microsoft.Authorization/roleAssignments/${name}?api-version=2022-04-01`;
  const principal = { $fromStep: "fhir-patients-3f2a91/ensure-identity", output: "principalId" };
  return {
    formatVersion: 1, tool: { name: "ahds-migrate", version: "0.1.0" }, planId: "plan-ab12ab12ab12", createdAt: "2026-11-01T00:00:00.000Z",
    cloud: "AzureCloud", tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47",
    choices: { accounts: "all-ready", targetResourceGroup: null, keys: {}, kinds: {}, accept: { [ACCOUNT]: ["custom-authority"] } },
    fingerprint: {
      accounts: [{ id: ACCOUNT, etag: "\"0a00\"", propertiesSha256: "c".repeat(64) }],
      keys: [{ vaultName: "kv-contoso", keyName: "fhir-cmk", version: VERSION, currentVersion: VERSION, attributesSha256: "d".repeat(64) }],
      vaults: [{ id: VAULT, location: "westeurope", softDelete: true, purgeProtection: true, permissionModel: "rbac", networkAclsSha256: "e".repeat(64) }],
    },
    accounts: [planned, blocked],
    steps: [
      step("ensure-workspace", "ensure-workspace", "Workspace fhirpatients in rg-fhir (westeurope)", `${ARM}${WS}?api-version=2024-03-31`,
        { location: "westeurope", properties: {} }),
      step("ensure-identity", "ensure-identity", "Identity fhirpatients-fhir", `${ARM}${MI}?api-version=2023-01-31`, { location: "westeurope" }),
      step("grant-key-role", "grant-key-role", "Key access for fhirpatients-fhir on fhir-cmk", roleUrl(KEY_SCOPE, "9a3c0d52-1f0e-5b7a-8c61-2d4e5f607182"),
        { properties: { roleDefinitionId: "e147488a-f6f5-4113-8e2d-b22465e65bf6", principalId: principal, principalType: "ServicePrincipal" } }, ["ensure-identity"]),
      step("create-fhir-service", "create-fhir-service", "FHIR service fhirpatients/fhir", `${ARM}${FHIR}?api-version=2024-03-31`,
        { location: "westeurope", kind: "fhir-R4", tags: { note: "a ``` fence and `ticks`" } }, ["ensure-workspace", "grant-key-role"]),
      step("grant-fhir-data-contributor", "grant-data-role", "FHIR Data Contributor for user 1", roleUrl(FHIR, "0b1c2d3e-0000-5000-8000-000000000001"),
        { properties: { roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/5a1fc7df-4bf1-4951-a576-89034ee01acd`,
          principalId: "aaaaaaaa-0000-0000-0000-000000000001", principalType: "User" } }, ["create-fhir-service"]),
      step("grant-acr-pull", "grant-data-role", "AcrPull for fhirpatients-fhir on contosofhiracr", roleUrl(`${RG}/providers/Microsoft.ContainerRegistry/registries/contosofhiracr`, "0b1c2d3e-0000-5000-8000-000000000002"),
        { properties: { roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/7f951dda-4ed3-4680-a7ca-43fe172d538d`,
          principalId: principal, principalType: "ServicePrincipal" } }, ["ensure-identity", "create-fhir-service"]),
    ],
    digest: DIGEST,
  };
}

describe("renderPlanMarkdown: settings diff (azure-facts §3.4)", () => {
  it.each(SECTION_3_4.map((s) => [s.row.setting, s] as const))("%s renders as exactly its table row", (_name, { row, line }) => {
    expect(settingRowLine(row)).toBe(line);
    const md = renderPlanMarkdown(fixturePlan([row]));
    const table = md.split("\n").filter((l) => l.startsWith("| `") && l.includes(" | ") && !l.startsWith("| `/"));
    expect(table).toContain(line);
    expect(md).toContain(["| Setting | Source | Target | Action | Why |", "| --- | --- | --- | --- | --- |", line].join("\n"));
  });

  it("covers exactly the settings the planner's diff has, in its order", () => {
    expect(SECTION_3_4.map((s) => s.row.setting)).toEqual([...SETTING_NAMES]);
  });

  it("keeps the rows in plan order under one header", () => {
    const md = renderPlanMarkdown(fixturePlan());
    const at = md.indexOf("| Setting | Source | Target | Action | Why |");
    const block = md.slice(at).split("\n\n")[0]!.split("\n");
    expect(block.slice(2)).toEqual(SECTION_3_4.map((s) => s.line));
  });
});

describe("renderPlanMarkdown: digest line", () => {
  it("carries `Digest: sha256:…` on its own line, and markdownDigest reads it back", () => {
    const md = renderPlanMarkdown(fixturePlan());
    expect(md.split("\n")).toContain(`Digest: ${DIGEST}`);
    expect(markdownDigest(md)).toBe(DIGEST);
    expect(md.startsWith("# Migration plan plan-ab12ab12ab12\n\nDigest: sha256:")).toBe(true);
  });

  it("returns null without a digest line, for a malformed one, and for two different ones", () => {
    expect(markdownDigest("# plan\n")).toBeNull();
    expect(markdownDigest(`Digest: sha256:${"a".repeat(63)}\n`)).toBeNull();
    expect(markdownDigest(` Digest: ${DIGEST}\n`)).toBeNull();
    expect(markdownDigest(`Digest: ${DIGEST}\nDigest: sha256:${"0".repeat(64)}\n`)).toBeNull();
    expect(markdownDigest(`Digest: ${DIGEST}\r\n`)).toBe(DIGEST);
  });

  it("an edited digest in the Markdown reads back as the edited value (so --check can see the mismatch)", () => {
    const md = renderPlanMarkdown(fixturePlan()).replace(DIGEST, `sha256:${"f".repeat(64)}`);
    expect(markdownDigest(md)).toBe(`sha256:${"f".repeat(64)}`);
  });

  it("an unsealed plan says so and has no digest to read", () => {
    const md = renderPlanMarkdown({ ...fixturePlan(), digest: "", planId: "" });
    expect(md).toContain("Digest: (not sealed)");
    expect(markdownDigest(md)).toBeNull();
  });
});

describe("renderPlanMarkdown: content", () => {
  const md = renderPlanMarkdown(fixturePlan());

  it("has the header facts, a summary row per account, and each section", () => {
    for (const s of ["- Created: 2026-11-01T00:00:00.000Z", "- Cloud: AzureCloud", "- Tenant: `72f988bf-86f1-41af-91ab-2d7cd011db47`",
      "- Accounts: 1 planned, 1 not planned; 6 steps", "- Accounts: every ready account (`--all-ready`)",
      `- Findings accepted (\`--accept\`): \`${ACCOUNT}\`: custom-authority`,
      "| fhir-patients | `fhirpatients/fhir` in rg-fhir | kv-contoso/fhir-cmk @ 4c2d8e0f (RBAC role) | 6 | planned |",
      "| fhir-legacy | `fhirlegacy/fhir` in rg-fhir | — | 0 | **not planned** |",
      "## fhir-patients → fhirpatients/fhir", `- FHIR URL: \`https://fhirpatients-fhir.fhir.azurehealthcareapis.com\``]) {
      expect(md).toContain(s);
    }
  });

  it("shows the key linkage: versionless source → pinned URL, identity, role and its key scope", () => {
    expect(md).toContain("- Source key URI (as configured): `https://kv-contoso.vault.azure.net/keys/fhir-cmk`");
    expect(md).toContain(`- Pinned key URL on the target: \`https://kv-contoso.vault.azure.net/keys/fhir-cmk/${VERSION}\`\n`);
    expect(md).toContain(`- Identity: \`${MI}\``);
    expect(md).toContain(`- Role: Key Vault Crypto Service Encryption User (\`/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/e147488a-f6f5-4113-8e2d-b22465e65bf6\`) at \`${KEY_SCOPE}\``);
  });

  it("shows an access-policy linkage and a chosen key", () => {
    const p = fixturePlan();
    const a = p.accounts[0]!;
    a.keyLinkage = { ...a.keyLinkage!, permissionModel: "accessPolicy", role: undefined, accessPolicy: { keys: ["get", "wrapKey", "unwrapKey"] }, chosenKey: true };
    const out = renderPlanMarkdown(p);
    expect(out).toContain("- Access policy: key permissions `get`, `wrapKey`, `unwrapKey` for the identity only");
    expect(out).toContain("(another key, chosen with `--key`)");
    expect(keyLinkageShort(a.keyLinkage)).toBe("kv-contoso/fhir-cmk @ 4c2d8e0f (access policy)");
    expect(keyLinkageShort(null)).toBe("Microsoft-managed key");
  });

  it("lists the data-plane grants, findings with acceptances, follow-ups and the not-planned reasons", () => {
    expect(md).toContain(`| FHIR Data Contributor | \`aaaaaaaa-0000-0000-0000-000000000001\` | User | \`${FHIR}\` |`);
    expect(md).toContain(`| AcrPull | new identity \`fhirpatients-fhir\` | ServicePrincipal | \`${RG}/providers/Microsoft.ContainerRegistry/registries/contosofhiracr\` |`);
    expect(md).toContain("- action `custom-authority` (accepted): The authority is not the tenant's own. Fix: Accept with --accept.");
    expect(md).toContain("- info `key-version-pinned`: The key is pinned to version 4c2d8e0f.");
    expect(md).toContain("- Recreate the private endpoint on workspace fhirpatients.");
    expect(md).toContain("| `kind-unversioned` | The account's kind is fhir: the FHIR version is not known. | `--kind ID=fhir-R4` |");
  });

  it("shows the flag that resolves a not-planned reason as code, and a fix in words as text", () => {
    expect(resolveCell("--kind ID=fhir-R4|fhir-Stu3")).toBe("`--kind ID=fhir-R4\\|fhir-Stu3`");
    expect(resolveCell("--key ID=KEY_URL, or enable purge protection on kv-1")).toBe("`--key ID=KEY_URL`, or enable purge protection on kv-1");
    expect(resolveCell("fix: enable purge protection")).toBe("fix: enable purge protection");
  });

  it("renders every step: title, PUT url, depends on, and the body in a details block with a json fence", () => {
    const p = fixturePlan();
    for (const [i, s] of p.steps.entries()) {
      // The heading is rendered from the request (issue 10 §2), never the stored title.
      expect(md).toContain(`#### ${i + 1}. ${stepTitle(p.steps, s)}`);
      expect(md).toContain(`- Request: \`PUT ${s.request.url}\``);
      expect(md).toMatch(new RegExp(`<details><summary>Request body of ${s.id}</summary>\\n\\n\`{3,4}json\\n`));
    }
    expect(md).toContain("- Depends on: `fhir-patients-3f2a91/ensure-workspace`, `fhir-patients-3f2a91/grant-key-role`");
    expect(md).toContain("- Depends on: nothing");
    expect(md).toContain("- Outputs: `principalId`, `clientId`");
    // The key grant is part of the key linkage, not of the data-plane grants table.
    expect(md).not.toContain("| Key Vault Crypto Service Encryption User |");
    // A body holding a ``` run gets a longer fence, so the block cannot end early.
    expect(md).toContain("````json\n{\n  \"kind\": \"fhir-R4\",");
    expect(md.match(/<details>/g)).toHaveLength(6);
    expect(md.match(/<\/details>/g)).toHaveLength(6);
  });

  it("writes bodies with sorted keys, so a plan read back from any JSON order renders the same", () => {
    const p = fixturePlan();
    const reordered = JSON.parse(JSON.stringify(p), (_k, v: unknown) => v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).reverse()) : v) as Plan;
    expect(renderPlanMarkdown(reordered)).toBe(md);
  });
});

describe("renderPlanMarkdown: determinism and layout", () => {
  it("gives byte-identical output for the same plan and for a JSON round trip of it", () => {
    const a = renderPlanMarkdown(fixturePlan());
    expect(renderPlanMarkdown(fixturePlan())).toBe(a);
    expect(renderPlanMarkdown(JSON.parse(JSON.stringify(fixturePlan())) as Plan)).toBe(a);
  });

  it("has no trailing spaces, ends with one newline, and no three blank lines in a row", () => {
    const md = renderPlanMarkdown(fixturePlan());
    expect(md.split("\n").filter((l) => /[ \t]$/.test(l))).toEqual([]);
    expect(md.endsWith("\n") && !md.endsWith("\n\n")).toBe(true);
    expect(md).not.toMatch(/\n\n\n/);
  });
});

describe("renderPlanMarkdown: escaping", () => {
  const hostile: SettingRow = { setting: "tags.a|b", source: "x | y `z` *w* [l](u) <b>", target: "line1\nline2  ", action: "changed", why: "_em_ and rg_fhir" };

  it("escapes |, backticks and emphasis/link/HTML characters in table cells, one line per cell", () => {
    expect(settingRowLine(hostile)).toBe(
      "| `tags.a\\|b` | x \\| y \\`z\\` \\*w\\* \\[l](u) \\<b\\> | line1 line2 | **changed** | \\_em\\_ and rg_fhir |");
  });

  it("keeps a table row to five cells whatever the values hold", () => {
    const line = settingRowLine(hostile);
    expect(line.replace(/\\\|/g, "").split("|").length - 2).toBe(5);
  });

  it("fences a code span with backticks inside it, and escapes summary HTML", () => {
    const p = fixturePlan();
    p.steps[0] = { ...p.steps[0]!, id: "a`b<i>", title: "ignored", request: { ...p.steps[0]!.request, body: { location: "with `tick` and | pipe" } } };
    const md = renderPlanMarkdown(p);
    expect(md).toContain("- Step: ``a`b<i>`` (ensure-workspace, long-running)");
    expect(md).toContain("<details><summary>Request body of a`b&lt;i&gt;</summary>");
    expect(md).toContain("#### 1. Workspace fhirpatients in rg-fhir (with \\`tick\\` and \\| pipe)");
    expect(md).not.toContain("ignored");
  });

  it("keeps a value from starting a heading, a nested list, a task box or strikethrough inside a list item", () => {
    const p = fixturePlan();
    p.accounts[0]!.followUps = ["# not a heading", "- not a list", "1. not a list", "[ ] not a task", "~~not struck~~"];
    const md = renderPlanMarkdown(p);
    expect(md).toContain(["- \\# not a heading", "- \\- not a list", "- 1\\. not a list", "- \\[ ] not a task", "- \\~\\~not struck\\~\\~"].join("\n"));
  });

  it("cannot be tricked into a second digest line by a value", () => {
    const p = fixturePlan();
    p.accounts[0]!.followUps.push(`x\nDigest: sha256:${"0".repeat(64)}`);
    p.accounts[0]!.settings[0] = { ...p.accounts[0]!.settings[0]!, why: `\nDigest: sha256:${"0".repeat(64)}` };
    expect(markdownDigest(renderPlanMarkdown(p))).toBe(DIGEST);
  });
});
