import type { Agent } from '@stratus/plugin-api';

/**
 * The accounts of one provider the server currently has, with their agents. Filled by the account
 * type's `agents()` and emptied by `dispose()`; operations and validators read accounts from here,
 * and cache refreshers find an account's agent by region and name.
 */
export class AccountAgentRegistry<A extends { readonly name: string }> {
  private readonly entries = new Map<string, { account: A; agents: readonly Agent[] }>();

  set(account: A, agents: readonly Agent[]): void {
    this.entries.set(account.name, { account, agents });
  }

  /**
   * Forgets `account` unless a newer version of it is registered: the server builds an updated
   * account's agents (which registers it) before disposing the old one.
   */
  delete(account: A): void {
    if (this.entries.get(account.name)?.account === account) this.entries.delete(account.name);
  }

  get(name: string): A | undefined {
    return this.entries.get(name)?.account;
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  /** The agent `<account>/<region>/<name>` (region may be a pseudo-region such as `global`). */
  agent<T extends Agent>(account: string, region: string, name: string): T | undefined {
    return this.entries.get(account)?.agents.find((a) => a.agentType === `${account}/${region}/${name}`) as T | undefined;
  }
}
