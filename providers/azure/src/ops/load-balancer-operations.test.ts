import { describe, expect, it } from 'vitest';
import { REGION, RESOURCE_GROUP, scaleSetBody, SUBSCRIPTION } from '../test-support/azure-fixture.js';
import { azureOpsHarness, putShopVnet } from '../test-support/azure-ops-harness.js';

const azure = azureOpsHarness({
  clear: ['virtualMachineScaleSets', 'loadBalancers', 'applicationGateways', 'publicIPAddresses', 'virtualNetworks'],
  seed: (cloud) => putShopVnet(cloud, { gw: '10.0.9.0/24' }),
});
const NET = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RESOURCE_GROUP}/providers/Microsoft.Network`;
const details = async (name: string) => (await azure.host.readModels.loadBalancers!.getDetails('prod', REGION, name))[0] as Record<string, any> | undefined;

const lb = {
  credentials: 'prod',
  region: REGION,
  loadBalancerName: 'shop-web-lb',
  loadBalancerType: 'Azure Load Balancer',
  appName: 'shop',
  probes: [{ probeName: 'health', probeProtocol: 'HTTP', probePort: 8080, probePath: '/health', probeInterval: 10, unhealthyThreshold: 3 }],
  loadBalancingRules: [
    { ruleName: 'http', protocol: 'TCP', externalPort: 80, backendPort: 8080, probeName: 'health', persistence: 'Client IP', idleTimeout: 5 },
  ],
};

describe('Azure upsertLoadBalancer / deleteLoadBalancer against the fake Resource Manager', () => {
  it('creates a public L4 load balancer, updates its rules keeping the pools, refuses to delete it with a server group behind, then deletes it', async () => {
    const created = await azure.host.runOperation('upsertLoadBalancer', lb);
    expect(created.errors).toEqual([]);
    expect(created.result).toEqual({ loadBalancers: { [REGION]: { name: 'shop-web-lb' } } });
    expect(created.history.map((h) => h.status)).toContain(
      `Creating load balancer shop-web-lb with 1 rule(s) and 1 probe(s) in resource group ${RESOURCE_GROUP}`,
    );
    const live = azure.server.cloud.get(`${NET}/loadBalancers/shop-web-lb`)!;
    expect(live.properties.provisioningState).toBe('Succeeded');
    expect(live.properties.frontendIPConfigurations[0].properties.publicIPAddress.id).toBe(`${NET}/publicIPAddresses/shop-web-lb-pip`);
    expect(azure.server.cloud.get(`${NET}/publicIPAddresses/shop-web-lb-pip`)).toBeDefined();
    expect(live.properties.loadBalancingRules[0].properties).toMatchObject({
      protocol: 'Tcp',
      frontendPort: 80,
      backendPort: 8080,
      loadDistribution: 'SourceIP',
      idleTimeoutInMinutes: 5,
      backendAddressPool: { id: `${NET}/loadBalancers/shop-web-lb/backendAddressPools/default_LB_BAP` },
    });
    expect(await details('shop-web-lb')).toMatchObject({
      loadBalancerType: 'Azure Load Balancer',
      backendPools: ['default_LB_BAP'],
      loadBalancingRules: [{ ruleName: 'http', protocol: 'Tcp', externalPort: 80, backendPort: 8080, probeName: 'health' }],
      probes: [{ probeName: 'health', probeProtocol: 'Http', probePort: 8080, probePath: '/health', probeInterval: 10, unhealthyThreshold: 3 }],
    });

    // A server group's own pool, as deploys add it; the update keeps it and the rule's choice of pool.
    const lbId = `${NET}/loadBalancers/shop-web-lb`;
    azure.server.cloud.patch(lbId, { properties: { backendAddressPools: [...live.properties.backendAddressPools, { name: 'shop-web-v001' }] } });
    const rules = azure.server.cloud.get(lbId)!.properties.loadBalancingRules;
    rules[0].properties.backendAddressPool.id = `${lbId}/backendAddressPools/shop-web-v001`;
    const updated = await azure.host.runOperation('upsertLoadBalancer', {
      ...lb,
      loadBalancingRules: [...lb.loadBalancingRules, { ruleName: 'https', externalPort: 443, backendPort: 8443 }],
    });
    expect(updated.history.map((h) => h.status)).toContain(
      `Updating load balancer shop-web-lb with 2 rule(s) and 1 probe(s) in resource group ${RESOURCE_GROUP}`,
    );
    expect((await details('shop-web-lb'))!.loadBalancingRules.map((r: any) => [r.ruleName, r.backendAddressPool])).toEqual([
      ['http', 'shop-web-v001'],
      ['https', 'default_LB_BAP'],
    ]);
    expect((await details('shop-web-lb'))!.backendPools).toEqual(['default_LB_BAP', 'shop-web-v001']);

    azure.server.cloud.put(
      SUBSCRIPTION,
      RESOURCE_GROUP,
      'virtualMachineScaleSets',
      scaleSetBody('shop-web-v001', 1, { pools: [`${lbId}/backendAddressPools/shop-web-v001`] }),
    );
    await expect(azure.host.runOperation('deleteLoadBalancer', { credentials: 'prod', region: REGION, loadBalancerName: 'shop-web-lb' })).rejects.toThrow(
      'server group(s) shop-web-v001 are still behind it',
    );
    azure.server.cloud.removeByName(SUBSCRIPTION, RESOURCE_GROUP, 'virtualMachineScaleSets', 'shop-web-v001');

    const deleted = await azure.host.runOperation('deleteLoadBalancer', {
      credentials: 'prod',
      region: REGION,
      loadBalancerName: 'shop-web-lb',
      loadBalancerType: 'Azure Load Balancer',
    });
    expect(deleted.history.map((h) => h.status)).toEqual(
      expect.arrayContaining(['Deleting load balancer shop-web-lb', 'Deleting public IP shop-web-lb-pip', 'Deleted load balancer shop-web-lb']),
    );
    expect(azure.server.cloud.get(lbId)).toBeUndefined();
    expect(azure.server.cloud.get(`${NET}/publicIPAddresses/shop-web-lb-pip`)).toBeUndefined();
    expect(await details('shop-web-lb')).toBeUndefined();
    const again = await azure.host.runOperation('deleteLoadBalancer', { credentials: 'prod', region: REGION, loadBalancerName: 'shop-web-lb' });
    expect(again.history.map((h) => h.status)).toContain('Load balancer shop-web-lb does not exist; nothing to delete');
  });

  it('creates an application gateway in a subnet with listeners, settings and routing rules, and deletes it', async () => {
    const gw = {
      credentials: 'prod',
      region: REGION,
      loadBalancerName: 'shop-gw',
      loadBalancerType: 'Azure Application Gateway',
      vnet: 'shop-vnet',
      subnet: 'gw',
      probes: [{ probeName: 'alive', probeProtocol: 'HTTP', probePath: '/alive', probeInterval: 20, unhealthyThreshold: 4, timeout: 10 }],
      loadBalancingRules: [{ ruleName: 'web', protocol: 'HTTP', externalPort: 80, backendPort: 8080, probeName: 'alive' }],
    };
    const created = await azure.host.runOperation('upsertLoadBalancer', gw);
    expect(created.errors).toEqual([]);
    const live = azure.server.cloud.get(`${NET}/applicationGateways/shop-gw`)!.properties;
    expect(live.gatewayIPConfigurations[0].properties.subnet.id).toMatch(/virtualNetworks\/shop-vnet\/subnets\/gw$/i);
    expect(live.requestRoutingRules[0].properties).toMatchObject({
      ruleType: 'Basic',
      httpListener: { id: `${NET}/applicationGateways/shop-gw/httpListeners/web-listener` },
      backendAddressPool: { id: `${NET}/applicationGateways/shop-gw/backendAddressPools/default_LB_BAP` },
    });
    expect(live.backendHttpSettingsCollection[0].properties).toMatchObject({
      port: 8080,
      protocol: 'Http',
      probe: { id: `${NET}/applicationGateways/shop-gw/probes/alive` },
    });
    expect(await details('shop-gw')).toMatchObject({
      loadBalancerType: 'Azure Application Gateway',
      backendPools: ['default_LB_BAP'],
      loadBalancingRules: [{ ruleName: 'web', backendAddressPool: 'default_LB_BAP' }],
      probes: [{ probeName: 'alive', probePath: '/alive' }],
    });
    const deleted = await azure.host.runOperation('deleteLoadBalancer', { credentials: 'prod', region: REGION, loadBalancerName: 'shop-gw' });
    expect(deleted.history.map((h) => h.status)).toContain('Deleted application gateway shop-gw');
    expect(await details('shop-gw')).toBeUndefined();
  });

  it('rejects malformed descriptions naming each bad field', async () => {
    const bad = await azure.host.runOperation('upsertLoadBalancer', {
      credentials: 'prod',
      region: 'westus',
      loadBalancerName: 'bad name',
      loadBalancerType: 'Classic',
      probes: [{ probeName: 'p', probeProtocol: 'ICMP', probePort: 0, probePath: 'health' }],
      loadBalancingRules: [
        { ruleName: 'r', protocol: 'SCTP', externalPort: 70000, backendPort: 80, probeName: 'nope', persistence: 'Sticky', idleTimeout: 99 },
      ],
    });
    expect(bad.errors.map((e) => e.field)).toEqual([
      'loadBalancerName',
      'region',
      'loadBalancerType',
      'probes[0].probeProtocol',
      'probes[0].probePort',
      'probes[0].probePath',
      'loadBalancingRules[0].protocol',
      'loadBalancingRules[0].externalPort',
      'loadBalancingRules[0].probeName',
      'loadBalancingRules[0].persistence',
      'loadBalancingRules[0].idleTimeout',
    ]);
    const gateway = await azure.host.runOperation('upsertLoadBalancer', {
      credentials: 'prod',
      region: REGION,
      loadBalancerName: 'gw',
      loadBalancerType: 'Azure Application Gateway',
    });
    expect(gateway.errors.map((e) => e.field)).toEqual(['vnet', 'subnet', 'loadBalancingRules']);
    expect((await azure.host.runOperation('deleteLoadBalancer', { region: REGION })).errors.map((e) => e.field)).toEqual(['credentials', 'loadBalancerName']);
  });
});
