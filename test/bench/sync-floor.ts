// The sync benchmark's floor (sync-run.ts), run in a child with the sandbox's environment: the sandbox's own
// export + import time for the same data, measured with the least a client can do — per account, all at
// once: one system `$export` (the tool's parameters), its status polled every FLOOR_POLL_MS, then one
// `$import` of every file of the manifest, polled the same way. No journal, no limiter, no lock, no
// re-derivation, no error-file reads: what is left is the sandbox's job time, its processing and the
// injected latency. Clients come from the plain factory (src/azure/clients.ts), as naive-baseline.ts does.
import { createCredential, createFhirClient, type FhirClient, type FhirResponse } from "../../src/azure/clients.js";
import { importBody } from "../../src/runner/sync-run.js";

export interface FloorAccount { name: string; sourceUrl: string; targetUrl: string }
export interface FloorResult { ms: number; resources: number; perAccountMs: number[]; error: string | null }

/** The floor polls ten times a second: a poll interval well under the jobs' durations, so it adds little. */
const FLOOR_POLL_MS = 100;

const pathOf = (url: string) => { const u = new URL(url); return `${u.pathname}${u.search}`; };
const pause = () => new Promise((r) => setTimeout(r, FLOOR_POLL_MS));

async function untilDone(client: FhirClient, statusUrl: string, what: string): Promise<FhirResponse> {
  for (;;) {
    const r = await client.request("GET", pathOf(statusUrl));
    if (r.status === 200) return r;
    if (r.status !== 202) throw new Error(`${what} status answered ${r.status}`);
    await pause();
  }
}

async function copy(credential: ReturnType<typeof createCredential>, a: FloorAccount, container: string): Promise<number> {
  const source = createFhirClient(credential, { baseUrl: a.sourceUrl, audience: a.sourceUrl });
  const target = createFhirClient(credential, { baseUrl: a.targetUrl, audience: a.targetUrl });
  const q = new URLSearchParams({ _container: container, includeAssociatedData: "_history,_deleted", _till: new Date().toISOString() });
  const kick = await source.request("GET", `/$export?${q.toString()}`, undefined, { accept: "application/fhir+json", prefer: "respond-async" });
  if (kick.status !== 202 || !kick.headers.contentLocation) throw new Error(`${a.name}: export kick-off answered ${kick.status}`);
  const manifest = (await untilDone(source, kick.headers.contentLocation, `${a.name}: export`)).body as { output?: { type: string; url: string; count: number }[] };
  const outputs = manifest.output ?? [];
  const post = await target.request("POST", "/$import", importBody(outputs), { prefer: "respond-async" });
  if (post.status !== 202 || !post.headers.contentLocation) throw new Error(`${a.name}: import answered ${post.status}`);
  await untilDone(target, post.headers.contentLocation, `${a.name}: import`);
  return outputs.reduce((n, o) => n + o.count, 0);
}

async function main(): Promise<void> {
  const { accounts, container } = JSON.parse(process.argv[2]!) as { accounts: FloorAccount[]; container: string };
  const credential = createCredential("AzureCloud");
  const t0 = performance.now();
  const perAccountMs: number[] = [];
  let result: FloorResult;
  try {
    const counts = await Promise.all(accounts.map(async (a) => { const n = await copy(credential, a, container); perAccountMs.push(performance.now() - t0); return n; }));
    result = { ms: performance.now() - t0, resources: counts.reduce((n, c) => n + c, 0), perAccountMs, error: null };
  } catch (e) {
    result = { ms: performance.now() - t0, resources: 0, perAccountMs, error: (e as Error).message };
  }
  process.send!(result);
}

void main();
