// --help and --version must not load ink, react or any @azure/* module (issue 2 §1, STYLE.md): a resolve
// hook registered with --import records every specifier node resolves in the CLI process.
import { describe, expect, it } from "vitest";
import { isUiOrSdk, moduleRecorder, readModuleLog, runCli, tempDir, cleanEnv } from "./cli-process.js";

const CASES: { args: string[]; stdout: RegExp }[] = [
  { args: ["--help"], stdout: /Usage: ahds-migrate \[options\] \[command\]/ },
  { args: ["--version"], stdout: /^\d+\.\d+\.\d+/ },
  { args: ["sandbox", "start", "--help"], stdout: /Usage: ahds-migrate sandbox start \[options\]/ },
  { args: ["doctor", "--help"], stdout: /Usage: ahds-migrate doctor \[options\]/ },
  { args: ["demo", "--help"], stdout: /Usage: ahds-migrate demo \[options\]/ },
  { args: ["help", "sandbox"], stdout: /Usage: ahds-migrate sandbox/ },
];

describe("--help and --version load no UI or SDK module", () => {
  for (const c of CASES) {
    it(`ahds-migrate ${c.args.join(" ")}`, async () => {
      const dir = tempDir();
      const rec = moduleRecorder(dir);
      // A profile in the environment must not make --help re-execute or read anything either.
      const run = await runCli(c.args, { nodeArgs: rec.nodeArgs, env: cleanEnv({ ...rec.env, AHDS_MIGRATE_PROFILE: `${dir}/missing.json` }) });
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(c.stdout);
      const loaded = readModuleLog(rec.log);
      // The hook works: it saw the CLI's own entry and commander (else this test could not fail).
      expect(loaded.some((m) => m.specifier === "commander")).toBe(true);
      expect(loaded.some((m) => m.url.endsWith("/dist/src/cli/program.js"))).toBe(true);
      expect(loaded.filter(isUiOrSdk)).toEqual([]);
      expect(loaded.some((m) => m.url.includes("/dist/src/sandbox/"))).toBe(false);
    });
  }
});
