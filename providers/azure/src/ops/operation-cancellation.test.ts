import { expect, it } from 'vitest';
import { REGION, RESOURCE_GROUP, scaleSetBody, SUBSCRIPTION } from '../test-support/azure-fixture.js';
import { azureOpsHarness, putShopNetwork, SHOP_DEPLOYMENT } from '../test-support/azure-ops-harness.js';

/**
 * An operation whose task is cancelled (its signal aborted, as when the task times out or the server
 * drains) stops calling Azure: every lookup, mutation and long-running-operation poll gets the
 * operation's signal. The fake holds each answer back a little, as a slow cloud would; requests on
 * the wire when the signal fires may still land, and after that nothing may.
 */

const azure = azureOpsHarness({
  reset: (server) => (server.beforeAnswer = undefined),
  clear: ['virtualMachineScaleSets', 'loadBalancers', 'networkSecurityGroups', 'virtualNetworks'],
  seed: putShopNetwork,
});
const SLOW_MS = 150;

const deployInput = SHOP_DEPLOYMENT;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `name` with a signal aborted after `abortAfterMs`; returns the requests that reached the fake after the start and whether it rejected. */
async function cancelled(name: string, input: Record<string, unknown>, abortAfterMs: number): Promise<{ calls: number; rejected: unknown }> {
  const start = azure.server.requests.length;
  const run = new AbortController();
  setTimeout(() => run.abort(new Error('task cancelled')), abortAfterMs);
  const rejected = await azure.host.runOperation(name, input, run.signal).then(
    () => undefined,
    (error: unknown) => error,
  );
  await sleep(SLOW_MS * 4);
  const settled = azure.server.requests.length;
  await sleep(SLOW_MS * 6);
  expect(azure.server.requests.length, `requests after ${name} was cancelled and settled`).toBe(settled);
  return { calls: settled - start, rejected };
}

it('a cancelled createServerGroup stops before creating the scale set and calls Azure no more', async () => {
  azure.server.beforeAnswer = () => sleep(SLOW_MS);
  const before = azure.server.requests.length;
  const full = await azure.host.runOperation('createServerGroup', deployInput);
  expect(full.errors).toEqual([]);
  const fullRun = azure.server.requests.length - before;
  expect(azure.server.cloud.list(SUBSCRIPTION, 'virtualMachineScaleSets').map((r) => r.name)).toEqual(['shop-web-v000']);

  const { calls, rejected } = await cancelled('createServerGroup', deployInput, SLOW_MS * 2.5);
  expect(rejected).toBeDefined();
  expect(calls).toBeLessThan(fullRun);
  expect(azure.server.cloud.list(SUBSCRIPTION, 'virtualMachineScaleSets').map((r) => r.name)).toEqual(['shop-web-v000']);
  expect(azure.server.requests.slice(-calls).filter((r) => r.method === 'PUT' && r.path.includes('/virtualMachineScaleSets/'))).toEqual([]);
}, 60_000);

it('a cancelled destroyServerGroup stops polling and calling Azure', async () => {
  for (const name of ['shop-web-v001', 'shop-web-v002']) azure.server.cloud.put(SUBSCRIPTION, RESOURCE_GROUP, 'virtualMachineScaleSets', scaleSetBody(name, 1));
  azure.server.beforeAnswer = () => sleep(SLOW_MS);
  const target = { credentials: 'prod', region: REGION, serverGroupName: 'shop-web-v001' };
  const before = azure.server.requests.length;
  expect((await azure.host.runOperation('destroyServerGroup', target)).errors).toEqual([]);
  const fullRun = azure.server.requests.length - before;

  const { calls, rejected } = await cancelled('destroyServerGroup', { ...target, serverGroupName: 'shop-web-v002' }, SLOW_MS * 1.5);
  expect(rejected).toBeDefined();
  expect(calls).toBeLessThan(fullRun);
  expect(azure.server.cloud.list(SUBSCRIPTION, 'virtualMachineScaleSets').map((r) => r.name)).toEqual(['shop-web-v002']);
}, 60_000);
