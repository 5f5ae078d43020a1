// A long-running FHIR create survives a restart of the sandbox with --state: the operation record and the
// resource's provisioningState are persisted, and the operation completes on the same timeline
// (timestamps, decided lazily on read) — the poller serialized before the restart resumes to Succeeded.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/server.js";
import type { SandboxStateFile } from "../../src/sandbox/estate-types.js";
import { startTestSandbox } from "../helpers/sandbox.js";
import { sdkClients } from "../helpers/sdk-clients.js";
import { baseEstate, LOCATION, RESOURCE_GROUP, SUBSCRIPTION_ID } from "../fixtures/estate-builders.js";
import { addWorkspace, asyncOperationUrls, operationOf } from "./healthcare-estate.js";

const dir = mkdtempSync(join(tmpdir(), "ahds-healthcare-restart-"));
const statePath = join(dir, "state.json");
let clock = Date.now();
let sandbox: Sandbox | undefined;
afterAll(async () => {
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("LRO state across a sandbox restart", () => {
  it("finishes a FHIR create begun before the restart", async () => {
    const e = baseEstate({ behaviour: { operationDurationMs: { "Microsoft.HealthcareApis/workspaces/fhirservices": 60_000 } } });
    addWorkspace(e);
    sandbox = await startTestSandbox(e, { statePath, now: () => clock });
    const before = sdkClients("AzureCloud", SUBSCRIPTION_ID).healthcare;
    const urls = asyncOperationUrls(sandbox);
    const poller = await before.fhirServices.beginCreateOrUpdate(RESOURCE_GROUP, "ws1", "fhirrestart", { location: LOCATION, kind: "fhir-R4" });
    urls.stop();
    const saved = poller.toString();
    await sandbox.close();
    sandbox = undefined;

    const file = JSON.parse(readFileSync(statePath, "utf8")) as SandboxStateFile;
    expect(file.sandbox.operations.map((o) => [o.method, o.status ?? "running"])).toEqual([["PUT", "running"]]);

    clock += 30_000;
    sandbox = await startTestSandbox(undefined, { statePath, now: () => clock });
    const after = sdkClients("AzureCloud", SUBSCRIPTION_ID).healthcare;
    const { location, id } = operationOf(urls[0]!);
    expect((await after.operationResults.get(location, id)).status).toBe("Running");
    expect((await after.fhirServices.get(RESOURCE_GROUP, "ws1", "fhirrestart")).provisioningState).toBe("Creating");

    clock += 30_000;
    const result = await after.fhirServices.beginCreateOrUpdateAndWait(RESOURCE_GROUP, "ws1", "fhirrestart",
      { location: LOCATION, kind: "fhir-R4" }, { resumeFrom: saved });
    expect(result.provisioningState).toBe("Succeeded");
    expect((await after.operationResults.get(location, id)).status).toBe("Succeeded");
    const puts = sandbox.requests().filter((r) => r.method === "PUT");
    expect(puts).toHaveLength(0);
  });
});
