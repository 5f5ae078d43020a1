// The TUI killed from outside while steps are in flight (issue 8), in a real terminal (tmux), with
// `--profile` and with `--sandbox`: the started process has no child, and after `kill -9` of it nothing of
// ours is left (by pid) and for 2 s neither the journal nor the sandbox (its request log, or with --sandbox
// its state file) moves. `apply` of the exported plan then finishes without --force-unlock and verify exits 0.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  startCliSandbox, targetState, threeAccountEstate, writeEstate, type AdminRequest, type AdminResource, type CliSandbox,
} from "./apply-cli-estate.js";
import { CLI, cleanEnv, processAlive, runCli, startCli, tempDir } from "./cli-process.js";
import { journalReaches } from "./journal-file.js";
import { descendantsOf } from "./process-tree.js";
import { startTerminal, tmuxAvailable, type Terminal } from "./tmux-terminal.js";

const FHIR = "Microsoft.HealthcareApis/workspaces/fhirservices";
const env = cleanEnv();
const terminals: Terminal[] = [];
const sandboxes: CliSandbox[] = [];
const fhirInFlight = (rs: { type: string; stepId?: string }[]) =>
  rs.some((r) => r.type === "step-operation-accepted" && r.stepId!.endsWith("/create-fhir-service"));

afterAll(async () => {
  for (const t of terminals) t.close();
  for (const s of sandboxes) await s.stop();
});

function exported(cwd: string): { plan: string; journal: string } {
  const plan = readdirSync(join(cwd, "plans")).find((f) => f.endsWith(".plan.json"))!;
  return { plan: join(cwd, "plans", plan), journal: join(cwd, "plans", plan.replace(/\.plan\.json$/, ".journal.jsonl")) };
}

/** In the list: select the rows named, plan them, apply (y). Returns once the journal exists. */
async function planAndApply(t: Terminal, cwd: string, rows: number[]): Promise<{ plan: string; journal: string }> {
  await t.waitFor(" · 0 selected · "); // the list is loaded and takes keys
  let at = 0;
  for (const r of rows) {
    for (; at < r; at++) await t.press("Down");
    await t.press(" ");
  }
  await t.waitFor(` · ${rows.length} selected · `);
  t.keys("p");
  await t.waitFor("· plan plan-");
  t.keys("a");
  await t.waitFor("to Azure? y/n");
  t.keys("y");
  await t.waitFor("apply plan-");
  return exported(cwd);
}

async function killAndWatch(t: Terminal, journal: string, watched: () => Promise<string>): Promise<void> {
  expect(descendantsOf(t.pid)).toEqual([]);
  process.kill(t.pid, "SIGKILL");
  for (let i = 0; i < 200 && processAlive(t.pid); i++) await new Promise((r) => setTimeout(r, 10));
  expect(processAlive(t.pid)).toBe(false);
  const journalAtKill = readFileSync(journal, "utf8");
  const watchedAtKill = await watched();
  await new Promise((r) => setTimeout(r, 2000)); // the "wait at least 2 s": proving nothing happens
  expect(readFileSync(journal, "utf8")).toBe(journalAtKill);
  expect(await watched()).toBe(watchedAtKill);
}

describe.skipIf(!tmuxAvailable())("kill -9 of the started TUI while steps are in flight", () => {
  it("--profile: nothing of ours goes on; apply of the exported plan then finishes, verify exit 0", async () => {
    const dir = tempDir("ahds-e2e-tui-kill-");
    const sb = await startCliSandbox(dir, "sb", writeEstate(dir, threeAccountEstate({ operationDurationMs: { [FHIR]: 1500, default: 100 } })), join(dir, "ca"));
    sandboxes.push(sb);
    const t = startTerminal("profile", dir, [process.execPath, CLI, "--profile", sb.profilePath], env);
    terminals.push(t);
    const files = await planAndApply(t, dir, [0, 1, 2]);
    await journalReaches(files.journal, fhirInFlight);
    await killAndWatch(t, files.journal, async () =>
      JSON.stringify((await sb.admin<AdminRequest[]>("GET", "/_sandbox/requests")).filter((r) => !r.path.startsWith("/_sandbox"))));

    const resumed = await runCli(["--profile", sb.profilePath, "apply", files.plan, "--yes"], { env, cwd: dir });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`Took over the lock of process ${t.pid}`);
    const verified = await runCli(["--profile", sb.profilePath, "verify", files.plan], { env, cwd: dir });
    expect(verified.code, verified.stderr).toBe(0);
    const made = targetState(await sb.admin<AdminResource[]>("GET", "/_sandbox/resources"));
    expect([made.fhir.length, made.identities.length, made.grants.length, made.accessPolicies.length]).toEqual([3, 3, 1, 1]);
  }, 90_000);

  it("--sandbox: the sandbox dies with the UI (one process); a sandbox on its state then lets apply finish", async () => {
    const cwd = tempDir("ahds-e2e-tui-sandbox-");
    const t = startTerminal("sandbox", cwd, [process.execPath, CLI, "--sandbox"], env);
    terminals.push(t);
    // fhir-claims (row 1) and fhir-research (row 13) are ready in the demo estate.
    const files = await planAndApply(t, cwd, [1, 13]);
    await journalReaches(files.journal, fhirInFlight);
    const state = join(cwd, ".ahds-migrate", "sandbox", "state.json");
    await killAndWatch(t, files.journal, async () => readFileSync(state, "utf8"));

    const profile = join(cwd, "again.profile.json");
    const sb = startCli(["sandbox", "start", "--demo", "--state", state, "--ca-dir", join(cwd, ".ahds-migrate", "sandbox", "ca"),
      "--profile-out", profile], { env, cwd });
    try {
      await sb.waitForStderr("Press Ctrl-C to stop.");
      const resumed = await runCli(["--profile", profile, "apply", files.plan, "--yes"], { env, cwd });
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resumed.stderr).toContain(`Took over the lock of process ${t.pid}`);
      const verified = await runCli(["--profile", profile, "verify", files.plan], { env, cwd });
      expect(verified.code, verified.stderr).toBe(0);
    } finally {
      sb.process.kill("SIGTERM");
      await sb.exited;
    }
  }, 90_000);
});
