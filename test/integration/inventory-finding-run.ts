// Runs what `inventory --json` runs, in process: a sandbox seeded with the estate, the product's Azure
// session (real SDK clients through the sandbox proxy), discover → assess → inventoryDocument. Used by the
// inventory-finding-*.test.ts files, one finding estate per test.
import { describe, expect, it } from "vitest";
import { createAzureSession } from "../../src/azure/azure-session.js";
import { discover } from "../../src/inventory/discover.js";
import { assess } from "../../src/assess/assess.js";
import { inventoryDocument } from "../../src/assess/inventory-document.js";
import { FINDING_CODES } from "../../src/domain/findings.js";
import { findingsDocSeverities } from "../helpers/findings-doc.js";
import type { InventoryDocument } from "../../src/domain/inventory-document.js";
import type { Estate } from "../../src/sandbox/estate-types.js";
import { startTestSandbox } from "../helpers/sandbox.js";
import { FINDING_ESTATES, type FindingFamily } from "../fixtures/finding-estates.js";
import { accountNamed, actionableCodes, expectInventoryDocument } from "./inventory-finding-document-shape.js";

export async function inventoryOf(estate: Estate): Promise<InventoryDocument> {
  const sandbox = await startTestSandbox(estate);
  try {
    const session = createAzureSession(estate.cloud);
    const snapshot = await discover(session, {});
    const doc = inventoryDocument(snapshot, assess(snapshot), "0.0.0-test");
    // Through JSON, as a script reading `inventory --json` sees it (undefined properties vanish).
    return JSON.parse(JSON.stringify(doc)) as InventoryDocument;
  } finally {
    await sandbox.close();
  }
}

/** One test per finding estate of the family: the account carries the code with its severity, and the verdict. */
const documented = findingsDocSeverities();

export function describeFindingFamily(family: FindingFamily): void {
  describe(`inventory --json raises each ${family} finding code from its own estate`, () => {
    for (const entry of FINDING_ESTATES.filter((e) => e.family === family)) {
      it(`${entry.code} → ${entry.expectVerdict}`, async () => {
        const doc = await inventoryOf(entry.estate());
        expectInventoryDocument(doc);
        const account = accountNamed(doc, entry.account);
        const finding = account.findings.find((f) => f.code === entry.code);
        expect(finding, `${entry.code} among ${account.findings.map((f) => f.code).join(", ")}`).toBeDefined();
        // The severity FINDINGS.md documents (the contract), not the code's own table; without the document
        // (a clone without ../shared) the code's table is all there is — findings-contract.test.ts says it skipped.
        expect(finding!.severity).toBe(documented?.get(entry.code) ?? FINDING_CODES[entry.code]);
        expect(account.verdict).toBe(entry.expectVerdict);
        // Minimal estate: nothing else the user must act on (info findings may come along).
        const expected = [...(FINDING_CODES[entry.code] === "info" ? [] : [entry.code]), ...(entry.alsoActionable ?? [])].sort();
        expect(actionableCodes(account)).toEqual(expected);
      });
    }
  });
}
