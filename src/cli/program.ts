// The command tree (DESIGN.md "Command line"). Only commander is imported statically: each command loads
// its implementation with `await import()`, so --help and --version never load ink, react or @azure/*
// (a test in test/e2e proves it).
import { Command, InvalidArgumentError, Option } from "commander";
import { CLOUD_NAMES } from "../azure/cloud.js";
import { prepareContext, type CommandContext, type GlobalOptions } from "./command-context.js";
import { toolVersion } from "./version.js";
// Type-only: erased at build time, so these modules still load only when their command runs.
import type { DemoOptions } from "./commands/demo.js";
import type { DoctorOptions } from "./commands/doctor.js";
import type { SandboxStartOptions } from "./commands/sandbox-start.js";

export interface ProgramResult {
  exitCode: number;
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new InvalidArgumentError("Expected a TCP port 0–65535.");
  return n;
}

/** Wraps an action: resolves the global options and the profile (maybe re-executing), records the exit code. */
function action<O>(result: ProgramResult, run: (opts: O, ctx: CommandContext) => Promise<number>) {
  return async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    const prepared = await prepareContext(cmd.optsWithGlobals<GlobalOptions>());
    result.exitCode = prepared.kind === "reexeced" ? prepared.exitCode : await run(cmd.opts() as O, prepared.ctx);
  };
}

export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}

export function buildProgram(result: ProgramResult): Command {
  const program = new Command("ahds-migrate")
    .description("Move Azure API for FHIR accounts with customer-managed keys to Azure Health Data Services.")
    .version(toolVersion(), "-V, --version", "print the version and exit")
    .helpOption("-h, --help", "show help for a command")
    .option("--debug", "show stack traces and details of failures")
    .addOption(new Option("--profile <file>", "connection profile (e.g. of the sandbox) to run against")
      .env("AHDS_MIGRATE_PROFILE"))
    .addOption(new Option("--cloud <name>", "Azure cloud to use without a profile").choices([...CLOUD_NAMES])
      .default("AzureCloud"))
    .configureHelp({ showGlobalOptions: true });

  const sandbox = program.command("sandbox")
    .description("a local Azure (Entra, ARM, Key Vault, Graph) behind an HTTPS proxy, for tests and demos");
  sandbox.command("start")
    .description("run the sandbox in the foreground until Ctrl-C/SIGTERM; writes a connection profile once it listens")
    .option("--estate <file>", "estate file (JSON, DESIGN.md \"Estate file\") to seed the sandbox from")
    .option("--demo", "seed the sandbox from the built-in demo estate")
    .option("--port <n>", "TCP port on 127.0.0.1 (default: any free port)", parsePort)
    .option("--state <file>", "persist the sandbox's Azure to FILE; an existing FILE wins over --estate/--demo")
    .option("--ca-dir <dir>", "directory of the sandbox CA (created if missing, reused if present)", ".ahds-migrate/sandbox/ca")
    .requiredOption("--profile-out <file>", "where to write the connection profile (JSON)")
    .addHelpText("after", `
Examples:
  $ ahds-migrate sandbox start --demo --profile-out sandbox.profile.json
  $ ahds-migrate sandbox start --estate estate.json --state state.json --ca-dir ca --port 8443 --profile-out p.json
  $ AHDS_MIGRATE_PROFILE=p.json ahds-migrate doctor`)
    .action(action<SandboxStartOptions>(result, async (opts, ctx) => {
      const { sandboxStartCommand } = await import("./commands/sandbox-start.js");
      return sandboxStartCommand(opts, ctx);
    }));

  program.command("demo")
    .description("start the sandbox on the demo estate (state and CA kept in .ahds-migrate/sandbox/) and show what to run against it")
    .option("--port <n>", "TCP port on 127.0.0.1 (default: any free port)", parsePort)
    .option("--reset", "forget the saved sandbox state and CA and start over")
    .addOption(new Option("--sandbox-reset", "same as --reset").hideHelp())
    .action(action<DemoOptions>(result, async (opts, ctx) => {
      const { demoCommand } = await import("./commands/demo.js");
      return demoCommand(opts, ctx);
    }));

  program.command("doctor")
    .description("sign in, list the subscriptions visible and print the cloud, endpoints and tenant (like 'az account list')")
    .option("--json", "print one JSON document on stdout")
    .addHelpText("after", `
Examples:
  $ ahds-migrate doctor                                   # DefaultAzureCredential (az login, env, managed identity)
  $ ahds-migrate doctor --cloud AzureUSGovernment --json
  $ ahds-migrate doctor --profile .ahds-migrate/sandbox/profile.json`)
    .action(action<DoctorOptions>(result, async (opts, ctx) => {
      const { doctorCommand } = await import("./commands/doctor.js");
      return doctorCommand(opts, ctx);
    }));

  // Usage errors throw instead of exiting, tagged with the command whose --help to point at; commander's
  // own error print is silenced so the one handler prints a single line (run.ts).
  const tag = (cmd: Command) => {
    cmd.exitOverride((err) => { throw Object.assign(err, { commandPath: commandPath(cmd) }); });
    cmd.configureOutput({ outputError: () => undefined });
    for (const sub of cmd.commands) tag(sub);
  };
  tag(program);
  return program;
}
