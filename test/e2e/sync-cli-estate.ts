// The estate the CLI sync tests plan, apply and sync: one account fhir-data with generated FHIR data, the
// storage account migstore it exports to (its identity holds Storage Blob Data Contributor there), and the
// caller holding FHIR Data Exporter on the source and FHIR Data Importer on the targets' resource group.
import type { Estate } from "../../src/sandbox/estate-types.js";
import type { CliSandbox } from "./apply-cli-estate.js";
import {
  accountId, addAccount, addRoleAssignment, addStorageAccount, baseEstate, CALLER_OBJECT_ID, fixtureGuid, resourceGroupId,
} from "../fixtures/estate-builders.js";

export const DATA_SOURCE = accountId("fhir-data");

export function dataEstate(generate: { patients: number; seed: number }): { estate: Estate; storage: string } {
  const e = baseEstate({ behaviour: { rolePropagationMs: 0, operationDurationMs: { default: 0 } } });
  addAccount(e, { name: "fhir-data", keyUri: null, exportStorageAccount: "migstore" });
  const storage = addStorageAccount(e, "migstore");
  addRoleAssignment(e, { scope: storage, role: "ba92f5b4-2d11-453d-a403-e96b0029c9fe", principalId: fixtureGuid("mi:fhir-data") });
  addRoleAssignment(e, { scope: DATA_SOURCE, role: "3db33094-8700-4567-8da5-1501d4e7e843", principalId: CALLER_OBJECT_ID });
  addRoleAssignment(e, { scope: resourceGroupId(), role: "4465e953-8ced-4406-a58e-0f6e3f3b530b", principalId: CALLER_OBJECT_ID });
  e.fhirData = [{ service: DATA_SOURCE, generate: { ...generate, historyRate: 0.25, deleteRate: 0.1 } }];
  return { estate: e, storage };
}

export type Counts = Record<string, { current: number; versions: number; deleted: number }>;

/** The admin API's per-type counts of a FHIR service (current, versions, deleted). */
export const adminCounts = (sb: CliSandbox, service: string) => sb.admin<Counts>("GET", `/_sandbox/fhir/counts?service=${encodeURIComponent(service)}`);
