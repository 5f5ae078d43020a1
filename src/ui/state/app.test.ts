import { describe, expect, it } from "vitest";
import { uiEstate } from "../../../test/ui/ui-estate.js";
import { UserError } from "../../domain/errors.js";
import type { InventoryView } from "../inventory-view.js";
import { appReducer, detailOf, detailViewportRows, initialApp, listViewportRows, type AppState } from "./app.js";
import { uiErrorOf } from "./ui-error.js";
import { keyToAction } from "./keys.js";

const SIZE = { rows: 20, columns: 100 };
const loadedState = (rows = 20): AppState => appReducer(initialApp({ rows, columns: 100 }), { type: "loaded", inventory: uiEstate() });

describe("appReducer", () => {
  it("goes loading → list, sizing the list to the terminal", () => {
    const s = loadedState(20);
    expect(s.screen).toBe("list");
    if (s.screen !== "list") return;
    expect(s.list.viewportRows).toBe(listViewportRows(20));
    expect(s.list.rows).toHaveLength(20);
  });

  it("keeps progress only while loading", () => {
    const p = { phase: "vaults", subscriptionsTotal: 2, subscriptionsScanned: 2, accountsFound: 20, vaultsTotal: 2, vaultsRead: 1, keysTotal: 2, keysRead: 0 } as const;
    const s = appReducer(initialApp(SIZE), { type: "progress", progress: p });
    expect(s.screen === "loading" && s.progress).toEqual(p);
    expect(appReducer(loadedState(), { type: "progress", progress: p }).screen).toBe("list");
  });

  it("opens the account under the cursor and goes back to the same list state", () => {
    const moved = appReducer(appReducer(loadedState(), { type: "list", action: { type: "move", by: 4 } }), { type: "list", action: { type: "toggle-select" } });
    const detail = appReducer(moved, { type: "open-detail" });
    expect(detail.screen === "detail" && detail.accountId.endsWith("/fhir-05")).toBe(true);
    if (detail.screen !== "detail") return;
    const max = detailOf(detail).lines.length - detailViewportRows(20);
    expect(max).toBeGreaterThan(5);
    const scrolled = appReducer(appReducer(detail, { type: "scroll-detail", by: 500 }), { type: "scroll-detail", by: -2 });
    expect(scrolled.screen === "detail" && scrolled.scroll).toBe(max - 2);
    const back = appReducer(scrolled, { type: "back" });
    expect(back.screen).toBe("list");
    if (back.screen !== "list" || moved.screen !== "list") return;
    expect(back.list).toBe(moved.list);
  });

  it("Esc on the list clears a text filter", () => {
    const filtered = appReducer(loadedState(), { type: "list", action: { type: "filter-input", text: "fhir-1" } });
    const back = appReducer(filtered, { type: "back" });
    expect(back.screen === "list" && [back.list.filterText, back.list.rows.length]).toEqual(["", 20]);
  });

  it("turns a failed load, or nothing listable, into the error screen with a next step", () => {
    const failed = appReducer(initialApp(SIZE), { type: "failed", error: uiErrorOf(new UserError("Can't sign in: no credential.", ["Run 'az login'."])) });
    expect(failed).toEqual({ screen: "error", rows: 20, columns: 100, quit: null, error: { message: "Can't sign in: no credential.", nextStep: "Run 'az login'." } });
    const none: InventoryView = { ...uiEstate(), subscriptions: [], accounts: [], errors: [{ scope: "/subscriptions", message: "Can't list subscriptions (forbidden): denied" }] };
    const s = appReducer(initialApp(SIZE), { type: "loaded", inventory: none });
    expect(s.screen === "error" && s.error.message).toBe("Can't list subscriptions (forbidden): denied");
    const allFailed: InventoryView = { ...uiEstate(), accounts: [], subscriptions: uiEstate().subscriptions.map((x) => ({ ...x, error: "AuthorizationFailed" })) };
    const t = appReducer(initialApp(SIZE), { type: "loaded", inventory: allFailed });
    expect(t.screen === "error" && t.error.message).toMatch(/^None of the 2 subscriptions could be listed: AuthorizationFailed/);
    const empty: InventoryView = { ...uiEstate(), accounts: [] };
    expect(appReducer(initialApp(SIZE), { type: "loaded", inventory: empty }).screen).toBe("list");
  });

  it("applies keys in order against the state each one leaves (a paste), and records a quit once", () => {
    const keys = ["/", "k", "e", "y", "-", "n", "o", "t", "q"].map((input) => ({ type: "key", input, key: {} }) as const);
    const typed = keys.reduce(appReducer, loadedState());
    expect(typed.screen === "list" && [typed.list.filterText, typed.list.rows.length]).toEqual(["key-notq", 0]);
    expect(typed.quit).toBeNull();
    const quit = appReducer(appReducer(loadedState(), { type: "key", input: "q", key: {} }), { type: "key", input: "c", key: { ctrl: true } });
    expect(quit.quit).toBe("quit");
    expect(appReducer(loadedState(), { type: "key", input: "c", key: { ctrl: true } }).quit).toBe("interrupt");
  });

  it("uiErrorOf keeps one line and gives a next step when the error has none", () => {
    expect(uiErrorOf(new Error("first line\nsecond line"))).toEqual({ message: "first line",
      nextStep: "Run 'ahds-migrate doctor' to check sign-in and the subscriptions visible." });
  });
});

describe("keyToAction", () => {
  const list = loadedState();
  it("maps the list keys", () => {
    expect(keyToAction(list, "", { downArrow: true })).toEqual({ type: "list", action: { type: "move", by: 1 } });
    expect(keyToAction(list, "k", {})).toEqual({ type: "list", action: { type: "move", by: -1 } });
    expect(keyToAction(list, " ", {})).toEqual({ type: "list", action: { type: "toggle-select" } });
    expect(keyToAction(list, "/", {})).toEqual({ type: "list", action: { type: "filter-start" } });
    expect(keyToAction(list, "v", {})).toEqual({ type: "list", action: { type: "cycle-verdict" } });
    expect(keyToAction(list, "s", {})).toEqual({ type: "list", action: { type: "cycle-sort" } });
    expect(keyToAction(list, "", { return: true })).toEqual({ type: "open-detail" });
    expect(keyToAction(list, "q", {})).toEqual({ type: "quit" });
    expect(keyToAction(list, "c", { ctrl: true })).toEqual({ type: "interrupt" });
  });

  it("while typing a filter, letters (q included) are text and Enter/Esc end it", () => {
    const typing = appReducer(list, { type: "list", action: { type: "filter-start" } });
    expect(keyToAction(typing, "q", {})).toEqual({ type: "list", action: { type: "filter-input", text: "q" } });
    expect(keyToAction(typing, "", { return: true })).toEqual({ type: "list", action: { type: "filter-commit" } });
    expect(keyToAction(typing, "", { escape: true })).toEqual({ type: "list", action: { type: "filter-clear" } });
    expect(keyToAction(typing, "", { backspace: true })).toEqual({ type: "list", action: { type: "filter-backspace" } });
    expect(keyToAction(typing, "\u0001", { ctrl: true })).toBeNull();
    expect(keyToAction(typing, "c", { ctrl: true })).toEqual({ type: "interrupt" });
  });

  it("maps detail, loading and error keys", () => {
    const detail = appReducer(list, { type: "open-detail" });
    expect(keyToAction(detail, "", { escape: true })).toEqual({ type: "back" });
    expect(keyToAction(detail, "", { downArrow: true })).toEqual({ type: "scroll-detail", by: 1 });
    expect(keyToAction(detail, "q", {})).toEqual({ type: "quit" });
    expect(keyToAction(initialApp(SIZE), "q", {})).toEqual({ type: "quit" });
    expect(keyToAction(initialApp(SIZE), "v", {})).toBeNull();
    const error = appReducer(initialApp(SIZE), { type: "failed", error: { message: "x", nextStep: undefined } });
    expect(keyToAction(error, "", { escape: true })).toEqual({ type: "quit" });
  });
});
