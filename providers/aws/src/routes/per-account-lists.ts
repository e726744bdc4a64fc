import type { AwsAccountRegistry } from '../accounts/aws-account-registry.js';
import type { AwsAccount } from '../accounts/aws-account.js';

export interface PerAccountListsOptions {
  /** How long one account's list is reused (default 60 s): Deck asks each time a dialog opens. */
  readonly ttlMs?: number;
  readonly now?: () => number;
}

/**
 * One list per AWS account (IAM certificates, ACM certificates, IAM roles), loaded on request and
 * kept for a short while per account. An account whose load fails is reported through `onError`,
 * left out and not kept, so the next request tries it again.
 */
export class PerAccountLists<T> {
  private readonly cached = new Map<AwsAccount, { at: number; items: Promise<T[]> }>();

  constructor(
    private readonly accounts: AwsAccountRegistry,
    private readonly load: (account: AwsAccount) => Promise<T[]>,
    private readonly options: PerAccountListsOptions = {},
  ) {}

  /** The lists of the accounts `canRead` allows, one per account, in account order. */
  async gather(canRead: (account: string) => boolean, onError: (account: string, error: unknown) => void): Promise<T[][]> {
    const accounts = this.accounts
      .names()
      .filter(canRead)
      .map((name) => this.accounts.get(name))
      .filter((account): account is AwsAccount => account !== undefined);
    return Promise.all(
      accounts.map((account) =>
        this.forAccount(account).catch((error: unknown) => {
          this.cached.delete(account);
          onError(account.name, error);
          return [];
        }),
      ),
    );
  }

  private forAccount(account: AwsAccount): Promise<T[]> {
    const now = (this.options.now ?? Date.now)();
    const hit = this.cached.get(account);
    if (hit && now - hit.at < (this.options.ttlMs ?? 60_000)) return hit.items;
    const items = this.load(account);
    this.cached.set(account, { at: now, items });
    return items;
  }
}
