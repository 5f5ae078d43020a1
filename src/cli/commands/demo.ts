// `ahds-migrate demo` (what `npm run demo` runs until the interactive UI exists): the sandbox on the
// built-in demo estate, its state and CA kept in .ahds-migrate/sandbox/ under the current directory and
// reused, so a demo killed mid-way resumes against the same Azure; --reset starts over.
import { mkdir, rm } from "node:fs/promises";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { CommandContext } from "../command-context.js";
import { printErr } from "../output.js";
import { runSandboxInForeground, shellQuote } from "../sandbox-foreground.js";

export interface DemoOptions {
  port?: number;
  reset?: boolean;
  sandboxReset?: boolean;
}

export const DEMO_DIR = join(".ahds-migrate", "sandbox");

export async function demoCommand(o: DemoOptions, _ctx: CommandContext): Promise<number> {
  if (o.reset || o.sandboxReset) {
    await rm(DEMO_DIR, { recursive: true, force: true });
    printErr(`Sandbox state in ${DEMO_DIR} removed; starting over.`);
  }
  await mkdir(DEMO_DIR, { recursive: true, mode: 0o700 });
  const statePath = join(DEMO_DIR, "state.json");
  if (existsSync(statePath)) printErr(`Reusing the sandbox state in ${statePath} (--reset starts over).`);
  const { demoEstate } = await import("../../sandbox/demo-estate.js");
  return runSandboxInForeground({
    estate: demoEstate(),
    statePath,
    caDir: join(DEMO_DIR, "ca"),
    port: o.port,
    profileOut: join(DEMO_DIR, "profile.json"),
    usage: (profilePath) => [
      "",
      "From a second terminal in this directory:",
      `  AHDS_MIGRATE_PROFILE=${shellQuote(profilePath)} npx ahds-migrate doctor`,
      "  (inventory, plan and apply will run against it the same way once they exist)",
    ],
  });
}
