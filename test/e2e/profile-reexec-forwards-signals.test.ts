// With --profile the CLI re-runs node with the profile's environment (DESIGN.md "Connection profile"):
// the parent forwards SIGINT/SIGTERM to the child and exits with the child's exit code. The long-running
// child is itself a `sandbox start` (a second sandbox), so "ready" is its own "Press Ctrl-C" line.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  cleanEnv, moduleRecorder, processAlive, readModuleLog, runCli, startCli, tempDir, type RunningCli,
} from "./cli-process.js";

describe("re-executing with a profile", () => {
  const dir = tempDir();
  const caDir = join(dir, "ca");
  const profileA = join(dir, "a.json");
  let sandboxA: RunningCli;

  beforeAll(async () => {
    sandboxA = startCli(["sandbox", "start", "--demo", "--profile-out", profileA, "--ca-dir", caDir]);
    await sandboxA.waitForStderr("Press Ctrl-C to stop.");
  });

  afterAll(async () => {
    sandboxA.process.kill("SIGTERM");
    await sandboxA.exited;
  });

  /** Starts `--profile A sandbox start … --profile-out B` and returns it once the child listens. */
  async function startReexeced(name: string) {
    const rec = moduleRecorder(tempDir());
    const profileB = join(dir, `${name}.json`);
    const cli = startCli(["--profile", profileA, "sandbox", "start", "--demo", "--ca-dir", caDir, "--profile-out", profileB],
      { nodeArgs: rec.nodeArgs, env: cleanEnv(rec.env) });
    await cli.waitForStderr("Press Ctrl-C to stop.");
    const pids = [...new Set(readModuleLog(rec.log).map((m) => m.pid))];
    const parent = cli.process.pid;
    const child = pids.find((p) => p !== parent);
    expect(pids).toContain(parent);
    expect(child).toBeDefined();
    return { cli, parent: parent!, child: child! };
  }

  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 0]] as const) {
    it(`forwards ${signal} to the child and exits with the child's code ${code}`, async () => {
      const { cli, child } = await startReexeced(signal.toLowerCase());
      expect(processAlive(child)).toBe(true);
      cli.process.kill(signal); // to the parent only; the child hears it only if the parent forwards it
      const exit = await cli.exited;
      expect(exit).toEqual({ code, signal: null });
      expect(cli.stderr()).toContain(`Sandbox stopped (${signal}).`);
      // The parent waits for the child's exit before it exits itself.
      expect(processAlive(child)).toBe(false);
    });
  }

  it("keeps a failing child's exit code (invalid estate → 2)", async () => {
    const bad = join(dir, "bad-estate.json");
    writeFileSync(bad, JSON.stringify({ formatVersion: 7 }));
    const rec = moduleRecorder(tempDir());
    const run = await runCli(["--profile", profileA, "sandbox", "start", "--estate", bad, "--profile-out", join(dir, "x.json")],
      { nodeArgs: rec.nodeArgs, env: cleanEnv(rec.env) });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: Invalid estate .*bad-estate\.json at \$\.formatVersion/m);
    expect(new Set(readModuleLog(rec.log).map((m) => m.pid)).size).toBe(2);
  });

  it("does not re-execute again inside the child (one child only)", async () => {
    const rec = moduleRecorder(tempDir());
    const run = await runCli(["--profile", profileA, "doctor", "--json"], { nodeArgs: rec.nodeArgs, env: cleanEnv(rec.env) });
    expect(run.code).toBe(0);
    expect(new Set(readModuleLog(rec.log).map((m) => m.pid)).size).toBe(2);
  });
});
