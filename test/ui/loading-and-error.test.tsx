// Before the list: the loading view with discovery's progress, and the error screen when loading fails
// or nothing can be listed.
import { afterEach, describe, expect, it } from "vitest";
import { UserError } from "../../src/domain/errors.js";
import { controlledLoader, KEYS, loaded, renderUi, type RenderedUi } from "./render-ui.js";
import { uiEstate } from "./ui-estate.js";

let ui: RenderedUi | undefined;
afterEach(() => { ui?.unmount(); ui = undefined; });

describe("loading and errors", () => {
  it("shows the phase and the counts while discovery runs, then the list", async () => {
    const loader = controlledLoader();
    ui = renderUi(loader.load);
    expect(await ui.waitFor((f) => f.includes("Signing in…"))).toContain("q quit");
    loader.progress({ phase: "keys", subscriptionsTotal: 3, subscriptionsScanned: 2, accountsFound: 17, vaultsTotal: 8, vaultsRead: 8, keysTotal: 12, keysRead: 5 });
    const frame = await ui.waitFor((f) => f.includes("Reading keys…"));
    expect(frame.split("\n")).toEqual([
      "ahds-migrate · AzureCloud · inventory",
      "Reading keys…",
      "  Subscriptions scanned  2/3",
      "  Accounts found         17",
      "  Vaults read            8/8",
      "  Keys read              5/12",
      "q quit",
    ]);
    loader.resolve(uiEstate());
    await ui.waitFor((f) => f.includes("fhir-01"));
  });

  it("a failed sign-in shows the one-line reason and the next step; q quits", async () => {
    const loader = controlledLoader();
    ui = renderUi(loader.load);
    await ui.waitFor((f) => f.includes("Signing in…"));
    loader.reject(new UserError("Can't sign in: DefaultAzureCredential found no credential.\nDetails: …", ["Run 'az login', or pass --profile FILE."]));
    const frame = await ui.waitFor((f) => f.includes("error:"));
    expect(frame.split("\n")).toEqual([
      "ahds-migrate · AzureCloud · inventory",
      "error: Can't sign in: DefaultAzureCredential found no credential.",
      "  Run 'az login', or pass --profile FILE.",
      "q quit",
    ]);
    ui.press("x", KEYS.escape);
    expect(await ui.quitted()).toBe("quit");
    expect(ui.quits).toEqual(["quit"]);
  });

  it("no subscription visible is an error with a next step, not an empty list", async () => {
    ui = renderUi(loaded({ ...uiEstate(), subscriptions: [], accounts: [] }));
    const frame = (await ui.waitFor((f) => f.includes("error:"))).replace(/\s+/g, " ");
    expect(frame).toContain("error: The signed-in principal sees no subscriptions in tenant 33333333-3333-3333-3333-333333333333 (AzureCloud).");
    expect(frame).toContain("Grant it Reader on the subscriptions to migrate");
  });

  it("draws no colour when colour is off", async () => {
    ui = renderUi(loaded(uiEstate()), { color: false });
    await ui.waitFor((f) => f.includes("fhir-01"));
    expect(ui.rawFrame()).not.toContain("\u001b[");
  });
});
