// The data copy's rounds against the sandbox (issue 11 §2), in process on the virtual clock: the product's
// planner plans with --storage-account, the real executors apply it, then syncAccounts (src/runner/
// sync-run.ts) runs rounds through the product's FHIR clients with a real NAME.sync.jsonl. Round 1 copies
// every version and delete; writes made between rounds arrive in round 2 and only they are exported; a
// run stopped after any record and started again converges on the same target; an export that answers
// only 202 is cancelled as a timeout and the round is blocked, the watermark unmoved; two accounts sync at
// once. Then the deep check
// of `verify --data --sample` (src/runner/verify-sample.ts) on what the rounds copied: equal after a round,
// and a version whose content or presence differs while every count agrees is named with its field.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { SyncRecord } from "../../src/domain/sync-journal.js";
import { openJournalOf } from "../../src/runner/journal.js";
import { SYNC_JOURNAL, type SyncEntry } from "../../src/runner/sync-journal-file.js";
import { syncAccounts, type SyncAccount, type SyncRunOptions } from "../../src/runner/sync-run.js";
import { verifySample } from "../../src/runner/verify-sample.js";
import type { Estate } from "../../src/sandbox/estate-types.js";
import {
  addAccount, addRoleAssignment, addStorageAccount, baseEstate, CALLER_OBJECT_ID, fixtureGuid, resourceGroupId,
} from "../fixtures/estate-builders.js";
import { pauseGate } from "../../src/cli/tui-run.js";
import { id } from "./plan-estate.js";
import { runStep, startHarness, type Harness } from "./runner-step-harness.js";

const ROLES = { exporter: "3db33094-8700-4567-8da5-1501d4e7e843", importer: "4465e953-8ced-4406-a58e-0f6e3f3b530b", blob: "ba92f5b4-2d11-453d-a403-e96b0029c9fe" };
const SOURCE = id("fhir-data");

const SEARCH_PARAMETER = { resourceType: "SearchParameter", id: "patient-mrn", url: "https://contoso.example/sp/mrn", name: "mrn", status: "active",
  code: "mrn", base: ["Patient"], type: "token", expression: "Patient.identifier.where(system='https://contoso.example/mrn')" };

const SECOND = id("fhir-more");

function estate(o: { searchParameter?: boolean; second?: boolean } = {}): { estate: Estate; storage: string } {
  const e = baseEstate({ behaviour: { rolePropagationMs: 0, operationDurationMs: { default: 0 }, fhirJobDurationMs: 5_000 } });
  addAccount(e, { name: "fhir-data", keyUri: null, exportStorageAccount: "migstore" });
  const storage = addStorageAccount(e, "migstore");
  addRoleAssignment(e, { scope: storage, role: ROLES.blob, principalId: fixtureGuid("mi:fhir-data") });
  addRoleAssignment(e, { scope: SOURCE, role: ROLES.exporter, principalId: CALLER_OBJECT_ID });
  addRoleAssignment(e, { scope: resourceGroupId(), role: ROLES.importer, principalId: CALLER_OBJECT_ID });
  e.fhirData = [{ service: SOURCE, generate: { patients: 30, seed: 21, historyRate: 0.3, deleteRate: 0.1 }, ...(o.searchParameter ? { resources: [SEARCH_PARAMETER] } : {}) }];
  // Writing SearchParameters takes a role that writes: FHIR Data Contributor on the targets' resource group.
  if (o.searchParameter) addRoleAssignment(e, { scope: resourceGroupId(), role: "5a1fc7df-4bf1-4951-a576-89034ee01acd", principalId: CALLER_OBJECT_ID });
  if (o.second) {
    addAccount(e, { name: "fhir-more", keyUri: null, exportStorageAccount: "migstore" });
    addRoleAssignment(e, { scope: storage, role: ROLES.blob, principalId: fixtureGuid("mi:fhir-more") });
    addRoleAssignment(e, { scope: SECOND, role: ROLES.exporter, principalId: CALLER_OBJECT_ID });
    e.fhirData.push({ service: SECOND, generate: { patients: 10, seed: 5, historyRate: 0.3, deleteRate: 0.1 } });
  }
  return { estate: e, storage };
}

let h: Harness;
let dir: string;
afterEach(async () => { await h?.close(); if (dir) rmSync(dir, { recursive: true, force: true }); });

async function applied(o: { searchParameter?: boolean } = {}): Promise<SyncAccount> {
  return (await appliedAll(o))[0]!;
}

/** The estate applied; its planned accounts (fhir-data, then with `second` fhir-more) as sync takes them. */
async function appliedAll(o: { searchParameter?: boolean; second?: boolean } = {}): Promise<SyncAccount[]> {
  const { estate: e, storage } = estate(o);
  h = await startHarness(e, { account: o.second ? [SOURCE, SECOND] : [SOURCE], storageAccount: storage });
  for (const step of h.plan.steps) expect((await runStep(h, step)).status, step.id).toBe("succeeded");
  dir = mkdtempSync(path.join(tmpdir(), "ahds-sync-"));
  return h.plan.accounts.map((a) => ({
    id: a.id, name: a.name,
    // Through the session: paced and retried by the limiter's "fhir" budget, on the virtual clock.
    source: h.session.fhir({ baseUrl: `https://${a.name}.azurehealthcareapis.com`, audience: `https://${a.name}.azurehealthcareapis.com` }),
    target: h.session.fhir({ baseUrl: a.target.fhirUrl, audience: a.target.fhirUrl }),
  }));
}

/** One run of syncAccounts on the journal; `stopAfter` aborts it right after that many records (a kill between records). */
async function run(account: SyncAccount | SyncAccount[], o: { rounds?: number; stopAfter?: number; exportTimeoutMs?: number; finalTill?: number; roundIntervalMs?: number;
  gate?: () => Promise<void>; onRecord?: (r: SyncRecord) => void; abortSignal?: AbortSignal; importProbeUrl?: string } = {}) {
  const journal = await openJournalOf<SyncRecord, SyncEntry>(path.join(dir, "x.sync.jsonl"), SYNC_JOURNAL, { clock: h.clock });
  const stop = new AbortController();
  let written = 0;
  const opts: SyncRunOptions = {
    runId: `run-${Math.random()}`, journal, clock: h.clock, abortSignal: o.abortSignal ?? stop.signal, container: "ahds-migrate-test", safetyLagMs: 0,
    exportTimeoutMs: o.exportTimeoutMs ?? 3_600_000, maxExportAttempts: 2, rounds: o.rounds ?? 1,
    ...(o.finalTill !== undefined ? { finalTill: o.finalTill } : {}), ...(o.roundIntervalMs ? { roundIntervalMs: o.roundIntervalMs } : {}),
    ...(o.gate ? { gate: o.gate } : {}), ...(o.importProbeUrl ? { importProbeUrl: o.importProbeUrl } : {}),
    // Stops right at record k, as SIGKILL would: nothing of the same action runs after it.
    onRecord: (r) => { o.onRecord?.(r); if (++written === o.stopAfter) throw Object.assign(new Error("killed"), { name: "AbortError" }); },
  };
  try {
    return { results: await syncAccounts(Array.isArray(account) ? account : [account], opts), records: journal.records(), stopped: false };
  } catch (e) {
    if ((e as Error).name !== "AbortError") throw e;
    return { results: null, records: journal.records(), stopped: true };
  } finally {
    await journal.close();
  }
}

/** The client with `after` called once each response has arrived (and taken effect in the sandbox). */
function counted(client: SyncAccount["source"], after: () => void): SyncAccount["source"] {
  return { async request(...args) { const r = await client.request(...args); after(); return r; } };
}

const counts = (service: string) => h.sandbox.state.fhirStore(service).counts();
const targetId = () => h.plan.accounts[0]!.target.fhirServiceId;

describe("sync rounds against the sandbox", () => {
  it("round 1 copies every version and delete; round 2 exports only what was written after round 1's _till", async () => {
    const account = await applied();
    const first = await run(account);
    expect(first.results![0]).toMatchObject({ committed: 1, blocked: null });
    expect(counts(targetId())).toEqual(counts(SOURCE));
    const versions = Object.values(counts(SOURCE)).reduce((n, c) => n + c.versions, 0);
    expect(Object.values(first.results![0]!.exported).reduce((n, x) => n + x, 0)).toBe(versions);

    h.clock.advance(60_000);
    await fetch(`${h.sandbox.adminUrl}/_sandbox/fhir/write`, { method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ service: SOURCE, resources: [{ resourceType: "Patient", id: "late-1" }], deletes: [{ resourceType: "Patient", id: "pat-21-2" }] }) });
    h.clock.advance(1_000);
    const second = await run(account);
    expect(second.results![0]!.exported).toEqual({ Patient: 2 });
    expect(counts(targetId())).toEqual(counts(SOURCE));
    const committed = second.records.filter((r) => r.type === "round-committed");
    expect(committed.map((r) => r.round)).toEqual([1, 2]);
  });

  it("stopped after any record and started again, it converges on the same target and commits each round once", async () => {
    const account = await applied();
    const full = (await run(account)).records.length;
    await h.close();
    // Each cut point on a fresh sandbox and journal: stop after k records, then run to the end.
    for (let k = 1; k < full; k++) {
      const fresh = await applied();
      const stopped = await run(fresh, { stopAfter: k });
      expect(stopped.stopped, `k=${k}`).toBe(true);
      const resumed = await run(fresh);
      expect(resumed.results![0]!.blocked, `k=${k}`).toBeNull();
      expect(counts(targetId()), `k=${k}`).toEqual(counts(SOURCE));
      expect(resumed.records.filter((r) => r.type === "round-committed"), `k=${k}`).toHaveLength(1);
      await h.close();
    }
  }, 120_000);

  it("killed after a request took effect but before its record, it converges too (the export sent again, the import re-posted)", async () => {
    let requests = 0;
    {
      const account = await applied();
      const counting = { ...account, source: counted(account.source, () => requests++), target: counted(account.target, () => requests++) };
      await run(counting);
      await h.close();
    }
    for (let k = 1; k < requests; k++) {
      const fresh = await applied();
      let n = 0;
      const kill = () => { if (++n === k) throw Object.assign(new Error("killed"), { name: "AbortError" }); };
      const dying = { ...fresh, source: counted(fresh.source, kill), target: counted(fresh.target, kill) };
      expect((await run(dying)).stopped, `k=${k}`).toBe(true);
      const resumed = await run(fresh);
      expect(resumed.results![0]!.blocked, `k=${k}`).toBeNull();
      expect(counts(targetId()), `k=${k}`).toEqual(counts(SOURCE));
      await h.close();
    }
  }, 120_000);

  it("copies a SearchParameter through REST (import refuses them) and accounts for every other resource", async () => {
    const account = await applied({ searchParameter: true });
    const done = await run(account);
    expect(done.results![0]).toMatchObject({ committed: 1, blocked: null, searchParameters: { copied: 1, failed: 0 } });
    const copied = h.sandbox.state.fhirStore(targetId()).latest("SearchParameter", "patient-mrn")!;
    const { meta: _m, ...body } = copied.resource;
    expect(body).toEqual(SEARCH_PARAMETER);
    expect(done.records.filter((r) => r.type === "import-batch-planned").some((r) => JSON.stringify(r).includes("SearchParameter"))).toBe(false);
  });

  it("429s from the FHIR data planes are waited out by the limiter (Retry-After), never turned into a blocked round", async () => {
    const account = await applied();
    const before = h.session.limiter.stats();
    h.sandbox.setFaults([{ match: { method: "POST", pathRegex: "/\\$import$" }, status: 429, count: 3 }, { match: { pathRegex: "/_operations/export/" }, status: 429, count: 2 }]);
    const done = await run(account);
    expect(done.results![0]).toMatchObject({ committed: 1, blocked: null });
    const after = h.session.limiter.stats();
    expect(after.throttled429 - before.throttled429).toBe(5);
    expect(after.byKind.fhir - before.byKind.fhir).toBeGreaterThan(10);
    expect(counts(targetId())).toEqual(counts(SOURCE));
  });

  it("without --once, rounds follow each other an interval apart, each window starting where the last one ended", async () => {
    const account = await applied();
    h.clock.sleeps.length = 0;
    const done = await run(account, { rounds: 3, roundIntervalMs: 900_000 });
    const planned = done.records.filter((r) => r.type === "round-planned") as unknown as { since: string | null; till: string }[];
    expect(planned).toHaveLength(3);
    expect(planned[1]!.since).toBe(planned[0]!.till);
    expect(planned[2]!.since).toBe(planned[1]!.till);
    expect(h.clock.sleeps.filter((ms) => ms === 900_000)).toHaveLength(2);
    expect(done.results![0]!.committed).toBe(3);
  });

  it("the cutover waits for the safety lag, ends its last round exactly at the cutover instant, and stops there", async () => {
    const account = await applied();
    await run(account);
    const finalTill = h.clock.now() + 300_000;
    h.clock.sleeps.length = 0;
    const cut = await run(account, { finalTill });
    expect(h.clock.sleeps[0]).toBe(300_000);
    const last = cut.records.filter((r) => r.type === "round-planned").at(-1) as { round: number; till: string };
    expect([last.round, last.till]).toEqual([2, new Date(finalTill).toISOString()]);
    expect(cut.results![0]!.watermark).toBe(new Date(finalTill).toISOString());
    // Run again: the watermark is at the cutover instant, nothing more to do.
    expect((await run(account, { finalTill })).records.length).toBe(cut.records.length);
  });

  it("syncs the accounts of a plan at once: the second account's round starts before the first one's ends, and both commit", async () => {
    const accounts = await appliedAll({ second: true });
    const done = await run(accounts);
    expect(done.results!.map((r) => [r.committed, r.blocked])).toEqual([[1, null], [1, null]]);
    for (const a of accounts) expect(counts(h.plan.accounts.find((x) => x.id === a.id)!.target.fhirServiceId)).toEqual(counts(a.id));
    const at = (account: string, type: string) => done.records.findIndex((r) => r.account === account && r.type === type);
    expect(at(SECOND, "round-planned")).toBeLessThan(at(SOURCE, "round-committed"));
    expect(at(SOURCE, "round-planned")).toBeLessThan(at(SECOND, "round-committed"));
  });

  it("paces status polls by the job's journaled age, so a run resumed long after the export was accepted does not poll every second", async () => {
    const account = await applied();
    const accepted = await run(account, { stopAfter: 3 }); // round-planned, export-kickoff-sent, export-accepted
    expect(accepted.records.at(-1)!.type).toBe("export-accepted");
    h.clock.advance(100_000);
    h.sandbox.setFaults([{ match: { method: "GET", pathRegex: "/_operations/export/" }, status: 202, count: 2 }]);
    h.clock.sleeps.length = 0;
    expect((await run(account)).results![0]!.committed).toBe(1);
    // 100 s old: a fifth of its age, not the 1 s a job polled for the first time would wait.
    expect(h.clock.sleeps[0]).toBeGreaterThanOrEqual(20_000);
    expect(h.clock.sleeps[0]).toBeLessThan(21_000);
  });

  it("paused (the TUI's p), it polls the export in flight to its end but starts no import until resumed; Ctrl-C while paused ends it", async () => {
    const account = await applied();
    const gate = pauseGate();
    const types: string[] = [];
    // Each time the loop reaches the gate: what it had journaled last, and a promise of the gate opening.
    const parked: string[] = [];
    let atGate: () => void = () => undefined;
    const parkedNow = new Promise<void>((res) => { atGate = res; });
    const wait = () => { parked.push(types.at(-1) ?? "none"); if (types.at(-1) === "export-completed") atGate(); return gate.wait(); };
    const running = run(account, { gate: wait, onRecord: (r) => { types.push(r.type); if (r.type === "export-accepted") gate.pause(); } });
    await parkedNow;
    // Held at the gate: a hundred turns of the event loop (and of the virtual clock) journal nothing more.
    for (let i = 0; i < 100; i++) await new Promise((res) => setImmediate(res));
    expect(types).toEqual(["round-planned", "export-kickoff-sent", "export-accepted", "export-completed"]);
    expect(Object.keys(counts(targetId()))).toEqual([]);
    // The export's polls went on while paused: no gate was asked between accepted and completed.
    expect(parked).toEqual(["none", "round-planned", "export-completed"]);
    gate.resume();
    const done = await running;
    expect(done.results![0]).toMatchObject({ committed: 1, blocked: null });
    expect(counts(targetId())).toEqual(counts(SOURCE));

    // A second round, paused at its start and interrupted there: it ends as an abort, with nothing journaled.
    h.clock.advance(60_000);
    const stop = new AbortController();
    const before = done.records.length;
    gate.pause();
    const interrupted = run(account, { gate: () => { stop.abort(); return gate.wait(); }, abortSignal: stop.signal });
    const ended = await interrupted;
    expect(ended.stopped).toBe(true);
    expect(ended.records.length).toBe(before);
  });

  it("cancels an export that answers only 202 past the timeout, retries it, then blocks the round without moving the watermark", async () => {
    const account = await applied();
    h.sandbox.setFaults([{ match: { method: "GET", pathRegex: "/_operations/export/" }, status: 202 }]);
    const blocked = await run(account, { exportTimeoutMs: 60_000 });
    expect(blocked.results![0]!.blocked).toMatch(/^the export failed 2 time\(s\); last: timeout: the export answered only 202 for 1 min; it was cancelled$/);
    expect(blocked.results![0]!.watermark).toBeNull();
    expect(blocked.records.filter((r) => r.type === "export-failed").map((r) => (r as { reason: string }).reason)).toEqual(["timeout", "timeout"]);
    expect(counts(targetId())).toEqual({});
  });

  it("preflight: a probe import of a missing file passes when the target's identity reads the store; without its role the round blocks before any import job, and the next run passes once it is back", async () => {
    const account = await applied();
    const probeUrl = (n: number) => `https://migstore.blob.core.windows.net/ahds-migrate-test/ahds-migrate-probe/p${n}.ndjson`;
    const storageGrant = h.plan.steps.find((s) => s.kind === "grant-data-role" && /storageAccounts/i.test(s.request.url))!;
    const grant = h.sandbox.state.listResources("Microsoft.Authorization/roleAssignments").find((r) => storageGrant.request.url.toLowerCase().includes(r.name.toLowerCase()))!;
    expect(grant).toBeDefined();
    const saved = structuredClone(grant);
    h.sandbox.state.deleteResource(grant.id);
    const denied = await run(account, { importProbeUrl: probeUrl(1) });
    expect(denied.results![0]!.blocked).toMatch(/^preflight: the new FHIR service could not read the storage account with its identity \(403: import operation failed for reason: Server failed to authenticate/);
    expect(denied.records.map((r) => r.type)).toEqual(["round-planned", "export-kickoff-sent", "export-accepted", "export-completed", "round-blocked"]);
    expect(counts(targetId())).toEqual({});

    h.sandbox.state.putResource(saved);
    h.clock.advance(1_000);
    const passed = await run(account, { importProbeUrl: probeUrl(2) });
    expect(passed.results![0]).toMatchObject({ committed: 1, blocked: null });
    expect(counts(targetId())).toEqual(counts(SOURCE));
    // Both probes reached the target as import jobs of the missing file; the second one failed only on the file.
    const probes = [...h.sandbox.state.fhirJobs.values()].filter((j) => j.import?.inputs.some((i) => i.url.includes("ahds-migrate-probe")));
    expect(probes.map((j) => [j.status, j.failure?.status])).toEqual([["failed", 403], ["failed", 400]]);
  });

  it("a round an earlier run blocked is tried again by the next run, from the watermark, and commits once the cause is gone", async () => {
    const account = await applied();
    // The import job's status answers 403 once (as a target whose identity cannot read the store): the round blocks.
    h.sandbox.setFaults([{ match: { method: "GET", pathRegex: "/_operations/import/" }, status: 403, count: 1 }]);
    const blocked = await run(account);
    expect(blocked.results![0]).toMatchObject({ committed: 0, watermark: null });
    expect(blocked.results![0]!.blocked).toMatch(/^import job 1 failed: 403: /);
    // The fault is gone: the same command plans round 2 over the same window and commits it.
    h.clock.advance(1_000);
    const resumed = await run(account);
    expect(resumed.results![0]).toMatchObject({ committed: 1, blocked: null });
    const planned = resumed.records.filter((r) => r.type === "round-planned") as Extract<SyncRecord, { type: "round-planned" }>[];
    expect(planned.map((r) => [r.round, r.since])).toEqual([[1, null], [2, null]]);
    expect(resumed.records.filter((r) => r.type === "round-committed").map((r) => r.round)).toEqual([2]);
    expect(counts(targetId())).toEqual(counts(SOURCE));
  });
});

describe("verify --data --sample against the sandbox", () => {
  const typesOf = (service: string) => new Map([[SOURCE.toLowerCase(), Object.keys(counts(service)).sort()]]);

  it("after a round, N resources per type and every version of each up to the watermark are the same on both sides", async () => {
    const account = await applied({ searchParameter: true });
    const watermark = (await run(account)).results![0]!.watermark;
    const types = typesOf(SOURCE);
    const check = await verifySample([account], types, new Map([[SOURCE.toLowerCase(), watermark]]), 5);
    expect(check.differences).toEqual([]);
    expect(check.unreadable).toEqual([]);
    // SearchParameter has one resource; every other type at least 5 current ones.
    expect(check.resources).toBe(5 * (types.get(SOURCE.toLowerCase())!.length - 1) + 1);
    expect(check.versions).toBeGreaterThan(check.resources); // histories were compared, not only current versions
  });

  it("names a version whose content differs and one the target lacks, though the other counts agree", async () => {
    const account = await applied();
    const watermark = (await run(account)).results![0]!.watermark!;
    const [source, target] = [h.sandbox.state.fhirStore(SOURCE), h.sandbox.state.fhirStore(targetId())];
    const [first, second] = [...source.currentOf("Patient")].slice(0, 2).map((v) => v.resource);
    // A version at the watermark (inclusive) on both sides, its content not the same; one on the source only.
    const at = (r: typeof first, versionId: number, family: string) =>
      ({ ...r!, name: [{ family }], meta: { versionId: String(versionId), lastUpdated: watermark } });
    const next = (r: typeof first) => Number(r!.meta!.versionId) + 1;
    expect(source.load(at(first, next(first), "Source"))).toBe("loaded");
    expect(target.load(at(first, next(first), "Target"))).toBe("loaded");
    expect(source.load(at(second, next(second), "Late"))).toBe("loaded");
    const check = await verifySample([account], typesOf(SOURCE), new Map([[SOURCE.toLowerCase(), watermark]]), 5);
    expect(check.differences).toEqual([
      { account: "fhir-data", resource: `Patient/${first!.id}/_history/${next(first)}`, what: 'name[0].family is "Source" on the source, "Target" on the target' },
      { account: "fhir-data", resource: `Patient/${second!.id}/_history/${next(second)}`, what: "is missing on the target" },
    ]);
  });
});
