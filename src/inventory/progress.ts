// Discovery progress (BRIEF-3 `DiscoveryProgress`): counters that only grow, and the phase = the earliest
// stage still running. Discovery is pipelined (a vault's keys are read while other subscriptions are still
// being listed), so the phase names the oldest unfinished work, not a strict sequence.
export type DiscoveryPhase = "subscriptions" | "accounts" | "vaults" | "keys" | "permissions" | "principals" | "done";

export interface DiscoveryProgress {
  phase: DiscoveryPhase;
  subscriptionsTotal: number;
  subscriptionsScanned: number;
  accountsFound: number;
  vaultsTotal: number;
  vaultsRead: number;
  keysTotal: number;
  keysRead: number;
}

export class ProgressTracker {
  readonly p: DiscoveryProgress = {
    phase: "subscriptions", subscriptionsTotal: 0, subscriptionsScanned: 0, accountsFound: 0,
    vaultsTotal: 0, vaultsRead: 0, keysTotal: 0, keysRead: 0,
  };
  subscriptionsListed = false;
  permissionsPending = 0;
  principalsPending = false;

  constructor(private readonly listener?: (p: DiscoveryProgress) => void) {}

  update(change: (p: DiscoveryProgress) => void): void {
    change(this.p);
    this.emit();
  }

  emit(done = false): void {
    const p = this.p;
    p.phase = done ? "done"
      : !this.subscriptionsListed ? "subscriptions"
      : p.subscriptionsScanned < p.subscriptionsTotal ? "accounts"
      : p.vaultsRead < p.vaultsTotal ? "vaults"
      : p.keysRead < p.keysTotal ? "keys"
      : this.permissionsPending > 0 ? "permissions"
      : this.principalsPending ? "principals" : "principals";
    this.listener?.({ ...p });
  }
}
