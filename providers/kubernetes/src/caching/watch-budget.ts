/** Something holding watch streams that can be asked to give them up. */
export interface WatchHolder {
  stopWatches(): void;
}

/**
 * Caps how many accounts hold watch streams at once (each streams one connection per kind and
 * watched namespace). Accounts get a slot after their first successful relist while slots are free;
 * an account someone is actively using (an operation, a live manifest read) is promoted and may
 * take the slot of the least recently used account, which falls back to periodic relists.
 */
export class WatchBudget {
  /** Account → holder, in least-recently-used order (Map iteration order). */
  private readonly holders = new Map<string, WatchHolder>();

  constructor(readonly maxAccounts: number) {}

  get size(): number {
    return this.holders.size;
  }

  has(account: string): boolean {
    return this.holders.has(account);
  }

  /** Takes a free slot (never evicts); true when the account holds one now. */
  tryAcquire(account: string, holder: WatchHolder): boolean {
    if (this.holders.has(account)) return true;
    if (this.holders.size >= this.maxAccounts) return false;
    this.holders.set(account, holder);
    return true;
  }

  /** Marks an account as in use, evicting the least recently used holder when full. */
  promote(account: string, holder: WatchHolder): void {
    if (this.holders.delete(account)) {
      this.holders.set(account, holder);
      return;
    }
    if (this.maxAccounts <= 0) return;
    if (this.holders.size >= this.maxAccounts) {
      const [oldest, evicted] = this.holders.entries().next().value as [string, WatchHolder];
      this.holders.delete(oldest);
      evicted.stopWatches();
    }
    this.holders.set(account, holder);
  }

  release(account: string): void {
    this.holders.delete(account);
  }
}
