import { authoritative, informative, type AgentDataType, type AgentRunContext, type CacheResult, type CachingAgent } from '@stratus/plugin-api';
import type { KubernetesAccount } from '../accounts/kubernetes-account.js';
import { APPLICATIONS_TYPE, CLUSTERS_TYPE } from '../kubernetes-keys.js';
import type { AccountCacheSession } from './account-cache-session.js';
import type { KubernetesKind } from '../kubernetes-kind.js';

export const PROVIDER_NAME = 'kubernetes';

export const agentTypeOf = (account: string) => `${account}/KubernetesManifestCachingAgent`;

/**
 * Infrastructure kinds (the account's, plus custom kinds found in the cluster's CRDs) and clusters
 * are authoritative for the account's agent; applications are shared.
 */
export function dataTypesOf(account: KubernetesAccount, discovered: readonly KubernetesKind[] = []): AgentDataType[] {
  const kinds = new Set([...account.cachedKinds, ...discovered].map((k) => k.cacheType));
  return [...[...kinds].map((type) => authoritative(type)), authoritative(CLUSTERS_TYPE), informative(APPLICATIONS_TYPE)];
}

/**
 * The periodic full relist of one account: the authoritative safety net under the watch streams
 * (and the only source for accounts without a watch slot). Its run also (re)starts the account's
 * watches, so nothing connects to a cluster before the scheduler first runs its agent.
 */
export class KubernetesManifestCachingAgent implements CachingAgent {
  readonly agentType: string;
  readonly providerName = PROVIDER_NAME;
  readonly accountName: string;
  readonly intervalMs: number;
  readonly errorIntervalMs: number;

  constructor(
    private readonly account: KubernetesAccount,
    private readonly session: () => AccountCacheSession,
    private readonly discoveredKinds: () => readonly KubernetesKind[] = () => [],
  ) {
    this.agentType = agentTypeOf(account.name);
    this.accountName = account.name;
    this.intervalMs = account.cacheIntervalSeconds * 1000;
    // An unreachable cluster is retried at the normal interval, never in a tight loop.
    this.errorIntervalMs = account.cacheIntervalSeconds * 1000;
  }

  /** Read at every run: CRDs found while running add their kinds. */
  get providedDataTypes(): readonly AgentDataType[] {
    return dataTypesOf(this.account, this.discoveredKinds());
  }

  loadData(_providerCache: unknown, context: AgentRunContext): Promise<CacheResult> {
    return this.session().relist(context.signal, context.ownership);
  }
}
