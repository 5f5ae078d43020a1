// SIGKILL of the started `sync` at every record of its journal (issue 11 §2), on the BUILT CLI against
// `sandbox start --state` children. Slow by design (a sandbox per k): a plan made with --storage-account
// is applied once and that sandbox's state file kept; the reference `sync --once` on a copy of it gives N
// records. Then for k = 1..N-1, on a fresh copy, `sync --once` kills itself right after its k-th record
// (AHDS_MIGRATE_TEST_KILL_AFTER_RECORD, the hook apply's test uses) and `sync --once` again must exit 0
// with the target holding exactly the source's versions and deletes, one committed round in the journal,
// and no write to the source account.
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Estate } from "../../src/sandbox/estate-types.js";
import { startCliSandbox, writeEstate, type AdminRequest, type CliSandbox } from "./apply-cli-estate.js";
import { runCli, tempDir } from "./cli-process.js";
import {
  accountId, addAccount, addRoleAssignment, addStorageAccount, baseEstate, CALLER_OBJECT_ID, fixtureGuid, resourceGroupId,
} from "../fixtures/estate-builders.js";

const dir = tempDir("ahds-e2e-sync-kill-");
const caDir = join(dir, "ca");
const SOURCE = accountId("fhir-data");
const sandboxes: CliSandbox[] = [];
let target = "";
let recordsInFullRun = 0;

function estate(): Estate {
  const e = baseEstate({ behaviour: { rolePropagationMs: 0, operationDurationMs: { default: 0 } } });
  addAccount(e, { name: "fhir-data", keyUri: null, exportStorageAccount: "migstore" });
  const storage = addStorageAccount(e, "migstore");
  addRoleAssignment(e, { scope: storage, role: "ba92f5b4-2d11-453d-a403-e96b0029c9fe", principalId: fixtureGuid("mi:fhir-data") });
  addRoleAssignment(e, { scope: SOURCE, role: "3db33094-8700-4567-8da5-1501d4e7e843", principalId: CALLER_OBJECT_ID });
  addRoleAssignment(e, { scope: resourceGroupId(), role: "4465e953-8ced-4406-a58e-0f6e3f3b530b", principalId: CALLER_OBJECT_ID });
  e.fhirData = [{ service: SOURCE, generate: { patients: 20, seed: 8, historyRate: 0.3, deleteRate: 0.1 } }];
  return e;
}

const records = (file: string) => readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { type: string });
type Counts = Record<string, { current: number; versions: number; deleted: number }>;

/** A sandbox started from the applied state, with the plan files and apply journal copied into `name`/. */
async function applied(name: string): Promise<{ sb: CliSandbox; planPath: string }> {
  const kdir = join(dir, name);
  mkdirSync(kdir, { recursive: true });
  copyFileSync(join(dir, "applied.state.json"), join(dir, `${name}.state.json`));
  for (const f of ["data.plan.json", "data.plan.md", "data.journal.jsonl"]) copyFileSync(join(dir, "base", f), join(kdir, f));
  const sb = await startCliSandbox(dir, name, join(dir, "estate.json"), caDir);
  sandboxes.push(sb);
  return { sb, planPath: join(kdir, "data.plan.json") };
}

async function sameData(sb: CliSandbox, k: number): Promise<void> {
  const counts = (s: string) => sb.admin<Counts>("GET", `/_sandbox/fhir/counts?service=${encodeURIComponent(s)}`);
  expect(await counts(target), `k=${k}`).toEqual(await counts(SOURCE));
}

beforeAll(async () => {
  const estatePath = writeEstate(dir, estate());
  const base = await startCliSandbox(dir, "applied", estatePath, caDir);
  sandboxes.push(base);
  mkdirSync(join(dir, "base"), { recursive: true });
  const planPath = join(dir, "base", "data.plan.json");
  const storage = `${resourceGroupId()}/providers/Microsoft.Storage/storageAccounts/migstore`;
  expect((await runCli(["plan", "--account", SOURCE, "--storage-account", storage, "--out", planPath], { env: base.env })).code).toBe(0);
  const applyRun = await runCli(["apply", planPath, "--yes"], { env: base.env });
  expect(applyRun.code, applyRun.stderr).toBe(0);
  target = (JSON.parse(readFileSync(planPath, "utf8")) as { accounts: { target: { fhirServiceId: string } }[] }).accounts[0]!.target.fhirServiceId;
  await base.stop();

  const { sb, planPath: ref } = await applied("reference");
  const full = await runCli(["sync", ref, "--once", "--safety-lag", "0"], { env: sb.env });
  expect(full.code, full.stderr).toBe(0);
  await sameData(sb, 0);
  recordsInFullRun = records(ref.replace(/\.plan\.json$/, ".sync.jsonl")).length;
  await sb.stop();
}, 60_000);

afterAll(async () => {
  for (const s of sandboxes) await s.stop();
});

describe("sync killed (SIGKILL) right after its k-th journal record, then run again", () => {
  it("the reference run journaled a whole round: window, export, the import jobs, the commit", () => {
    expect(recordsInFullRun).toBeGreaterThan(8);
  });

  it("for every k: exit by SIGKILL, then exit 0 with the target equal to the source and one committed round", async () => {
    for (let k = 1; k < recordsInFullRun; k++) {
      const { sb, planPath } = await applied(`k${k}`);
      const mark = Math.max(0, ...(await sb.admin<AdminRequest[]>("GET", "/_sandbox/requests")).map((r) => r.seq));
      const killed = await runCli(["sync", planPath, "--once", "--safety-lag", "0"], { env: { ...sb.env, AHDS_MIGRATE_TEST_KILL_AFTER_RECORD: String(k) } });
      expect(killed.signal, `k=${k}: ${killed.stderr}`).toBe("SIGKILL");
      const journal = planPath.replace(/\.plan\.json$/, ".sync.jsonl");
      expect(records(journal), `k=${k}`).toHaveLength(k);
      const resumed = await runCli(["sync", planPath, "--once", "--safety-lag", "0"], { env: sb.env });
      expect(resumed.code, `k=${k}: ${resumed.stderr}`).toBe(0);
      await sameData(sb, k);
      expect(records(journal).filter((r) => r.type === "round-committed"), `k=${k}`).toHaveLength(1);
      const log = (await sb.admin<AdminRequest[]>("GET", "/_sandbox/requests")).filter((r) => r.seq > mark);
      expect(log.filter((r) => r.host === "fhir-data.azurehealthcareapis.com" && r.method !== "GET"), `k=${k}`).toEqual([]);
      await sb.stop();
    }
  }, 600_000);
});
