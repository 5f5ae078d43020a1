// The plan review as pre-wrapped lines (pure, like detail-lines.ts) so the screen scrolls by line and
// never grows past the terminal: per planned account the target, the key linkage, the settings diff, the
// findings and acceptances, the follow-ups and the steps; then the accounts not planned with the reason
// and the flag or fix that would resolve each.
import type { Severity } from "../domain/findings.js";
import type { KeyLinkage, Plan, PlannedAccount, SettingRow } from "../domain/plan.js";
import type { DetailLine, LineStyle } from "./detail-lines.js";
import { wrap } from "./format.js";
import { adoptedWorkspaceText } from "../planner/render-markdown.js";
import { stepTitle } from "../planner/step-title.js";

const LABEL = 14;
const MARK: Record<Severity, string> = { blocker: "✖ blocker", action: "! action ", info: "i info   " };

/** "sha256:3f2a91c0d4e5…" — enough to match it by eye against the .plan.md. */
export function shortDigest(digest: string): string {
  const m = /^sha256:([0-9a-f]+)$/.exec(digest);
  return m ? `sha256:${m[1]!.slice(0, 12)}…` : digest || "—";
}

/** The one-line summary under the title. */
export function planSummary(plan: Plan): string {
  const planned = plan.accounts.filter((a) => a.status === "planned").length;
  return `digest ${shortDigest(plan.digest)} · ${planned} planned / ${plan.accounts.length - planned} not planned · ${plan.steps.length} step(s)`;
}

export function planLines(plan: Plan, width: number): DetailLine[] {
  const w = Math.max(30, width);
  const out: DetailLine[] = [];
  const push = (text: string, style: LineStyle = "text") => { out.push({ text, style }); };
  /** Text wrapped under a hanging indent: the first line starts with `head`, the rest line up after it. */
  const hang = (head: string, text: string, style: LineStyle = "text") => {
    wrap(text, w - head.length).forEach((l, i) => push(`${i === 0 ? head : " ".repeat(head.length)}${l}`, style));
  };
  const field = (label: string, value: string) => hang(`  ${label.padEnd(LABEL)}`, value);

  const planned = plan.accounts.filter((a) => a.status === "planned");
  const notPlanned = plan.accounts.filter((a) => a.status !== "planned");
  if (planned.length === 0) push("No account could be planned; the reasons follow.", "dim");
  for (const a of planned) {
    push(`${a.name} → ${a.target.workspaceName}/${a.target.fhirServiceName}`, "heading");
    field("Source", sourceOf(a));
    field("Target", `workspace ${a.target.workspaceName}, FHIR service ${a.target.fhirServiceName} (${a.target.kind}) in resource group ${a.target.resourceGroup}`);
    if (a.target.existingWorkspace) field("Workspace", adoptedWorkspaceText(a.target.existingWorkspace));
    field("FHIR URL", a.target.fhirUrl);
    field("Network", a.findings.some((f) => f.code === "source-private-network")
      ? "PUBLIC, though the source is private: add the workspace's private endpoint, then disable public access" : "public, as the source is");
    field("Identity", `${a.target.identityName} (user-assigned, in ${a.target.resourceGroup})`);
    keyLines(a.keyLinkage, field);
    push(`  Settings (${a.settings.length})`);
    for (const r of a.settings) settingLines(r, hang);
    push(`  Findings (${a.findings.length})`);
    if (a.findings.length === 0) push("    none", "dim");
    for (const f of a.findings) {
      push(`    ${MARK[f.severity]}  ${f.code}${a.accepted.includes(f.code) ? "  (accepted)" : ""}`, f.severity);
      hang("      ", f.message);
    }
    if (a.followUps.length > 0) {
      push(`  Follow-ups (${a.followUps.length})`);
      for (const x of a.followUps) hang("    - ", x);
    }
    const steps = plan.steps.filter((s) => s.accountId === a.id);
    push(`  Steps (${steps.length})`);
    steps.forEach((s, i) => hang(`    ${String(i + 1).padStart(2)}. `, stepTitle(plan.steps, s)));
    push("");
  }
  if (notPlanned.length > 0) {
    push(`Not planned (${notPlanned.length})`, "heading");
    for (const a of notPlanned) {
      hang("  ", `${a.name}: ${sourceOf(a)}`);
      for (const r of a.notPlanned) {
        hang("    ✖ ", `${r.code}: ${r.message}`, "blocker");
        hang("      resolve: ", r.resolve, "dim");
      }
    }
  }
  while (out.length > 0 && out[out.length - 1]!.text === "") out.pop();
  return out;
}

function keyLines(k: KeyLinkage | null, field: (label: string, value: string) => void): void {
  if (!k) {
    field("Key", "Microsoft-managed (the source has no customer-managed key)");
    return;
  }
  field(k.chosenKey ? "Chosen key" : "Source key", k.sourceKeyUri);
  field("→ pinned to", k.targetKeyUrl);
  if (k.role) field("Key access", `role ${k.role.roleName} for the identity, scoped to ${scopeLabel(k.role.scope)}`);
  else if (k.accessPolicy) field("Key access", `access policy on vault ${k.vaultId.split("/").pop()}: keys ${k.accessPolicy.keys.join(", ")} for the identity only`);
  else field("Key access", k.permissionModel === "rbac" ? "Azure RBAC vault" : "access-policy vault");
}

function sourceOf(a: PlannedAccount): string {
  return `${a.location}, resource group ${a.resourceGroup}, subscription ${a.subscriptionId}`;
}

/** A key scope (…/vaults/{vault}/keys/{key}) as words; any other scope verbatim. */
function scopeLabel(scope: string): string {
  const m = /\/vaults\/([^/]+)\/keys\/([^/]+)$/i.exec(scope);
  return m ? `key ${m[2]} in vault ${m[1]}` : scope;
}

function settingLines(r: SettingRow, hang: (head: string, text: string, style?: LineStyle) => void): void {
  const value = r.source === r.target ? r.source : `${r.source || "—"} → ${r.target || "—"}`;
  hang(`    ${r.action.padEnd(8)} `, `${r.setting}: ${value}`);
  if (r.why) hang(" ".repeat(13), r.why, "dim");
}
