import type { Agent } from '@stratus/plugin-api';
import type { AzureAccount } from './azure-account.js';

/**
 * The Azure accounts the server currently has, with their agents. Filled by the account type's
 * `agents()` and emptied by `dispose()`; operations and validators read accounts from here, and the
 * cache refresher finds an account's agent by region and name.
 */
export class AzureAccountRegistry {
  private readonly entries = new Map<string, { account: AzureAccount; agents: readonly Agent[] }>();

  set(account: AzureAccount, agents: readonly Agent[]): void {
    this.entries.set(account.name, { account, agents });
  }

  /**
   * Forgets `account` unless a newer version of it is registered: the server builds an updated
   * account's agents (which registers it) before disposing the old one.
   */
  delete(account: AzureAccount): void {
    if (this.entries.get(account.name)?.account === account) this.entries.delete(account.name);
  }

  get(name: string): AzureAccount | undefined {
    return this.entries.get(name)?.account;
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  /** The agent `<account>/<region>/<name>`. */
  agent<T extends Agent>(account: string, region: string, name: string): T | undefined {
    return this.entries.get(account)?.agents.find((a) => a.agentType === `${account}/${region}/${name}`) as T | undefined;
  }
}
