// What the UI shows, as plain data. The UI never calls discovery or assessment itself: the CLI hands it
// a `LoadInventory` function (src/cli/commands/interactive.ts) built from discover() + assess(), and UI
// tests hand it one that returns values built in-process. The shapes are structural copies of the
// services' types (AccountAssessment, DiscoveryProgress), so src/ui depends only on src/domain.
import type { Finding, Verdict } from "../domain/findings.js";
import type { DiscoveryProgress } from "../inventory/progress.js";
import type { CmkFacts } from "../domain/inventory-document.js";
import type { CloudName, LegacyAccount } from "../domain/snapshot.js";

/** One account as assess() judged it (same shape as AccountAssessment in src/assess/assess.ts). */
export interface UiAccount {
  account: LegacyAccount;
  cmk: CmkFacts | null;
  findings: Finding[];
  verdict: Verdict;
}

export interface UiSubscription {
  subscriptionId: string;
  displayName: string;
  error: string | null;
}

export interface InventoryView {
  cloud: CloudName;
  tenantId: string;
  subscriptions: UiSubscription[];
  accounts: UiAccount[];
  errors: { scope: string; message: string }[];
  /** ARM ids of the storage accounts in the listed subscriptions: the plan review's `d` picks the data-copy store among them. */
  storageAccounts?: string[];
}

/** Discovery's progress counters, as the loading screen shows them. */
export type LoadProgress = DiscoveryProgress;

/**
 * Reads the estate. Throws on failure: the UI shows the error's `message` (one line) and its first
 * `nextSteps` entry, as the CLI's error handler would (src/domain/errors.ts).
 */
export type LoadInventory = (onProgress: (p: LoadProgress) => void, abortSignal: AbortSignal) => Promise<InventoryView>;

/** How the user left the UI: `q` (or Esc on the error screen) or Ctrl-C. */
export type QuitReason = "quit" | "interrupt";
