import { describe, expect, it } from "vitest";
import { uiEstate } from "../../../test/ui/ui-estate.js";
import { accountListReducer, initialAccountList, visibleRows, type AccountListAction, type AccountListState } from "./account-list.js";

function start(viewport = 5): AccountListState {
  const inv = uiEstate();
  return initialAccountList(inv.accounts, Object.fromEntries(inv.subscriptions.map((s) => [s.subscriptionId.toLowerCase(), s.displayName])), viewport);
}
const run = (s: AccountListState, ...actions: AccountListAction[]) => actions.reduce(accountListReducer, s);
const names = (s: AccountListState) => s.rows.map((r) => r.item.account.name);
const current = (s: AccountListState) => s.rows[s.cursor]?.item.account.name;

describe("accountListReducer", () => {
  it("starts sorted by name with the cursor on the first row and every row shown", () => {
    const s = start();
    expect(names(s)).toHaveLength(20);
    expect(names(s).slice(0, 3)).toEqual(["fhir-01", "fhir-02", "fhir-03"]);
    expect(current(s)).toBe("fhir-01");
  });

  it("keeps the cursor inside the list and the viewport on the cursor", () => {
    const s = start(5);
    expect(run(s, { type: "move", by: -1 }).cursor).toBe(0);
    const down = run(s, ...Array.from({ length: 7 }, () => ({ type: "move", by: 1 }) as const));
    expect(down.cursor).toBe(7);
    expect(down.scrollTop).toBe(3);
    expect(visibleRows(down).map((r) => r.item.account.name)).toEqual(["fhir-04", "fhir-05", "fhir-06", "fhir-07", "fhir-08"]);
    const end = run(s, { type: "move-to", index: -1 });
    expect([end.cursor, end.scrollTop]).toEqual([19, 15]);
    const back = run(end, { type: "move-to", index: 0 });
    expect([back.cursor, back.scrollTop]).toEqual([0, 0]);
    const paged = run(s, { type: "page", by: 1 }, { type: "page", by: 1 });
    expect([paged.cursor, paged.scrollTop]).toEqual([10, 10]);
    expect(run(s, { type: "page", by: 1 }, { type: "page", by: 1 }, { type: "page", by: 1 }, { type: "page", by: 1 }, { type: "page", by: 1 }).cursor).toBe(19);
  });

  it("filters by typed text over name, subscription, key and finding codes; backspace and clear undo it", () => {
    const s = run(start(), { type: "filter-start" }, { type: "filter-input", text: "KEY-NOT" });
    expect(s.editingFilter).toBe(true);
    expect(names(s)).toEqual(["fhir-05", "fhir-10", "fhir-15", "fhir-20"]);
    expect(names(run(start(), { type: "filter-input", text: "contoso dev" }))).toHaveLength(10);
    expect(names(run(start(), { type: "filter-input", text: "microsoft-managed" }))).toEqual(["fhir-01", "fhir-08"]);
    const fewer = run(s, { type: "filter-backspace" }, { type: "filter-backspace" }, { type: "filter-backspace" }, { type: "filter-backspace" });
    expect(fewer.filterText).toBe("KEY");
    const cleared = run(s, { type: "filter-clear" });
    expect([cleared.filterText, cleared.editingFilter, cleared.rows.length]).toEqual(["", false, 20]);
    expect(run(s, { type: "filter-commit" }).editingFilter).toBe(false);
    expect(run(s, { type: "filter-commit" }).filterText).toBe("KEY-NOT");
  });

  it("cycles the verdict filter all → ready → needs-action → blocked → all", () => {
    let s = start();
    const seen: [string, number][] = [];
    for (let i = 0; i < 4; i++) { s = run(s, { type: "cycle-verdict" }); seen.push([s.verdictFilter, s.rows.length]); }
    expect(seen).toEqual([["ready", 11], ["needs-action", 5], ["blocked", 4], ["all", 20]]);
    expect(s.rows.every((r) => ["ready", "needs-action", "blocked"].includes(r.item.verdict))).toBe(true);
  });

  it("cycles the sort name → verdict → subscription and keeps the cursor on the same account", () => {
    const onFive = run(start(3), { type: "move", by: 4 });
    expect(current(onFive)).toBe("fhir-05");
    const byVerdict = run(onFive, { type: "cycle-sort" });
    expect(byVerdict.sort).toBe("verdict");
    expect(names(byVerdict).slice(0, 4)).toEqual(["fhir-05", "fhir-10", "fhir-15", "fhir-20"]);
    expect(current(byVerdict)).toBe("fhir-05");
    const bySub = run(byVerdict, { type: "cycle-sort" });
    expect(bySub.sort).toBe("subscription");
    expect(names(bySub)[0]).toBe("fhir-02");
    expect(current(bySub)).toBe("fhir-05");
    expect(bySub.cursor).toBeGreaterThanOrEqual(bySub.scrollTop);
    expect(bySub.cursor).toBeLessThan(bySub.scrollTop + bySub.viewportRows);
    expect(run(bySub, { type: "cycle-sort" }).sort).toBe("name");
  });

  it("toggles the selection of the row under the cursor and keeps it across filters", () => {
    const s = run(start(), { type: "toggle-select" }, { type: "move", by: 2 }, { type: "toggle-select" });
    expect(s.selected.map((id) => id.split("/").pop())).toEqual(["fhir-01", "fhir-03"]);
    const filtered = run(s, { type: "cycle-verdict" }, { type: "cycle-verdict" });
    expect(filtered.selected).toHaveLength(2);
    expect(run(s, { type: "toggle-select" }).selected.map((id) => id.split("/").pop())).toEqual(["fhir-01"]);
    const empty = run(start(), { type: "filter-input", text: "no such account" });
    expect(run(empty, { type: "toggle-select" }).selected).toEqual([]);
  });

  it("a smaller viewport pulls the window onto the cursor", () => {
    const s = run(start(10), { type: "move", by: 9 }, { type: "viewport", rows: 4 });
    expect([s.cursor, s.scrollTop, visibleRows(s).length]).toEqual([9, 6, 4]);
  });
});
