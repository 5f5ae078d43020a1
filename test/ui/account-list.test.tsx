// The account list through the real App at 100 × 16: the retirement line, columns, text and verdict filters, sort, selection,
// scrolling past one screen, quitting.
import { afterEach, describe, expect, it } from "vitest";
import { KEYS, loaded, renderUi, type RenderedUi } from "./render-ui.js";
import { uiEstate } from "./ui-estate.js";

let ui: RenderedUi | undefined;
afterEach(() => { ui?.unmount(); ui = undefined; });

const rowsOf = (frame: string) => frame.split("\n").filter((l) => /^[ ›][ ●] fhir-\d\d/.test(l));
const namesOf = (frame: string) => rowsOf(frame).map((l) => l.slice(3).split(" ")[0]);

async function listUi(): Promise<RenderedUi> {
  ui = renderUi(loaded(uiEstate()));
  await ui.waitFor((f) => f.includes("fhir-01"));
  return ui;
}

describe("account list", () => {
  it("shows the columns, one screenful of rows, a status line and the key help", async () => {
    const u = await listUi();
    const frame = u.frame();
    const lines = frame.split("\n");
    expect(lines[0]).toBe("ahds-migrate · AzureCloud · 20 Azure API for FHIR account(s) in 2 subscription(s)");
    expect(lines[1]).toBe("Azure API for FHIR was retired on 30 Sep 2026; accounts that still answer run under an extension.");
    expect(lines[2]).toMatch(/^ {3}ACCOUNT +SUBSCRIPTION +REGION +KIND +KEY +VERDICT +BLOCKED BY$/);
    expect(lines[3]).toBe("›  fhir-01          Contoso Prod  eastus      fhir-R4   Microsoft-manag… ready        —");
    expect(lines[4]).toBe("   fhir-02          Contoso Dev   eastus      fhir-R4   contoso-kv/fhir… ready        —");
    expect(lines[7]).toBe("   fhir-05          Contoso Prod  eastus      fhir-R4   contoso-old-kv/… blocked      key-not-found");
    expect(lines[5]).toContain("needs-action vault-purge-p…");
    expect(rowsOf(frame)).toHaveLength(10);
    expect(frame).toContain("1–10 of 20 · 0 selected · verdict: all · sort: name");
    expect(lines.at(-1)).toBe("↑↓ move  space select  enter open  p plan selected  o plans  / filter  v verdict  s sort  q quit");
    expect(lines.length).toBeLessThan(16);
    expect(lines.every((l) => [...l].length <= 100)).toBe(true);
  });

  it("filters by typed text after /, and Esc clears the filter", async () => {
    const u = await listUi();
    u.press("/");
    await u.waitFor((f) => f.includes("filter: ▏"));
    u.press("key-not");
    let frame = await u.waitFor((f) => f.includes("filter: key-not"));
    expect(namesOf(frame)).toEqual(["fhir-05", "fhir-10", "fhir-15", "fhir-20"]);
    expect(frame.split("\n").at(-1)).toBe("type filter  enter keep  esc clear");
    u.press(KEYS.enter);
    frame = await u.waitFor((f) => f.includes('filter: "key-not"'));
    expect(frame).toContain("1–4 of 4 · 0 selected");
    u.press(KEYS.escape);
    frame = await u.waitFor((f) => f.includes("1–10 of 20"));
    expect(frame).not.toContain("filter:");
    u.press("/", "zzz");
    frame = await u.waitFor((f) => f.includes("filter: zzz"));
    expect(frame).toContain("No account matches the filter.");
  });

  it("v cycles the verdict filter and s the sort", async () => {
    const u = await listUi();
    u.press("v");
    let frame = await u.waitFor((f) => f.includes("verdict: ready"));
    expect(rowsOf(frame).every((l) => l.includes(" ready "))).toBe(true);
    u.press("v");
    frame = await u.waitFor((f) => f.includes("verdict: needs-action"));
    expect(namesOf(frame)).toEqual(["fhir-03", "fhir-06", "fhir-09", "fhir-12", "fhir-18"]);
    u.press("v");
    frame = await u.waitFor((f) => f.includes("verdict: blocked"));
    expect(namesOf(frame)).toEqual(["fhir-05", "fhir-10", "fhir-15", "fhir-20"]);
    u.press("v", "s");
    frame = await u.waitFor((f) => f.includes("verdict: all · sort: verdict"));
    expect(namesOf(frame).slice(0, 5)).toEqual(["fhir-05", "fhir-10", "fhir-15", "fhir-20", "fhir-03"]);
    u.press("s");
    frame = await u.waitFor((f) => f.includes("sort: subscription"));
    u.press("g");
    frame = await u.waitFor((f) => f.includes("1–10 of 20") && f.includes("sort: subscription"));
    expect(namesOf(frame).slice(0, 3)).toEqual(["fhir-02", "fhir-04", "fhir-06"]);
    expect(rowsOf(frame)[0]).toContain("Contoso Dev");
  });

  it("space selects the row under the cursor, again unselects it", async () => {
    const u = await listUi();
    u.press(KEYS.space);
    await u.waitFor((f) => f.includes("1 selected"));
    u.press(KEYS.down, KEYS.down);
    await u.waitFor((f) => f.includes("› ") && rowsOf(f)[2]!.startsWith("›"));
    u.press(KEYS.space);
    let frame = await u.waitFor((f) => f.includes("2 selected"));
    expect(rowsOf(frame)[0]).toMatch(/^ ● fhir-01/);
    expect(rowsOf(frame)[1]).toMatch(/^ {3}fhir-02/);
    expect(rowsOf(frame)[2]).toMatch(/^›● fhir-03/);
    u.press(KEYS.space);
    frame = await u.waitFor((f) => f.includes("1 selected"));
    expect(rowsOf(frame)[2]).toMatch(/^› {2}fhir-03/);
  });

  it("scrolls past one screen and keeps the cursor visible", async () => {
    const u = await listUi();
    for (let i = 0; i < 12; i++) u.press(KEYS.down);
    let frame = await u.waitFor((f) => f.includes("4–13 of 20"));
    expect(namesOf(frame)[0]).toBe("fhir-04");
    expect(rowsOf(frame).at(-1)).toMatch(/^› {2}fhir-13/);
    u.press(KEYS.pageDown);
    frame = await u.waitFor((f) => f.includes("11–20 of 20"));
    expect(rowsOf(frame).at(-1)).toMatch(/^› {2}fhir-20/);
    u.press("g");
    frame = await u.waitFor((f) => f.includes("1–10 of 20"));
    expect(rowsOf(frame)[0]).toMatch(/^› {2}fhir-01/);
    u.press("G");
    frame = await u.waitFor((f) => f.includes("11–20 of 20"));
    expect(frame).not.toContain("fhir-10");
  });

  it("q quits", async () => {
    const u = await listUi();
    u.press("q");
    expect(await u.quitted()).toBe("quit");
    expect(u.quits).toEqual(["quit"]);
  });

  it("Ctrl-C interrupts", async () => {
    const u = await listUi();
    u.press(KEYS.ctrlC);
    expect(await u.quitted()).toBe("interrupt");
  });
});
