// AHDS workspaces and FHIR services through the real HealthcareApisManagementClient: PUT as an LRO with
// Azure-AsyncOperation → operationresults, provisioningState Creating → Succeeded over the configured
// duration, the RP's defaults in the echo, PATCH, list, DELETE, and the create-time validations that are
// not about the key (names, kind, location, group, parent workspace).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/server.js";
import { startTestSandbox } from "../helpers/sandbox.js";
import { expectConformingResponses, type ConformanceRecorder } from "../helpers/spec-validator.js";
import { sdkClients } from "../helpers/sdk-clients.js";
import {
  addIdentity, addRoleAssignment, baseEstate, KEY_NAME, keyUri, LOCATION, RESOURCE_GROUP, ROLE_IDS, SUBSCRIPTION_ID, TENANT_ID,
  VAULT_NAME, vaultId,
} from "../fixtures/estate-builders.js";
import { addWorkspace, asyncOperationUrls, fhirBody, operationOf, workspaceId, assertConformsExceptRpcError } from "./healthcare-estate.js";
import { rejection } from "../helpers/sdk-results.js";

let sandbox: Sandbox;
let conformance: ConformanceRecorder;
let hc: ReturnType<typeof sdkClients>["healthcare"];
let miId = "";
let miPrincipal = "";
let keyVersion = "";
/** The sandbox's clock runs ahead of real time by this much: tests jump it instead of racing it. */
let clockOffsetMs = 0;

/** Make the next operation last long enough that "Creating" is observable, then finish it on demand. */
function slowNextOperations(): { finish: () => void } {
  sandbox.state.behaviour.operationDurationMs = { default: 600_000 };
  return {
    finish: () => {
      sandbox.state.behaviour.operationDurationMs = { default: 300 };
      clockOffsetMs += 600_000; // well inside the 3599 s token lifetime
    },
  };
}

beforeAll(async () => {
  const estate = baseEstate({ behaviour: { operationDurationMs: { default: 300 } } });
  addWorkspace(estate, "existingws");
  const mi = addIdentity(estate, { name: "mi-fhir" });
  miId = mi.id;
  miPrincipal = String(mi.properties!["principalId"]);
  addRoleAssignment(estate, { scope: `${vaultId()}/keys/${KEY_NAME}`, role: ROLE_IDS.keyVaultCryptoServiceEncryptionUser, principalId: miPrincipal });
  keyVersion = estate.keys[0]!.versions[0]!.version;
  sandbox = await startTestSandbox(estate, { now: () => Date.now() + clockOffsetMs });
  conformance = expectConformingResponses(sandbox);
  hc = sdkClients("AzureCloud", SUBSCRIPTION_ID).healthcare;
});
afterAll(async () => { await sandbox?.close(); });

describe("workspace create, patch, list, delete", () => {
  it("creates a workspace as an LRO: 201 Creating with Azure-AsyncOperation, then Succeeded", async () => {
    const urls = asyncOperationUrls(sandbox);
    const slow = slowNextOperations();
    const poller = await hc.workspaces.beginCreateOrUpdate(RESOURCE_GROUP, "newws", { location: LOCATION, properties: {} });
    const during = await hc.workspaces.get(RESOURCE_GROUP, "newws");
    expect(during.properties?.provisioningState).toBe("Creating");
    slow.finish();
    const put = sandbox.requests().filter((r) => r.method === "PUT" && r.path.endsWith("/workspaces/newws"));
    expect(put.map((r) => r.status)).toEqual([201]);
    expect(urls[0]).toMatch(new RegExp(`^https://management\\.azure\\.com/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft\\.HealthcareApis/locations/${LOCATION}/operationresults/[0-9a-f-]+\\?api-version=2024-03-31$`));
    const ws = await poller.pollUntilDone();
    urls.stop();
    expect(ws.properties?.provisioningState).toBe("Succeeded");
    expect(ws.id).toBe(workspaceId("newws"));
    expect(ws.systemData?.createdByType).toBe("Application");
    const op = await hc.operationResults.get(LOCATION, operationOf(urls[0]!).id);
    expect(op.status).toBe("Succeeded");
    expect(op.endTime).toBeDefined();
  });

  it("answers Retry-After with the remaining seconds while the operation runs", async () => {
    const seen: { status: unknown; retryAfter: string | undefined }[] = [];
    const off = sandbox.onResponse((e) => {
      if (e.path.includes("/operationresults/")) seen.push({ status: (e.body as { status?: unknown }).status, retryAfter: e.headers["retry-after"] });
    });
    await hc.workspaces.beginCreateOrUpdateAndWait(RESOURCE_GROUP, "retryws", { location: LOCATION });
    off();
    const running = seen.filter((s) => s.status === "Running");
    expect(running.length).toBeGreaterThan(0);
    expect(running.every((s) => s.retryAfter === "0" || s.retryAfter === "1")).toBe(true);
    expect(seen.at(-1)).toEqual({ status: "Succeeded", retryAfter: undefined });
  });

  it("patches workspace tags as an LRO", async () => {
    const ws = await hc.workspaces.beginUpdateAndWait(RESOURCE_GROUP, "existingws", { tags: { team: "fhir" } });
    expect(ws.tags).toEqual({ team: "fhir" });
    expect(ws.properties?.provisioningState).toBe("Succeeded");
  });

  it("lists workspaces by subscription and by resource group", async () => {
    const bySub: string[] = [];
    for await (const w of hc.workspaces.listBySubscription()) bySub.push(w.name!);
    const byRg: string[] = [];
    for await (const w of hc.workspaces.listByResourceGroup(RESOURCE_GROUP)) byRg.push(w.name!);
    expect(bySub).toContain("existingws");
    expect(byRg.sort()).toEqual(bySub.sort());
  });

  it("rejects workspace names that are not 3–24 lower-case alphanumerics", async () => {
    for (const bad of ["ab", "Upper1", "with-hyphen", "a".repeat(25)]) {
      const e = await rejection(hc.workspaces.beginCreateOrUpdateAndWait(RESOURCE_GROUP, bad, { location: LOCATION }));
      expect([e.statusCode, e.code]).toEqual([400, "InvalidWorkspaceName"]);
    }
  });

  it("requires a location and an existing resource group", async () => {
    const noLoc = await rejection(hc.workspaces.beginCreateOrUpdateAndWait(RESOURCE_GROUP, "nolocws", {}));
    expect([noLoc.statusCode, noLoc.code]).toEqual([400, "LocationRequired"]);
    const noRg = await rejection(hc.workspaces.beginCreateOrUpdateAndWait("rg-missing", "norgws", { location: LOCATION }));
    expect([noRg.statusCode, noRg.code]).toEqual([404, "ResourceGroupNotFound"]);
  });

  it("deletes a workspace as an LRO", async () => {
    await hc.workspaces.beginCreateOrUpdateAndWait(RESOURCE_GROUP, "delws", { location: LOCATION });
    await hc.workspaces.beginDeleteAndWait(RESOURCE_GROUP, "delws");
    const e = await rejection(hc.workspaces.get(RESOURCE_GROUP, "delws"));
    expect([e.statusCode, e.code]).toEqual([404, "ResourceNotFound"]);
  });
});

describe("FHIR service create, patch, list, delete", () => {
  it("creates a CMK FHIR service with a user-assigned identity: Creating → Succeeded, with the RP's defaults", async () => {
    const url = keyUri(VAULT_NAME, KEY_NAME, keyVersion);
    const slow = slowNextOperations();
    const poller = await hc.fhirServices.beginCreateOrUpdate(RESOURCE_GROUP, "existingws", "fhir1", fhirBody(miId, url));
    expect((await hc.fhirServices.get(RESOURCE_GROUP, "existingws", "fhir1")).provisioningState).toBe("Creating");
    slow.finish();
    const f = await poller.pollUntilDone();
    expect(f.provisioningState).toBe("Succeeded");
    expect(f.kind).toBe("fhir-R4");
    expect(f.encryption?.customerManagedKeyEncryption?.keyEncryptionKeyUrl).toBe(url);
    expect(f.identity?.type).toBe("UserAssigned");
    expect(f.identity?.userAssignedIdentities?.[miId]?.principalId).toBe(miPrincipal);
    expect(f.identity?.userAssignedIdentities?.[miId]?.clientId).toMatch(/^[0-9a-f-]{36}$/);
    expect(f.authenticationConfiguration).toEqual({
      authority: `https://login.microsoftonline.com/${TENANT_ID}`,
      audience: "https://existingws-fhir1.fhir.azurehealthcareapis.com",
      smartProxyEnabled: false,
    });
    expect(f.publicNetworkAccess).toBe("Enabled");
    expect(f.eventState).toBe("Disabled");
    expect(f.etag).toMatch(/^".+"$/);
  });

  it("creates a FHIR service without CMK and lists it in its workspace", async () => {
    await hc.fhirServices.beginCreateOrUpdateAndWait(RESOURCE_GROUP, "existingws", "fhir2", { location: LOCATION, kind: "fhir-Stu3" });
    const names: string[] = [];
    for await (const f of hc.fhirServices.listByWorkspace(RESOURCE_GROUP, "existingws")) names.push(f.name!);
    expect(names.sort()).toEqual(["fhir1", "fhir2"]);
  });

  it("refuses a PUT whose provisioningState does not match, and drops unknown properties", async () => {
    // The SDK never serializes readOnly provisioningState; replace the body the way a hand-written client sends it.
    const raw = sdkClients("AzureCloud", SUBSCRIPTION_ID).healthcare;
    let body: unknown;
    raw.pipeline.addPolicy({
      name: "raw-body",
      sendRequest: (req, next) => { if (req.method === "PUT") req.body = JSON.stringify(body); return next(req); },
    });
    body = { location: LOCATION, kind: "fhir-Stu3", properties: { provisioningState: "Creating" } };
    const e = await rejection(raw.fhirServices.beginCreateOrUpdateAndWait(RESOURCE_GROUP, "existingws", "fhir2", { location: LOCATION }));
    expect([e.statusCode, e.code]).toEqual([400, "InvalidProvisioningState"]);
    body = { location: LOCATION, kind: "fhir-Stu3", properties: { provisioningState: "Succeeded", unknownThing: 1, eventState: "Enabled" } };
    await raw.fhirServices.beginCreateOrUpdateAndWait(RESOURCE_GROUP, "existingws", "fhir2", { location: LOCATION });
    const stored = sandbox.state.getResource(`${workspaceId("existingws")}/fhirservices/fhir2`)!;
    expect(stored.properties?.["unknownThing"]).toBeUndefined();
    expect(stored.properties?.["eventState"]).toBe("Disabled");
  });

  it("patches FHIR service tags as an LRO", async () => {
    const f = await hc.fhirServices.beginUpdateAndWait(RESOURCE_GROUP, "fhir2", "existingws", { tags: { a: "1" } });
    expect(f.tags).toEqual({ a: "1" });
    expect(f.provisioningState).toBe("Succeeded");
  });

  it("validates FHIR names, kind, location and the parent workspace on create", async () => {
    const cases: [string, string, Parameters<typeof hc.fhirServices.beginCreateOrUpdateAndWait>[3], number, string][] = [
      ["existingws", "Bad_Name", { location: LOCATION, kind: "fhir-R4" }, 400, "InvalidFhirServiceName"],
      ["existingws", "fh", { location: LOCATION, kind: "fhir-R4" }, 400, "InvalidFhirServiceName"],
      ["existingws", "fhirkind", { location: LOCATION, kind: "fhir" as "fhir-R4" }, 400, "InvalidFhirServiceKind"],
      ["existingws", "fhirnoloc", { kind: "fhir-R4" }, 400, "LocationRequired"],
      ["nows", "fhirnows", { location: LOCATION, kind: "fhir-R4" }, 404, "ParentResourceNotFound"],
    ];
    for (const [ws, name, body, status, code] of cases) {
      const e = await rejection(hc.fhirServices.beginCreateOrUpdateAndWait(RESOURCE_GROUP, ws, name, body!));
      expect([name, e.statusCode, e.code]).toEqual([name, status, code]);
    }
  });

  it("deletes a FHIR service as an LRO and refuses to delete a workspace that still holds one", async () => {
    const e = await rejection(hc.workspaces.beginDeleteAndWait(RESOURCE_GROUP, "existingws"));
    expect([e.statusCode, e.code]).toEqual([409, "WorkspaceNotEmpty"]);
    await hc.fhirServices.beginDeleteAndWait(RESOURCE_GROUP, "fhir2", "existingws");
    const gone = await rejection(hc.fhirServices.get(RESOURCE_GROUP, "existingws", "fhir2"));
    expect([gone.statusCode, gone.code]).toEqual([404, "ResourceNotFound"]);
  });
});

it("answers every HealthcareApis request of this file as the 2024-03-31 spec describes", () => {
  assertConformsExceptRpcError(conformance);
});
