import type { Agent } from '@stratus/plugin-api';
import type { AwsAccount } from './aws-account.js';

/**
 * The AWS accounts the server currently has, with their agents. Filled by the account type's
 * `agents()` and emptied by `dispose()`; operations and validators read accounts from here, and the
 * cache refresher finds the agent of an account and region.
 */
export class AwsAccountRegistry {
  private readonly entries = new Map<string, { account: AwsAccount; agents: readonly Agent[] }>();

  set(account: AwsAccount, agents: readonly Agent[]): void {
    this.entries.set(account.name, { account, agents });
  }

  /** Forgets these credentials, unless the account was already replaced by newer ones. */
  delete(account: AwsAccount): void {
    if (this.entries.get(account.name)?.account === account) this.entries.delete(account.name);
  }

  get(name: string): AwsAccount | undefined {
    return this.entries.get(name)?.account;
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  /** The agent of `account` in `region` whose type ends with `/<name>`. */
  agent<T extends Agent>(account: string, region: string, name: string): T | undefined {
    return this.entries.get(account)?.agents.find((a) => a.agentType === `${account}/${region}/${name}`) as T | undefined;
  }
}
