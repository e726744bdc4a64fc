import type { FakeAzureServer, ProviderTestHost } from '@stratus/testing';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { createAzureHost, REGION, RESOURCE_GROUP, scaleSetBody, startFakeAzure, SUBSCRIPTION } from '../test-support/azure-fixture.js';

/**
 * An operation whose task is cancelled (its signal aborted, as when the task times out or the server
 * drains) stops calling Azure: every lookup, mutation and long-running-operation poll gets the
 * operation's signal. The fake holds each answer back a little, as a slow cloud would; requests on
 * the wire when the signal fires may still land, and after that nothing may.
 */

let server: FakeAzureServer;
let host: ProviderTestHost;
const LB_ID = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RESOURCE_GROUP}/providers/Microsoft.Network/loadBalancers/shop-lb`;
const SLOW_MS = 150;

const deployInput = {
  credentials: 'prod',
  application: 'shop',
  stack: 'web',
  region: REGION,
  image: { publisher: 'Canonical', offer: 'ubuntu-24_04-lts', sku: 'server', version: 'latest', isCustom: false },
  sku: { name: 'Standard_B1s', tier: 'Standard', capacity: 2 },
  osConfig: { adminUserName: 'spinnaker', adminPassword: 'S3cret!pass' },
  loadBalancerName: 'shop-lb',
  securityGroupName: 'shop-web-nsg',
  vnet: 'shop-vnet',
  subnet: 'web',
};
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `name` with a signal aborted after `abortAfterMs`; returns the requests that reached the fake after the start and whether it rejected. */
async function cancelled(name: string, input: Record<string, unknown>, abortAfterMs: number): Promise<{ calls: number; rejected: unknown }> {
  const start = server.requests.length;
  const run = new AbortController();
  setTimeout(() => run.abort(new Error('task cancelled')), abortAfterMs);
  const rejected = await host.runOperation(name, input, run.signal).then(
    () => undefined,
    (error: unknown) => error,
  );
  await sleep(SLOW_MS * 4);
  const settled = server.requests.length;
  await sleep(SLOW_MS * 6);
  expect(server.requests.length, `requests after ${name} was cancelled and settled`).toBe(settled);
  return { calls: settled - start, rejected };
}

beforeAll(async () => {
  server = await startFakeAzure();
});
afterAll(async () => {
  await server?.close();
});
beforeEach(async () => {
  server.beforeAnswer = undefined;
  const c = server.cloud;
  for (const type of ['virtualMachineScaleSets', 'loadBalancers', 'networkSecurityGroups', 'virtualNetworks'])
    for (const r of c.list(SUBSCRIPTION, type)) c.remove(r.id);
  c.put(SUBSCRIPTION, RESOURCE_GROUP, 'loadBalancers', {
    name: 'shop-lb',
    properties: {
      backendAddressPools: [{ name: 'default_LB_BAP' }],
      loadBalancingRules: [
        {
          name: 'http',
          properties: { protocol: 'Tcp', frontendPort: 80, backendPort: 8080, backendAddressPool: { id: `${LB_ID}/backendAddressPools/default_LB_BAP` } },
        },
      ],
    },
  });
  c.put(SUBSCRIPTION, RESOURCE_GROUP, 'networkSecurityGroups', { name: 'shop-web-nsg', properties: { securityRules: [] } });
  c.put(SUBSCRIPTION, RESOURCE_GROUP, 'virtualNetworks', {
    name: 'shop-vnet',
    properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16'] }, subnets: [{ name: 'web', properties: { addressPrefix: '10.0.1.0/24' } }] },
  });
  ({ host } = await createAzureHost(server));
});

it('a cancelled createServerGroup stops before creating the scale set and calls Azure no more', async () => {
  server.beforeAnswer = () => sleep(SLOW_MS);
  const before = server.requests.length;
  const full = await host.runOperation('createServerGroup', deployInput);
  expect(full.errors).toEqual([]);
  const fullRun = server.requests.length - before;
  expect(server.cloud.list(SUBSCRIPTION, 'virtualMachineScaleSets').map((r) => r.name)).toEqual(['shop-web-v000']);

  const { calls, rejected } = await cancelled('createServerGroup', deployInput, SLOW_MS * 2.5);
  expect(rejected).toBeDefined();
  expect(calls).toBeLessThan(fullRun);
  expect(server.cloud.list(SUBSCRIPTION, 'virtualMachineScaleSets').map((r) => r.name)).toEqual(['shop-web-v000']);
  expect(server.requests.slice(-calls).filter((r) => r.method === 'PUT' && r.path.includes('/virtualMachineScaleSets/'))).toEqual([]);
}, 60_000);

it('a cancelled destroyServerGroup stops polling and calling Azure', async () => {
  for (const name of ['shop-web-v001', 'shop-web-v002']) server.cloud.put(SUBSCRIPTION, RESOURCE_GROUP, 'virtualMachineScaleSets', scaleSetBody(name, 1));
  server.beforeAnswer = () => sleep(SLOW_MS);
  const target = { credentials: 'prod', region: REGION, serverGroupName: 'shop-web-v001' };
  const before = server.requests.length;
  expect((await host.runOperation('destroyServerGroup', target)).errors).toEqual([]);
  const fullRun = server.requests.length - before;

  const { calls, rejected } = await cancelled('destroyServerGroup', { ...target, serverGroupName: 'shop-web-v002' }, SLOW_MS * 1.5);
  expect(rejected).toBeDefined();
  expect(calls).toBeLessThan(fullRun);
  expect(server.cloud.list(SUBSCRIPTION, 'virtualMachineScaleSets').map((r) => r.name)).toEqual(['shop-web-v002']);
}, 60_000);
