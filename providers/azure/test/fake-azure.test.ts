import { ComputeManagementClient } from '@azure/arm-compute';
import { NetworkManagementClient } from '@azure/arm-network';
import type { FakeAzureServer } from '@stratus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticTokenCredential } from '../src/accounts/azure-clients.js';
import { azureErrorStatus } from '../src/azure-errors.js';
import { REGION, RESOURCE_GROUP, scaleSetBody, startFakeAzure, SUBSCRIPTION } from '../src/test-support/azure-fixture.js';

/** The fake Resource Manager speaks what the official SDKs expect: checked with the SDKs themselves. */
let server: FakeAzureServer;
const client = <T>(Make: new (c: never, s: string, o: object) => T, token = 'fake-token', subscription = SUBSCRIPTION) =>
  new Make(staticTokenCredential(token) as never, subscription, { endpoint: server.endpoint, tlsOptions: { ca: server.ca }, retryOptions: { maxRetries: 0 } });
const lro = { updateIntervalInMs: 5 };

beforeAll(async () => {
  server = await startFakeAzure({ pageSize: 2 });
});
afterAll(async () => {
  await server?.close();
});

describe('FakeAzureServer with @azure/arm-compute and @azure/arm-network', () => {
  it('answers 401 to a wrong token and 404 RestErrors for missing subscriptions, resource groups and resources', async () => {
    await expect(client(ComputeManagementClient, 'wrong').virtualMachineScaleSets.listAll().next()).rejects.toMatchObject({ statusCode: 401 });
    await expect(client(ComputeManagementClient, 'fake-token', 'sub-x').virtualMachineScaleSets.listAll().next()).rejects.toMatchObject({
      statusCode: 404,
      code: 'SubscriptionNotFound',
    });
    const compute = client(ComputeManagementClient);
    const missing = await compute.virtualMachineScaleSets.get(RESOURCE_GROUP, 'nope-v000').catch((e: unknown) => e);
    expect(azureErrorStatus(missing)).toBe(404);
    await expect(
      compute.virtualMachineScaleSets.beginCreateOrUpdateAndWait('no-such-rg', 'x-v000', { location: REGION, sku: { name: 'Standard_B1s', capacity: 1 } }, lro),
    ).rejects.toMatchObject({
      statusCode: 404,
      code: 'ResourceGroupNotFound',
    });
  });

  it('pages lists with nextLink and follows scale set capacity with VMs', async () => {
    for (let i = 0; i < 5; i++) server.cloud.put(SUBSCRIPTION, RESOURCE_GROUP, 'virtualMachineScaleSets', scaleSetBody(`page-v00${i}`, i === 0 ? 3 : 0));
    const compute = client(ComputeManagementClient);
    const pages: number[] = [];
    for await (const page of compute.virtualMachineScaleSets.listAll().byPage()) pages.push(page.length);
    expect(pages).toEqual([2, 2, 1]);
    const vms = [];
    for await (const vm of compute.virtualMachineScaleSetVMs.list(RESOURCE_GROUP, 'page-v000')) vms.push(vm);
    expect(vms.map((vm) => [vm.name, vm.instanceId])).toEqual([
      ['page-v000_0', '0'],
      ['page-v000_1', '1'],
      ['page-v000_2', '2'],
    ]);
    expect(vms[0]!.instanceView?.statuses?.map((s) => s.code)).toContain('PowerState/running');
    for (let i = 0; i < 5; i++) server.cloud.removeByName(SUBSCRIPTION, RESOURCE_GROUP, 'virtualMachineScaleSets', `page-v00${i}`);
  });

  it('runs long-running PUT, PATCH, POST and DELETE to completion through polling', async () => {
    const compute = client(ComputeManagementClient);
    const created = await compute.virtualMachineScaleSets.beginCreateOrUpdateAndWait(
      RESOURCE_GROUP,
      'lro-v000',
      { location: REGION, sku: { name: 'Standard_B1s', capacity: 2 } },
      lro,
    );
    expect(created).toMatchObject({ name: 'lro-v000', provisioningState: 'Succeeded', sku: { capacity: 2 } });
    const resized = await compute.virtualMachineScaleSets.beginUpdateAndWait(RESOURCE_GROUP, 'lro-v000', { sku: { capacity: 4 } }, lro);
    expect(resized.sku).toEqual({ name: 'Standard_B1s', capacity: 4 });
    await compute.virtualMachineScaleSets.beginDeleteInstancesAndWait(RESOURCE_GROUP, 'lro-v000', { instanceIds: ['1', '3'] }, lro);
    expect(
      server.cloud.scaleSetVms(server.cloud.resourceId(SUBSCRIPTION, RESOURCE_GROUP, 'virtualMachineScaleSets', 'lro-v000')).map((vm) => vm.instanceId),
    ).toEqual(['0', '2']);
    await compute.virtualMachineScaleSets.beginDeleteAndWait(RESOURCE_GROUP, 'lro-v000', lro);
    expect(server.cloud.list(SUBSCRIPTION, 'virtualMachineScaleSets')).toEqual([]);
    // Every one of them was polled (one InProgress answer) before finishing.
    expect(server.requests.filter((r) => r.path.startsWith('/fake-operation')).length).toBeGreaterThanOrEqual(8);
  });

  it('fails a long-running operation with the cloud error and leaves a failed create in provisioning state Failed', async () => {
    const network = client(NetworkManagementClient);
    server.cloud.failNext({
      idIncludes: 'networkSecurityGroups/bad-nsg',
      code: 'SecurityRuleConflict',
      message: 'Security rule conflicts with rule allow-all.',
    });
    await expect(network.networkSecurityGroups.beginCreateOrUpdateAndWait(RESOURCE_GROUP, 'bad-nsg', { location: REGION }, lro)).rejects.toThrow(
      /Security rule conflicts with rule allow-all\./,
    );
    expect((await network.networkSecurityGroups.get(RESOURCE_GROUP, 'bad-nsg')).provisioningState).toBe('Failed');
    server.cloud.removeByName(SUBSCRIPTION, RESOURCE_GROUP, 'networkSecurityGroups', 'bad-nsg');
  });
});
