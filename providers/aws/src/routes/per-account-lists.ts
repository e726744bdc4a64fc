import type { AwsAccountRegistry } from '../accounts/aws-account-registry.js';
import type { AwsAccount } from '../accounts/aws-account.js';
import type { AwsClientFactory } from '../accounts/aws-clients.js';

export interface PerAccountListsOptions {
  /** How long one account's list is reused (default 60 s): Deck asks each time a dialog opens. */
  readonly ttlMs?: number;
  readonly now?: () => number;
}

/**
 * One list per AWS account (IAM certificates, ACM certificates, IAM roles), loaded from AWS on
 * request ({@link load}) and kept for a short while per account. An account whose load fails is
 * reported through `onError`, left out and not kept, so the next request tries it again.
 */
export abstract class PerAccountLists<T> {
  private readonly cached = new Map<AwsAccount, { at: number; items: Promise<T[]> }>();

  constructor(
    private readonly accounts: AwsAccountRegistry,
    protected readonly clients: AwsClientFactory,
    private readonly options: PerAccountListsOptions = {},
  ) {}

  /** The items of the accounts `canRead` allows, in account order, then {@link arrange}d. */
  async list(canRead: (account: string) => boolean, onError: (account: string, error: unknown) => void = () => undefined): Promise<T[]> {
    const accounts = this.accounts
      .names()
      .filter(canRead)
      .map((name) => this.accounts.get(name))
      .filter((account): account is AwsAccount => account !== undefined);
    const lists = await Promise.all(
      accounts.map((account) =>
        this.forAccount(account).catch((error: unknown) => {
          this.cached.delete(account);
          onError(account.name, error);
          return [];
        }),
      ),
    );
    return this.arrange(lists.flat());
  }

  /** One account's items, as AWS lists them. */
  protected abstract load(account: AwsAccount): Promise<T[]>;

  /** The order (and deduplication) the endpoint answers in; account order by default. */
  protected arrange(items: T[]): T[] {
    return items;
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
