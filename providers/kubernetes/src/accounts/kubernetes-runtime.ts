import { silentLogger, type Logger, type ProviderCache } from '@stratus/plugin-api';
import { definedOnly } from '@stratus/provider-kit';
import { AccountCacheSession, type AccountCacheHealth, type AccountCacheSessionOptions } from '../caching/account-cache-session.js';
import type { KubernetesAccount } from './kubernetes-account.js';
import { KubernetesClient, type KubernetesClientOptions } from '../kubernetes-client.js';
import type { KubernetesKind } from '../kubernetes-kind.js';
import { agentTypeOf, dataTypesOf } from '../caching/kubernetes-caching-agent.js';
import { WatchBudget } from '../caching/watch-budget.js';

export interface KubernetesRuntimeOptions {
  readonly client?: KubernetesClientOptions;
  readonly session?: AccountCacheSessionOptions;
  /** How many accounts may hold watch streams at once (config `kubernetes.watch.maxAccounts`, default 100). */
  readonly maxWatchedAccounts?: number;
}

interface AccountEntry {
  readonly account: KubernetesAccount;
  client?: KubernetesClient;
  session?: AccountCacheSession;
}

/**
 * The provider's per-account state: clients and cache sessions, both created on first use so that
 * configuring 2,000 accounts costs 2,000 small objects and no connections.
 */
export class KubernetesRuntime {
  readonly budget: WatchBudget;
  private readonly entries = new Map<string, AccountEntry>();
  private readonly logger: Logger;

  constructor(
    private readonly providerCache: ProviderCache,
    private readonly options: KubernetesRuntimeOptions = {},
    logger: Logger = silentLogger,
  ) {
    this.budget = new WatchBudget(options.maxWatchedAccounts ?? 100);
    this.logger = logger;
  }

  add(account: KubernetesAccount): void {
    this.remove(account.name);
    this.entries.set(account.name, { account });
  }

  remove(name: string): void {
    const entry = this.entries.get(name);
    entry?.session?.dispose();
    this.entries.delete(name);
  }

  account(name: string): KubernetesAccount | undefined {
    return this.entries.get(name)?.account;
  }

  accounts(): KubernetesAccount[] {
    return [...this.entries.values()].map((entry) => entry.account);
  }

  /** The account's client; throws a field-naming error for an unknown account. */
  client(name: string): KubernetesClient {
    const entry = this.entries.get(name);
    if (!entry) throw new Error(`account "${name}" is not a configured Kubernetes account`);
    entry.client ??= KubernetesClient.fromKubeconfig(
      definedOnly({ contents: entry.account.kubeconfigContents, file: entry.account.kubeconfigFile, context: entry.account.context }),
      this.options.client,
    );
    return entry.client;
  }

  session(name: string): AccountCacheSession {
    const entry = this.entries.get(name);
    if (!entry) throw new Error(`account "${name}" is not a configured Kubernetes account`);
    entry.session ??= new AccountCacheSession(
      entry.account,
      this.client(name),
      this.providerCache,
      agentTypeOf(name),
      dataTypesOf(entry.account)
        .filter((t) => t.authority === 'AUTHORITATIVE')
        .map((t) => t.typeName),
      this.budget,
      this.logger.child({ account: name }),
      this.options.session,
    );
    return entry.session;
  }

  /** Custom kinds the account's session found in the cluster's CRDs (none before its first run). */
  discoveredKinds(name: string): readonly KubernetesKind[] {
    return this.entries.get(name)?.session?.availability.discoveredKinds() ?? [];
  }

  /** The account is in use: give it a watch slot if its cache session has started. */
  touch(name: string): void {
    this.entries.get(name)?.session?.touch();
  }

  /** Per-account cache health, for readiness details (an unreachable cluster shows here, nowhere else). */
  health(): AccountCacheHealth[] {
    return [...this.entries.values()].map(
      (entry) =>
        entry.session?.health() ?? { account: entry.account.name, reachable: undefined, watching: false, openWatches: 0, objects: 0, stalledWatches: 0 },
    );
  }

  dispose(): void {
    for (const name of [...this.entries.keys()]) this.remove(name);
  }
}
