// Spawns the BUILT CLI (dist/src/cli/main.js, built by `npm test`'s pretest) as a user would run it, with
// an environment stripped of the sandbox variables vitest's globalSetup sets, so each test decides what
// the CLI sees. Optionally records every module specifier node resolves (ESM resolve hook registered
// with `--import`), to prove what --help does and does not load.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const CLI = join(ROOT, "dist", "src", "cli", "main.js");

export function assertBuilt(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run 'npm run build' (npm test does it in pretest).`);
}

export function tempDir(prefix = "ahds-e2e-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

const STRIPPED = /^(HTTPS?_PROXY|https?_proxy|NO_PROXY|no_proxy|NODE_EXTRA_CA_CERTS|NODE_OPTIONS|NO_COLOR|AZURE_.*|AHDS_MIGRATE_.*)$/;

export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!STRIPPED.test(k)) env[k] = v;
  return { ...env, ...extra };
}

/** Writes the resolve hook into `dir`; returns the node flags to load it and the log path it appends to. */
export function moduleRecorder(dir: string): { nodeArgs: string[]; log: string; env: NodeJS.ProcessEnv } {
  const log = join(dir, "modules.log");
  writeFileSync(log, "");
  writeFileSync(join(dir, "record-resolve.mjs"), [
    'import { appendFileSync } from "node:fs";',
    "const log = process.env.AHDS_TEST_MODULE_LOG;",
    "export async function resolve(specifier, context, nextResolve) {",
    "  const result = await nextResolve(specifier, context);",
    "  if (log) appendFileSync(log, `${process.pid}\\t${specifier}\\t${result.url}\\n`);",
    "  return result;",
    "}",
  ].join("\n"));
  writeFileSync(join(dir, "register.mjs"), [
    'import { register } from "node:module";',
    'register("./record-resolve.mjs", import.meta.url);',
  ].join("\n"));
  return { nodeArgs: ["--import", pathToFileURL(join(dir, "register.mjs")).href], log, env: { AHDS_TEST_MODULE_LOG: log } };
}

export interface LoadedModule { pid: number; specifier: string; url: string }

export function readModuleLog(log: string): LoadedModule[] {
  return readFileSync(log, "utf8").split("\n").filter(Boolean).map((line) => {
    const [pid, specifier, url] = line.split("\t");
    return { pid: Number(pid), specifier: specifier ?? "", url: url ?? "" };
  });
}

/** Modules --help must never load (STYLE.md: --help and --json never pay for React, Ink or the SDKs). */
export function isUiOrSdk(m: LoadedModule): boolean {
  const hit = (s: string) => /^(ink|react)(\/|$)/.test(s) || /^@azure(-rest)?\//.test(s)
    || /\/node_modules\/(ink|react|@azure|@azure-rest)\//.test(s);
  return hit(m.specifier) || hit(m.url);
}

export interface CliRun { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; /** The process started. */ pid: number }

export interface CliOptions { env?: NodeJS.ProcessEnv; cwd?: string; nodeArgs?: string[] }

/** Runs the CLI to completion. */
export function runCli(args: string[], o: CliOptions = {}): Promise<CliRun> {
  const child = startCli(args, o);
  return new Promise((res, rej) => {
    child.process.once("error", rej);
    child.process.once("close", (code, signal) => res({ code, signal, stdout: child.stdout(), stderr: child.stderr(), pid: child.process.pid! }));
  });
}

export interface RunningCli {
  process: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once stderr contains `text`; rejects if the process ends first. */
  waitForStderr(text: string): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startCli(args: string[], o: CliOptions = {}): RunningCli {
  assertBuilt();
  const p = spawn(process.execPath, [...(o.nodeArgs ?? []), CLI, ...args],
    { env: o.env ?? cleanEnv(), cwd: o.cwd ?? ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  const waiters: { text: string; res: () => void; rej: (e: Error) => void }[] = [];
  p.stdout?.on("data", (d: Buffer) => { out += d.toString(); });
  p.stderr?.on("data", (d: Buffer) => {
    err += d.toString();
    for (const w of [...waiters]) if (err.includes(w.text)) { waiters.splice(waiters.indexOf(w), 1); w.res(); }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => {
    p.once("close", (code, signal) => {
      for (const w of waiters.splice(0)) w.rej(new Error(`CLI exited (${code ?? signal}) before printing "${w.text}". stderr:\n${err}`));
      res({ code, signal });
    });
  });
  return {
    process: p,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForStderr: (text) => new Promise<void>((res, rej) => {
      if (err.includes(text)) res();
      else if (p.exitCode !== null || p.signalCode !== null) rej(new Error(`CLI already exited; stderr:\n${err}`));
      else waiters.push({ text, res, rej });
    }),
  };
}

/** True while a process with this pid exists (signal 0 only checks). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** `sandbox start --demo` in a child, resolved once it listens (its profile written to `profilePath`). */
export async function startDemoSandbox(dir: string, profilePath: string): Promise<RunningCli> {
  const sandbox = startCli(["sandbox", "start", "--demo", "--profile-out", profilePath, "--ca-dir", join(dir, "ca")]);
  await sandbox.waitForStderr("Press Ctrl-C to stop.");
  return sandbox;
}

/** SIGTERM a child CLI that is still running, and wait for it to exit. */
export async function stopCli(running: RunningCli): Promise<void> {
  if (running.process.exitCode === null && running.process.signalCode === null) {
    running.process.kill("SIGTERM");
    await running.exited;
  }
}
