// The account detail through the real App: every CMK fact, each finding with its fix, the source settings,
// scrolling, and Esc back to the list where it was.
import { afterEach, describe, expect, it } from "vitest";
import { KEYS, loaded, renderUi, type RenderedUi } from "./render-ui.js";
import { uiEstate } from "./ui-estate.js";

let ui: RenderedUi | undefined;
afterEach(() => { ui?.unmount(); ui = undefined; });

describe("account detail", () => {
  it("Enter opens the account under the cursor; it shows CMK facts and findings with fixes; Esc goes back", async () => {
    ui = renderUi(loaded(uiEstate()), { rows: 60 });
    await ui.waitFor((f) => f.includes("fhir-01"));
    ui.press(KEYS.down, KEYS.down, KEYS.down, KEYS.down);
    await ui.waitFor((f) => f.includes("›  fhir-05"));
    ui.press(KEYS.enter);
    const frame = await ui.waitFor((f) => f.includes("account fhir-05"));
    const lines = frame.split("\n");
    expect(lines[1]).toBe("blocked  2 finding(s)");
    for (const expected of [
      "  Subscription       Contoso Prod (11111111-1111-1111-1111-111111111111)",
      "  Key URI            https://contoso-old-kv.vault.azure.net/keys/cmk-gone/feedfacefeedfacefeedfacef",
      "                     eedface",
      "  Current version    feedfacefeedfacefeedfacefeedface",
      "  Type / size        RSA 3072 bits",
      "  Enabled            yes",
      "  Recovery level     Recoverable+Purgeable",
      "  Soft delete        yes",
      "  Purge protection   no",
      "  Permission model   Azure RBAC",
      "  Network            default action Allow, bypass AzureServices",
      "Findings (2)",
      "  ! action   vault-purge-protection-off",
      "      Vault contoso-kv has no purge protection.",
      "  ✖ blocker  key-not-found",
      "      Fix: Restore the key or point the account at an existing key before migrating.",
      "  CORS               origins https://portal.contoso.com; methods GET, POST; headers *; max age 600;",
      "                     credentials not allowed",
      "  Export             storage account contosoexport",
      "  ACR                contosoacr.azurecr.io",
      "  Access policies    1 object id(s): 44444444-4444-4444-4444-444444444444",
      "  Private endpoints  0",
    ]) expect(lines).toContain(expected);
    expect(lines.at(-1)).toBe("esc back  ↑↓ scroll  q quit");
    ui.press(KEYS.escape);
    const back = await ui.waitFor((f) => f.includes("VERDICT"));
    expect(back).toContain("›  fhir-05");
    expect(back).toContain("1–20 of 20");
  });

  it("scrolls a detail taller than the terminal and never draws more lines than it has rows", async () => {
    ui = renderUi(loaded(uiEstate()), { rows: 16 });
    await ui.waitFor((f) => f.includes("fhir-01"));
    ui.press(KEYS.enter);
    let frame = await ui.waitFor((f) => f.includes("account fhir-01"));
    const total = Number(/lines 1–12 of (\d+)/.exec(frame)?.[1]);
    expect(total).toBeGreaterThan(20);
    expect(frame.split("\n").length).toBeLessThan(16);
    expect(frame).toContain("Account");
    ui.press(KEYS.pageDown);
    frame = await ui.waitFor((f) => f.includes("lines 11–22"));
    ui.press(KEYS.pageDown, KEYS.pageDown, KEYS.pageDown);
    frame = await ui.waitFor((f) => f.includes(`lines ${total - 11}–${total} of ${total}`));
    expect(frame).toContain("Private endpoints");
    ui.press(KEYS.up);
    await ui.waitFor((f) => f.includes(`lines ${total - 12}–${total - 1}`));
  });
});
