import type { CachingAgent } from '@stratus/plugin-api';

/**
 * The "changed since the run started" guard. An operation refreshes what it changed right away;
 * a scheduled run of the same agent that began reading the cloud before the operation would
 * otherwise write its older picture back over that refresh. Operations call
 * {@link markAgentChanged} before their own refresh; agents read through {@link readConsistently}
 * (or are wrapped by {@link withConsistentReads}), which reads again — at most three reads — while
 * a mark arrived during the read. In this process only; other nodes catch up on their next run.
 */
const changeCounts = new WeakMap<object, number>();

/** An operation changed what `agent` caches (its own refresh follows). */
export function markAgentChanged(agent: object): void {
  changeCounts.set(agent, (changeCounts.get(agent) ?? 0) + 1);
}

/** How many reads {@link readConsistently} makes at the most. */
export const MAX_CONSISTENT_READS = 3;

/** Runs `read`, again (up to {@link MAX_CONSISTENT_READS} times) while `agent` was marked changed during it. */
export async function readConsistently<T>(agent: object, read: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const before = changeCounts.get(agent) ?? 0;
    const result = await read();
    if ((changeCounts.get(agent) ?? 0) === before || attempt >= MAX_CONSISTENT_READS) return result;
  }
}

/** Wraps the instance's `loadData` in {@link readConsistently}, leaving the agent's own code alone. */
export function withConsistentReads<A extends CachingAgent>(agent: A): A {
  const read = agent.loadData.bind(agent);
  agent.loadData = (cache, context) => readConsistently(agent, () => read(cache, context));
  return agent;
}
