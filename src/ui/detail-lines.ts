// The account detail as a list of pre-wrapped lines: all CMK facts, every finding with its fix, and the
// source settings the migration carries over. Laid out here (pure) so the screen can scroll by line and
// its height never exceeds the terminal.
import type { Finding, Severity } from "../domain/findings.js";
import type { CmkFacts } from "../domain/inventory-document.js";
import { wrap } from "./format.js";
import type { UiAccount } from "./inventory-view.js";

export type LineStyle = "heading" | "text" | "dim" | Severity;

export interface DetailLine {
  text: string;
  style: LineStyle;
}

const LABEL = 19;

const yesNo = (v: boolean | null) => (v === null ? "unknown" : v ? "yes" : "no");
const orDash = (v: string | number | null | undefined) => (v === null || v === undefined || v === "" ? "—" : String(v));

export function detailLines(item: UiAccount, subscriptionName: string, width: number): DetailLine[] {
  const out: DetailLine[] = [];
  const w = Math.max(20, width);
  const push = (text: string, style: LineStyle = "text") => { out.push({ text, style }); };
  const field = (label: string, value: string) => {
    const lines = wrap(value, w - LABEL - 2);
    lines.forEach((l, i) => push(`  ${(i === 0 ? label : "").padEnd(LABEL)}${l}`));
  };
  const blank = () => push("");
  const a = item.account;
  const p = a.properties;

  push("Account", "heading");
  field("Id", a.id);
  field("Subscription", `${subscriptionName} (${a.subscriptionId})`);
  field("Resource group", a.resourceGroup);
  field("Region", a.location);
  field("Kind", a.kind);
  field("State", orDash(p.provisioningState));
  field("Verdict", item.verdict);
  blank();

  push("Customer-managed key", "heading");
  if (item.cmk) cmkLines(item.cmk, field);
  else field("Key", "Microsoft-managed (no cosmosDbConfiguration.keyVaultKeyUri)");
  blank();

  push(`Findings (${item.findings.length})`, "heading");
  if (item.findings.length === 0) push("  none", "dim");
  for (const f of item.findings) findingLines(f, w).forEach((l) => out.push(l));
  blank();

  push("Source settings", "heading");
  const auth = p.authenticationConfiguration;
  field("Authority", orDash(auth?.authority));
  field("Audience", orDash(auth?.audience));
  field("SMART proxy", auth?.smartProxyEnabled ? "enabled" : "off");
  const cors = p.corsConfiguration;
  const corsSet = !!cors && ((cors.origins?.length ?? 0) > 0 || (cors.methods?.length ?? 0) > 0 || (cors.headers?.length ?? 0) > 0);
  field("CORS", corsSet ? [`origins ${list(cors?.origins)}`, `methods ${list(cors?.methods)}`, `headers ${list(cors?.headers)}`,
    `max age ${orDash(cors?.maxAge)}`, `credentials ${cors?.allowCredentials ? "allowed" : "not allowed"}`].join("; ") : "not configured");
  field("Export", p.exportConfiguration?.storageAccountName ? `storage account ${p.exportConfiguration.storageAccountName}` : "not configured");
  const acr = p.acrConfiguration;
  const servers = acr?.loginServers ?? [];
  field("ACR", servers.length ? `${servers.join(", ")}${acr?.ociArtifacts?.length ? `; ${acr.ociArtifacts.length} OCI artifact(s)` : ""}` : "not configured");
  field("Access policies", `${p.accessPolicies?.length ?? 0} object id(s)${p.accessPolicies?.length ? `: ${p.accessPolicies.map((x) => x.objectId).join(", ")}` : ""}`);
  field("Private endpoints", String(p.privateEndpointConnections?.length ?? 0));
  field("Public network", orDash(p.publicNetworkAccess));
  return out;
}

function list(values: string[] | undefined): string {
  return values && values.length ? values.join(", ") : "—";
}

function cmkLines(c: CmkFacts, field: (label: string, value: string) => void): void {
  field("Key URI", c.keyUri);
  field("Vault", `${c.vaultName} (${c.vaultUri})`);
  field("Vault id", orDash(c.vaultId));
  field("Vault region", orDash(c.vaultLocation));
  field("Vault tenant", orDash(c.vaultTenantId));
  field("Key", c.keyName);
  field("Current version", orDash(c.currentVersion));
  field("Type / size", `${orDash(c.keyType)}${c.keySize ? ` ${c.keySize} bits` : ""}`);
  field("Enabled", yesNo(c.enabled));
  field("Expires", orDash(c.expiresOn));
  field("Recovery level", orDash(c.recoveryLevel));
  field("Soft delete", yesNo(c.softDelete));
  field("Purge protection", yesNo(c.purgeProtection));
  field("Permission model", c.permissionModel === "rbac" ? "Azure RBAC" : c.permissionModel === "accessPolicy" ? "access policies" : "unknown");
  field("Network", c.networkDefaultAction === null ? "unknown"
    : `default action ${c.networkDefaultAction}, bypass ${orDash(c.networkBypass)}`);
}

const MARK: Record<Severity, string> = { blocker: "✖ blocker", action: "! action ", info: "i info   " };

function findingLines(f: Finding, width: number): DetailLine[] {
  const out: DetailLine[] = [{ text: `  ${MARK[f.severity]}  ${f.code}`, style: f.severity }];
  for (const l of wrap(f.message, width - 6)) out.push({ text: `      ${l}`, style: "text" });
  if (f.fix) wrap(`Fix: ${f.fix}`, width - 6).forEach((l) => out.push({ text: `      ${l}`, style: "dim" }));
  return out;
}
