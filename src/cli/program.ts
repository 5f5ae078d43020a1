// The command tree (DESIGN.md "Command line"). Only commander is imported statically: each command loads
// its implementation with `await import()`, so --help and --version never load ink, react or @azure/*
// (a test in test/e2e proves it).
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { CLOUD_NAMES } from "../azure/cloud.js";
import { ACCEPTABLE_CODES } from "../domain/findings.js";
import { prepareContext, type CommandContext, type GlobalOptions } from "./command-context.js";
import { toolVersion } from "./version.js";
// Type-only: erased at build time, so these modules still load only when their command runs.
import type { ApplyOptions } from "./commands/apply.js";
import type { SyncOptions } from "./commands/sync.js";
import type { DemoOptions } from "./commands/demo.js";
import type { DoctorOptions } from "./commands/doctor.js";
import type { InteractiveOptions } from "./commands/interactive.js";
import type { InventoryOptions } from "./commands/inventory.js";
import type { PlanOptions } from "./commands/plan.js";
import type { SandboxStartOptions } from "./commands/sandbox-start.js";
import type { VerifyOptions } from "./commands/verify.js";
import type { StatusOptions } from "./commands/status.js";

export interface ProgramResult {
  exitCode: number;
}

/** --concurrency: steps in flight at once (apply.ts DEFAULT_CONCURRENCY says why the default is high). */
function parseConcurrency(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 512) throw new InvalidArgumentError("Expected a whole number of steps from 1 to 512.");
  return n;
}

/** --safety-lag, --interval: whole seconds, 0 or more. */
function parseSeconds(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new InvalidArgumentError("Expected whole seconds (0 or more).");
  return n;
}

/** --export-timeout: minutes, fractions allowed (0.5 = 30 s). */
function parseMinutes(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(n > 0)) throw new InvalidArgumentError("Expected a number of minutes greater than 0.");
  return n;
}

/** verify --sample: resources per type, 1–1000 (fhir-server's largest search page). */
function parseSample(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 1000) throw new InvalidArgumentError("Expected a whole number of resources from 1 to 1000.");
  return n;
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new InvalidArgumentError("Expected a TCP port 0–65535.");
  return n;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Repeatable --subscription: each value must be a subscription ID (a GUID). */
function collectSubscription(value: string, previous: string[] | undefined): string[] {
  if (!GUID.test(value)) throw new InvalidArgumentError("Expected a subscription ID (a GUID such as 00000000-0000-0000-0000-000000000000).");
  return [...(previous ?? []), value];
}

/** Repeatable flag: every value kept, checked later (plan-choices.ts) so each refusal names its flag. */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Wraps an action: resolves the global options and applies the profile in-process, records the exit code. */
function action<O>(result: ProgramResult, run: (opts: O, ctx: CommandContext, cmd: Command) => Promise<number>) {
  return async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    const ctx = await prepareContext(cmd.optsWithGlobals<GlobalOptions>());
    result.exitCode = await run(cmd.opts() as O, ctx, cmd);
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
    .addOption(new Option("--ca-certs <file>", "also trust the CA certificates in this PEM file (a TLS-inspecting proxy's)")
      .env("AHDS_MIGRATE_CA_CERTS"))
    .option("--sandbox", "run the interactive UI on the built-in demo sandbox (state kept in .ahds-migrate/sandbox/)")
    .option("--sandbox-reset", "with --sandbox (implies it): forget the saved sandbox state and start over")
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
    .option("--reset", "forget the saved sandbox state and CA and start over (also: --sandbox-reset)")
    .action(action<DemoOptions>(result, async (opts, ctx, cmd) => {
      const { demoCommand } = await import("./commands/demo.js");
      // --sandbox-reset is a root option; commander gives it to the root wherever it is written.
      return demoCommand({ ...opts, sandboxReset: cmd.optsWithGlobals<InteractiveOptions>().sandboxReset }, ctx);
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

  program.command("inventory")
    .description("list every Azure API for FHIR account, its key and whether it can move to Azure Health Data Services as it is")
    .option("--subscription <id>", "only this subscription (repeatable); default: every subscription of the signed-in tenant", collectSubscription)
    .option("--json", "print the FINDINGS.md inventory document (format 1) on stdout")
    .addHelpText("after", `
Exit codes: 0 the inventory ran (blocked accounts are data), 1 nothing could be listed (sign-in failed), 2 usage error.

Examples:
  $ ahds-migrate inventory
  $ ahds-migrate inventory --subscription 00000000-0000-0000-0000-000000000000 --json > inventory.json
  $ ahds-migrate inventory --profile .ahds-migrate/sandbox/profile.json`)
    .action(action<InventoryOptions>(result, async (opts, ctx) => {
      const { inventoryCommand } = await import("./commands/inventory.js");
      return inventoryCommand(opts, ctx);
    }));

  program.command("plan")
    .description("plan the migration of the chosen accounts: exact steps, key linkage and settings diff, for review (no changes in Azure)")
    .option("--account <id>", "plan this Azure API for FHIR account (ARM resource id; repeatable)", collect)
    .option("--all-ready", "plan every account that is ready as it is")
    .option("--out <file>", "write the plan to FILE (must end .plan.json) and its Markdown beside it (.plan.md)")
    .option("--archive-journal", "with --out: replace a plan that was applied (has a journal), moving its journal aside first")
    .option("--json", "print the plan JSON on stdout instead of the Markdown (with --out: a short JSON summary)")
    .option("--check <file>", "check a written plan: digest of both files, and that nothing it relies on has changed in Azure")
    .option("--target-resource-group <rg>", "create the workspaces in this resource group (created if missing) instead of each account's")
    .option("--key <account=url>", "use another Key Vault key for ACCOUNT (versioned or versionless key URL; repeatable)", collect)
    .option("--kind <account=kind>", "FHIR version for an account of kind 'fhir': fhir-R4 or fhir-Stu3 (repeatable)", collect)
    .option("--accept <account=code>", "accept an acceptable action finding of ACCOUNT instead of fixing it (repeatable)", collect)
    .option("--name <account=workspace[/fhir]>", "name ACCOUNT's target workspace (and FHIR service, default 'fhir'): 3–24 lower-case letters and digits (repeatable)", collect)
    .option("--subscription <id>", "discover only this subscription (repeatable); default: the accounts' subscriptions, or all for --all-ready", collectSubscription)
    .option("--storage-account <id>", "an existing storage account (ARM id, in the accounts' subscription) for the data copy: the targets import from it and their identities get Storage Blob Data Contributor on it")
    .addHelpText("after", `
Acceptable --accept codes (FINDINGS.md): ${ACCEPTABLE_CODES.join(", ")}.

Exit codes: 0 a plan with at least one planned account; 1 no account could be planned (the plan is still
written, with each reason); 2 usage error or unreadable plan file; 3 --check: the plan was edited, has an
unknown format, is stale (a fact it relies on changed in Azure), or is not what plan makes again from
its choices.

Examples:
  $ ahds-migrate plan --all-ready --out plans/wave-1.plan.json
  $ ahds-migrate plan --account /subscriptions/…/providers/Microsoft.HealthcareApis/services/fhir-exports \\
      --kind /subscriptions/…/services/fhir-exports=fhir-R4 > plan.md
  $ ahds-migrate plan --check plans/wave-1.plan.json`)
    .action(action<PlanOptions>(result, async (opts, ctx) => {
      const { planCommand } = await import("./commands/plan.js");
      return planCommand(opts, ctx);
    }));

  program.command("apply")
    .description("carry out a plan in Azure: journaled, rate-limited and resumable (the same command continues a stopped run)")
    .argument("<plan>", "the plan file (NAME.plan.json); NAME.journal.jsonl and NAME.lock are written beside it")
    .option("--yes", "apply without asking (required when not running in a terminal)")
    .option("--concurrency <n>", "steps in flight at once (default 128; requests to Azure are paced separately)", parseConcurrency)
    .option("--json", "print one JSON document (the run's outcome and every step's state) on stdout")
    .option("--force-unlock", "take over the plan's lock even though its holder may be alive (another host, or a live process)")
    .option("--operation-timeout <min>", "give up on a long-running operation after MIN minutes (default 90)", parseMinutes)
    .option("--propagation-timeout <min>", "retry a FHIR service whose identity cannot use the key yet for MIN minutes (default 15)", parseMinutes)
    .addHelpText("after", `
Exit codes: 0 every step succeeded; 2 usage error, unreadable plan, or no --yes when not in a terminal;
3 the plan was edited, has an unknown format, is stale, or another run holds its lock; 4 steps failed (each
is printed with its Azure error; fix the cause and run the same command again); 130 interrupted (Ctrl-C) —
the command that resumes is printed.

Examples:
  $ ahds-migrate apply plans/wave-1.plan.json
  $ ahds-migrate apply plans/wave-1.plan.json --yes --concurrency 8 --json > run.json
  $ ahds-migrate apply plans/wave-1.plan.json --yes --force-unlock     # the lock's holder is gone for sure`)
    .action(action<ApplyOptions>(result, async (opts, ctx, cmd) => {
      const { applyCommand } = await import("./commands/apply.js");
      return applyCommand(cmd.processedArgs[0] as string, opts, ctx);
    }));

  program.command("sync")
    .description("copy the FHIR data of an applied plan: $export from each source, incremental $import into its new FHIR service, in rounds; journaled and resumable")
    .argument("<plan>", "the plan file (NAME.plan.json, planned with --storage-account and applied); NAME.sync.jsonl is written beside it")
    .option("--once", "one round per account (every version and delete since the last committed round), then stop")
    .option("--final", "the cutover, once the sources' writers are stopped: rounds up to now (plus the safety lag), verify --data, then what every client must change")
    .option("--yes", "with --final: do not ask whether the writers are stopped (required when not running in a terminal)")
    .option("--safety-lag <seconds>", "a round exports up to now minus this many seconds (default 300)", parseSeconds)
    .option("--export-timeout <min>", "cancel an export that still answers 202 after MIN minutes, and send it again (default 60)", parseMinutes)
    .option("--interval <seconds>", "without --once: wait this long between two rounds of an account (default 900)", parseSeconds)
    .addHelpText("after", `
Without --once, rounds follow each other (--interval apart) until Ctrl-C; the watermark (the last committed round's end) moves
only when every import job of a round completed and every exported resource is accounted for.

Exit codes: 0 the rounds committed; 2 usage error or unreadable plan; 3 the plan was edited, has an unknown
format, is stale, or another run holds its lock; 4 a round is blocked (the reason is printed; fix it and run
the same command again); 130 interrupted (Ctrl-C) — the same command continues.

Examples:
  $ ahds-migrate plan --all-ready --storage-account /subscriptions/…/storageAccounts/migstore --out plans/w1.plan.json
  $ ahds-migrate apply plans/w1.plan.json && ahds-migrate sync plans/w1.plan.json --once`)
    .action(action<SyncOptions>(result, async (opts, ctx, cmd) => {
      const { syncCommand } = await import("./commands/sync.js");
      return syncCommand(cmd.processedArgs[0] as string, opts, ctx);
    }));

  program.command("verify")
    .description("read every target of a plan back from Azure and compare it field by field with the plan (no changes)")
    .argument("<plan>", "the plan file (NAME.plan.json)")
    .option("--json", "print one JSON document with every difference on stdout")
    .option("--data", "compare the FHIR data instead: per type, current resources and versions (up to the last synced round) on the source and the target")
    .option("--sample <n>", "with --data: also compare N resources per type field by field, every version of each up to the last synced round", parseSample)
    .addHelpText("after", `
Exit codes: 0 everything reads back as planned; 2 usage error or unreadable plan; 3 the plan was edited, has
an unknown format, or is stale; 4 differences found (each printed: step, field, expected, found — or, with
--data, the type and both counts, and with --sample the resource version and its first differing field).

Examples:
  $ ahds-migrate verify plans/wave-1.plan.json
  $ ahds-migrate verify plans/wave-1.plan.json --json
  $ ahds-migrate verify plans/wave-1.plan.json --data --sample 20`)
    .action(action<VerifyOptions>(result, async (opts, ctx, cmd) => {
      const { verifyCommand } = await import("./commands/verify.js");
      return verifyCommand(cmd.processedArgs[0] as string, opts, ctx);
    }));

  program.command("status")
    .description("where an apply of PLAN stands, from its journal and lock (no network): each step's status, attempts and reason")
    .argument("<plan>", "the plan file (NAME.plan.json); its journal NAME.journal.jsonl and lock NAME.lock are read beside it")
    .option("--json", "print one JSON document on stdout")
    .addHelpText("after", `
Exit codes: 0 the status was printed; 2 unreadable or malformed plan; 3 the plan was edited, has an unknown
format, or its journal is corrupt before the last line (a torn last line is reported and ignored).

Examples:
  $ ahds-migrate status plans/wave-1.plan.json
  $ ahds-migrate status plans/wave-1.plan.json --json`)
    .action(action<StatusOptions>(result, async (opts, ctx, cmd) => {
      const { statusCommand } = await import("./commands/status.js");
      return statusCommand(cmd.processedArgs[0] as string, opts, ctx);
    }));

  // No command: the interactive UI (DESIGN.md "Command line"). Registered after every subcommand: excess
  // arguments are allowed on the root only (subcommands copied the default when they were created), so
  // that a mistyped command still reads "unknown command" instead of commander's "too many arguments".
  // commander drops its implicit `help` command once the root has an action: keep it explicitly.
  program.helpCommand(true).allowExcessArguments(true).action(async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    if (cmd.args.length > 0) throw new CommanderError(1, "commander.unknownCommand", `error: unknown command '${cmd.args[0]}'`);
    const opts = cmd.opts<GlobalOptions & InteractiveOptions>();
    const { interactiveCommand, sandboxInteractiveCommand } = await import("./commands/interactive.js");
    if (opts.sandbox || opts.sandboxReset) {
      result.exitCode = await sandboxInteractiveCommand(opts, opts.profile !== undefined);
      return;
    }
    result.exitCode = await interactiveCommand(opts, await prepareContext(opts));
  });

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
