import type { FakeAzureServer } from '@stratus/testing';
import { isCachingAgent, type CachingAgent } from '@stratus/plugin-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAzureHost, REGION, RESOURCE_GROUP, scaleSetBody, startFakeAzure, SUBSCRIPTION } from '../test-support/azure-fixture.js';

/**
 * Every Azure caching agent passes its run's abort signal to the SDK: with 16 resources of its kind
 * and list pages of 2 (so a full run makes several paged calls), a run aborted part-way through
 * makes fewer calls than a full one and none once the calls already on the wire have landed.
 */

let server: FakeAzureServer;
const SLOW_MS = 150;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const seeds: Record<string, (i: number) => void> = {
  AzureServerGroupCachingAgent: (i) =>
    void server.cloud.put(SUBSCRIPTION, RESOURCE_GROUP, 'virtualMachineScaleSets', scaleSetBody(`slow-app-v${String(i).padStart(3, '0')}`, 1)),
  AzureLoadBalancerCachingAgent: (i) =>
    void server.cloud.put(SUBSCRIPTION, RESOURCE_GROUP, 'loadBalancers', {
      name: `slow-lb-${i}`,
      location: REGION,
      properties: { backendAddressPools: [], loadBalancingRules: [] },
    }),
  AzureSecurityGroupCachingAgent: (i) =>
    void server.cloud.put(SUBSCRIPTION, RESOURCE_GROUP, 'networkSecurityGroups', {
      name: `slow-nsg-${i}`,
      location: REGION,
      properties: { securityRules: [] },
    }),
  AzureNetworkCachingAgent: (i) =>
    void server.cloud.put(SUBSCRIPTION, RESOURCE_GROUP, 'virtualNetworks', {
      name: `slow-vnet-${i}`,
      location: REGION,
      properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16'] }, subnets: [] },
    }),
  AzureCustomImageCachingAgent: (i) =>
    void server.cloud.put(SUBSCRIPTION, RESOURCE_GROUP, 'images', {
      name: `slow-image-${i}`,
      location: REGION,
      properties: { storageProfile: { osDisk: { osType: 'Linux', osState: 'Generalized' } } },
    }),
};

beforeAll(async () => {
  server = await startFakeAzure();
  for (const seed of Object.values(seeds)) for (let i = 0; i < 16; i++) seed(i);
});
afterAll(async () => {
  await server?.close();
});

describe('Azure caching agents stop calling Azure when their run is aborted', () => {
  it.each(Object.keys(seeds))(
    '%s',
    async (agentName) => {
      server.beforeAnswer = undefined;
      const { host } = await createAzureHost(server);
      const agent = host.agents().find((a): a is CachingAgent => isCachingAgent(a) && a.agentType.endsWith(`/${agentName}`));
      expect(
        agent,
        `agents: ${host
          .agents()
          .map((a) => a.agentType)
          .join(', ')}`,
      ).toBeDefined();
      server.beforeAnswer = () => sleep(SLOW_MS);

      const before = server.requests.length;
      await agent!.loadData(host.providerCache('azure'), { signal: new AbortController().signal });
      const fullRun = server.requests.length - before;
      expect(fullRun).toBeGreaterThanOrEqual(4);

      const run = new AbortController();
      const start = server.requests.length;
      setTimeout(() => run.abort(new Error('agent run timed out')), SLOW_MS * 2.5);
      await expect(agent!.loadData(host.providerCache('azure'), { signal: run.signal })).rejects.toThrow();
      await sleep(SLOW_MS * 4);
      const settled = server.requests.length;
      await sleep(SLOW_MS * 6);
      expect(server.requests.length).toBe(settled);
      expect(settled - start).toBeLessThan(fullRun);
    },
    60_000,
  );
});
