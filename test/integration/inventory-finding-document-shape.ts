// Structural check of an `inventory --json` document against FINDINGS.md "format 1": exactly the key sets
// the contract names (no more, no fewer), the value types, every finding's code known with FINDINGS.md's
// severity, `fix` present for blocker/action findings, and each verdict derived from its findings. Shared
// by the in-process finding tests and the e2e tests of the built CLI.
import { expect } from "vitest";
import { FINDING_CODES, verdictOf, type Finding } from "../../src/domain/findings.js";
import type { AccountReport, InventoryDocument } from "../../src/domain/inventory-document.js";

const DOCUMENT_KEYS = ["accounts", "cloud", "errors", "formatVersion", "generatedAt", "subscriptions", "tool"];
const SUBSCRIPTION_KEYS = ["displayName", "error", "subscriptionId", "tenantId"];
const ACCOUNT_KEYS = ["cmk", "findings", "id", "kind", "location", "name", "provisioningState", "resourceGroup", "subscriptionId", "verdict"];
const CMK_KEYS = ["currentVersion", "enabled", "expiresOn", "keyName", "keySize", "keyType", "keyUri", "networkBypass",
  "networkDefaultAction", "permissionModel", "purgeProtection", "recoveryLevel", "softDelete", "vaultId", "vaultLocation",
  "vaultName", "vaultTenantId", "vaultUri"];
const ERROR_KEYS = ["message", "scope"];
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

const keys = (o: unknown): string[] => Object.keys(o as object).sort();
const stringOrNull = (v: unknown) => v === null || typeof v === "string";
const boolOrNull = (v: unknown) => v === null || typeof v === "boolean";

/** Fails the test with the path of the first deviation from FINDINGS.md format 1. */
export function expectInventoryDocument(doc: unknown): asserts doc is InventoryDocument {
  expect(doc, "document").toBeTypeOf("object");
  const d = doc as InventoryDocument;
  expect(keys(d), "document keys").toEqual(DOCUMENT_KEYS);
  expect(d.formatVersion).toBe(1);
  expect(d.tool).toEqual({ name: "ahds-migrate", version: expect.any(String) });
  expect(["AzureCloud", "AzureUSGovernment"]).toContain(d.cloud);
  expect(d.generatedAt).toMatch(ISO);
  expect(Array.isArray(d.subscriptions) && Array.isArray(d.accounts) && Array.isArray(d.errors)).toBe(true);
  d.subscriptions.forEach((s, i) => {
    expect(keys(s), `subscriptions[${i}] keys`).toEqual(SUBSCRIPTION_KEYS);
    expect(typeof s.subscriptionId === "string" && typeof s.displayName === "string" && typeof s.tenantId === "string"
      && stringOrNull(s.error), `subscriptions[${i}] types`).toBe(true);
  });
  d.errors.forEach((e, i) => {
    expect(keys(e), `errors[${i}] keys`).toEqual(ERROR_KEYS);
    expect(typeof e.scope === "string" && typeof e.message === "string", `errors[${i}] types`).toBe(true);
  });
  d.accounts.forEach((a, i) => expectAccount(a, `accounts[${i}] (${String(a.name)})`));
}

function expectAccount(a: AccountReport, at: string): void {
  expect(keys(a), `${at} keys`).toEqual(ACCOUNT_KEYS);
  for (const k of ["id", "name", "subscriptionId", "resourceGroup", "location", "kind", "provisioningState"] as const) {
    expect(a[k], `${at}.${k}`).toBeTypeOf("string");
  }
  expect(a.id).toMatch(/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.HealthcareApis\/services\/[^/]+$/i);
  expect(["ready", "needs-action", "blocked"]).toContain(a.verdict);
  expect(Array.isArray(a.findings), `${at}.findings`).toBe(true);
  a.findings.forEach((f, j) => expectFinding(f, `${at}.findings[${j}]`));
  expect(a.verdict, `${at}.verdict derived from its findings`).toBe(verdictOf(a.findings));
  if (a.cmk !== null) {
    const c = a.cmk;
    expect(keys(c), `${at}.cmk keys`).toEqual(CMK_KEYS);
    for (const k of ["keyUri", "vaultUri", "vaultName", "keyName"] as const) expect(c[k], `${at}.cmk.${k}`).toBeTypeOf("string");
    for (const k of ["vaultId", "vaultLocation", "vaultTenantId", "currentVersion", "keyType", "expiresOn", "recoveryLevel"] as const) {
      expect(stringOrNull(c[k]), `${at}.cmk.${k} string or null`).toBe(true);
    }
    for (const k of ["enabled", "softDelete", "purgeProtection"] as const) expect(boolOrNull(c[k]), `${at}.cmk.${k} boolean or null`).toBe(true);
    expect(c.keySize === null || Number.isInteger(c.keySize), `${at}.cmk.keySize`).toBe(true);
    if (c.expiresOn !== null) expect(c.expiresOn).toMatch(ISO);
    expect(c.vaultUri, `${at}.cmk.vaultUri ends with a slash`).toMatch(/^https:\/\/[^/]+\/$/);
    expect([null, "rbac", "accessPolicy"]).toContain(c.permissionModel);
    expect([null, "Allow", "Deny"]).toContain(c.networkDefaultAction);
    expect([null, "AzureServices", "None"]).toContain(c.networkBypass);
  }
}

function expectFinding(f: Finding, at: string): void {
  expect(f.code in FINDING_CODES, `${at}.code ${f.code} is a FINDINGS.md code`).toBe(true);
  expect(f.severity, `${at} severity of ${f.code}`).toBe(FINDING_CODES[f.code]);
  expect(f.message, `${at}.message`).toBeTypeOf("string");
  expect(f.message.length).toBeGreaterThan(0);
  if (f.severity === "info") {
    expect(keys(f).filter((k) => k !== "fix"), `${at} keys`).toEqual(["code", "message", "severity"]);
    if ("fix" in f) expect(f.fix, `${at}.fix`).toBeTypeOf("string");
  } else {
    expect(keys(f), `${at} keys`).toEqual(["code", "fix", "message", "severity"]);
    expect(f.fix, `${at}.fix`).toBeTypeOf("string");
    expect(f.fix!.length).toBeGreaterThan(0);
  }
}

/** The account's report by name (exactly one). */
export function accountNamed(doc: InventoryDocument, name: string): AccountReport {
  const found = doc.accounts.filter((a) => a.name === name);
  expect(found.map((a) => a.name), `accounts named ${name}`).toEqual([name]);
  return found[0]!;
}

/** Blocker and action codes of an account, sorted. */
export function actionableCodes(account: AccountReport): string[] {
  return account.findings.filter((f) => f.severity !== "info").map((f) => f.code).sort();
}
