import type { CachingAgent, OnDemandAgent, ProviderCache } from '@stratus/plugin-api';

export interface StoreAgentRunOptions {
  /** Treat `deleted` entries with `*`, `?` or `[` as globs over the cached ids of their type. */
  readonly expandGlobs?: boolean;
  /** The run's signal (an operation's, so an aborted task stops refreshing); default: never aborted. */
  readonly signal?: AbortSignal;
}

/**
 * Runs a caching agent once outside the scheduler (an operation's refresh) and stores its full
 * result as the agent's own, plus explicit evictions of the `deleted` ids the operation removed:
 * an empty authoritative result does not evict on its own, so deleting the last resource of a
 * region would otherwise linger.
 */
export async function storeAgentRun(
  cache: ProviderCache,
  agent: CachingAgent,
  deleted: Readonly<Record<string, readonly string[]>> = {},
  options: StoreAgentRunOptions = {},
): Promise<void> {
  const result = await agent.loadData(cache, { signal: options.signal ?? new AbortController().signal });
  const evictions: Record<string, string[]> = {};
  for (const [type, ids] of Object.entries(result.evictions ?? {})) evictions[type] = [...ids];
  for (const [type, patterns] of Object.entries(deleted)) {
    for (const pattern of patterns) {
      const ids = options.expandGlobs && /[*?[]/.test(pattern) ? await cache.filterIdentifiers(type, pattern) : [pattern];
      (evictions[type] ??= []).push(...ids);
    }
  }
  const authoritative = agent.providedDataTypes.filter((t) => t.authority === 'AUTHORITATIVE').map((t) => t.typeName);
  await cache.putCacheResult(agent.agentType, authoritative, { ...result, evictions });
}

/** Refreshes one resource through the agent's on-demand path (a partial result; siblings untouched). */
export async function storeOnDemandRefresh(cache: ProviderCache, agent: OnDemandAgent, data: Record<string, unknown>): Promise<void> {
  const result = await agent.handle(cache, data);
  if (result) await cache.addCacheResult(result.sourceAgentType, result.authoritativeTypes, result.cacheResult);
}
