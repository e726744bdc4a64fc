import type { FakeAzureServer } from '@stratus/testing';
import { isCachingAgent, type CachingAgent } from '@stratus/plugin-api';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAzureHost, RESOURCE_GROUP, scaleSetBody, startFakeAzure, SUBSCRIPTION } from '../test-support/azure-fixture.js';

/**
 * A run the scheduler gave up on (its signal aborted) stops calling Azure: the agents pass the run's
 * signal to every SDK call. The fake holds each request a little, as a slow cloud would, and counts
 * the requests that reach it.
 */

let server: FakeAzureServer;

beforeAll(async () => {
  server = await startFakeAzure();
});
afterAll(async () => {
  await server?.close();
});

it('an aborted server group run stops listing scale set VMs', async () => {
  for (let i = 0; i < 16; i++)
    server.cloud.put(SUBSCRIPTION, RESOURCE_GROUP, 'virtualMachineScaleSets', scaleSetBody(`slow-app-v${String(i).padStart(3, '0')}`, 1));
  const { host } = await createAzureHost(server);
  const agent = host.agents().find((a): a is CachingAgent => isCachingAgent(a) && a.agentType.endsWith('AzureServerGroupCachingAgent'));
  expect(
    agent,
    `agents: ${host
      .agents()
      .map((a) => a.agentType)
      .join(', ')}`,
  ).toBeDefined();
  server.beforeAnswer = () => new Promise((resolve) => setTimeout(resolve, 200));
  const vmLists = () => server.requests.filter((r) => r.path.endsWith('/virtualMachines')).length;

  const before = vmLists();
  await agent!.loadData(host.providerCache('azure'), { signal: new AbortController().signal });
  const fullRun = vmLists() - before;
  expect(fullRun).toBe(16);

  const run = new AbortController();
  const start = vmLists();
  setTimeout(() => run.abort(new Error('agent run timed out')), 300);
  await expect(agent!.loadData(host.providerCache('azure'), { signal: run.signal })).rejects.toThrow();
  // Requests already on the wire when the run was aborted may still arrive; after that, nothing.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const settled = vmLists();
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(vmLists()).toBe(settled);
  expect(settled - start).toBeLessThan(fullRun);
}, 60_000);
