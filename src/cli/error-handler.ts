// The one error handler (STYLE.md): maps every error to a one-line reason, next steps and an exit code
// (DESIGN.md "Command line"). Errors are recognised by `name`, never instanceof. Pure: printing and
// process.exit happen in run.ts.

export const EXIT = { ok: 0, error: 1, usage: 2, planRefused: 3, failedSteps: 4, interrupted: 130 } as const;

interface Named { name?: unknown; message?: unknown; code?: unknown; exitCode?: unknown; stack?: unknown }

/** Commander's own exits that are not errors (help or version was printed). */
const COMMANDER_OK = new Set(["commander.helpDisplayed", "commander.version"]);

export function exitCodeFor(err: unknown): number {
  const e = (typeof err === "object" && err !== null ? err : {}) as Named;
  switch (e.name) {
    case "UsageError": return EXIT.usage;
    case "StalePlanError": case "LockHeldError": case "PlanFormatError": return EXIT.planRefused;
    case "CancelledError": return EXIT.interrupted;
    // commander.help carries exitCode 0 for `help CMD`, 1 when a subcommand is missing (a usage error).
    case "CommanderError": return COMMANDER_OK.has(String(e.code)) || e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    default: return EXIT.error;
  }
}

export interface FormatErrorOptions {
  debug: boolean;
  color: boolean;
  /** `ahds-migrate sandbox start`: names the command whose --help a usage error points to. */
  commandPath?: string;
}

/** The lines to print on stderr for `err` (no trailing newline). Empty for help/version exits. */
export function formatError(err: unknown, o: FormatErrorOptions): string {
  const e = (typeof err === "object" && err !== null ? err : { message: String(err) }) as Named & {
    nextSteps?: unknown; requestId?: unknown; resumeCommand?: unknown; commandPath?: unknown };
  const red = (s: string) => (o.color ? `\u001b[31m${s}\u001b[39m` : s);
  const message = oneLine(typeof e.message === "string" ? e.message : String(err));
  const lines: string[] = [];
  const steps = Array.isArray(e.nextSteps) ? e.nextSteps.filter((s): s is string => typeof s === "string") : [];
  switch (e.name) {
    case "CommanderError": {
      if (COMMANDER_OK.has(String(e.code))) return "";
      const path = typeof e.commandPath === "string" ? e.commandPath : o.commandPath ?? "ahds-migrate";
      // commander.help: the help was printed already because a subcommand is missing.
      if (e.code === "commander.help") return "";
      lines.push(`${red("error:")} ${message.replace(/^error:\s*/, "")}`);
      lines.push(`Run '${path} --help' for usage.`);
      break;
    }
    case "CancelledError":
      lines.push(message);
      if (typeof e.resumeCommand === "string") lines.push(`Resume with: ${e.resumeCommand}`);
      break;
    case "BugError":
      lines.push(`${red("error:")} internal error: ${message}`);
      lines.push("This is a bug in ahds-migrate. Please report it with the output of the same command run with --debug.");
      break;
    case "UserError": case "UsageError": case "AzureError": case "StalePlanError": case "LockHeldError":
    case "PlanFormatError":
      lines.push(`${red("error:")} ${message}`);
      if (e.name === "AzureError" && typeof e.requestId === "string") lines.push(`Azure request id: ${e.requestId}`);
      for (const s of steps) lines.push(`  ${s}`);
      if (e.name === "UsageError" && steps.length === 0 && o.commandPath) lines.push(`Run '${o.commandPath} --help' for usage.`);
      break;
    default:
      lines.push(`${red("error:")} unexpected ${typeof e.name === "string" ? e.name : "error"}: ${message}`);
      if (!o.debug) lines.push("Run the same command with --debug to see where it happened.");
  }
  if (o.debug && typeof e.stack === "string") lines.push(stackWithCauses(err));
  return lines.join("\n");
}

function oneLine(s: string): string {
  return (s.split("\n").find((l) => l.trim() !== "") ?? s).trim();
}

function stackWithCauses(err: unknown): string {
  const parts: string[] = [];
  let cur: unknown = err;
  for (let depth = 0; cur && depth < 5; depth++) {
    const c = cur as { stack?: unknown; message?: unknown; cause?: unknown };
    parts.push(depth === 0 ? String(c.stack ?? c.message) : `Caused by: ${String(c.stack ?? c.message)}`);
    cur = c.cause;
  }
  return parts.join("\n");
}
