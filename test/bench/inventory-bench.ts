// The benchmark's child process (started by run.ts with the sandbox's environment, SDK-RECIPE §2: node
// reads NODE_EXTRA_CA_CERTS only at start). It runs, one after the other, the tool's inventory
// (createAzureSession + discover + assess) and the naive baseline on a deterministic sample of accounts,
// marking each boundary to the parent, then sends its own figures (wall times, peak RSS, limiter stats).
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";
import { assess } from "../../src/assess/assess.js";
import { createAzureSession } from "../../src/azure/azure-session.js";
import { discover } from "../../src/inventory/discover.js";
import { naiveBaseline, sampleOf } from "./naive-baseline.js";
import type { BaselineResult, ChildMessage, MarkName, ParentMessage, ToolResult } from "./protocol.js";

// Count TLS connections (one per CONNECT tunnel): the proxy agent the SDK pipeline uses for HTTPS_PROXY is
// created without keepAlive, so whether tunnels are reused shows here. Counting only; behaviour is unchanged.
const tls = createRequire(import.meta.url)("node:tls") as { connect: (...args: unknown[]) => unknown };
let tlsConnections = 0;
const tlsConnect = tls.connect;
tls.connect = (...args: unknown[]) => {
  tlsConnections++;
  return tlsConnect(...args);
};

const pending = new Map<MarkName, () => void>();
process.on("message", (m: ParentMessage) => {
  if (m?.type === "ack") pending.get(m.name)?.();
});

function send(m: ChildMessage): Promise<void> {
  return new Promise((resolve, reject) => process.send!(m, (err: Error | null) => (err ? reject(err) : resolve())));
}

async function mark(name: MarkName): Promise<void> {
  const acked = new Promise<void>((resolve) => pending.set(name, resolve));
  await send({ type: "mark", name });
  await acked;
  pending.delete(name);
}

async function runTool(): Promise<ToolResult> {
  const phases: { phase: string; atMs: number }[] = [];
  await mark("tool-start");
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const tls0 = tlsConnections;
  const session = createAzureSession("AzureCloud");
  const snapshot = await discover(session, {
    onProgress: (p) => {
      if (phases.at(-1)?.phase !== p.phase) phases.push({ phase: p.phase, atMs: performance.now() - t0 });
    },
  });
  const assessments = assess(snapshot);
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  await mark("tool-end");
  const verdicts: Record<string, number> = {};
  for (const a of assessments) verdicts[a.verdict] = (verdicts[a.verdict] ?? 0) + 1;
  return {
    wallMs, cpuMs: (cpu.user + cpu.system) / 1000, tlsConnections: tlsConnections - tls0, maxRssKiB: process.resourceUsage().maxRSS, accounts: snapshot.accounts.length,
    vaults: Object.keys(snapshot.vaults).length, keys: Object.keys(snapshot.keys).length, errors: snapshot.errors.length,
    verdicts, phases, limiterStats: session.limiter.stats(),
  };
}

async function runBaseline(sampleSize: number): Promise<BaselineResult> {
  const baseline = naiveBaseline();
  await mark("baseline-start");
  const t0 = performance.now();
  const tls0 = tlsConnections;
  const e = await baseline.enumerate();
  const t1 = performance.now();
  await mark("baseline-enumerated");
  const sample = sampleOf(e.accounts, sampleSize);
  const t2 = performance.now();
  for (const account of sample) await baseline.readAccount(account, e);
  const t3 = performance.now();
  await mark("baseline-end");
  return { enumerationWallMs: t1 - t0, sampleWallMs: t3 - t2, sampleAccounts: sample.length, totalAccounts: e.accounts.length,
    tlsConnections: tlsConnections - tls0 };
}

const message = (e: unknown): string => (e instanceof Error ? e.stack ?? e.message : String(e));

async function main(): Promise<void> {
  const sampleSize = Number(process.argv[2] ?? 100);
  let tool: ToolResult | null = null;
  let toolError: string | null = null;
  let baseline: BaselineResult | null = null;
  let baselineError: string | null = null;
  try { tool = await runTool(); } catch (e) { toolError = message(e); }
  try { baseline = await runBaseline(sampleSize); } catch (e) { baselineError = message(e); }
  await send({ type: "result", tool, toolError, baseline, baselineError });
  // The SDKs' keep-alive sockets to the proxy would keep this process alive; the parent closes the sandbox.
  process.exit(0);
}

main().catch((e) => {
  console.error("bench child crashed:", message(e));
  process.exit(1);
});
