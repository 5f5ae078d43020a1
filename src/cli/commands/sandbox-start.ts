// `ahds-migrate sandbox start`: the sandbox in the foreground, seeded from an estate file, the demo
// estate or an existing --state file. An invalid estate is refused (exit 2) with the JSON path of the
// first problem (EstateError.jsonPath from src/sandbox/estate.ts).
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { UsageError, UserError } from "../../domain/errors.js";
import type { Estate } from "../../sandbox/estate-types.js";
import type { CommandContext } from "../command-context.js";
import { printErr } from "../output.js";
import { runSandboxInForeground } from "../sandbox-foreground.js";

export interface SandboxStartOptions {
  estate?: string;
  demo?: boolean;
  port?: number;
  state?: string;
  caDir: string;
  profileOut: string;
}

const HELP = "Run 'ahds-migrate sandbox start --help' for usage.";

export async function sandboxStartCommand(o: SandboxStartOptions, _ctx: CommandContext): Promise<number> {
  if (o.estate && o.demo) throw new UsageError("Give either --estate FILE or --demo, not both.", [HELP]);
  const stateExists = o.state !== undefined && existsSync(o.state);
  if (!o.estate && !o.demo && !stateExists) {
    throw new UsageError("Say what to seed the sandbox from: --estate FILE, --demo, or an existing --state FILE.", [HELP]);
  }
  let estate: Estate | undefined;
  if (o.demo) {
    const { demoEstate } = await import("../../sandbox/demo-estate.js");
    estate = demoEstate();
  } else if (o.estate) {
    estate = await loadEstateFile(o.estate);
  }
  if (estate && stateExists) printErr(`Note: the state file ${o.state} exists and wins over the estate (delete it to start over).`);
  return runSandboxInForeground({ estate, statePath: o.state, caDir: o.caDir, port: o.port, profileOut: o.profileOut });
}

/** Reads and validates an estate file; warnings go to stderr, problems become exit-2 UsageErrors. */
export async function loadEstateFile(path: string): Promise<Estate> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new UserError(`Can't read estate file ${path}: ${(err as NodeJS.ErrnoException).code === "ENOENT" ? "the file does not exist" : String(err)}.`,
      ["Check the path, or use --demo for the built-in demo estate."]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`Estate file ${path} is not JSON: ${(err as Error).message}.`);
  }
  const { parseEstate } = await import("../../sandbox/estate.js");
  try {
    const { estate, warnings } = parseEstate(json);
    for (const w of warnings) printErr(`warning: estate ${path}: ${w}`);
    return estate;
  } catch (err) {
    const e = err as { name?: string; jsonPath?: string; message?: string };
    if (e.name === "EstateError") {
      throw new UsageError(`Invalid estate ${path} at ${e.message ?? e.jsonPath}.`,
        ["Fix that value (DESIGN.md \"Estate file\" describes the format), or use --demo."], { cause: err });
    }
    throw err;
  }
}
