// The sync benchmark (issue 11 "How it is checked"), run by run.ts after the apply one: SYNC_BENCH's
// accounts in one subscription with generated FHIR data (about 200,000 versions in all), injected
// latency, FHIR bulk jobs that take SYNC_BENCH.jobMs. Each part gets a fresh sandbox in this process with
// the same estate, planned with --storage-account and applied by the built CLI (not timed). Then:
//   floor   the sandbox's own export + import time for the same data (sync-floor.ts: the least a client does)
//   tool    the built CLI's `sync PLAN --once --safety-lag 0`, as a user runs it
//   resume  the same, killed (AHDS_MIGRATE_TEST_KILL_AFTER_RECORD) at half of the tool's records, then run again
// It prints resources/s of both and the tool's overhead over the floor (the goal: ≤ 20 %), status
// polls per job, and how long the resumed run takes to send its first data-plane request and to finish.
import { fork, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { sandboxEnv } from "../../src/azure/profile.js";
import type { Plan } from "../../src/domain/plan.js";
import type { Estate } from "../../src/sandbox/estate-types.js";
import { startSandbox, type Sandbox } from "../../src/sandbox/server.js";
import {
  accountId, addAccount, addRoleAssignment, addStorageAccount, baseEstate, CALLER_OBJECT_ID, fixtureGuid, resourceGroupId,
} from "../fixtures/estate-builders.js";
import type { FloorAccount, FloorResult } from "./sync-floor.js";

export const SYNC_BENCH = {
  accounts: 10,
  /** Patients per account: the generator makes about six versions per patient (20,000 per account). */
  patients: 3_360,
  latencyMs: 20,
  jobMs: 5_000,
} as const;

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CLI = path.join(HERE, "..", "..", "src", "cli", "main.js");
const CHILD_TIMEOUT_MS = 15 * 60_000;
const ROLES = { exporter: "3db33094-8700-4567-8da5-1501d4e7e843", importer: "4465e953-8ced-4406-a58e-0f6e3f3b530b", blobContributor: "ba92f5b4-2d11-453d-a403-e96b0029c9fe" };

export function syncBenchEstate(): { estate: Estate; accounts: string[]; storage: string } {
  const e = baseEstate({ behaviour: { latencyMs: SYNC_BENCH.latencyMs, rolePropagationMs: 0, operationDurationMs: { default: 0 }, fhirJobDurationMs: SYNC_BENCH.jobMs } });
  const storage = addStorageAccount(e, "benchstore");
  addRoleAssignment(e, { scope: resourceGroupId(), role: ROLES.importer, principalId: CALLER_OBJECT_ID });
  const accounts: string[] = [];
  e.fhirData = [];
  for (let i = 1; i <= SYNC_BENCH.accounts; i++) {
    const name = `fhir-bench-${String(i).padStart(2, "0")}`;
    addAccount(e, { name, keyUri: null, exportStorageAccount: "benchstore" });
    const id = accountId(name);
    addRoleAssignment(e, { scope: storage, role: ROLES.blobContributor, principalId: fixtureGuid(`mi:${name}`) });
    addRoleAssignment(e, { scope: id, role: ROLES.exporter, principalId: CALLER_OBJECT_ID });
    e.fhirData.push({ service: id, generate: { patients: SYNC_BENCH.patients, seed: i, historyRate: 0.2, deleteRate: 0.05 } });
    accounts.push(id);
  }
  return { estate: e, accounts, storage };
}

interface Exit { code: number | null; signal: NodeJS.Signals | null; ms: number; stderr: string }

function cli(sandbox: Sandbox, args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Exit> {
  const env = sandboxEnv(sandbox.profile());
  for (const k of Object.keys(env)) if (k.startsWith("AHDS_MIGRATE_")) delete env[k];
  const t0 = performance.now();
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...env, ...extraEnv, NO_COLOR: "1" }, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (c: string) => { stderr += c; });
  return new Promise((resolve) => {
    const timer = setTimeout(() => { console.error(`bench: ahds-migrate ${args[0]} ran longer than ${CHILD_TIMEOUT_MS / 60_000} min; stopping it.`); child.kill("SIGKILL"); }, CHILD_TIMEOUT_MS);
    child.once("exit", (code, signal) => { clearTimeout(timer); resolve({ code, signal, ms: performance.now() - t0, stderr }); });
  });
}

const must = (what: string, e: Exit) => {
  if (e.code !== 0) throw new Error(`${what} exited ${e.code ?? e.signal}: ${e.stderr.trim().split("\n").slice(-4).join(" | ")}`);
  return e;
};

/** A fresh sandbox on the bench estate with the plan applied; `run` gets it and the plan's path. */
async function withAppliedSandbox<T>(caDir: string, run: (sandbox: Sandbox, planPath: string, plan: Plan) => Promise<T>): Promise<T> {
  const { estate, accounts, storage } = syncBenchEstate();
  const sandbox = await startSandbox({ estate, caDir });
  const dir = mkdtempSync(path.join(tmpdir(), "ahds-bench-sync-"));
  try {
    const planPath = path.join(dir, "sync.plan.json");
    must("plan", await cli(sandbox, ["plan", ...accounts.flatMap((a) => ["--account", a]), "--storage-account", storage, "--out", planPath]));
    must("apply", await cli(sandbox, ["apply", planPath, "--yes"]));
    return await run(sandbox, planPath, JSON.parse(readFileSync(planPath, "utf8")) as Plan);
  } finally {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const isDataPlane = (host: string) => /\.(fhir\.)?azurehealthcareapis\.com$/.test(host);

/** Status polls per bulk job, from the sandbox's log: GETs of each `_operations/{export|import}/{id}`. */
function pollsPerJob(sandbox: Sandbox, from = 0): { export: number[]; import: number[] } {
  const polls = { export: new Map<string, number>(), import: new Map<string, number>() };
  for (const e of sandbox.requests()) {
    const m = e.seq > from && e.method === "GET" ? /\/_operations\/(export|import)\/([^/?]+)/.exec(e.path) : null;
    if (m) polls[m[1] as "export" | "import"].set(m[2]!, (polls[m[1] as "export" | "import"].get(m[2]!) ?? 0) + 1);
  }
  return { export: [...polls.export.values()], import: [...polls.import.values()] };
}

/** Runs `start` and times, from then, the first FHIR data-plane request that arrived after it (a killed
 * process's request in flight arrived before and is answered later): its answer less the injected latency. */
async function timeToFirstDataRequest(sandbox: Sandbox, start: () => Promise<Exit>): Promise<{ exit: Exit; firstDataRequestMs: number | null }> {
  const from = sandbox.lastSeq();
  const t0 = performance.now();
  let firstDataRequestMs: number | null = null;
  const off = sandbox.onResponse((e) => {
    if (firstDataRequestMs === null && e.seq > from && isDataPlane(e.host)) firstDataRequestMs = performance.now() - t0 - SYNC_BENCH.latencyMs;
  });
  try {
    return { exit: await start(), firstDataRequestMs };
  } finally {
    off();
  }
}

const journalLines = (planPath: string) => readFileSync(planPath.replace(/\.plan\.json$/, ".sync.jsonl"), "utf8").trim().split("\n").length;
const totalVersions = (sandbox: Sandbox, ids: string[]) => ids.reduce((n, id) => n + Object.values(sandbox.state.fhirStore(id).counts()).reduce((m, c) => m + c.versions, 0), 0);

export async function runSyncBench(): Promise<void> {
  const caDir = mkdtempSync(path.join(tmpdir(), "ahds-bench-sync-ca-"));
  try {
    console.log(`sync: ${SYNC_BENCH.accounts} accounts, ${SYNC_BENCH.patients} generated patients each; ${SYNC_BENCH.latencyMs} ms latency, bulk jobs of ${SYNC_BENCH.jobMs / 1000} s`);
    const floor = await withAppliedSandbox(caDir, async (sandbox, _planPath, plan) => {
      const accounts: FloorAccount[] = plan.accounts.filter((a) => a.status === "planned")
        .map((a) => ({ name: a.name, sourceUrl: `https://${a.name}.azurehealthcareapis.com`, targetUrl: a.target.fhirUrl }));
      const child = fork(path.join(HERE, "sync-floor.js"), [JSON.stringify({ accounts, container: "bench-floor" })], { env: sandboxEnv(sandbox.profile()), stdio: ["ignore", "inherit", "inherit", "ipc"] });
      const result = await new Promise<FloorResult>((resolve, reject) => {
        child.once("message", (m: FloorResult) => resolve(m));
        child.once("exit", (code) => reject(new Error(`the floor child exited ${code} without a result`)));
      });
      if (result.error) throw new Error(`the floor failed: ${result.error}`);
      return { ...result, polls: pollsPerJob(sandbox) };
    });
    const tool = await withAppliedSandbox(caDir, async (sandbox, planPath, plan) => {
      const ids = plan.accounts.filter((a) => a.status === "planned").map((a) => a.id);
      const from = sandbox.lastSeq();
      const timed = await timeToFirstDataRequest(sandbox, () => cli(sandbox, ["sync", planPath, "--once", "--safety-lag", "0"]));
      const run = must("sync --once", timed.exit);
      const targets = plan.accounts.filter((a) => a.status === "planned").map((a) => a.target.fhirServiceId);
      const versions = totalVersions(sandbox, ids);
      const copied = totalVersions(sandbox, targets);
      const dataPlane = sandbox.requests().filter((e) => e.seq > from && isDataPlane(e.host));
      return { ms: run.ms, firstDataRequestMs: timed.firstDataRequestMs, versions, copied, records: journalLines(planPath), polls: pollsPerJob(sandbox, from), dataPlaneRequests: dataPlane.length,
        throttled: dataPlane.filter((e) => e.status === 429).length };
    });
    const resume = await withAppliedSandbox(caDir, async (sandbox, planPath, plan) => {
      const killAt = Math.max(1, Math.round(tool.records / 2));
      const killed = await cli(sandbox, ["sync", planPath, "--once", "--safety-lag", "0"], { AHDS_MIGRATE_TEST_KILL_AFTER_RECORD: String(killAt) });
      if (killed.signal !== "SIGKILL") throw new Error(`the killed sync exited ${killed.code ?? killed.signal} instead of SIGKILL`);
      const timed = await timeToFirstDataRequest(sandbox, () => cli(sandbox, ["sync", planPath, "--once", "--safety-lag", "0"]));
      const resumed = must("the resumed sync", timed.exit);
      const firstDataRequestMs = timed.firstDataRequestMs;
      const ids = plan.accounts.filter((a) => a.status === "planned");
      const equal = ids.every((a) => JSON.stringify(sandbox.state.fhirStore(a.id).counts()) === JSON.stringify(sandbox.state.fhirStore(a.target.fhirServiceId).counts()));
      return { killAt, killedMs: killed.ms, resumedMs: resumed.ms, firstDataRequestMs, equal };
    });
    printSyncReport(floor, tool, resume);
  } finally {
    rmSync(caDir, { recursive: true, force: true });
  }
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const stats = (xs: number[]) => xs.length === 0 ? "none" : `${xs.length} jobs, ${Math.min(...xs)}–${Math.max(...xs)} polls (mean ${(xs.reduce((n, x) => n + x, 0) / xs.length).toFixed(1)})`;

function printSyncReport(
  floor: FloorResult & { polls: { export: number[]; import: number[] } },
  tool: { ms: number; firstDataRequestMs: number | null; versions: number; copied: number; records: number; polls: { export: number[]; import: number[] }; dataPlaneRequests: number; throttled: number },
  resume: { killAt: number; killedMs: number; resumedMs: number; firstDataRequestMs: number | null; equal: boolean },
): void {
  const rate = (n: number, ms: number) => `${Math.round(n / (ms / 1000)).toLocaleString("en-US")} resources/s`;
  console.log(`  versions on the sources: ${tool.versions.toLocaleString("en-US")}; copied by the tool: ${tool.copied.toLocaleString("en-US")}`);
  console.log(`  floor (the sandbox's own export + import): ${s(floor.ms)}, ${rate(floor.resources, floor.ms)}`);
  console.log(`  tool (sync --once, the built CLI, spawn to exit): ${s(tool.ms)}, ${rate(tool.versions, tool.ms)}`);
  console.log(`    of which before its first data-plane request (staleness check, the plan made again, lock): ${tool.firstDataRequestMs === null ? "none" : s(tool.firstDataRequestMs)}`);
  console.log(`  tool / floor: ${(tool.ms / floor.ms).toFixed(2)}× — the tool adds ${Math.round((tool.ms / floor.ms - 1) * 100)} % (goal ≤ 20 %)`);
  console.log(`  status polls: tool export ${stats(tool.polls.export)}; import ${stats(tool.polls.import)}`);
  console.log(`                floor export ${stats(floor.polls.export)}; import ${stats(floor.polls.import)} (every 100 ms, sync-floor.ts)`);
  console.log(`  tool: ${tool.records} journal records, ${tool.dataPlaneRequests} FHIR data-plane requests, ${tool.throttled} answered 429`);
  console.log(`  resume: killed after record ${resume.killAt} (${s(resume.killedMs)} in); the same command again: first data-plane request ${resume.firstDataRequestMs === null ? "none" : s(resume.firstDataRequestMs)} after spawn, done in ${s(resume.resumedMs)}; counts equal on both sides: ${resume.equal ? "yes" : "NO"}`);
}
