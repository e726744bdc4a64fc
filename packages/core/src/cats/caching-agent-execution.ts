import type { CacheResult, CachingAgent, CacheWriteStats, ProviderCache } from '@stratus/plugin-api';
import type { AgentExecution, ExecutionContext, ExecutionOutcome } from '../scheduler/agent-execution.js';
import { StaleRunError } from '../scheduler/stale-run-error.js';

/**
 * Runs a caching agent once: load, apply key-pattern evictions (docs/architecture.md, "Storing a run's result", step 1), then store — but only
 * while the scheduler still says this run owns the agent (fencing against timed-out or taken-over runs).
 */
export class CachingAgentExecution implements AgentExecution {
  constructor(
    private readonly agent: CachingAgent,
    private readonly providerCache: ProviderCache,
    private readonly supportsFullEviction = false,
  ) {}

  async execute(context: ExecutionContext): Promise<ExecutionOutcome> {
    const result = await this.agent.loadData(this.providerCache, {
      signal: context.signal,
      ...(context.ownership ? { ownership: context.ownership } : {}),
    });
    const authoritativeTypes = this.agent.providedDataTypes.filter((t) => t.authority === 'AUTHORITATIVE').map((t) => t.typeName);
    const withPatterns = await this.applyKeyPatterns(result, authoritativeTypes);
    if (context.signal.aborted) throw new StaleRunError(this.agent.agentType, String(context.signal.reason ?? 'aborted'));
    const stats: CacheWriteStats = await context.guardedWrite(() =>
      withPatterns.partialResult
        ? this.providerCache.addCacheResult(this.agent.agentType, authoritativeTypes, withPatterns)
        : this.providerCache.putCacheResult(this.agent.agentType, authoritativeTypes, withPatterns),
    );
    return { ...stats, ...(result.introspectionDetails !== undefined ? { details: result.introspectionDetails } : {}) };
  }

  private async applyKeyPatterns(result: CacheResult, authoritativeTypes: readonly string[]): Promise<CacheResult> {
    const patterns = this.agent.cacheKeyPatterns?.();
    if (!patterns || result.partialResult) return result;
    const evictions: Record<string, string[]> = {};
    for (const [type, list] of Object.entries(result.evictions ?? {})) evictions[type] = [...list];
    for (const [type, glob] of Object.entries(patterns)) {
      if (!authoritativeTypes.includes(type)) continue;
      const items = result.cacheResults[type] ?? [];
      if (items.length === 0 && !this.supportsFullEviction) continue; // same guard as the engine
      const current = new Set(items.map((item) => item.id));
      const stale = (await this.providerCache.filterIdentifiers(type, glob)).filter((id) => !current.has(id));
      if (stale.length > 0) evictions[type] = [...(evictions[type] ?? []), ...stale];
    }
    return { ...result, evictions };
  }
}
