// Runs the program and owns the process exit: every error reaches the one handler here, which prints a
// one-line reason (+ next steps, + stack with --debug) on stderr and exits with DESIGN.md's code.
import { exitCodeFor, formatError } from "./error-handler.js";
import { colorEnabled, printErr } from "./output.js";
import { buildProgram, type ProgramResult } from "./program.js";

export async function runCli(argv: string[]): Promise<never> {
  const result: ProgramResult = { exitCode: 0 };
  let code: number;
  try {
    await buildProgram(result).parseAsync(argv);
    code = result.exitCode;
  } catch (err) {
    code = exitCodeFor(err);
    const text = formatError(err, { debug: argv.includes("--debug"), color: colorEnabled() });
    if (text) printErr(text);
  }
  process.exit(code);
}
