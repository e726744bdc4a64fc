import type { Agent } from '@stratus/plugin-api';
import type { GceAccount } from './gce-account.js';

/**
 * The GCE accounts the server currently has, with their agents. Filled by the account type's
 * `agents()` and emptied by `dispose()`; operations and validators read accounts from here, and the
 * cache refresher finds an account's agent by region (or `global`) and name.
 */
export class GceAccountRegistry {
  private readonly entries = new Map<string, { account: GceAccount; agents: readonly Agent[] }>();

  set(account: GceAccount, agents: readonly Agent[]): void {
    this.entries.set(account.name, { account, agents });
  }

  /**
   * Forgets `account` unless a newer version of it is registered: the server builds an updated
   * account's agents (which registers it) before disposing the old one.
   */
  delete(account: GceAccount): void {
    if (this.entries.get(account.name)?.account === account) this.entries.delete(account.name);
  }

  get(name: string): GceAccount | undefined {
    return this.entries.get(name)?.account;
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  /** The agent `<account>/<regionOrGlobal>/<name>`. */
  agent<T extends Agent>(account: string, regionOrGlobal: string, name: string): T | undefined {
    return this.entries.get(account)?.agents.find((a) => a.agentType === `${account}/${regionOrGlobal}/${name}`) as T | undefined;
  }
}
