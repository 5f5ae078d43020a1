// The TUI's sync screen in a real terminal (tmux) against a sandbox child, as a user drives it: a plan made
// with --storage-account and applied by the CLI; the UI started with --profile; `o` lists it, `s` asks,
// `y` runs its first round (the log line of each commit, the counts per type on screen equal to the admin
// API's on both sides), `p` pauses, Ctrl-C stops and `q` leaves with 130. Then `sync --once` of the same
// file continues the same journal (the UI released the lock) and `verify --data` exits 0.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCliSandbox, writeEstate, type CliSandbox } from "./apply-cli-estate.js";
import { CLI, cleanEnv, runCli, tempDir } from "./cli-process.js";
import { startTerminal, tmuxAvailable, type Terminal } from "./tmux-terminal.js";
import { adminCounts, dataEstate, DATA_SOURCE } from "./sync-cli-estate.js";

const dir = tempDir("ahds-e2e-tui-sync-");
const SOURCE = DATA_SOURCE;
const env = cleanEnv();
let sb: CliSandbox;
const { estate, storage } = dataEstate({ patients: 25, seed: 8 });
let t: Terminal | undefined;

const counts = (service: string) => adminCounts(sb, service);
let planPath: string;
let target: string;

beforeAll(async () => {
  sb = await startCliSandbox(dir, "sandbox", writeEstate(dir, estate), join(dir, "ca"));
  planPath = join(dir, "plans", "data.plan.json");
  const planned = await runCli(["plan", "--account", SOURCE, "--storage-account", storage, "--out", planPath], { env: sb.env });
  expect(planned.code, planned.stderr).toBe(0);
  const applied = await runCli(["apply", planPath, "--yes"], { env: sb.env });
  expect(applied.code, applied.stderr).toBe(0);
  target = (JSON.parse(readFileSync(planPath, "utf8")) as { accounts: { target: { fhirServiceId: string } }[] }).accounts[0]!.target.fhirServiceId;
});
afterAll(async () => { t?.close(); await sb?.stop(); });

describe.skipIf(!tmuxAvailable())("the TUI's sync screen, in a real terminal", () => {
  it("o → s → y copies the data; p pauses, Ctrl-C stops, q exits 130; sync --once then continues the same journal", async () => {
    const quoted = [process.execPath, CLI, "--profile", sb.profilePath].map((a) => `'${a}'`).join(" ");
    // Through a shell, so the exit code the user would see is on screen once the UI leaves.
    t = startTerminal("sync", dir, ["sh", "-c", `${quoted}; echo "EXIT=$?"; sleep 60`], env);
    await t.waitFor(" · 0 selected · ");
    await t.press("o");
    await t.waitFor("finished (");
    await t.press("s");
    await t.waitFor("in rounds until you stop? y/n");
    t.keys("y");
    const screen = await t.waitFor("fhir-data round 1: committed up to", 60_000);
    const source = await counts(SOURCE);
    expect(await counts(target)).toEqual(source);
    // Each type's row: versions exported and imported are the source's, none rejected.
    for (const [type, c] of Object.entries(source)) {
      expect(screen).toMatch(new RegExp(`^${type} +${c.versions} +${c.versions} +0 *$`, "m"));
    }
    expect(screen).toMatch(/^fhir-data +1 +committed +\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ \(\d+:\d\d\) +in 1[45]:\d\d *$/m);
    await t.press("p");
    await t.waitFor("Paused: no new round");
    t.keys("C-c");
    await t.waitFor("Stopped. The next run continues");
    t.keys("q");
    await t.waitFor("EXIT=130");

    const resumed = await runCli(["sync", planPath, "--once", "--safety-lag", "0"], { env: sb.env });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).not.toMatch(/lock/i);
    const journal = readFileSync(planPath.replace(/\.plan\.json$/, ".sync.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { type: string; round: number; runId: string });
    const committed = journal.filter((r) => r.type === "round-committed");
    expect(committed.map((r) => r.round)).toEqual([1, 2]);
    expect(new Set(committed.map((r) => r.runId)).size).toBe(2);
    const verified = await runCli(["verify", planPath, "--data"], { env: sb.env });
    expect(verified.code, verified.stderr).toBe(0);
  }, 120_000);
});
