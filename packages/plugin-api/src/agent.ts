import type { AgentDataType } from './agent-data-type.js';
import type { CacheResult } from './cache-result.js';
import type { ProviderCache } from './provider-cache.js';

/** Anything the scheduler runs. */
export interface Agent {
  /**
   * Globally unique; it is the lock key and the source tag on stored data. Agents bound to an
   * account start with `<account>/` (e.g. `prod/us-east-1/ClusterCachingAgent`): sharding keys on it.
   */
  readonly agentType: string;
  /** The provider (cache namespace) the agent writes to. */
  readonly providerName: string;
  /** The account this agent works for; absent for housekeeping agents, which bypass sharding. */
  readonly accountName?: string | undefined;
  /** Milliseconds between runs; the scheduler's default (30 s) when absent. */
  readonly intervalMs?: number | undefined;
  /** Milliseconds to wait after a failed run; the interval when absent. */
  readonly errorIntervalMs?: number | undefined;
  /** Milliseconds a run may take before it is abandoned; the scheduler's default when absent. */
  readonly timeoutMs?: number | undefined;
}

/**
 * This replica's claim on an agent, for writes the agent makes between its runs (a watch stream
 * feeding the cache). The scheduler decides who owns an agent: the replica that ran it last, until
 * another replica runs it or it is unscheduled here.
 */
export interface AgentOwnership {
  /** Whether this replica still owns the agent. */
  owned(): Promise<boolean>;
  /**
   * Performs `write` only while this replica owns the agent, fenced like a scheduled run's write
   * (no other replica can take the agent while it runs). Resolves false, writing nothing, when it
   * no longer owns it; errors of `write` propagate.
   */
  writeIfOwned(write: () => Promise<unknown>): Promise<boolean>;
}

/** Passed to every run. */
export interface AgentRunContext {
  /** Aborted when the run is abandoned (timeout, lost lock, shutdown). */
  readonly signal: AbortSignal;
  /**
   * The claim this run gives the replica on its agent, valid after the run ended; absent when the
   * scheduler cannot fence such writes.
   */
  readonly ownership?: AgentOwnership;
}

/** An agent that polls a cloud and returns what it found (Clouddriver's `CachingAgent`). */
export interface CachingAgent extends Agent {
  /** The types this agent writes and its authority over each. */
  readonly providedDataTypes: readonly AgentDataType[];
  /** Describes the cloud and returns what it found. Throw when the describe fails: an empty result means "nothing there". */
  loadData(providerCache: ProviderCache, context: AgentRunContext): Promise<CacheResult>;
  /**
   * Globs per authoritative type: every existing id matching the glob that this run did not return
   * is evicted, whoever wrote it (e.g. `aws:serverGroups:*:prod:us-east-1:*`).
   */
  cacheKeyPatterns?(): Readonly<Record<string, string>>;
}

/** A periodic job that writes nothing through the cache protocol (housekeeping). */
export interface RunnableAgent extends Agent {
  /** Does one round of the job; throwing counts as a failed run (error interval applies). */
  run(context: AgentRunContext): Promise<void>;
}

/** Whether `agent` is a {@link CachingAgent} (has `loadData` and `providedDataTypes`). */
export function isCachingAgent(agent: Agent): agent is CachingAgent {
  return typeof (agent as CachingAgent).loadData === 'function' && Array.isArray((agent as CachingAgent).providedDataTypes);
}

/** Whether `agent` is a {@link RunnableAgent} (has `run`). */
export function isRunnableAgent(agent: Agent): agent is RunnableAgent {
  return typeof (agent as RunnableAgent).run === 'function';
}
