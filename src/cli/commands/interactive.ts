// `ahds-migrate` with no command: the interactive UI (src/ui, loaded here with await import() only).
// Against Azure it reads with DefaultAzureCredential (or --profile / --cloud) through discover() +
// assess(), the same services `inventory` uses; `p` plans from that same snapshot (buildPlan, no choices
// beyond the accounts) and `e` exports to ./plans (plan-export.ts); `o` lists ./plans with their journals
// (plan-listing.ts), `a` applies the exported or opened file (tui-run.ts), resuming its journal, and `s`
// there syncs an applied plan's data (tui-sync.ts). `--sandbox` starts the demo sandbox and
// the UI in this one process (the profile applied in-process, issue 8); when the UI exits the sandbox closes.
import { setMaxListeners } from "node:events";
import { UsageError, UserError } from "../../domain/errors.js";
import type { PlanChoices } from "../../domain/plan.js";
import type { Snapshot } from "../../domain/snapshot.js";
import type { AccountAssessment } from "../../assess/assess.js";
import type { InventoryView, LoadInventory } from "../../ui/inventory-view.js";
import type { PlanActions } from "../../ui/plan-view.js";
import type { PlanFiles } from "../../ui/plans-view.js";
import type { AzureSession } from "../../azure/azure-session.js";
import type { RunActions } from "../../ui/run-view.js";
import type { SyncActions } from "../../ui/sync-view.js";
import type { CommandContext } from "../command-context.js";
import { prepareDemoSandbox } from "../demo-sandbox.js";
import { planFiles } from "../plan-listing.js";
import { colorEnabled, printErr } from "../output.js";
import { tuiRunActions } from "../tui-run.js";
import { tuiSyncActions } from "../tui-sync.js";
import { toolVersion } from "../version.js";

export interface InteractiveOptions {
  sandbox?: boolean;
  sandboxReset?: boolean;
  debug?: boolean;
}

/** The UI needs a terminal to read keys from and draw on; scripts get `inventory --json`. */
export function requireTerminal(stdinIsTty = process.stdin.isTTY === true, stdoutIsTty = process.stdout.isTTY === true): void {
  if (!stdinIsTty || !stdoutIsTty) {
    throw new UsageError("The interactive UI needs a terminal (stdin and stdout are not both TTYs); for scripts run 'ahds-migrate inventory --json'.");
  }
}

export async function interactiveCommand(_o: InteractiveOptions, ctx: CommandContext): Promise<number> {
  requireTerminal();
  const { runInteractiveUi } = await import("../../ui/run-ui.js");
  const estate = azureInventoryLoader(ctx);
  return runInteractiveUi({ loadInventory: estate.loadInventory, plans: estate.plans, planFiles: estate.planFiles, runs: estate.runs,
    syncs: estate.syncs, color: colorEnabled(), cloud: ctx.cloud });
}

/** What the list was built from: the plan review plans over exactly this (no second discovery). */
export interface LoadedEstate { snapshot: Snapshot; assessments: AccountAssessment[] }

/**
 * discover() → assess() → the UI's view; the services load on first use, after the UI is on screen. The
 * snapshot and assessments stay in this closure for `plans.makePlan`.
 */
export function azureInventoryLoader(ctx: CommandContext, o: { plansDir?: string } = {}): { loadInventory: LoadInventory; plans: PlanActions; planFiles: PlanFiles; runs: RunActions; syncs: SyncActions } {
  let loaded: LoadedEstate | null = null;
  let session: AzureSession | null = null;
  const loadInventory: LoadInventory = async (onProgress, abortSignal): Promise<InventoryView> => {
    const { createAzureSession } = await import("../../azure/azure-session.js");
    const { discover } = await import("../../inventory/discover.js");
    const { assess } = await import("../../assess/assess.js");
    // Every in-flight SDK request listens on the one signal; the default cap of 10 would print a
    // MaxListenersExceededWarning over the UI.
    setMaxListeners(0, abortSignal);
    session = createAzureSession(ctx.cloud);
    const snapshot = await discover(session, { onProgress, abortSignal });
    const assessments = assess(snapshot);
    loaded = { snapshot, assessments };
    return inventoryViewOf(snapshot, assessments);
  };
  // `a` applies the file `e` (or `a` itself) wrote for that plan, or the file `o` opened; the UI hands back
  // only the plan.
  const exported = new Map<string, string>();
  const files = planFiles(o.plansDir);
  const openedFiles: PlanFiles = {
    listPlans: files.listPlans,
    openPlan: async (file) => {
      const opened = await files.openPlan(file);
      exported.set(opened.plan.planId, file);
      return opened;
    },
  };
  const plans = estatePlans(() => loaded);
  const exportPlan: PlanActions["exportPlan"] = async (plan) => {
    const r = await plans.exportPlan(plan);
    exported.set(plan.planId, r.jsonPath);
    return r;
  };
  const loadedSession = () => {
    if (!session) throw new UserError("The estate is not loaded yet.", ["Wait for the account list, then plan and apply again."]);
    return session;
  };
  const runs = tuiRunActions({ ctx, planPathOf: (plan) => exported.get(plan.planId), session: loadedSession });
  const syncs = tuiSyncActions({ ctx, session: loadedSession });
  return { loadInventory, plans: { makePlan: plans.makePlan, exportPlan }, planFiles: openedFiles, runs, syncs };
}

export function inventoryViewOf(snapshot: Snapshot, assessments: AccountAssessment[]): InventoryView {
  return {
    cloud: snapshot.cloud, tenantId: snapshot.tenantId, errors: snapshot.errors, accounts: assessments,
    storageAccounts: Object.values(snapshot.storageAccounts),
    subscriptions: snapshot.subscriptions.map((s) => ({ subscriptionId: s.subscriptionId, displayName: s.displayName, error: s.error })),
  };
}

export interface EstatePlansOptions {
  /** Where `e` writes; default ./plans (DESIGN.md). */
  plansDir?: string;
  /** The plan's createdAt; default the wall clock. */
  now?: () => Date;
}

/** makePlan over the estate the list shows (the chosen accounts, nothing accepted) and exportPlan to ./plans. */
export function estatePlans(estate: () => LoadedEstate | null, o: EstatePlansOptions = {}): PlanActions {
  return {
    makePlan: async (accountIds, mo) => {
      const e = estate();
      if (!e) throw new UserError("The estate is not loaded yet.", ["Wait for the account list, then press p again."]);
      const { buildPlan } = await import("../../planner/build-plan.js");
      const choices: PlanChoices = { accounts: accountIds, targetResourceGroup: null, keys: {}, kinds: {}, accept: {}, names: {},
        ...(mo?.storageAccount ? { storageAccount: mo.storageAccount } : {}) };
      return buildPlan(e.snapshot, e.assessments, choices, { now: (o.now ?? (() => new Date()))(), toolVersion: toolVersion() });
    },
    exportPlan: async (plan) => {
      const { exportPlanToDir } = await import("../plan-export.js");
      return exportPlanToDir(plan, o.plansDir);
    },
  };
}

/**
 * `ahds-migrate --sandbox [--sandbox-reset]`: the demo sandbox and the UI in THIS one process (issue 8:
 * no child that a killed parent could leave behind). The profile is applied in-process (the CA through the
 * shared transport), so the UI reaches the sandbox exactly as another process would, through its proxy.
 */
export async function sandboxInteractiveCommand(o: InteractiveOptions, profileGiven: boolean): Promise<number> {
  requireTerminal();
  if (profileGiven) {
    throw new UsageError("--sandbox starts its own sandbox: drop --profile (or unset AHDS_MIGRATE_PROFILE), or drop --sandbox to use that profile.");
  }
  const files = await prepareDemoSandbox({ reset: o.sandboxReset === true });
  const { startSandbox, writeProfile } = await import("../../sandbox/server.js");
  const { applyProfile } = await import("../../azure/profile.js");
  const sandbox = await startSandbox({ estate: files.estate, statePath: files.statePath, caDir: files.caDir });
  try {
    for (const w of sandbox.warnings) printErr(`warning: ${w}`);
    const profile = sandbox.profile();
    // Written for the user's other terminals (`--profile .ahds-migrate/sandbox/profile.json`), as before.
    writeProfile(files.profilePath, profile);
    applyProfile(profile);
    const code = await interactiveCommand(o, { debug: o.debug === true, cloud: profile.cloud, profile, profilePath: files.profilePath });
    printErr(`Sandbox stopped; its state stays in ${files.statePath} for the next start (--sandbox-reset starts over).`);
    return code;
  } finally {
    await sandbox.close();
  }
}
