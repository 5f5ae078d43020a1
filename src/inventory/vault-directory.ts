// Vaults by name as the subscriptions' vault listings arrive: `find(name)` resolves as soon as a listing
// holding that vault is in (so a vault's permission reads need not wait for every subscription), or with
// null once every listing is in without it. Vault names are global in a cloud (their DNS name), so the
// name alone identifies the vault a key URI names.
import type { ReadFailure, VaultFacts } from "../domain/snapshot.js";
import { vaultKey } from "../domain/snapshot.js";

export class VaultDirectory {
  private readonly byName = new Map<string, VaultFacts>();
  private readonly waiters = new Map<string, ((v: VaultFacts | null) => void)[]>();
  private outstanding: number;
  private failure: ReadFailure | null = null;

  /** `listings`: how many subscription listings will report (add or failed). */
  constructor(listings: number) {
    this.outstanding = listings;
  }

  add(vaults: VaultFacts[]): void {
    for (const v of vaults) {
      const k = vaultKey(v.name);
      if (this.byName.has(k)) continue;
      this.byName.set(k, v);
      for (const w of this.waiters.get(k) ?? []) w(v);
      this.waiters.delete(k);
    }
    this.settle();
  }

  failed(failure: ReadFailure): void {
    this.failure ??= failure;
    this.settle();
  }

  /** The failure of the first listing that failed, or null. */
  listingFailure(): ReadFailure | null {
    return this.failure;
  }

  find(name: string): Promise<VaultFacts | null> {
    const k = vaultKey(name);
    const v = this.byName.get(k);
    if (v) return Promise.resolve({ ...v });
    if (this.outstanding <= 0) return Promise.resolve(null);
    return new Promise((resolve) => {
      const list = this.waiters.get(k) ?? [];
      list.push((x) => resolve(x ? { ...x } : null));
      this.waiters.set(k, list);
    });
  }

  private settle(): void {
    this.outstanding--;
    if (this.outstanding > 0) return;
    for (const list of this.waiters.values()) for (const w of list) w(null);
    this.waiters.clear();
  }
}
