// The sync screen through the real App at 100 columns: `s` on the plans screen refuses a plan not applied
// yet (before anything is opened), asks y/n for an applied one (n goes back), and `y` starts the sync on
// that very file. A scripted stream of journaled records drives it: the journal's earlier rounds give the
// watermark and its age, a live round moves from exporting to importing (jobs done of planned) to
// committed (a <Static> log line, the next round's countdown), the per-type counts add up, `p` pauses and
// resumes, Ctrl-C stops, and leaving reports what `sync` would exit with.
import { afterEach, describe, expect, it } from "vitest";
import type { OpenedPlan, PlanFiles, PlanListing } from "../../src/ui/plans-view.js";
import { KEYS, loaded, renderUi, type RenderedUi } from "./render-ui.js";
import { uiEstate } from "./ui-estate.js";
import { recordingPlans, uiPlan } from "./ui-plan.js";
import { manualClock, scriptedRun } from "./ui-run.js";
import { scriptedSync, syncRecordMaker } from "./ui-sync.js";

let ui: RenderedUi | undefined;
afterEach(() => { ui?.unmount(); ui = undefined; });

const APPLIED = "plans/2026-11-28-1.plan.json";
const HALF = "plans/2026-11-28-2.plan.json";
const LISTING: PlanListing[] = [
  { path: HALF, planId: "plan-0000000000aa", createdAt: "2026-11-28T09:30:00.000Z", plannedAccounts: 1, state: "interrupted", succeeded: 3, steps: 7, error: null },
  { path: APPLIED, planId: "plan-3f2a91c0d4e5", createdAt: "2026-11-28T09:00:00.000Z", plannedAccounts: 2, state: "finished", succeeded: 7, steps: 7, error: null },
];

function files() {
  const opened: string[] = [];
  const planFiles: PlanFiles = {
    listPlans: async () => LISTING,
    openPlan: async (path): Promise<OpenedPlan> => { opened.push(path); return { path, plan: uiPlan(), succeeded: [] }; },
  };
  return { planFiles, opened };
}

const [A2, A1] = uiPlan().accounts.filter((a) => a.status === "planned").map((a) => a.id) as [string, string];

/** On the plans screen with the cursor on the applied plan. */
async function plansScreen(sync: ReturnType<typeof scriptedSync>, clock = manualClock()) {
  const f = files();
  ui = renderUi(loaded(uiEstate()), { planFiles: f.planFiles, syncs: sync.syncs, rows: 24, now: clock.now, ticker: clock.ticker });
  await ui.waitFor((fr) => fr.includes("fhir-01"));
  ui.press("o");
  await ui.waitFor((fr) => fr.includes("plan file(s) in ./plans"));
  return { u: ui, f, clock };
}

async function syncScreen(sync: ReturnType<typeof scriptedSync>, clock = manualClock()) {
  const r = await plansScreen(sync, clock);
  r.u.press("j");
  await r.u.waitFor((fr) => fr.includes("2 of 2"));
  r.u.press("s");
  await r.u.waitFor((fr) => fr.includes("in rounds until you stop? y/n"));
  r.u.press("y");
  await r.u.waitFor((fr) => fr.includes("Checking the plan against Azure"));
  return r;
}

describe("the sync screen (s on the plans screen)", () => {
  it("refuses a plan not applied yet without opening it; asks first for an applied one, n goes back, y starts the sync on its file", async () => {
    const sync = scriptedSync();
    const { u, f } = await plansScreen(sync);
    u.press("s");
    let frame = await u.waitFor((fr) => fr.includes("error: Can't open"));
    expect(frame.split("\n").at(-2)).toBe("error: Can't open plans/2026-11-28-2.plan.json: not applied yet (3/7 steps done): apply it first");
    expect(f.opened).toEqual([]);
    u.press("j");
    await u.waitFor((fr) => fr.includes("2 of 2"));
    u.press("s");
    frame = await u.waitFor((fr) => fr.includes("y/n"));
    expect(frame.split("\n")).toEqual([
      "ahds-migrate · AzureCloud · sync plan-3f2a91c0d4e5",
      "ACCOUNT            ROUND  NOW                            WATERMARK (AGE)                NEXT ROUND",
      "fhir-02            —      waiting                        none yet                       —",
      "fhir-01            —      waiting                        none yet                       —",
      "TYPE                 EXPORTED   IMPORTED   REJECTED",
      "  nothing exported yet",
      "Copy the data of 2 account(s) into their new FHIR services, in rounds until you stop? y/n",
      "y start  n back  q quit",
    ]);
    expect(f.opened).toEqual([APPLIED]);
    u.press("n");
    await u.waitFor((fr) => fr.includes("plan file(s) in ./plans"));
    expect(sync.started).toEqual([]);
    u.press("j");
    await u.waitFor((fr) => fr.includes("2 of 2"));
    u.press("s");
    await u.waitFor((fr) => fr.includes("y/n"));
    u.press("y");
    frame = await u.waitFor((fr) => fr.includes("Checking the plan against Azure and taking its lock…"));
    expect(sync.started).toEqual([APPLIED]);
    expect(frame.split("\n").at(-1)).toBe("p pause  ctrl-c stop");
  });

  it("shows the journal's earlier rounds, a live round from export to commit with its jobs and counts, then the next round's countdown", async () => {
    const sync = scriptedSync();
    const clock = manualClock();
    const { u } = await syncScreen(sync, clock);
    const earlier = syncRecordMaker("sync-0");
    const live = syncRecordMaker("sync-1");
    // Round 1 of fhir-02 committed by an earlier run, its watermark 10 min before T0.
    const W1 = new Date(Date.parse("2026-11-28T09:50:00.000Z")).toISOString();
    sync.begin([
      earlier(-700, { type: "round-planned", account: A2, round: 1, since: null, till: W1 }),
      earlier(-690, { type: "export-completed", account: A2, round: 1, transactionTime: W1, manifestSha256: "x",
        outputs: [{ type: "Patient", url: "https://s/p-1.ndjson", count: 10 }, { type: "Observation", url: "https://s/o-1.ndjson", count: 30 }] }),
      earlier(-680, { type: "import-completed", account: A2, round: 1, batch: 1, imported: { Patient: 10, Observation: 30 }, errors: {}, errorUrls: [] }),
      earlier(-670, { type: "round-committed", account: A2, round: 1, till: W1 }),
    ]);
    clock.tick(0);
    let frame = await u.waitFor((fr) => fr.includes("A round every 15:00"));
    expect(frame.split("\n").slice(1)).toEqual([
      "ACCOUNT            ROUND  NOW                            WATERMARK (AGE)                NEXT ROUND",
      "fhir-02            1      committed                      2026-11-28 09:50:00Z (10:00)   —",
      "fhir-01            —      waiting                        none yet                       —",
      "TYPE                 EXPORTED   IMPORTED   REJECTED",
      "Observation                30         30          0",
      "Patient                    10         10          0",
      "A round every 15:00 · cut over: ahds-migrate --profile p.json sync plans/2026-11-28-1.plan.json",
      "--final",
      "p pause  ctrl-c stop",
    ]);
    // fhir-01's first round, live: two import jobs, one with rejected lines.
    const T1 = "2026-11-28T09:55:00.000Z";
    sync.emit(live(1, { type: "round-planned", account: A1, round: 1, since: null, till: T1 }));
    await u.waitFor((fr) => fr.includes("exporting from the source"));
    sync.emit(
      live(5, { type: "export-completed", account: A1, round: 1, transactionTime: T1, manifestSha256: "y",
        outputs: [{ type: "Patient", url: "https://s/p-2.ndjson", count: 4 }, { type: "Condition", url: "https://s/c-2.ndjson", count: 6 }] }),
      live(5, { type: "import-batch-planned", account: A1, round: 1, batch: 1, inputs: [{ type: "Patient", url: "https://s/p-2.ndjson" }] }),
      live(5, { type: "import-batch-planned", account: A1, round: 1, batch: 2, inputs: [{ type: "Condition", url: "https://s/c-2.ndjson" }] }),
      live(8, { type: "import-completed", account: A1, round: 1, batch: 1, imported: { Patient: 4 }, errors: {}, errorUrls: [] }),
    );
    frame = await u.waitFor((fr) => fr.includes("importing: 1/2 job(s) done"));
    expect(frame).toContain("fhir-01            1      importing: 1/2 job(s) done     none yet                       —");
    sync.emit(
      live(9, { type: "import-completed", account: A1, round: 1, batch: 2, imported: { Condition: 5 }, errors: { Condition: 1 }, errorUrls: ["https://s/e.ndjson"] }),
      live(10, { type: "round-committed", account: A1, round: 1, till: T1 }),
    );
    clock.tick(70);
    frame = await u.waitFor((fr) => fr.includes("in 14:00"));
    expect(frame.split("\n")).toEqual([
      "✖ fhir-01 round 1: committed up to 2026-11-28T09:55:00.000Z: 10 exported, 9 imported, 1 rejected",
      "ahds-migrate · AzureCloud · sync plan-3f2a91c0d4e5",
      "ACCOUNT            ROUND  NOW                            WATERMARK (AGE)                NEXT ROUND",
      "fhir-02            1      committed                      2026-11-28 09:50:00Z (11:10)   —",
      "fhir-01            1      committed                      2026-11-28 09:55:00Z (6:10)    in 14:00",
      "TYPE                 EXPORTED   IMPORTED   REJECTED",
      "Condition                   6          5          1",
      "Observation                30         30          0",
      "Patient                    14         14          0",
      "A round every 15:00 · cut over: ahds-migrate --profile p.json sync plans/2026-11-28-1.plan.json",
      "--final",
      "p pause  ctrl-c stop",
    ]);
  });

  it("p pauses and resumes the sync; Ctrl-C stops it, q waits for the end, and leaving reports 130", async () => {
    const sync = scriptedSync();
    const { u } = await syncScreen(sync);
    sync.begin();
    await u.waitFor((fr) => fr.includes("A round every"));
    u.press("p");
    let frame = await u.waitFor((fr) => fr.includes("Paused:"));
    expect(frame.split("\n").slice(-2)).toEqual(["Paused: no new round, export or import starts; jobs in flight are polled to their end.", "p resume  ctrl-c stop"]);
    u.press("p");
    await u.waitFor((fr) => fr.includes("p pause"));
    expect(sync.calls).toEqual(["pause", "resume"]);
    u.press(KEYS.ctrlC);
    await u.waitFor((fr) => fr.includes("Stopping after the request in flight"));
    expect(sync.calls).toEqual(["pause", "resume", "abort"]);
    u.press("q");
    expect(u.quits).toEqual([]);
    sync.finish("interrupted");
    frame = await u.waitFor((fr) => fr.includes("Stopped."));
    expect(frame.split("\n").slice(-3)).toEqual([
      "Stopped. The next run continues where this one left: r here, or ahds-migrate --profile p.json sync",
      "plans/2026-11-28-1.plan.json",
      "r sync again (continues the journal)  esc back  q quit",
    ]);
    u.press("q");
    expect(await u.quitted()).toBe("quit");
    expect(u.runExits).toEqual([130]);
  });

  it("a blocked round is logged with its reason, and leaving reports 4 as sync would exit", async () => {
    const sync = scriptedSync();
    const { u } = await syncScreen(sync);
    const live = syncRecordMaker();
    sync.begin();
    sync.emit(
      live(1, { type: "round-planned", account: A2, round: 1, since: null, till: "2026-11-28T09:55:00.000Z" }),
      live(2, { type: "export-completed", account: A2, round: 1, transactionTime: "t", manifestSha256: "z", outputs: [{ type: "Patient", url: "https://s/p.ndjson", count: 2 }] }),
      live(2, { type: "import-batch-planned", account: A2, round: 1, batch: 1, inputs: [{ type: "Patient", url: "https://s/p.ndjson" }] }),
      live(3, { type: "import-failed", account: A2, round: 1, batch: 1, message: "403: not authorized." }),
      live(3, { type: "round-blocked", account: A2, round: 1, reason: "import job 1 failed: 403: not authorized." }),
    );
    sync.finish("blocked");
    const frame = await u.waitFor((fr) => fr.includes("A round is blocked"));
    expect(frame.split("\n").slice(0, 2)).toEqual([
      "✖ fhir-02 round 1: import job 1 failed: 403: not authorized.",
      "✖ fhir-02 round 1: BLOCKED: import job 1 failed: 403: not authorized.",
    ]);
    expect(frame).toContain("fhir-02            1      BLOCKED: import job 1 failed:… none yet");
    u.press("q");
    expect(await u.quitted()).toBe("quit");
    expect(u.runExits).toEqual([4]);
  });

  it("a sync that cannot run says why; r tries again on the same file, and Esc goes back to the plans", async () => {
    const sync = scriptedSync();
    const { u } = await syncScreen(sync);
    sync.fail(new Error("plans/2026-11-28-1.plan.json is stale: fhir-02 changed since it was planned."));
    let frame = await u.waitFor((fr) => fr.includes("error:"));
    expect(frame.split("\n").slice(-3, -1)).toEqual([
      "error: plans/2026-11-28-1.plan.json is stale: fhir-02 changed since it was planned. — fix the cause,",
      " then press r (or run: ahds-migrate --profile p.json sync plans/2026-11-28-1.plan.json)",
    ]);
    u.press("r");
    frame = await u.waitFor((fr) => fr.includes("Checking the plan against Azure"));
    expect(sync.started).toEqual([APPLIED, APPLIED]);
    sync.finish("caught-up");
    frame = await u.waitFor((fr) => fr.includes("Caught up."));
    expect(frame.split("\n").slice(-3, -1)).toEqual([
      "Caught up. Cut over when the writers are stopped: ahds-migrate --profile p.json sync",
      "plans/2026-11-28-1.plan.json --final",
    ]);
    u.press(KEYS.escape);
    await u.waitFor((fr) => fr.includes("plan file(s) in ./plans"));
    u.press("q");
    await u.quitted();
    expect(u.runExits).toEqual([null]);
  });

  it("from the list: d on the plan review picks the data-copy store and plans again; after the apply, s opens the sync of that file", async () => {
    // A storage account "migstore" in each subscription: `d` offers only the one of the planned account's.
    const storeIn = (sub: string) => `/subscriptions/${sub}/resourceGroups/r/providers/Microsoft.Storage/storageAccounts/migstore`;
    const estate = uiEstate();
    const rec = recordingPlans();
    const run = scriptedRun();
    const sync = scriptedSync();
    const clock = manualClock();
    ui = renderUi(loaded({ ...estate, storageAccounts: estate.subscriptions.map((x) => storeIn(x.subscriptionId)) }), { plans: rec.plans, runs: run.runs, syncs: sync.syncs, rows: 24, now: clock.now, ticker: clock.ticker });
    const u = ui;
    await u.waitFor((f) => f.includes("fhir-01"));
    u.press("p");
    await u.waitFor((f) => f.includes("Planning"));
    rec.resolvePlan();
    let frame = await u.waitFor((f) => f.includes("plan-3f2a91c0d4e5"));
    expect(frame.split("\n").at(-2)).toBe("e writes ./plans/<date>-<n>.plan.json and its .plan.md · data copy: none (d picks a storage account)");
    const store = storeIn(rec.planned[0]![0]!.split("/")[2]!);
    u.press("d");
    await u.waitFor((f) => f.includes("Planning"));
    const withStore = { ...uiPlan(), choices: { ...uiPlan().choices, storageAccount: store } };
    rec.resolvePlan(withStore);
    frame = await u.waitFor((f) => f.includes("data copy via migstore (d changes)"));
    expect(rec.stores).toEqual([null, store]);
    u.press("a");
    await u.waitFor((f) => f.includes("y/n"));
    u.press("y");
    await u.waitFor((f) => f.includes("apply plan-3f2a91c0d4e5"));
    expect(run.started).toEqual([withStore]);
    run.finish("completed");
    frame = await u.waitFor((f) => f.includes("Run completed"));
    expect(frame.split("\n").at(-1)).toBe("s copy the data (sync)  q quit");
    u.press("s");
    frame = await u.waitFor((f) => f.includes("in rounds until you stop? y/n"));
    expect(frame.split("\n")[0]).toBe("ahds-migrate · AzureCloud · sync plan-3f2a91c0d4e5");
    u.press("y");
    await u.waitFor((f) => f.includes("Checking the plan against Azure"));
    expect(sync.started).toEqual(["plans/2026-11-28-1.plan.json"]);
  });
});
