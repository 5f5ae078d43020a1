// Staleness (DESIGN.md "Files the tool owns", issue 4 item 5): the plan's fingerprint against the same facts
// read again now. Each changed fact becomes one line that names it, so the refusal says what to look at:
// "key fhir-cmk in contoso-kv has a new current version 9b1e1c2d… (planned 4c2d5e6f…)". Only fingerprinted
// facts count — the plan's own effects (an access policy it adds, the target it creates, more FHIR
// services) are not in the fingerprint and so never make a plan stale.
import type { PlanFingerprint } from "../domain/plan.js";
import { StalePlanError } from "../domain/errors.js";

type AccountPrint = PlanFingerprint["accounts"][number];
type VaultPrint = PlanFingerprint["vaults"][number];

/** A fingerprinted fact that could not be read again. `ref` is the account or vault id, or `vault/key/version`. */
export interface UnreadableFact {
  kind: "account" | "key" | "vault";
  ref: string;
  message: string;
}

/** What the reader saw beyond the hashes, so a message can say what the fact is now. */
export interface FingerprintNotes {
  unreadable: UnreadableFact[];
  keyAttributes: {
    vaultName: string; keyName: string; version: string;
    enabled: boolean | null; expiresOn: string | null; notBefore: string | null; recoveryLevel: string | null;
  }[];
  vaultNetwork: { id: string; defaultAction: string | null; bypass: string | null }[];
}

/** A fingerprint read now (src/inventory/read-fingerprint.ts): the same shape, plus optional notes. */
export type CurrentFingerprint = PlanFingerprint & Partial<FingerprintNotes>;

const REPLAN = "run `ahds-migrate plan` again";

const lastSegment = (id: string): string => id.split("/").filter(Boolean).at(-1) ?? id;
const short = (v: string): string => (v.length > 8 ? `${v.slice(0, 8)}…` : v);
const keyRefOf = (k: { vaultName: string; keyName: string; version: string }): string =>
  `${k.vaultName}/${k.keyName}/${k.version}`.toLowerCase();
const onOff = (b: boolean): string => (b ? "on" : "off");
const model = (m: VaultPrint["permissionModel"]): string => (m === "rbac" ? "Azure RBAC" : "access policies");

/** One line per changed or unreadable fact, in fingerprint order; [] when the plan is fresh. */
export function staleFacts(planned: PlanFingerprint, current: CurrentFingerprint): string[] {
  const out: string[] = [];
  const unreadable = new Map((current.unreadable ?? []).map((u) => [`${u.kind}:${u.ref.toLowerCase()}`, u.message]));
  const gone = (kind: UnreadableFact["kind"], ref: string): string =>
    unreadable.get(`${kind}:${ref.toLowerCase()}`) ?? "not found";

  const accounts = new Map(current.accounts.map((a) => [a.id.toLowerCase(), a]));
  for (const p of planned.accounts) {
    const c = accounts.get(p.id.toLowerCase());
    if (!c) { out.push(`account ${lastSegment(p.id)} can no longer be read: ${gone("account", p.id)}`); continue; }
    const what = accountChanges(p, c);
    if (what.length > 0) out.push(`account ${lastSegment(p.id)} changed since planning (${what.join("; ")})`);
  }

  const vaults = new Map(current.vaults.map((v) => [v.id.toLowerCase(), v]));
  const network = new Map((current.vaultNetwork ?? []).map((n) => [n.id.toLowerCase(), n]));
  for (const p of planned.vaults) {
    const name = lastSegment(p.id);
    const c = vaults.get(p.id.toLowerCase());
    if (!c) { out.push(`vault ${name} can no longer be read: ${gone("vault", p.id)}`); continue; }
    if (c.location.toLowerCase() !== p.location.toLowerCase()) out.push(`vault ${name} is now in ${c.location} (planned ${p.location})`);
    if (c.softDelete !== p.softDelete) out.push(`vault ${name} has soft delete ${onOff(c.softDelete)} (planned ${onOff(p.softDelete)})`);
    if (c.purgeProtection !== p.purgeProtection) out.push(`vault ${name} has purge protection ${onOff(c.purgeProtection)} (planned ${onOff(p.purgeProtection)})`);
    if (c.permissionModel !== p.permissionModel) out.push(`vault ${name} now uses ${model(c.permissionModel)} (planned ${model(p.permissionModel)})`);
    if (c.networkAclsSha256 !== p.networkAclsSha256) {
      const n = network.get(p.id.toLowerCase());
      const now = n ? ` (now default action ${n.defaultAction ?? "unknown"}, bypass ${n.bypass ?? "unknown"})` : "";
      out.push(`vault ${name} network ACLs changed since planning${now}`);
    }
  }

  const keys = new Map(current.keys.map((k) => [keyRefOf(k), k]));
  const attributes = new Map((current.keyAttributes ?? []).map((a) => [keyRefOf(a), a]));
  for (const p of planned.keys) {
    const label = `key ${p.keyName} in ${p.vaultName}`;
    const c = keys.get(keyRefOf(p));
    if (!c) { out.push(`${label} can no longer be read: ${gone("key", keyRefOf(p))}`); continue; }
    if (c.currentVersion.toLowerCase() !== p.currentVersion.toLowerCase()) {
      out.push(`${label} has a new current version ${short(c.currentVersion)} (planned ${short(p.currentVersion)})`);
    }
    if (c.attributesSha256 !== p.attributesSha256) {
      const a = attributes.get(keyRefOf(p));
      out.push(`${label}: version ${short(p.version)} changed since planning${a ? ` (now ${describeAttributes(a)})` : ""}`);
    }
  }
  return out;
}

function accountChanges(p: AccountPrint, c: AccountPrint): string[] {
  const what: string[] = [];
  if ((c.etag ?? null) !== (p.etag ?? null)) what.push(`etag ${c.etag ?? "none"}, planned ${p.etag ?? "none"}`);
  if (c.propertiesSha256 !== p.propertiesSha256) what.push("its properties differ");
  return what;
}

function describeAttributes(a: FingerprintNotes["keyAttributes"][number]): string {
  const parts = [a.enabled === false ? "disabled" : a.enabled === true ? "enabled" : "enabled unknown"];
  parts.push(a.expiresOn ? `expires ${a.expiresOn}` : "no expiry");
  if (a.notBefore) parts.push(`not before ${a.notBefore}`);
  // Key Vault derives the recovery level from the vault's soft delete and purge protection.
  if (a.recoveryLevel) parts.push(`recovery level ${a.recoveryLevel}`);
  return parts.join(", ");
}

/** The refusal for a stale plan: the first changed fact and what to do, then every changed fact. */
export function stalePlanError(source: string, facts: string[]): StalePlanError {
  const more = facts.length > 1 ? ` (and ${facts.length - 1} more)` : "";
  return new StalePlanError(`${source} is stale: ${facts[0] ?? "a source fact changed"}${more}; ${REPLAN}.`,
    facts.length > 1 ? ["Changed since planning:", ...facts.map((f) => `- ${f}`)] : []);
}

/** Throws the StalePlanError when any fingerprinted fact changed. */
export function assertFresh(source: string, planned: PlanFingerprint, current: CurrentFingerprint): void {
  const facts = staleFacts(planned, current);
  if (facts.length > 0) throw stalePlanError(source, facts);
}
