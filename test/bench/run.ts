// `npm run bench` (issue 3 "Benchmark"; not a test): starts the sandbox in this process on the generated
// estate (test/fixtures/generated-estate.ts), then runs the tool and the naive baseline in a child node
// started with the sandbox's environment (sandboxEnv, SDK-RECIPE §2 — node reads NODE_EXTRA_CA_CERTS only
// at start, so the SDKs cannot run in this process), and prints the figures and goals from the sandbox's
// request log. Then the apply benchmark of issue 5 (apply-run.ts) and the sync one of issue 11 (sync-run.ts). Only loopback traffic. A bench prints,
// it does not assert: exit code 0 unless it crashed.
//   node dist/test/bench/run.js [--only inventory|apply|sync] [--accounts N] [--subscriptions N] [--vaults N]
//     [--sample N] [--concurrency N]   (--accounts/--subscriptions/--vaults/--sample: inventory; --concurrency: apply)
import { fork } from "node:child_process";
import { DEFAULT_CONCURRENCY } from "../../src/cli/commands/apply.js";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { sandboxEnv } from "../../src/azure/profile.js";
import { parseKeyUri } from "../../src/domain/snapshot.js";
import type { Estate } from "../../src/sandbox/estate-types.js";
import { startSandbox } from "../../src/sandbox/server.js";
import { BENCH_ESTATE, generatedEstate, type GeneratedEstateOptions } from "../fixtures/generated-estate.js";
import type { BaselineResult, ChildMessage, MarkName, ParentMessage, ToolResult } from "./protocol.js";
import { printReport, type BenchRun } from "./report.js";
import { runApplyBench } from "./apply-run.js";
import { runSyncBench } from "./sync-run.js";
import type { Referenced, TimedResponse } from "./request-stats.js";

const CHILD_TIMEOUT_MS = 15 * 60_000;

type Only = "inventory" | "apply" | "sync" | null;

/** Steps in flight for the apply benchmark (issue 5 asks for 16; the apply default is 4). */
const APPLY_CONCURRENCY = DEFAULT_CONCURRENCY;

function args(argv: string[]): { estate: GeneratedEstateOptions; sample: number; only: Only; concurrency: number } {
  const estate: GeneratedEstateOptions = {};
  let sample = 100;
  let only: Only = null;
  let concurrency = APPLY_CONCURRENCY;
  for (let i = 0; i < argv.length; i += 2) {
    if (argv[i] === "--only") {
      if (argv[i + 1] !== "inventory" && argv[i + 1] !== "apply" && argv[i + 1] !== "sync") throw new Error("--only needs inventory, apply or sync");
      only = argv[i + 1] as Only;
      continue;
    }
    const value = Number(argv[i + 1]);
    if (!Number.isInteger(value) || value <= 0) throw new Error(`${argv[i]} needs a positive integer`);
    if (argv[i] === "--accounts") estate.accounts = value;
    else if (argv[i] === "--subscriptions") estate.subscriptions = value;
    else if (argv[i] === "--vaults") estate.vaults = value;
    else if (argv[i] === "--sample") sample = value;
    else if (argv[i] === "--concurrency") concurrency = value;
    else throw new Error(`unknown option ${argv[i]} (--only, --accounts, --subscriptions, --vaults, --sample, --concurrency)`);
  }
  return { estate, sample, only, concurrency };
}

function referencedBy(estate: Estate): Referenced {
  const out: Referenced = { vaults: new Set(), keys: new Set(), keyRefs: new Set() };
  for (const r of estate.resources) {
    if (r.type !== "Microsoft.HealthcareApis/services") continue;
    const uri = (r.properties?.cosmosDbConfiguration as { keyVaultKeyUri?: string } | undefined)?.keyVaultKeyUri;
    const p = uri ? parseKeyUri(uri) : null;
    if (!p) continue;
    const v = p.vaultName.toLowerCase();
    out.vaults.add(v);
    out.keys.add(`${v}/${p.keyName.toLowerCase()}`);
    out.keyRefs.add(`${v}/${p.keyName.toLowerCase()}${p.version ? `/${p.version.toLowerCase()}` : ""}`);
  }
  return out;
}

async function main(): Promise<void> {
  const { estate: estateOptions, sample, only, concurrency } = args(process.argv.slice(2));
  if (only === null || only === "inventory") await inventoryBench(estateOptions, sample);
  if (only === null) console.log("");
  if (only === null || only === "apply") await runApplyBench({ concurrency });
  if (only === null) console.log("");
  if (only === null || only === "sync") await runSyncBench();
}

async function inventoryBench(estateOptions: GeneratedEstateOptions, sample: number): Promise<void> {
  const options = { ...BENCH_ESTATE, ...estateOptions };
  const estate = generatedEstate(options);
  const loadBefore = loadavg()[0]!;
  const caDir = mkdtempSync(path.join(tmpdir(), "ahds-bench-ca-"));
  const sandbox = await startSandbox({ estate, caDir });
  try {
    const responses: TimedResponse[] = [];
    sandbox.onResponse((e) => {
      if (e.host !== "127.0.0.1") responses.push({ t: performance.now(), method: e.method, host: e.host, path: e.path, query: e.query, status: e.status });
    });
    const marks = new Map<MarkName, { t: number; seq: number; cpu: NodeJS.CpuUsage }>();
    const maxSeq = () => sandbox.requests().reduce((m, e) => Math.max(m, e.seq), 0);

    const childPath = path.join(path.dirname(fileURLToPath(import.meta.url)), "inventory-bench.js");
    const child = fork(childPath, [String(sample)], { env: sandboxEnv(sandbox.profile()), stdio: ["ignore", "inherit", "inherit", "ipc"] });
    let result: Extract<ChildMessage, { type: "result" }> | undefined;
    child.on("message", (m: ChildMessage) => {
      if (m.type === "mark") {
        marks.set(m.name, { t: performance.now(), seq: maxSeq(), cpu: process.cpuUsage() });
        child.send({ type: "ack", name: m.name } satisfies ParentMessage);
      } else if (m.type === "result") {
        result = m;
      }
    });
    const exitCode = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        console.error(`bench: the child ran longer than ${CHILD_TIMEOUT_MS / 60_000} min; stopping it.`);
        child.kill("SIGKILL");
      }, CHILD_TIMEOUT_MS);
      child.once("exit", (code) => { clearTimeout(timer); resolve(code); });
    });
    if (!result) throw new Error(`the bench child exited (code ${exitCode}) without a result`);

    const run: BenchRun = {
      options, sampleSize: sample, latencyMs: estate.behaviour.latencyMs, throttle: estate.behaviour.throttle,
      pageSize: estate.behaviour.pageSize, referenced: referencedBy(estate), log: sandbox.requests(), responses, marks,
      tool: result.tool as ToolResult | null, toolError: result.toolError, baseline: result.baseline as BaselineResult | null,
      baselineError: result.baselineError, sandboxMaxRssKiB: process.resourceUsage().maxRSS,
      machine: { cpus: cpus().length, loadBefore, loadAfter: loadavg()[0]! },
    };
    printReport(run);
  } finally {
    await sandbox.close();
    rmSync(caDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error("bench crashed:", e instanceof Error ? e.stack ?? e.message : e);
  process.exitCode = 1;
});
