import type { OnDemandAgent } from '@stratus/plugin-api';
import { expect } from 'vitest';
import type { ProviderTestHost } from './synthetic/provider-test-host.js';

/**
 * Checks the cloud providers' caching tests share, on a host with a healthy account `prod` whose
 * application `shop` has the clusters `shop-batch` and `shop-web`.
 */

/** Runs every agent with the scheduler: only `failing`'s agents fail, and `prod` is cached anyway. */
export async function expectProdCachedBesideFailing(host: ProviderTestHost, failing: string): Promise<void> {
  const failure = await host.runAgentsWithScheduler(4).then(
    () => undefined,
    (e: Error) => e.message,
  );
  expect(failure).toMatch(new RegExp(`${failing}/`));
  expect(failure).not.toMatch(/prod\//);
  expect((await host.readModels.clusters!.getClusterNames('shop')).prod).toEqual(['shop-batch', 'shop-web']);
}

/** `agent` (prod's `agentName` in `region`) refreshes `cloudProvider`'s server groups there only. */
export async function expectServerGroupOnDemandScope(
  host: ProviderTestHost,
  agent: OnDemandAgent,
  where: { cloudProvider: string; agentName: string; region: string; otherRegion: string },
): Promise<void> {
  expect(agent.onDemandAgentType).toBe(`prod/${where.region}/${where.agentName}-OnDemand`);
  expect(agent.handles('serverGroup', where.cloudProvider)).toBe(true);
  expect(agent.handles('ServerGroup', 'aws')).toBe(false);
  const cache = host.providerCache(where.cloudProvider);
  expect(await agent.handle(cache, { account: 'staging', region: where.region, serverGroupName: 'shop-web-v001' })).toBeUndefined();
  expect(await agent.handle(cache, { account: 'prod', region: where.otherRegion, serverGroupName: 'shop-web-v001' })).toBeUndefined();
}

/** After an on-demand refresh: the next run of `agent` stamps the record processed, the one after evicts it; `serverGroups` groups stay cached. */
export async function expectOnDemandRecordProcessedThenEvicted(
  host: ProviderTestHost,
  agent: OnDemandAgent,
  cloudProvider: string,
  serverGroups: number,
): Promise<void> {
  await host.runAgents((a) => a === (agent as unknown));
  expect((await host.pendingOnDemand('ServerGroup', cloudProvider))[0]!.processedCount).toBe(1);
  await new Promise((r) => setTimeout(r, 5));
  await host.runAgents((a) => a === (agent as unknown));
  expect(await host.pendingOnDemand('ServerGroup', cloudProvider)).toEqual([]);
  expect((await host.cache.getIdentifiers('serverGroups')).length).toBe(serverGroups);
}
