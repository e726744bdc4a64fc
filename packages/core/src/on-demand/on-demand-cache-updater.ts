import { inject, injectable } from 'tsyringe';
import type { Logger, PendingOnDemandRequest } from '@stratus/plugin-api';
import type { AgentLock, AgentScheduler } from '../scheduler/agent-scheduler.js';
import { METRICS, type CounterMetric, type HistogramMetric, type MetricsRegistry } from '../metrics/metrics-registry.js';
import { AGENT_SCHEDULER, LOGGER } from '../tokens.js';
import type { OnDemandAgentBinding, OnDemandAgentSource } from './on-demand-agent-source.js';
import { ON_DEMAND_AGENT_SOURCE } from './tokens.js';

/** Clouddriver's `OnDemandCacheStatus`: `PENDING` answers 202, `SUCCESSFUL` 200. */
export type OnDemandCacheStatus = 'SUCCESSFUL' | 'PENDING';

export interface OnDemandCacheResult {
  readonly status: OnDemandCacheStatus;
  /** type → ids the refresh cached, the body of `POST /cache/{cloudProvider}/{type}`. */
  readonly cachedIdentifiersByType: Record<string, string[]>;
}

/** What happened to one agent's refresh, for metrics. */
export type OnDemandOutcome = 'applied' | 'pending' | 'not-mine' | 'lock-unavailable' | 'lock-lost' | 'release-failed' | 'error';

export interface OnDemandRefreshEvent {
  readonly cloudProvider: string;
  readonly type: string;
  readonly agentType: string;
  readonly outcome: OnDemandOutcome;
  readonly durationMs: number;
}

/**
 * Routes `POST /cache/{cloudProvider}/{type}` to every on-demand agent that handles it (Clouddriver's
 * `CatsOnDemandCacheUpdater`; docs/architecture.md, "On-demand refresh").
 *
 * With an atomic scheduler the agent is locked for the refresh; a locked, applied refresh answers
 * SUCCESSFUL (200), a refresh that could not lock or lost its lock answers PENDING (202) so the
 * client retries. With a non-atomic scheduler the result is stored as a *partial* result of
 * `sourceAgentType` (explicit evictions still apply), so it is readable as soon as this returns and
 * never evicts siblings; the answer is PENDING when it cached anything, because the agent's next
 * scheduled run still has to reconcile the on-demand record. Nothing handling the request → 200 with
 * an empty map. One agent's failure is logged and does not fail the request.
 */
@injectable()
export class OnDemandCacheUpdater {
  private readonly listeners = new Set<(event: OnDemandRefreshEvent) => void>();
  private readonly requests: CounterMetric;
  private readonly durations: HistogramMetric;

  constructor(
    @inject(ON_DEMAND_AGENT_SOURCE) private readonly source: OnDemandAgentSource,
    @inject(AGENT_SCHEDULER) private readonly scheduler: AgentScheduler,
    @inject(LOGGER) private readonly logger: Logger,
    @inject(METRICS) metrics: MetricsRegistry,
  ) {
    this.requests = metrics.counter('on_demand_requests_total', 'On-demand refreshes per agent by outcome', ['cloudProvider', 'type', 'outcome']);
    this.durations = metrics.histogram('on_demand_duration_seconds', 'Duration of one agent on-demand refresh', ['cloudProvider', 'type']);
  }

  /** Subscribes to per-agent refresh outcomes (metrics); returns the unsubscribe function. */
  onRefresh(listener: (event: OnDemandRefreshEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The bindings whose agent handles `(type, cloudProvider)`. */
  handlersOf(type: string, cloudProvider: string): OnDemandAgentBinding[] {
    return this.source.onDemandAgents().filter(({ agent }) => {
      try {
        return agent.handles(type, cloudProvider);
      } catch (error) {
        this.logger.warn({ err: error, agentType: agent.agentType }, 'on-demand agent failed in handles()');
        return false;
      }
    });
  }

  handles(type: string, cloudProvider: string): boolean {
    return this.handlersOf(type, cloudProvider).length > 0;
  }

  /**
   * Refreshes the resource `data` describes. `canReadAccount` (the caller's READ) limits which
   * accounts' agents are asked, so a caller never refreshes, or learns keys of, an account it cannot read.
   */
  async handle(
    type: string,
    cloudProvider: string,
    data: Record<string, unknown>,
    canReadAccount: (account: string) => boolean = () => true,
  ): Promise<OnDemandCacheResult> {
    let pending = false;
    const cachedIdentifiersByType: Record<string, string[]> = {};
    for (const binding of this.handlersOf(type, cloudProvider)) {
      if (binding.agent.accountName && !canReadAccount(binding.agent.accountName)) continue;
      const started = Date.now();
      const outcome = await this.refreshOne(binding, data, cachedIdentifiersByType);
      if (outcome === 'pending' || outcome === 'lock-unavailable' || outcome === 'lock-lost' || outcome === 'release-failed') pending = true;
      this.emit({ cloudProvider, type, agentType: binding.agent.agentType, outcome, durationMs: Date.now() - started });
    }
    return { status: pending ? 'PENDING' : 'SUCCESSFUL', cachedIdentifiersByType };
  }

  private async refreshOne(
    { agent, providerCache }: OnDemandAgentBinding,
    data: Record<string, unknown>,
    cachedIdentifiersByType: Record<string, string[]>,
  ): Promise<OnDemandOutcome> {
    const atomic = this.isAtomic();
    let lock: AgentLock | undefined;
    try {
      if (atomic) {
        lock = await this.scheduler.tryLock!(agent.agentType);
        if (!lock) return 'lock-unavailable';
      }
      const result = await agent.handle(providerCache, data);
      if (!result) return 'not-mine';
      if (lock && !(await this.scheduler.lockValid!(lock))) return 'lock-lost';

      const { cacheResult } = result;
      let cachedAnything = false;
      for (const [cacheType, items] of Object.entries(cacheResult.cacheResults)) {
        if (items.length === 0) continue;
        cachedAnything = true;
        const ids = (cachedIdentifiersByType[cacheType] ??= []);
        for (const item of items) if (!ids.includes(item.id)) ids.push(item.id);
      }
      // Always partial: an on-demand refresh of one resource must never evict its siblings.
      await providerCache.addCacheResult(result.sourceAgentType, result.authoritativeTypes, { ...cacheResult, partialResult: true });

      if (lock) {
        const released = await this.scheduler.tryRelease!(lock);
        lock = undefined;
        if (!released) {
          this.logger.error({ agentType: agent.agentType }, 'on-demand refresh lost its lock while writing; it likely wrote stale data');
          return 'release-failed';
        }
        return 'applied';
      }
      return cachedAnything ? 'pending' : 'applied';
    } catch (error) {
      this.logger.error({ err: error, agentType: agent.agentType }, 'on-demand refresh failed');
      return 'error';
    } finally {
      if (lock) await this.scheduler.tryRelease!(lock).catch(() => false);
    }
  }

  /**
   * Pending on-demand records of every agent handling `(type, cloudProvider)`, optionally only the one
   * with `id`. Empty with an atomic scheduler, as in Clouddriver: there a refresh is applied or retried.
   */
  /** Pending records of the agents whose account the caller may read (`canReadAccount`). */
  async pendingOnDemandRequests(
    type: string,
    cloudProvider: string,
    id?: string,
    canReadAccount: (account: string) => boolean = () => true,
  ): Promise<PendingOnDemandRequest[]> {
    if (this.isAtomic()) return [];
    const lists = await Promise.all(
      this.handlersOf(type, cloudProvider).map(async ({ agent, providerCache }) => {
        if (agent.accountName && !canReadAccount(agent.accountName)) return [];
        try {
          return await agent.pendingOnDemandRequests(providerCache);
        } catch (error) {
          this.logger.warn({ err: error, agentType: agent.agentType }, 'listing pending on-demand requests failed');
          return [];
        }
      }),
    );
    const all = lists.flat();
    return id === undefined ? all : all.filter((request) => request.id === id);
  }

  private isAtomic(): boolean {
    const scheduler = this.scheduler;
    return Boolean(scheduler.atomic && scheduler.tryLock && scheduler.lockValid && scheduler.tryRelease);
  }

  private emit(event: OnDemandRefreshEvent): void {
    this.requests.inc({ cloudProvider: event.cloudProvider, type: event.type, outcome: event.outcome });
    this.durations.observe({ cloudProvider: event.cloudProvider, type: event.type }, event.durationMs / 1000);
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // metrics must not break refreshes
      }
    }
  }
}
