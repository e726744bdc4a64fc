import { describe, expect, it } from 'vitest';
import { REGION, RESOURCE_GROUP, SUBSCRIPTION } from '../test-support/azure-fixture.js';
import { azureOpsHarness, putShopNetwork, SHOP_DEPLOYMENT, SHOP_LB_ID as LB_ID } from '../test-support/azure-ops-harness.js';

const azure = azureOpsHarness({
  clear: ['virtualMachineScaleSets', 'loadBalancers', 'applicationGateways', 'networkSecurityGroups', 'virtualNetworks'],
  seed: putShopNetwork,
});

const deploy = (overrides: Record<string, unknown> = {}) =>
  azure.host.runOperation('createServerGroup', {
    type: 'createServerGroup',
    cloudProvider: 'azure',
    ...SHOP_DEPLOYMENT,
    ...overrides,
  });
const read = (name: string) => azure.host.readModels.clusters!.getServerGroup('prod', REGION, name);
const lbRules = () =>
  (azure.server.cloud.get(LB_ID)!.properties.loadBalancingRules as { properties: { backendAddressPool: { id: string } } }[]).map((r) =>
    r.properties.backendAddressPool.id.split('/').pop(),
  );
const sg = (name: string, extra: Record<string, unknown> = {}) => ({ credentials: 'prod', region: REGION, serverGroupName: name, ...extra });

describe('Azure operations against the fake Resource Manager', () => {
  it('registers every operation Orca sends for azure', () => {
    expect([...azure.host.operations.keys()].sort()).toEqual(
      [
        'cloneServerGroup',
        'createServerGroup',
        'deleteLoadBalancer',
        'deleteSecurityGroup',
        'destroyServerGroup',
        'disableServerGroup',
        'enableServerGroup',
        'resizeServerGroup',
        'terminateInstances',
        'upsertLoadBalancer',
        'upsertSecurityGroup',
      ].sort(),
    );
  });

  it('stops accepting operations for an account once it is removed', async () => {
    const op = { credentials: 'prod', region: REGION, securityGroupName: 'no-such-nsg' };
    const before = await azure.host.runOperation('deleteSecurityGroup', op);
    expect(before.history.map((h) => h.status)).toContain('Network security group no-such-nsg does not exist; nothing to delete');
    await azure.host.removeAccount('prod');
    const after = await azure.host.runOperation('deleteSecurityGroup', op);
    expect(after.errors).toEqual([{ field: 'credentials', code: 'invalid', message: "'prod' is not a configured Azure account" }]);
  });

  it('rejects malformed descriptions naming each bad field', async () => {
    const create = await azure.host.runOperation('createServerGroup', {
      credentials: 'nope',
      application: 'bad_app',
      stack: 'a-b',
      region: '',
      sku: { name: 'not a size', capacity: -1 },
      capacity: { min: 3, max: 1 },
      image: { publisher: 'Canonical' },
      vnet: 'only-vnet',
      loadBalancerType: 'Classic',
    });
    expect(create.errors.map((e) => e.field).sort()).toEqual(
      [
        'application',
        'capacity',
        'credentials',
        'image.offer',
        'image.sku',
        'loadBalancerType',
        'osConfig.adminUserName',
        'region',
        'sku.capacity',
        'sku.name',
        'stack',
        'subnet',
      ].sort(),
    );
    expect(create.history).toEqual([]);

    const resize = await azure.host.runOperation('resizeServerGroup', { credentials: 'prod', region: 'westus', capacity: { min: 0, max: 2, desired: 5 } });
    expect(resize.errors.map((e) => e.field).sort()).toEqual(['capacity', 'region', 'serverGroupName']);
    expect(resize.errors.find((e) => e.field === 'region')!.message).toMatch(/not configured for account 'prod'/);

    const terminate = await azure.host.runOperation('terminateInstances', { credentials: 'prod', region: REGION, instanceIds: ['shop-web-v000_1', 'i-123'] });
    expect(terminate.errors.map((e) => e.field)).toEqual(['instanceIds[1]']);

    const upsert = await azure.host.runOperation('upsertSecurityGroup', {
      credentials: 'prod',
      region: REGION,
      securityGroupName: 'shop-web-nsg',
      securityRules: [
        { name: 'http', priority: 100, protocol: 'tcp', destinationPortRange: '80' },
        { name: 'dup', priority: 100, protocol: 'gre', access: 'Maybe', destinationPortRange: 'eighty' },
      ],
    });
    expect(upsert.errors.map((e) => e.field).sort()).toEqual([
      'securityRules[1].access',
      'securityRules[1].destinationPortRange',
      'securityRules[1].priority',
      'securityRules[1].protocol',
    ]);
  });

  it('deploys the next vNNN behind the load balancer, then resizes, disables, enables, terminates and destroys — each visible when the task completes', async () => {
    const first = await deploy();
    expect(first.errors).toEqual([]);
    expect(first.result).toEqual({
      serverGroupNames: [`${REGION}:shop-web-v000`],
      serverGroupNameByRegion: { [REGION]: 'shop-web-v000' },
      deployedNames: ['shop-web-v000'],
      deployedNamesByLocation: { [REGION]: ['shop-web-v000'] },
      messages: [],
    });
    expect(first.history.map((h) => h.phase)).toContain('DEPLOY');
    expect(first.history.map((h) => h.status)).toContain('Creating scale set shop-web-v000 (Standard_B1s x 2)');
    expect(await read('shop-web-v000')).toMatchObject({
      disabled: false,
      capacity: { desired: 2 },
      instanceCounts: { total: 2, up: 2 },
      loadBalancers: ['shop-lb'],
      securityGroups: ['shop-web-nsg'],
      subnet: 'web',
      vnet: 'shop-vnet',
      resourceGroupName: RESOURCE_GROUP,
    });
    expect(lbRules()).toEqual(['shop-web-v000']);
    const vmss = azure.server.cloud.list(SUBSCRIPTION, 'virtualMachineScaleSets')[0]!;
    expect(vmss.tags).toMatchObject({ appName: 'shop', cluster: 'shop-web', stack: 'web', loadBalancerName: 'shop-lb' });

    // The next deploy takes the traffic; the previous group shows disabled at once.
    const second = await deploy({ sku: { name: 'Standard_B2s', capacity: 1 } });
    expect(second.result).toMatchObject({ serverGroupNames: [`${REGION}:shop-web-v001`] });
    expect(await read('shop-web-v001')).toMatchObject({ disabled: false, instanceType: 'Standard_B2s' });
    expect((await read('shop-web-v000'))!.disabled).toBe(true);

    const resize = await azure.host.runOperation('resizeServerGroup', sg('shop-web-v000', { capacity: { min: 0, max: 5, desired: 3 } }));
    expect(resize.errors).toEqual([]);
    expect(resize.history.map((h) => h.status)).toContain('Resizing shop-web-v000 from 2 to 3 instances');
    expect(await read('shop-web-v000')).toMatchObject({ capacity: { desired: 3 }, instanceCounts: { total: 3 } });

    await azure.host.runOperation('disableServerGroup', sg('shop-web-v001'));
    expect((await read('shop-web-v001'))!.disabled).toBe(true);
    expect(lbRules()).toEqual(['default_LB_BAP']);
    const enable = await azure.host.runOperation('enableServerGroup', sg('shop-web-v000'));
    expect(enable.history.map((h) => h.phase)).toContain('ENABLE_SERVER_GROUP');
    expect((await read('shop-web-v000'))!.disabled).toBe(false);
    expect(lbRules()).toEqual(['shop-web-v000']);

    const terminate = await azure.host.runOperation('terminateInstances', { credentials: 'prod', region: REGION, instanceIds: ['shop-web-v000_1'] });
    expect(terminate.errors).toEqual([]);
    const afterTerminate = (await read('shop-web-v000'))!;
    expect(afterTerminate.instances.map((i) => i.name).sort()).toEqual(['shop-web-v000_0', 'shop-web-v000_2']);
    expect(afterTerminate.capacity.desired).toBe(2);
    expect(await azure.host.readModels.instances!.getInstance('prod', REGION, 'shop-web-v000_1')).toBeUndefined();

    const destroy = await azure.host.runOperation('destroyServerGroup', sg('shop-web-v000'));
    expect(destroy.history.map((h) => h.status)).toEqual(
      expect.arrayContaining(['Deleting scale set shop-web-v000 in resource group shop-rg', 'Removing backend pool shop-web-v000 from load balancer shop-lb']),
    );
    expect(await read('shop-web-v000')).toBeUndefined();
    expect(await azure.host.readModels.instances!.getInstance('prod', REGION, 'shop-web-v000_0')).toBeUndefined();
    expect(await azure.host.readModels.clusters!.getClusterNames('shop')).toEqual({ prod: ['shop-web'] });
    expect(lbRules()).toEqual(['default_LB_BAP']);
    expect((azure.server.cloud.get(LB_ID)!.properties.backendAddressPools as { name: string }[]).map((p) => p.name).sort()).toEqual([
      'default_LB_BAP',
      'shop-web-v001',
    ]);
  });

  it('deploys behind an application gateway, and enable/disable/destroy repoint its request routing rules', async () => {
    const AGW_ID = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RESOURCE_GROUP}/providers/Microsoft.Network/applicationGateways/shop-agw`;
    azure.server.cloud.put(SUBSCRIPTION, RESOURCE_GROUP, 'applicationGateways', {
      name: 'shop-agw',
      properties: {
        backendAddressPools: [{ name: 'default_LB_BAP' }],
        requestRoutingRules: [{ name: 'web', properties: { ruleType: 'Basic', backendAddressPool: { id: `${AGW_ID}/backendAddressPools/default_LB_BAP` } } }],
      },
    });
    const routed = () =>
      (azure.server.cloud.get(AGW_ID)!.properties.requestRoutingRules as { properties: { backendAddressPool: { id: string } } }[]).map((r) =>
        r.properties.backendAddressPool.id.split('/').pop(),
      );
    const overrides = {
      stack: 'gw',
      loadBalancerName: 'shop-agw',
      loadBalancerType: 'Azure Application Gateway',
      securityGroupName: undefined,
      vnet: undefined,
      subnet: undefined,
    };
    const first = await deploy(overrides);
    expect(first.history.map((h) => h.status)).toContain('Adding backend pool shop-gw-v000 to application gateway shop-agw');
    const nic = (azure.server.cloud.list(SUBSCRIPTION, 'virtualMachineScaleSets')[0]!.properties.virtualMachineProfile as any).networkProfile
      .networkInterfaceConfigurations[0];
    expect(nic.properties.ipConfigurations[0].properties.applicationGatewayBackendAddressPools).toEqual([{ id: `${AGW_ID}/backendAddressPools/shop-gw-v000` }]);
    expect(routed()).toEqual(['shop-gw-v000']);
    expect(await read('shop-gw-v000')).toMatchObject({ disabled: false, loadBalancers: ['shop-agw'], appGatewayName: 'shop-agw' });

    await deploy(overrides);
    expect((await read('shop-gw-v000'))!.disabled).toBe(true);
    await azure.host.runOperation('disableServerGroup', sg('shop-gw-v001'));
    expect(routed()).toEqual(['default_LB_BAP']);
    expect((await read('shop-gw-v001'))!.disabled).toBe(true);
    await azure.host.runOperation('enableServerGroup', sg('shop-gw-v000'));
    expect((await read('shop-gw-v000'))!.disabled).toBe(false);
    await azure.host.runOperation('destroyServerGroup', sg('shop-gw-v000'));
    expect(routed()).toEqual(['default_LB_BAP']);
    expect((azure.server.cloud.get(AGW_ID)!.properties.backendAddressPools as { name: string }[]).map((p) => p.name).sort()).toEqual([
      'default_LB_BAP',
      'shop-gw-v001',
    ]);
    const [gateway] = (await azure.host.readModels.loadBalancers!.getApplicationLoadBalancers('shop')).filter((lb) => lb.name === 'shop-agw');
    expect(gateway).toMatchObject({ loadBalancerType: 'Azure Application Gateway', serverGroups: [{ name: 'shop-gw-v001', isDisabled: true }] });
    azure.server.cloud.removeByName(SUBSCRIPTION, RESOURCE_GROUP, 'applicationGateways', 'shop-agw');
  });

  it('does not let a scheduled run that read the cloud before a destroy write the destroyed group back', async () => {
    await deploy();
    expect(await read('shop-web-v000')).toBeDefined();
    // Hold the scheduled run's load balancer list: by then it has listed the scale sets, v000 included.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let reached!: () => void;
    const holding = new Promise<void>((resolve) => (reached = resolve));
    let first = true;
    azure.server.beforeAnswer = async ({ method, path }) => {
      if (first && method === 'GET' && path.endsWith('/providers/Microsoft.Network/loadBalancers')) {
        first = false;
        reached();
        await held;
      }
    };
    try {
      const scheduled = azure.host.runAgents((a) => a.agentType === `prod/${REGION}/AzureServerGroupCachingAgent`);
      await holding;
      await azure.host.runOperation('destroyServerGroup', sg('shop-web-v000'));
      expect(await read('shop-web-v000')).toBeUndefined();
      release();
      await scheduled;
    } finally {
      azure.server.beforeAnswer = undefined;
      release();
    }
    // The run saw the operation's change happen while it read, read again, and wrote what is there now.
    expect(await read('shop-web-v000')).toBeUndefined();
    expect(await azure.host.cache.getIdentifiers('instances')).toEqual([]);
  });

  it('clones a server group into the next vNNN, taking what the description leaves out from the source', async () => {
    await deploy({ stack: 'api', freeFormDetails: 'blue', instanceTags: { team: 'checkout' } });
    const clone = await azure.host.runOperation('cloneServerGroup', {
      credentials: 'prod',
      source: { account: 'prod', region: REGION, serverGroupName: 'shop-api-blue-v000' },
      sku: { capacity: 1 },
    });
    expect(clone.errors).toEqual([]);
    expect(clone.result).toMatchObject({ serverGroupNames: [`${REGION}:shop-api-blue-v001`] });
    expect(await read('shop-api-blue-v001')).toMatchObject({
      capacity: { desired: 1 },
      instanceType: 'Standard_B1s',
      image: { publisher: 'Canonical', offer: 'ubuntu-24_04-lts' },
      loadBalancers: ['shop-lb'],
      securityGroups: ['shop-web-nsg'],
      subnet: 'web',
      tags: { team: 'checkout', cluster: 'shop-api-blue', detail: 'blue' },
      disabled: false,
    });
  });

  it('turns a failed long-running operation (Azure-AsyncOperation or Location) into a failed task carrying the cloud message', async () => {
    azure.server.cloud.failNext({
      method: 'PUT',
      idIncludes: '/virtualMachineScaleSets/shop-web-v000',
      code: 'QuotaExceeded',
      message: 'Operation could not be completed as it results in exceeding approved standardBSFamily Cores quota.',
    });
    await expect(deploy()).rejects.toThrow(
      /Creating scale set shop-web-v000 failed: Operation could not be completed as it results in exceeding approved standardBSFamily Cores quota\. \(QuotaExceeded\)$/,
    );

    // A failed delete (answered through Location polling) fails the same way.
    azure.server.cloud.put(SUBSCRIPTION, RESOURCE_GROUP, 'virtualMachineScaleSets', {
      name: 'shop-db-v000',
      location: REGION,
      sku: { name: 'Standard_B1s', capacity: 1 },
      properties: {},
    });
    azure.server.cloud.failNext({ method: 'DELETE', idIncludes: 'shop-db-v000', code: 'Conflict', message: 'The scale set is locked by policy lock-db.' });
    await expect(azure.host.runOperation('destroyServerGroup', sg('shop-db-v000'))).rejects.toThrow(/Deleting shop-db-v000 failed: .*locked by policy lock-db/);
    expect(azure.server.cloud.list(SUBSCRIPTION, 'virtualMachineScaleSets').map((s) => s.name)).toContain('shop-db-v000');

    // A missing group fails before any change, naming it.
    await expect(azure.host.runOperation('resizeServerGroup', sg('shop-web-v999', { capacity: { desired: 1 } }))).rejects.toThrow(
      /Server group shop-web-v999 does not exist in eastus/,
    );
  });

  it('upserts and deletes network security groups, cached when the task completes', async () => {
    const upsert = await azure.host.runOperation('upsertSecurityGroup', {
      credentials: 'prod',
      region: REGION,
      securityGroupName: 'shop-api-nsg',
      appName: 'shop',
      securityRules: [
        {
          name: 'https',
          priority: 110,
          protocol: 'tcp',
          access: 'Allow',
          direction: 'Inbound',
          sourceAddressPrefix: '10.0.0.0/8',
          destinationPortRange: '443',
        },
      ],
    });
    expect(upsert.errors).toEqual([]);
    expect(upsert.history.map((h) => h.phase)).toContain('UPSERT_SECURITY_GROUP');
    expect(await azure.host.readModels.securityGroups!.get('prod', REGION, 'shop-api-nsg')).toMatchObject({
      name: 'shop-api-nsg',
      resourceGroup: RESOURCE_GROUP,
      inboundRules: [
        { protocol: 'tcp', access: 'Allow', priority: 110, portRanges: [{ startPort: 443, endPort: 443 }], range: { ip: '10.0.0.0', cidr: '/8' } },
      ],
    });

    const del = await azure.host.runOperation('deleteSecurityGroup', { credentials: 'prod', regions: [REGION], securityGroupName: 'shop-api-nsg' });
    expect(del.history.map((h) => h.status)).toContain('Deleted network security group shop-api-nsg');
    expect(await azure.host.readModels.securityGroups!.get('prod', REGION, 'shop-api-nsg')).toBeUndefined();
    expect(azure.server.cloud.list(SUBSCRIPTION, 'networkSecurityGroups').map((g) => g.name)).toEqual(['shop-web-nsg']);
  });
});
