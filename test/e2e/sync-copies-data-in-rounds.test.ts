// `ahds-migrate sync` through the built CLI against a sandbox child (issue 11 §2): a plan made with
// --storage-account and applied; `sync --once` copies every version and delete (the admin API's counts
// are equal on both sides), a write made between rounds arrives with the next `sync --once` and only it
// is exported; the journal holds one committed round per run; the source receives no write but the
// export kick-offs; a plan without --storage-account is refused before anything is read.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCliSandbox, writeEstate, type AdminRequest, type CliSandbox } from "./apply-cli-estate.js";
import { runCli, tempDir } from "./cli-process.js";
import { adminCounts, dataEstate, DATA_SOURCE } from "./sync-cli-estate.js";

const dir = tempDir("ahds-e2e-sync-");
const SOURCE = DATA_SOURCE;
let sb: CliSandbox;
const { estate, storage } = dataEstate({ patients: 40, seed: 3 });

const counts = (service: string) => adminCounts(sb, service);
let planPath: string;
let target: string;

beforeAll(async () => {
  sb = await startCliSandbox(dir, "sandbox", writeEstate(dir, estate), join(dir, "ca"));
  planPath = join(dir, "data.plan.json");
  const planned = await runCli(["plan", "--account", SOURCE, "--storage-account", storage, "--out", planPath], { env: sb.env });
  expect(planned.code, planned.stderr).toBe(0);
  const applied = await runCli(["apply", planPath, "--yes"], { env: sb.env });
  expect(applied.code, applied.stderr).toBe(0);
  target = (JSON.parse(readFileSync(planPath, "utf8")) as { accounts: { target: { fhirServiceId: string } }[] }).accounts[0]!.target.fhirServiceId;
});
afterAll(async () => { await sb?.stop(); });

describe("ahds-migrate sync", () => {
  it("--once copies every version and delete; the next --once only what was written since", async () => {
    const before = (await sb.admin<AdminRequest[]>("GET", "/_sandbox/requests")).length;
    const first = await runCli(["sync", planPath, "--once", "--safety-lag", "0"], { env: sb.env });
    expect(first.code, first.stderr).toBe(0);
    expect(await counts(target)).toEqual(await counts(SOURCE));
    const versions = Object.values(await counts(SOURCE)).reduce((n, c) => n + c.versions, 0);
    expect(first.stdout).toMatch(new RegExp(`^fhir-data: 1 round\\(s\\) committed, watermark \\S+; ${versions} exported, ${versions} imported, 0 rejected$`, "m"));
    // The source got GETs only (the export kick-offs are GETs too): nothing written to it.
    const log = (await sb.admin<AdminRequest[]>("GET", "/_sandbox/requests")).slice(before);
    expect(log.filter((r) => r.host === "fhir-data.azurehealthcareapis.com" && r.method !== "GET")).toEqual([]);
    expect(log.filter((r) => r.host === "management.azure.com" && r.method !== "GET")).toEqual([]);

    await sb.admin("POST", "/_sandbox/fhir/write", { service: SOURCE, resources: [{ resourceType: "Patient", id: "late-1" }] });
    const second = await runCli(["sync", planPath, "--once", "--safety-lag", "0"], { env: sb.env });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/^fhir-data: 1 round\(s\) committed, watermark \S+; 1 exported, 1 imported, 0 rejected$/m);
    expect(await counts(target)).toEqual(await counts(SOURCE));
    const journal = readFileSync(planPath.replace(/\.plan\.json$/, ".sync.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { type: string; round: number });
    expect(journal.filter((r) => r.type === "round-committed").map((r) => r.round)).toEqual([1, 2]);
  });

  it("verify --data: exit 0 when both sides agree; a write the target has not had is exit 4 naming the type and both counts", async () => {
    const same = await runCli(["verify", planPath, "--data"], { env: sb.env });
    expect(same.code, same.stderr).toBe(0);
    expect(same.stdout).toMatch(/^plan-\w+ data verified: 4 type\(s\) in 1 account\(s\) hold the same counts on both sides\.$/m);
    const sampled = await runCli(["verify", planPath, "--data", "--sample", "3", "--json"], { env: sb.env });
    expect(sampled.code, sampled.stderr).toBe(0);
    const doc = JSON.parse(sampled.stdout) as { matches: boolean; sample: { perType: number; resources: number; versions: number; differences: unknown[] } };
    expect(doc).toMatchObject({ matches: true, sample: { perType: 3, resources: 12, differences: [] } });
    expect(doc.sample.versions).toBeGreaterThanOrEqual(12);
    const misused = await runCli(["verify", planPath, "--sample", "3"], { env: sb.env });
    expect(misused.code).toBe(2);
    expect(misused.stderr.split("\n")[0]).toBe("error: --sample compares FHIR data and needs --data.");
    const patients = (await counts(SOURCE)).Patient!;
    await sb.admin("POST", "/_sandbox/fhir/write", { service: SOURCE, resources: [{ resourceType: "Patient", id: "later-2" }] });
    const behind = await runCli(["verify", planPath, "--data"], { env: sb.env });
    expect(behind.code).toBe(4);
    // Versions up to the watermark still agree; the current count runs ahead on the live source.
    expect(behind.stderr).toContain(`  fhir-data Patient: current ${patients.current + 1} on the source, ${patients.current} on the target; versions up to the watermark ${patients.versions} and ${patients.versions}`);
  });

  it("--final: refused without --yes off a terminal; with it, the last round, equal counts and what every client must change", async () => {
    const asks = await runCli(["sync", planPath, "--final"], { env: sb.env });
    expect(asks.code).toBe(2);
    expect(asks.stderr.split("\n")[0]).toBe("error: sync --final cuts over and needs a confirmation that the sources' writers are stopped: pass --yes when not running in a terminal.");
    const cut = await runCli(["sync", planPath, "--final", "--yes", "--safety-lag", "0"], { env: sb.env });
    expect(cut.code, cut.stderr).toBe(0);
    expect(await counts(target)).toEqual(await counts(SOURCE));
    const fhirUrl = (JSON.parse(readFileSync(planPath, "utf8")) as { accounts: { target: { fhirUrl: string } }[] }).accounts[0]!.target.fhirUrl;
    expect(cut.stdout).toContain(`Cut over: 4 type(s) hold the same counts on both sides. Move every client:\nfhir-data → ${fhirUrl}\n  request tokens for ${fhirUrl}/.default`);
    const again = await runCli(["verify", planPath, "--data"], { env: sb.env });
    expect(again.code, again.stderr).toBe(0);
  });

  it("refuses a plan made without --storage-account with exit 2, before signing in", async () => {
    const plain = join(dir, "plain.plan.json");
    expect((await runCli(["plan", "--account", SOURCE, "--out", plain], { env: sb.env })).code).toBe(0);
    const before = (await sb.admin<AdminRequest[]>("GET", "/_sandbox/requests")).length;
    const refused = await runCli(["sync", plain, "--once"], { env: sb.env });
    expect(refused.code).toBe(2);
    expect(refused.stderr.split("\n")[0]).toBe(`error: ${plain} was planned without --storage-account, so its targets cannot import.`);
    expect((await sb.admin<AdminRequest[]>("GET", "/_sandbox/requests")).slice(before).filter((r) => r.host !== "127.0.0.1")).toEqual([]);
  });
});
