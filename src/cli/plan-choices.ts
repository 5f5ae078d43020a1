// The choices of `ahds-migrate plan` (issue 4 "Choices"): flag strings → PlanChoices (src/domain/plan.ts),
// every refusal a UsageError (exit 2) with one line and the next step, all before signing in. Resolving the
// chosen account ids against what discovery found happens after it (resolveChoiceAccounts), and
// replanCommand() turns a plan's recorded choices back into the command that makes it again (what a stale
// plan tells the user to run). Pure: no I/O.
import { ACCEPTABLE_CODES, FINDING_CODES, type FindingCode } from "../domain/findings.js";
import type { PlanChoices } from "../domain/plan.js";
import { parseKeyUri, type CloudName } from "../domain/snapshot.js";
import { UsageError } from "../domain/errors.js";
import { CLOUDS } from "../azure/cloud.js";
import { TARGET_FHIR_SERVICE_NAME, TARGET_NAME, type TargetNames } from "../domain/target-names.js";

/** The flags as commander hands them over (repeatable ones as arrays of raw strings). */
export interface RawPlanChoices {
  account?: string[];
  allReady?: boolean;
  targetResourceGroup?: string;
  key?: string[];
  kind?: string[];
  accept?: string[];
  name?: string[];
  /** Repeatable --subscription (GUIDs, validated by program.ts). */
  subscription?: string[];
  /** --storage-account ID (issue 11). */
  storageAccount?: string;
}

export const KINDS = ["fhir-R4", "fhir-Stu3"] as const;

const GUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
// Resource group names (Learn "Naming rules and restrictions for Azure resources", Microsoft.Resources):
// 1–90 of Unicode letters/digits, underscore, hyphen, period and parentheses; not ending in a period.
const RG_NAME = /^[-\w.()\p{L}\p{Nd}]{1,90}$/u;
const ACCOUNT_ID = new RegExp(
  `^/subscriptions/(${GUID})/resourceGroups/([^/]+)/providers/Microsoft\\.HealthcareApis/services/([^/]+)$`, "i");
// Key Vault object names: 1–127 alphanumerics and hyphens; versions are 32 hex (Learn "About keys").
const KEY_NAME = /^[0-9a-z-]{1,127}$/i;
const KEY_VERSION = /^[0-9a-f]{32}$/i;
// Vault names: 3–24, letters, digits and hyphens, starting with a letter, no "--", not ending in "-".
const VAULT_NAME = /^[a-z](?!.*--)[a-z0-9-]{1,22}[a-z0-9]$/i;

const INVENTORY_HINT = "Run 'ahds-migrate inventory' to list the accounts and their resource ids.";

/** Whether `id` is a legacy Azure API for FHIR account id, and its parts. */
export function parseAccountId(id: string): { subscriptionId: string; resourceGroup: string; name: string } | null {
  const m = ACCOUNT_ID.exec(id.trim());
  if (!m || !RG_NAME.test(m[2]!) || m[2]!.endsWith(".")) return null;
  return { subscriptionId: m[1]!.toLowerCase(), resourceGroup: m[2]!, name: m[3]! };
}

function accountOrRefuse(id: string, flag: string): string {
  const trimmed = id.trim();
  if (!parseAccountId(trimmed)) {
    throw new UsageError(`${flag}: '${id}' is not an Azure API for FHIR account id `
      + "(/subscriptions/{id}/resourceGroups/{group}/providers/Microsoft.HealthcareApis/services/{name}).", [INVENTORY_HINT]);
  }
  return trimmed;
}

/** `ACCOUNT_ID=VALUE` → both parts; the account id holds no "=", so the first one splits. */
function pair(raw: string, flag: string, valueName: string): [string, string] {
  const at = raw.indexOf("=");
  if (at <= 0 || at === raw.length - 1) {
    throw new UsageError(`${flag}: expected ACCOUNT_ID=${valueName}, got '${raw}'.`,
      [`Example: ${flag} /subscriptions/…/providers/Microsoft.HealthcareApis/services/fhir-prod=${EXAMPLES[valueName] ?? valueName}`]);
  }
  return [accountOrRefuse(raw.slice(0, at), flag), raw.slice(at + 1).trim()];
}

const EXAMPLES: Record<string, string> = {
  KEY_URL: "https://contoso-kv.vault.azure.net/keys/fhir-cmk", KIND: "fhir-R4", CODE: "custom-authority",
  "WORKSPACE[/FHIR]": "fhirprod2/fhir",
};

/** A Key Vault key URL of the cloud (versioned or versionless), or a UsageError saying what is wrong. */
export function checkKeyUrl(url: string, cloud: CloudName, flag = "--key"): string {
  const suffix = CLOUDS[cloud].keyVaultSuffix;
  const example = `https://{vault}${suffix}/keys/{key}[/{version}]`;
  const parsed = parseKeyUri(url);
  const refuse = (why: string) => new UsageError(`${flag}: '${url}' ${why}.`, [`Give the key's URL as ${example} (the 'kid' of 'az keyvault key show').`]);
  if (!parsed) throw refuse("is not a Key Vault key URL");
  const u = new URL(url);
  if (u.search || u.hash || u.port || u.username) throw refuse("has a query, fragment, port or user part");
  if (!parsed.vaultHost.endsWith(suffix) || parsed.vaultHost.split(".").length !== suffix.split(".").length) {
    throw refuse(`is not on this cloud's Key Vault (${cloud}: *${suffix})`);
  }
  if (!VAULT_NAME.test(parsed.vaultName)) throw refuse(`names an invalid vault '${parsed.vaultName}'`);
  if (!KEY_NAME.test(parsed.keyName)) throw refuse(`names an invalid key '${parsed.keyName}'`);
  if (parsed.version !== null && !KEY_VERSION.test(parsed.version)) throw refuse(`names an invalid key version '${parsed.version}' (32 hex digits)`);
  return `https://${parsed.vaultHost}/keys/${parsed.keyName}${parsed.version ? `/${parsed.version}` : ""}`;
}

/** A resource group name by ARM's rules, or a UsageError. */
export function checkResourceGroupName(name: string): string {
  if (!RG_NAME.test(name) || name.endsWith(".")) {
    throw new UsageError(`--target-resource-group: '${name}' is not a valid resource group name.`,
      ["Use 1–90 letters, digits, '_', '-', '.', '(' or ')', not ending in '.'."]);
  }
  return name;
}

/**
 * Flags → PlanChoices; throws UsageError (exit 2) for the first problem. Account ids keep the user's case
 * here; resolveChoiceAccounts() replaces them with ARM's once discovery has read the accounts.
 */
export function parsePlanChoices(raw: RawPlanChoices, cloud: CloudName): PlanChoices {
  const accounts = (raw.account ?? []).map((a) => accountOrRefuse(a, "--account"));
  if (accounts.length > 0 && raw.allReady) {
    throw new UsageError("--account and --all-ready exclude each other.", ["Give either --account ID (repeatable) or --all-ready."]);
  }
  if (accounts.length === 0 && !raw.allReady) {
    throw new UsageError("Say which accounts to plan: --account ID (repeatable) or --all-ready.", [INVENTORY_HINT]);
  }
  const selected = new Set(accounts.map((a) => a.toLowerCase()));
  const mustBeSelected = (id: string, flag: string) => {
    if (accounts.length > 0 && !selected.has(id.toLowerCase())) {
      throw new UsageError(`${flag}: ${id} is not one of the --account accounts.`, [`Add --account ${id}, or drop that ${flag}.`]);
    }
  };

  const keys: Record<string, string> = {};
  for (const r of raw.key ?? []) {
    const [id, url] = pair(r, "--key", "KEY_URL");
    mustBeSelected(id, "--key");
    const checked = checkKeyUrl(url, cloud);
    const existing = entry(keys, id);
    if (existing !== undefined && existing[1] !== checked) throw new UsageError(`--key: ${id} is given two keys (${existing[1]} and ${checked}).`, ["Give one --key per account."]);
    keys[existing?.[0] ?? id] = checked;
  }

  const kinds: Record<string, "fhir-R4" | "fhir-Stu3"> = {};
  for (const r of raw.kind ?? []) {
    const [id, value] = pair(r, "--kind", "KIND");
    mustBeSelected(id, "--kind");
    const kind = KINDS.find((k) => k.toLowerCase() === value.toLowerCase());
    if (!kind) throw new UsageError(`--kind: '${value}' is not a FHIR version; use fhir-R4 or fhir-Stu3.`, [`Example: --kind ${id}=fhir-R4`]);
    const existing = entry(kinds, id);
    if (existing !== undefined && existing[1] !== kind) throw new UsageError(`--kind: ${id} is given two kinds (${existing[1]} and ${kind}).`, ["Give one --kind per account."]);
    kinds[existing?.[0] ?? id] = kind;
  }

  const accept: Record<string, FindingCode[]> = {};
  for (const r of raw.accept ?? []) {
    const [id, value] = pair(r, "--accept", "CODE");
    mustBeSelected(id, "--accept");
    const code = value.toLowerCase() as FindingCode;
    if (!(ACCEPTABLE_CODES as readonly string[]).includes(code)) {
      throw new UsageError(`--accept: ${notAcceptableWhy(value)}; acceptable codes: ${ACCEPTABLE_CODES.join(", ")}.`,
        [resolveHint(code)]);
    }
    const existing = entry(accept, id);
    const key = existing?.[0] ?? id;
    accept[key] = [...new Set([...(accept[key] ?? []), code])].sort();
  }

  const names: Record<string, TargetNames> = {};
  for (const r of raw.name ?? []) {
    const [id, value] = pair(r, "--name", "WORKSPACE[/FHIR]");
    mustBeSelected(id, "--name");
    const chosen = checkTargetNames(value);
    const existing = entry(names, id);
    if (existing !== undefined && (existing[1].workspace !== chosen.workspace || existing[1].fhirService !== chosen.fhirService)) {
      throw new UsageError(`--name: ${id} is given two names (${existing[1].workspace}/${existing[1].fhirService} and ${chosen.workspace}/${chosen.fhirService}).`, ["Give one --name per account."]);
    }
    names[existing?.[0] ?? id] = chosen;
  }
  const byWorkspace = new Map<string, string>();
  for (const [id, n] of Object.entries(names)) {
    const other = byWorkspace.get(n.workspace);
    if (other) throw new UsageError(`--name: ${other} and ${id} are both given workspace ${n.workspace}; workspace names are unique across subscriptions.`, ["Give each account its own workspace name."]);
    byWorkspace.set(n.workspace, id);
  }

  return {
    accounts: raw.allReady ? "all-ready" : dedupe(accounts),
    targetResourceGroup: raw.targetResourceGroup === undefined ? null : checkResourceGroupName(raw.targetResourceGroup),
    keys, kinds, accept, names,
    ...(raw.subscription?.length ? { subscriptions: [...new Set(raw.subscription.map((s) => s.toLowerCase()))].sort() } : {}),
    ...(raw.storageAccount !== undefined ? { storageAccount: checkStorageAccount(raw.storageAccount, raw.allReady ? [] : accounts) } : {}),
  };
}

const STORAGE_ACCOUNT = new RegExp(`^/subscriptions/(${GUID})/resourceGroups/([^/]+)/providers/Microsoft\\.Storage/storageAccounts/([a-z0-9]{3,24})$`, "i");

/**
 * --storage-account: an ARM storage account id, in the subscription of every selected account — Azure API
 * for FHIR exports only to a storage account of its own subscription (Learn "Configure export settings").
 * Returned as given (resolved against ARM's spelling by the plan run).
 */
export function checkStorageAccount(id: string, accounts: readonly string[]): string {
  const m = STORAGE_ACCOUNT.exec(id.trim());
  if (!m) {
    throw new UsageError(`--storage-account: '${id}' is not a storage account id (/subscriptions/…/resourceGroups/…/providers/Microsoft.Storage/storageAccounts/NAME, the name 3–24 lower-case letters and digits).`,
      ["Copy the id from 'az storage account show --name NAME --query id -o tsv'."]);
  }
  const elsewhere = accounts.find((a) => parseAccountId(a)?.subscriptionId.toLowerCase() !== m[1]!.toLowerCase());
  if (elsewhere) {
    throw new UsageError(`--storage-account: ${id} is not in the subscription of ${elsewhere}; Azure API for FHIR exports only to a storage account of its own subscription.`,
      ["Choose a storage account in that subscription, or plan the accounts of each subscription separately."]);
  }
  return id.trim();
}

/** `WORKSPACE` or `WORKSPACE/FHIR` → both names (FHIR defaults to "fhir"), each 3–24 lower-case letters and digits. */
export function checkTargetNames(value: string): TargetNames {
  const [workspace = "", fhirService = TARGET_FHIR_SERVICE_NAME, ...rest] = value.split("/");
  for (const [what, name] of [["workspace", workspace], ["FHIR service", fhirService]] as const) {
    if (rest.length > 0 || !TARGET_NAME.test(name)) {
      throw new UsageError(`--name: '${value}' is not WORKSPACE[/FHIR]: the ${what} name must be 3–24 lower-case letters and digits.`,
        ["Example: --name ACCOUNT_ID=fhirprod2 (FHIR service 'fhir'), or ACCOUNT_ID=fhirprod2/patients."]);
    }
  }
  return { workspace, fhirService };
}

function notAcceptableWhy(value: string): string {
  const code = value.toLowerCase();
  if (!(code in FINDING_CODES)) return `'${value}' is not a finding code`;
  return `${code} (${FINDING_CODES[code as FindingCode]}) cannot be accepted`;
}

/** What resolves a finding that --accept refuses (FINDINGS.md: kind by --kind, keys and vaults by fixing them or --key). */
function resolveHint(code: string): string {
  if (code === "kind-unversioned") return "Choose the kind instead: --kind ACCOUNT_ID=fhir-R4 (or fhir-Stu3).";
  if (code.startsWith("key-") || code.startsWith("vault-")) return "Fix the vault or key (see 'ahds-migrate inventory'), or choose another key with --key ACCOUNT_ID=KEY_URL.";
  return "Fix what the finding names (see 'ahds-migrate inventory'), then plan again.";
}

/** The record's entry whose key equals `id` case-insensitively. */
function entry<T>(record: Record<string, T>, id: string): [string, T] | undefined {
  return Object.entries(record).find(([k]) => k.toLowerCase() === id.toLowerCase());
}

function dedupe(ids: string[]): string[] {
  const seen = new Set<string>();
  return ids.filter((id) => {
    const k = id.toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The subscriptions to discover: --subscription when given, else the chosen accounts' (lower case), or undefined (every one) for --all-ready. */
export function subscriptionsOfChoices(choices: PlanChoices): string[] | undefined {
  if (choices.subscriptions?.length) return choices.subscriptions;
  if (choices.accounts === "all-ready") return undefined;
  return [...new Set(choices.accounts.map((a) => parseAccountId(a)!.subscriptionId))];
}

/**
 * --storage-account resolved against the storage accounts discovery listed (name → ARM id): ARM's spelling
 * of the id, or a UsageError when no such account is visible (it must be in a discovered subscription).
 */
export function resolveStorageAccount(choices: PlanChoices, storageAccounts: Readonly<Record<string, string>>): PlanChoices {
  if (!choices.storageAccount) return choices;
  const name = choices.storageAccount.split("/").pop()!.toLowerCase();
  const found = storageAccounts[name];
  if (!found || found.toLowerCase() !== choices.storageAccount.toLowerCase()) {
    throw new UsageError(`--storage-account: no storage account ${choices.storageAccount} is visible to the signed-in caller.`,
      ["Check the id with 'az storage account show --ids ID', and that you can read its subscription."]);
  }
  return { ...choices, storageAccount: found };
}

/**
 * Every account id the choices name, resolved against the discovered accounts: ARM's spelling replaces the
 * user's (ids compare case-insensitively), and an id discovery did not find is a UsageError naming it.
 */
export function resolveChoiceAccounts(choices: PlanChoices, accountIds: readonly string[]): PlanChoices {
  const byKey = new Map(accountIds.map((id) => [id.toLowerCase(), id]));
  const resolve = (id: string, flag: string): string => {
    const found = byKey.get(id.toLowerCase());
    if (!found) {
      throw new UsageError(`${flag}: no Azure API for FHIR account ${id} is visible to the signed-in caller.`,
        ["Check the id (and that you can read its subscription) with 'ahds-migrate inventory'."]);
    }
    return found;
  };
  const remap = <T>(record: Record<string, T>, flag: string): Record<string, T> =>
    Object.fromEntries(Object.entries(record).map(([id, v]) => [resolve(id, flag), v]));
  return {
    accounts: choices.accounts === "all-ready" ? "all-ready" : choices.accounts.map((a) => resolve(a, "--account")),
    targetResourceGroup: choices.targetResourceGroup,
    keys: remap(choices.keys, "--key"),
    kinds: remap(choices.kinds, "--kind"),
    accept: remap(choices.accept, "--accept"),
    names: remap(choices.names ?? {}, "--name"),
    ...(choices.subscriptions ? { subscriptions: choices.subscriptions } : {}),
    ...(choices.storageAccount ? { storageAccount: choices.storageAccount } : {}),
  };
}

/** The `ahds-migrate plan …` command line that plans the same choices again (quoted for POSIX shells). */
export function replanCommand(choices: PlanChoices, out?: string): string {
  const args: string[] = ["ahds-migrate", "plan"];
  if (choices.accounts === "all-ready") args.push("--all-ready");
  else for (const a of choices.accounts) args.push("--account", a);
  if (choices.targetResourceGroup) args.push("--target-resource-group", choices.targetResourceGroup);
  for (const [id, url] of Object.entries(choices.keys)) args.push("--key", `${id}=${url}`);
  for (const [id, kind] of Object.entries(choices.kinds)) args.push("--kind", `${id}=${kind}`);
  for (const [id, codes] of Object.entries(choices.accept)) for (const c of codes) args.push("--accept", `${id}=${c}`);
  for (const [id, n] of Object.entries(choices.names ?? {})) args.push("--name", `${id}=${n.workspace}/${n.fhirService}`);
  for (const s of choices.subscriptions ?? []) args.push("--subscription", s);
  if (choices.storageAccount) args.push("--storage-account", choices.storageAccount);
  if (out) args.push("--out", out);
  return args.map(shellQuote).join(" ");
}

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

