// The demo sandbox's home: `.ahds-migrate/sandbox/` under the current directory holding the state, CA and
// connection profile, reused from one start to the next so a demo killed mid-way resumes against the
// same Azure; a reset deletes it first. Shared by `ahds-migrate demo` and `ahds-migrate --sandbox`.
import { existsSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Estate } from "../sandbox/estate-types.js";
import { printErr } from "./output.js";

export const DEMO_DIR = join(".ahds-migrate", "sandbox");

export interface DemoSandboxFiles {
  estate: Estate;
  statePath: string;
  caDir: string;
  profilePath: string;
}

/** Resets (when asked) and creates the demo folder; says on stderr whether the saved state is reused. */
export async function prepareDemoSandbox(o: { reset: boolean }): Promise<DemoSandboxFiles> {
  if (o.reset) {
    await rm(DEMO_DIR, { recursive: true, force: true });
    printErr(`Sandbox state in ${DEMO_DIR} removed; starting over.`);
  }
  await mkdir(DEMO_DIR, { recursive: true, mode: 0o700 });
  const statePath = join(DEMO_DIR, "state.json");
  if (existsSync(statePath)) printErr(`Reusing the sandbox state in ${statePath} (--sandbox-reset starts over).`);
  const { demoEstate } = await import("../sandbox/demo-estate.js");
  return { estate: demoEstate(), statePath, caDir: join(DEMO_DIR, "ca"), profilePath: resolve(DEMO_DIR, "profile.json") };
}
