// The plan's Markdown twin (NAME.plan.md, DESIGN.md "Files the tool owns"): the same plan for humans,
// written to read well on a code-review page (GitHub-flavoured Markdown) and carrying the digest, which
// `plan --check` compares with the JSON's. Pure and deterministic: the same plan gives the same bytes.
import type { KeyLinkage, Plan, PlannedAccount, PlanStep, SettingRow } from "../domain/plan.js";
import type { Finding } from "../domain/findings.js";
import { parseKeyUri } from "../domain/snapshot.js";
import { grantsSection, stepSection } from "./markdown-steps.js";
import { mdCell, mdCode, mdTable, mdText } from "./markdown-text.js";
import { codePointCompare } from "../domain/code-point-order.js";
import { RETIREMENT_NOTICE } from "../domain/retirement.js";

const DIGEST_LINE = /^Digest: (sha256:[0-9a-f]{64})$/;

/**
 * The digest a plan's Markdown carries (`Digest: sha256:<64 hex>` on a line of its own), or null when
 * there is none — or more than one different one, since a reviewer could not tell which is meant.
 */
export function markdownDigest(md: string): string | null {
  const found = new Set<string>();
  for (const line of md.split(/\r?\n/)) {
    const m = DIGEST_LINE.exec(line);
    if (m) found.add(m[1]!);
  }
  return found.size === 1 ? [...found][0]! : null;
}

export function renderPlanMarkdown(plan: Plan): string {
  const planned = plan.accounts.filter((a) => a.status === "planned");
  const notPlanned = plan.accounts.filter((a) => a.status !== "planned");
  const plannedIds = new Set(planned.map((a) => a.id));
  const otherSteps = plan.steps.filter((s) => !plannedIds.has(s.accountId));
  const lines: string[] = [
    `# Migration plan ${plan.planId ? mdText(plan.planId) : "(not sealed)"}`,
    "",
    plan.digest ? `Digest: ${plan.digest}` : "Digest: (not sealed)",
    "",
    `> ${RETIREMENT_NOTICE} This plan moves each service, its key linkage, settings and access, **not its data**: until the data is copied the migration is not complete.`,
    "",
    ...header(plan, planned.length, notPlanned.length),
    "",
    "## Summary",
    "",
    ...summaryTable(plan),
  ];
  for (const account of planned) lines.push("", ...accountSection(account, stepsOf(plan, account.id), plan.steps));
  if (otherSteps.length) lines.push("", ...otherStepsSection(otherSteps, plan.steps));
  if (notPlanned.length) lines.push("", ...notPlannedSection(notPlanned));
  lines.push("", ...fingerprintSection(plan));
  return `${lines.map((l) => l.replace(/[ \t]+$/, "")).join("\n")}\n`;
}

function stepsOf(plan: Plan, accountId: string): PlanStep[] {
  return plan.steps.filter((s) => s.accountId === accountId);
}

function header(plan: Plan, planned: number, notPlanned: number): string[] {
  const c = plan.choices;
  const list = (entries: [string, string][], fmt: (k: string, v: string) => string): string =>
    entries.length ? entries.sort(([a], [b]) => codePointCompare(a, b)).map(([k, v]) => fmt(k, v)).join("; ") : "none";
  return [
    `The human-readable twin of the plan file with the same name (\`.plan.json\`); \`ahds-migrate plan --check\`` +
      " verifies that both carry the same digest and that the plan is not stale.",
    "",
    `- Created: ${mdText(plan.createdAt)}`,
    `- Cloud: ${mdText(plan.cloud)}`,
    `- Tenant: ${mdCode(plan.tenantId)}`,
    `- Tool: ${mdText(`${plan.tool.name} ${plan.tool.version}`)}, plan format ${plan.formatVersion}`,
    `- Accounts: ${planned} planned, ${notPlanned} not planned; ${plan.steps.length} steps`,
    "",
    "Choices:",
    "",
    `- Accounts: ${c.accounts === "all-ready" ? "every ready account (`--all-ready`)" : c.accounts.map((a) => mdCode(a)).join(", ") || "none"}`,
    `- Target resource group: ${c.targetResourceGroup ? mdCode(c.targetResourceGroup) : "each account's own"}`,
    `- Keys chosen (\`--key\`): ${list(Object.entries(c.keys), (k, v) => `${mdCode(k)} → ${mdCode(v)}`)}`,
    `- Kinds chosen (\`--kind\`): ${list(Object.entries(c.kinds), (k, v) => `${mdCode(k)} → ${mdCode(v)}`)}`,
    `- Findings accepted (\`--accept\`): ${list(Object.entries(c.accept).map(([k, v]) => [k, v.join(", ")]),
      (k, v) => `${mdCode(k)}: ${mdText(v)}`)}`,
    `- Names chosen (\`--name\`): ${list(Object.entries(c.names ?? {}).map(([k, v]) => [k, `${v.workspace}/${v.fhirService}`]),
      (k, v) => `${mdCode(k)} → ${mdCode(v)}`)}`,
  ];
}

/** `vault/key @ version` (first 8 characters of the version), and how the identity gets access. */
export function keyLinkageShort(k: KeyLinkage | null): string {
  if (!k) return "Microsoft-managed key";
  const p = parseKeyUri(k.targetKeyUrl);
  const where = p ? `${p.vaultName}/${p.keyName}${p.version ? ` @ ${p.version.slice(0, 8)}` : ""}` : k.targetKeyUrl;
  return `${where} (${k.permissionModel === "rbac" ? "RBAC role" : "access policy"})`;
}

function summaryTable(plan: Plan): string[] {
  const rows = plan.accounts.map((a) => [
    mdCell(a.name),
    `${mdCode(`${a.target.workspaceName}/${a.target.fhirServiceName}`, true)} in ${mdCell(a.target.resourceGroup)}`,
    a.status === "planned" ? mdCell(keyLinkageShort(a.keyLinkage)) : "—",
    String(stepsOf(plan, a.id).length),
    a.status === "planned" ? "planned" : "**not planned**",
  ]);
  return mdTable(["Account", "Target workspace/FHIR service", "Key linkage", "Steps", "Status"], rows);
}

function accountSection(a: PlannedAccount, steps: PlanStep[], allSteps: readonly PlanStep[]): string[] {
  const t = a.target;
  return [
    `## ${mdText(a.name)} → ${mdText(`${t.workspaceName}/${t.fhirServiceName}`)}`,
    "",
    `- Source: ${mdCode(a.id)} (${mdText(a.location)})`,
    `- Target workspace: ${mdCode(t.workspaceId)}${t.existingWorkspace ? ` — ${mdText(adoptedWorkspaceText(t.existingWorkspace))}` : ""}`,
    `- Target FHIR service: ${mdCode(t.fhirServiceId)} (${mdText(t.kind)})`,
    `- FHIR URL: ${mdCode(t.fhirUrl)}`,
    `- Network exposure: ${mdText(networkExposure(a))}`,
    `- Identity: ${mdCode(t.identityId)}`,
    "",
    "### Key linkage",
    "",
    ...keyLinkageSection(a.keyLinkage),
    "",
    "### Settings",
    "",
    ...settingsTable(a.settings),
    "",
    "### Data-plane grants",
    "",
    ...grantsSection(steps, t.identityName),
    "",
    "### Findings",
    "",
    ...findingsList(a.findings, a.accepted),
    "",
    "### Follow-ups",
    "",
    ...(a.followUps.length ? a.followUps.map((f) => `- ${mdText(f)}`) : ["None."]),
    "",
    `### Steps (${steps.length})`,
    ...steps.flatMap((s, i) => ["", ...stepSection(s, i + 1, allSteps)]),
  ];
}

/**
 * What the target's network exposure will be, said plainly (issue 9 §3): always public at creation, since
 * publicNetworkAccess is read-only in 2024-03-31; a private source makes that a change the user accepted.
 */
export function networkExposure(a: PlannedAccount): string {
  const base = "public: the FHIR service answers from the internet (Microsoft Entra ID tokens are still required)";
  return a.findings.some((f) => f.code === "source-private-network")
    ? `${base}, although the source has public network access disabled — create the workspace's private endpoint and disable public access before copying data`
    : `${base}, as the source is`;
}

/** "uses the existing workspace, created 2026-03-01 by alice@contoso.com (User); the plan does not change it". */
export function adoptedWorkspaceText(w: NonNullable<PlannedAccount["target"]["existingWorkspace"]>): string {
  const when = w.createdAt ? ` ${w.createdAt.slice(0, 10)}` : " (date not known)";
  const who = w.createdBy ? ` by ${w.createdBy}${w.createdByType ? ` (${w.createdByType})` : ""}` : "";
  return `uses the existing workspace, created${when}${who}; the plan does not change it (no PUT, its tags stay as they are)`;
}

function keyLinkageSection(k: KeyLinkage | null): string[] {
  if (!k) return ["No customer-managed key on the source: the FHIR service uses a Microsoft-managed key."];
  const access = k.role
    ? `- Role: ${mdText(k.role.roleName)} (${mdCode(k.role.roleDefinitionId)}) at ${mdCode(k.role.scope)},` +
      ` assignment ${mdCode(k.role.assignmentName)}`
    : k.accessPolicy
      ? `- Access policy: key permissions ${k.accessPolicy.keys.map((p) => mdCode(p)).join(", ")} for the identity only`
      : "- Access: none planned";
  return [
    `- Source key URI (as configured): ${mdCode(k.sourceKeyUri)}`,
    `- Pinned key URL on the target: ${mdCode(k.targetKeyUrl)}${k.chosenKey ? " (another key, chosen with `--key`)" : ""}`,
    `- Vault: ${mdCode(k.vaultId)} (${k.permissionModel === "rbac" ? "Azure RBAC" : "access policies"})`,
    `- Identity: ${mdCode(k.identityId)}`,
    access,
  ];
}

/** One table row per SettingRow; actions other than "copied" in bold so a reviewer's eye lands on them. */
export function settingRowLine(r: SettingRow): string {
  const action = r.action === "copied" ? r.action : `**${r.action}**`;
  return `| ${mdCode(r.setting, true)} | ${mdCell(r.source)} | ${mdCell(r.target)} | ${action} | ${mdCell(r.why)} |`;
}

function settingsTable(rows: SettingRow[]): string[] {
  if (rows.length === 0) return ["No settings."];
  return [...mdTable(["Setting", "Source", "Target", "Action", "Why"], []), ...rows.map(settingRowLine)];
}

function findingsList(findings: Finding[], accepted: string[]): string[] {
  const lines = findings.map((f) => {
    const mark = accepted.includes(f.code) ? " (accepted)" : "";
    return `- ${f.severity} ${mdCode(f.code)}${mark}: ${mdText(f.message)}${f.fix ? ` Fix: ${mdText(f.fix)}` : ""}`;
  });
  const acc = accepted.length ? [`Accepted with \`--accept\`: ${accepted.map((c) => mdCode(c)).join(", ")}.`, ""] : [];
  return [...acc, ...(lines.length ? lines : ["None."])];
}

function otherStepsSection(steps: PlanStep[], allSteps: readonly PlanStep[]): string[] {
  return ["## Shared steps", ...steps.flatMap((s, i) => ["", ...stepSection(s, i + 1, allSteps)])];
}

function notPlannedSection(accounts: PlannedAccount[]): string[] {
  const lines = ["## Not planned", "", "Each reason names the flag or fix that resolves it; then plan again."];
  for (const a of accounts) {
    lines.push(
      "",
      `### ${mdText(a.name)}`,
      "",
      `- Source: ${mdCode(a.id)} (${mdText(a.location)})`,
      "",
      ...mdTable(["Finding", "Reason", "Resolve with"],
        a.notPlanned.map((r) => [mdCode(r.code, true), mdCell(r.message), resolveCell(r.resolve)])),
    );
  }
  return lines;
}

/** A flag to pass (`--kind ID=fhir-R4`) reads best as code; a fix in words ("…, or enable …") stays text. */
export function resolveCell(resolve: string): string {
  if (!resolve.startsWith("--")) return mdCell(resolve);
  const or = resolve.indexOf(", or ");
  return or < 0 ? mdCode(resolve, true) : `${mdCode(resolve.slice(0, or), true)}, or ${mdCell(resolve.slice(or + 5))}`;
}

function fingerprintSection(plan: Plan): string[] {
  const f = plan.fingerprint;
  const yes = (b: boolean): string => (b ? "on" : "off");
  return [
    "## What this plan relies on",
    "",
    "`apply` re-reads these source facts and refuses the plan as stale when one of them changed since planning.",
    "",
    ...tableOrNone("No accounts.", ["Account", "ETag", "Properties SHA-256 (first 12 hex)"],
      f.accounts.map((a) => [mdCode(a.id, true), a.etag ? mdCode(a.etag, true) : "—", mdCode(a.propertiesSha256.slice(0, 12), true)])),
    "",
    ...tableOrNone("No keys.", ["Key", "Pinned version", "Current version at plan time"],
      f.keys.map((k) => [mdCode(`${k.vaultName}/${k.keyName}`, true), mdCode(k.version, true), mdCode(k.currentVersion, true)])),
    "",
    ...tableOrNone("No vaults.", ["Vault", "Location", "Soft delete", "Purge protection", "Permission model"],
      f.vaults.map((v) => [mdCode(v.id, true), mdCell(v.location), yes(v.softDelete), yes(v.purgeProtection), v.permissionModel === "rbac" ? "Azure RBAC" : "access policies"])),
  ];
}

function tableOrNone(none: string, header: string[], rows: string[][]): string[] {
  return rows.length ? mdTable(header, rows) : [none];
}
