// The plan review through the real App at 100 columns: `p` plans the selected accounts (or the one under
// the cursor), "Planning…" until makePlan settles, the plan's lines, scrolling, `e` export and its
// error, Esc back to the list with the selection kept, a makePlan failure.
import { afterEach, describe, expect, it } from "vitest";
import { KEYS, loaded, renderUi, type RenderedUi } from "./render-ui.js";
import { SUB_DEV } from "./ui-estate.js";
import { uiEstate } from "./ui-estate.js";
import { accountIdOf, recordingPlans, uiPlan } from "./ui-plan.js";

let ui: RenderedUi | undefined;
afterEach(() => { ui?.unmount(); ui = undefined; });

async function listUi(rec: ReturnType<typeof recordingPlans>, rows?: number): Promise<RenderedUi> {
  ui = renderUi(loaded(uiEstate()), { plans: rec.plans, rows });
  await ui.waitFor((f) => f.includes("fhir-01"));
  return ui;
}

/** Select fhir-01, fhir-02 and fhir-05 (the rows of uiPlan) and press p. */
async function planThree(u: RenderedUi): Promise<void> {
  u.press(KEYS.space, KEYS.down, KEYS.space, KEYS.down, KEYS.down, KEYS.down, KEYS.space);
  await u.waitFor((f) => f.includes("3 selected"));
  u.press("p");
  await u.waitFor((f) => f.includes("Planning 3 account(s)…"));
}

const PLAN_TOP = [
  "ahds-migrate · AzureCloud · plan plan-3f2a91c0d4e5",
  "digest sha256:3f2a91c0d4e5… · 2 planned / 1 not planned · 7 step(s) · lines 1–11 of 55",
  "fhir-02 → fhir02/fhir",
  "  Source        eastus, resource group fhir-rg, subscription 22222222-2222-2222-2222-222222222222",
  "  Target        workspace fhir02, FHIR service fhir (fhir-R4) in resource group fhir-rg",
  "  FHIR URL      https://fhir02-fhir.fhir.azurehealthcareapis.com",
  "  Network       public, as the source is",
  "  Identity      fhir02-fhir-id (user-assigned, in fhir-rg)",
  "  Source key    https://contoso-kv.vault.azure.net/keys/fhir-cmk",
  "  → pinned to   https://contoso-kv.vault.azure.net/keys/fhir-cmk/0123456789abcdef0123456789abcdef",
  "  Key access    role Key Vault Crypto Service Encryption User for the identity, scoped to key",
  "                fhir-cmk in vault contoso-kv",
  "  Settings (3)",
  "e writes ./plans/<date>-<n>.plan.json and its .plan.md · data copy: none (d picks a storage account)",
  "esc back  ↑↓ PgUp PgDn Home End scroll  d data-copy store  e export to ./plans  a apply  q quit",
];

describe("plan review", () => {
  it("p with nothing selected plans the account under the cursor, shows Planning… and then the plan", async () => {
    const rec = recordingPlans();
    const u = await listUi(rec);
    u.press(KEYS.down);
    await u.waitFor((f) => f.includes("›  fhir-02"));
    u.press("p");
    let frame = await u.waitFor((f) => f.includes("Planning 1 account(s)…"));
    expect(frame.split("\n")).toEqual(["ahds-migrate · AzureCloud · plan", "Planning 1 account(s)…", "esc back  q quit"]);
    expect(rec.planned).toEqual([[accountIdOf("fhir-02", SUB_DEV)]]);
    rec.resolvePlan();
    frame = await u.waitFor((f) => f.includes("plan-3f2a91c0d4e5"));
    expect(frame.split("\n")).toEqual(PLAN_TOP);
  });

  it("plans the selected accounts in the order they were selected and shows every section", async () => {
    const rec = recordingPlans();
    const u = await listUi(rec, 70);
    await planThree(u);
    expect(rec.planned).toEqual([[accountIdOf("fhir-01"), accountIdOf("fhir-02", SUB_DEV), accountIdOf("fhir-05")]]);
    rec.resolvePlan();
    const frame = await u.waitFor((f) => f.includes("plan-3f2a91c0d4e5"));
    const lines = frame.split("\n");
    expect(lines[1]).toBe("digest sha256:3f2a91c0d4e5… · 2 planned / 1 not planned · 7 step(s)");
    const at = (text: string) => { const i = lines.indexOf(text); expect(i, text).toBeGreaterThan(0); return i; };
    const settings = at("  Settings (3)");
    expect(lines.slice(settings + 1, settings + 9)).toEqual([
      "    copied   Authority: https://login.microsoftonline.com/33333333-3333-3333-3333-333333333333",
      "             The tenant's own authority.",
      "    changed  Audience: https://fhir-02.azurehealthcareapis.com →",
      "             https://fhir02-fhir.fhir.azurehealthcareapis.com",
      "             The FHIR service answers on its own URL; clients must ask for tokens with the new",
      "             audience.",
      "    dropped  SMART proxy: enabled → —",
      "             FHIR services have no SMART proxy (accepted).",
    ]);
    const findings = at("  Findings (2)");
    expect(lines.slice(findings + 1, findings + 5)).toEqual([
      "    ! action   smart-proxy-enabled  (accepted)",
      "      The SMART on FHIR proxy is enabled; the target has no proxy.",
      "    i info     key-version-pinned",
      "      The source key URI is versionless; the plan pins the current version.",
    ]);
    expect(lines[at("  Follow-ups (1)") + 1]).toBe("    - Register your SMART apps with the new audience.");
    const steps = at("  Steps (5)");
    // Titles rendered from each step's request (issue 10 §2), wrapped at the terminal width.
    expect(lines.slice(steps + 1, steps + 8)).toEqual([
      "     1. Workspace fhir02 in fhir-rg (eastus)",
      "     2. User-assigned identity fhir02-fhir-id in fhir-rg (eastus)",
      "     3. Key Vault Crypto Service Encryption User for fhir02-fhir-id on key fhir-cmk in vault",
      "        contoso-kv",
      "     4. FHIR service fhir (fhir-R4) in workspace fhir02, customer-managed key",
      "     5. FHIR Data Contributor for ServicePrincipal 44444444-4444-4444-4444-444444444444 on FHIR",
      "        service fhir02/fhir",
    ]);
    const mmk = at("fhir-01 → fhir01/fhir");
    expect(lines.slice(mmk).indexOf("  Source key    Microsoft-managed (the source has no customer-managed key)")).toBe(-1);
    expect(lines).toContain("  Key           Microsoft-managed (the source has no customer-managed key)");
    expect(lines.slice(at("  Steps (2)") + 1, at("  Steps (2)") + 3)).toEqual([
      "     1. Workspace fhir01 in fhir-rg (eastus)",
      "     2. FHIR service fhir (fhir-R4) in workspace fhir01",
    ]);
    const notPlanned = at("Not planned (1)");
    expect(notPlanned).toBeGreaterThan(mmk);
    expect(lines.slice(notPlanned + 1, notPlanned + 4)).toEqual([
      "  fhir-05: eastus, resource group fhir-rg, subscription 11111111-1111-1111-1111-111111111111",
      "    ✖ key-not-found: The key cmk-gone does not exist in vault contoso-old-kv.",
      "      resolve: --key /subscriptions/…/fhir-05=https://VAULT.vault.azure.net/keys/KEY",
    ]);
    expect(lines.every((l) => [...l].length <= 100)).toBe(true);
  });

  it("scrolls by line, page, Home and End, and stays inside the plan", async () => {
    const rec = recordingPlans();
    const u = await listUi(rec);
    await planThree(u);
    rec.resolvePlan();
    await u.waitFor((f) => f.includes("lines 1–11 of 55"));
    u.press(KEYS.down, KEYS.down, "j");
    let frame = await u.waitFor((f) => f.includes("lines 4–14 of 55"));
    expect(frame.split("\n")[2]).toBe("  FHIR URL      https://fhir02-fhir.fhir.azurehealthcareapis.com");
    u.press(KEYS.up);
    await u.waitFor((f) => f.includes("lines 3–13 of 55"));
    u.press(KEYS.pageDown);
    frame = await u.waitFor((f) => f.includes("lines 13–23 of 55"));
    u.press(KEYS.pageUp);
    await u.waitFor((f) => f.includes("lines 3–13 of 55"));
    u.press("G");
    frame = await u.waitFor((f) => f.includes("lines 45–55 of 55"));
    expect(frame.split("\n").at(-3)).toBe("      resolve: --key /subscriptions/…/fhir-05=https://VAULT.vault.azure.net/keys/KEY");
    // Past the end nothing moves: one line up from there is one line up from the bottom.
    u.press(KEYS.down, KEYS.pageDown, KEYS.up);
    await u.waitFor((f) => f.includes("lines 44–54 of 55"));
    u.press("g");
    frame = await u.waitFor((f) => f.includes("lines 1–11 of 55"));
    // Above the top nothing moves either; an unbound key does nothing.
    u.press(KEYS.up, "x", KEYS.down);
    frame = await u.waitFor((f) => f.includes("lines 2–12 of 55"));
    expect(frame.split("\n")[2]).toBe("  Source        eastus, resource group fhir-rg, subscription 22222222-2222-2222-2222-222222222222");
  });

  it("e exports through the injected function and shows the path", async () => {
    const rec = recordingPlans();
    const u = await listUi(rec);
    await planThree(u);
    rec.resolvePlan();
    await u.waitFor((f) => f.includes("plan-3f2a91c0d4e5"));
    u.press("e");
    const frame = await u.waitFor((f) => f.includes("Exported"));
    expect(frame.split("\n").at(-2)).toBe("Exported plans/2026-11-28-1.plan.json (+ .plan.md)");
    expect(rec.exported).toEqual([uiPlan()]);
  });

  it("an export that fails shows its one-line error and the plan stays", async () => {
    const rec = recordingPlans({ exportResult: new Error("Can't write plans/2026-11-28-1.plan.json: permission denied (EACCES).\n    at write (fs.js:1)") });
    const u = await listUi(rec);
    await planThree(u);
    rec.resolvePlan();
    await u.waitFor((f) => f.includes("plan-3f2a91c0d4e5"));
    u.press("e");
    const frame = await u.waitFor((f) => f.includes("error:"));
    expect(frame.split("\n").at(-2)).toBe("error: Can't write plans/2026-11-28-1.plan.json: permission denied (EACCES).");
    expect(frame).toContain("fhir-02 → fhir02/fhir");
    expect(rec.exported).toHaveLength(1);
  });

  it("Esc goes back to the list with the selection and cursor kept; q quits from the review", async () => {
    const rec = recordingPlans();
    const u = await listUi(rec);
    await planThree(u);
    rec.resolvePlan();
    await u.waitFor((f) => f.includes("plan-3f2a91c0d4e5"));
    u.press(KEYS.escape);
    const frame = await u.waitFor((f) => f.includes("3 selected"));
    const rows = frame.split("\n").filter((l) => /^[ ›][ ●] fhir-\d\d/.test(l));
    expect(rows.slice(0, 5).map((l) => l.slice(0, 10))).toEqual([" ● fhir-01", " ● fhir-02", "   fhir-03", "   fhir-04", "›● fhir-05"]);
    u.press("p");
    await u.waitFor((f) => f.includes("Planning 3 account(s)…"));
    expect(rec.planned).toHaveLength(2);
    u.press("q");
    expect(await u.quitted()).toBe("quit");
  });

  it("a failing makePlan shows the reason; a plan that arrives after Esc is dropped", async () => {
    const rec = recordingPlans();
    const u = await listUi(rec);
    u.press("p");
    await u.waitFor((f) => f.includes("Planning 1 account(s)…"));
    rec.rejectPlan(Object.assign(new Error("The snapshot has no account /subscriptions/x."), { nextSteps: ["Restart the UI to read the estate again."] }));
    let frame = await u.waitFor((f) => f.includes("error:"));
    expect(frame.split("\n")).toEqual(["ahds-migrate · AzureCloud · plan", "error: Can't plan 1 account(s): The snapshot has no account /subscriptions/x.",
      "  Restart the UI to read the estate again.", "esc back  q quit"]);
    u.press(KEYS.escape);
    await u.waitFor((f) => f.includes("0 selected"));
    u.press("p");
    await u.waitFor((f) => f.includes("Planning 1 account(s)…"));
    u.press(KEYS.escape);
    await u.waitFor((f) => f.includes("0 selected"));
    rec.resolvePlan();
    u.press(KEYS.down);
    frame = await u.waitFor((f) => f.includes("›  fhir-02"));
    expect(frame).not.toContain("plan-3f2a91c0d4e5");
    // Asked again while the first is still running: only the answer to the second request is shown.
    u.press("p");
    await u.waitFor((f) => f.includes("Planning 1 account(s)…"));
    u.press(KEYS.escape);
    await u.waitFor((f) => f.includes("0 selected"));
    u.press("p");
    await u.waitFor((f) => f.includes("Planning 1 account(s)…"));
    expect(rec.planned).toHaveLength(4);
    rec.resolvePlan({ ...uiPlan(), planId: "plan-000000000001" });
    rec.resolvePlan();
    frame = await u.waitFor((f) => f.includes("plan plan-"));
    expect(frame.split("\n")[0]).toBe("ahds-migrate · AzureCloud · plan plan-3f2a91c0d4e5");
  });
});
