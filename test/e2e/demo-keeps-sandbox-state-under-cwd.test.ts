// `ahds-migrate demo` (npm run demo): the sandbox on the demo estate with state, CA and profile kept in
// .ahds-migrate/sandbox/ under the current directory, reused on the next start; --reset starts over.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startCli, tempDir } from "./cli-process.js";

async function runDemoUntilReady(cwd: string, args: string[] = []) {
  const demo = startCli(["demo", ...args], { cwd });
  await demo.waitForStderr("Press Ctrl-C to stop.");
  return demo;
}

describe("demo", () => {
  it("keeps its sandbox in .ahds-migrate/sandbox, reuses it, and --reset starts over", async () => {
    const cwd = tempDir();
    const base = join(cwd, ".ahds-migrate", "sandbox");

    const first = await runDemoUntilReady(cwd);
    const profile = JSON.parse(readFileSync(join(base, "profile.json"), "utf8")) as { proxyUrl: string; caCertPath: string; clientSecret: string };
    expect(profile.caCertPath.startsWith(join(base, "ca"))).toBe(true);
    expect(existsSync(join(base, "state.json"))).toBe(true);
    expect(first.stderr()).toContain("ahds-migrate doctor --profile");
    expect(first.stderr()).not.toContain(profile.clientSecret);
    expect(first.stderr()).not.toContain("Reusing");
    first.process.kill("SIGINT");
    expect(await first.exited).toEqual({ code: 130, signal: null });

    const caBefore = readFileSync(profile.caCertPath, "utf8");
    const second = await runDemoUntilReady(cwd);
    expect(second.stderr()).toContain("Reusing the sandbox state");
    expect(readFileSync(profile.caCertPath, "utf8")).toBe(caBefore);
    second.process.kill("SIGTERM");
    expect(await second.exited).toEqual({ code: 0, signal: null });

    const third = await runDemoUntilReady(cwd, ["--reset"]);
    expect(third.stderr()).toContain("starting over");
    expect(third.stderr()).not.toContain("Reusing");
    expect(readFileSync(profile.caCertPath, "utf8")).not.toBe(caBefore);
    third.process.kill("SIGTERM");
    expect(await third.exited).toEqual({ code: 0, signal: null });
  });
});
