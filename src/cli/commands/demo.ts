// `ahds-migrate demo`: the sandbox on the built-in demo estate in the foreground, to use from a second
// terminal (`npm run demo` runs the interactive UI on it instead: `ahds-migrate --sandbox`). State, CA and
// profile live in .ahds-migrate/sandbox/ (demo-sandbox.ts); --reset starts over.
import type { CommandContext } from "../command-context.js";
import { prepareDemoSandbox } from "../demo-sandbox.js";
import { runSandboxInForeground, shellQuote } from "../sandbox-foreground.js";

export { DEMO_DIR } from "../demo-sandbox.js";

export interface DemoOptions {
  port?: number;
  reset?: boolean;
  sandboxReset?: boolean;
}

export async function demoCommand(o: DemoOptions, _ctx: CommandContext): Promise<number> {
  const files = await prepareDemoSandbox({ reset: o.reset === true || o.sandboxReset === true });
  return runSandboxInForeground({
    estate: files.estate,
    statePath: files.statePath,
    caDir: files.caDir,
    port: o.port,
    profileOut: files.profilePath,
    usage: (profilePath) => [
      "",
      "From a second terminal in this directory:",
      `  AHDS_MIGRATE_PROFILE=${shellQuote(profilePath)} npx ahds-migrate inventory`,
      `  npx ahds-migrate --profile ${shellQuote(profilePath)}     # the interactive UI`,
    ],
  });
}
