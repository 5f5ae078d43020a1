// `ahds-migrate inventory`: every legacy Azure API for FHIR account the caller can see, its key and its
// verdict (FINDINGS.md). Thin: build the Azure session, discover → assess → render, pick the exit code.
// The verdicts are data, so blocked accounts still exit 0; exit 1 only when nothing could be listed at all.
// Sign-in failures are thrown by discovery as UserError and printed by the one handler (run.ts).
import { UserError } from "../../domain/errors.js";
import type { InventoryDocument } from "../../domain/inventory-document.js";
import type { CommandContext } from "../command-context.js";
import { colorEnabled, printErr, printJson, printOut } from "../output.js";
import { toolVersion } from "../version.js";
import { createProgressLine } from "../views/inventory-progress.js";
import { renderInventory } from "../views/inventory-table.js";

export interface InventoryOptions {
  /** Repeatable --subscription (validated as GUIDs by the parser in program.ts). */
  subscription?: string[];
  json?: boolean;
}

export async function inventoryCommand(o: InventoryOptions, ctx: CommandContext): Promise<number> {
  const { createAzureSession } = await import("../../azure/azure-session.js");
  const { discover } = await import("../../inventory/discover.js");
  const { assess } = await import("../../assess/assess.js");
  const { inventoryDocument } = await import("../../assess/inventory-document.js");

  const session = createAzureSession(ctx.cloud);
  const progress = createProgressLine(process.stderr);
  let snapshot;
  try {
    snapshot = await discover(session, {
      ...(o.subscription && o.subscription.length > 0 ? { subscriptionIds: o.subscription } : {}),
      onProgress: (p) => progress.update(p),
    });
  } finally {
    progress.done();
  }
  const doc = inventoryDocument(snapshot, assess(snapshot), toolVersion());

  if (o.json) {
    printJson(doc);
  } else {
    const width = process.stdout.isTTY === true && process.stdout.columns > 0 ? process.stdout.columns : undefined;
    printOut(renderInventory(doc, { width, color: colorEnabled() }));
  }
  const reason = nothingListed(doc);
  if (reason) {
    // After the document/table: what could be read is still printed; the one handler prints the reason.
    throw new UserError(reason, ["Grant the signed-in principal Reader on the subscriptions to migrate (or check --subscription), then run inventory again."]);
  }
  if (doc.subscriptions.length === 0) {
    printErr(o.subscription?.length
      ? "warning: none of the --subscription IDs is visible to this principal in the signed-in tenant."
      : "warning: no subscriptions are visible to this principal. Grant it Reader (or more) on the subscriptions to migrate.");
  }
  return 0;
}

/** Why nothing at all could be listed (every subscription failed, or the list itself), else undefined. */
export function nothingListed(doc: InventoryDocument): string | undefined {
  if (doc.accounts.length > 0) return undefined;
  if (doc.subscriptions.length === 0) {
    const first = doc.errors[0];
    return first ? `Can't list subscriptions: ${first.message}` : undefined;
  }
  const failed = doc.subscriptions.filter((s) => s.error !== null);
  if (failed.length < doc.subscriptions.length) return undefined;
  return `Can't list Azure API for FHIR accounts in ${failed.length === 1 ? "the subscription" : `any of the ${failed.length} subscriptions`}: ${failed[0]!.error}`;
}
