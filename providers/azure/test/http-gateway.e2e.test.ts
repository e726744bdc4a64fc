import { describe, expect, it } from 'vitest';
import { REGION, RESOURCE_GROUP, SUBSCRIPTION } from '../src/test-support/azure-fixture.js';
import { azureServerE2e } from '../src/test-support/azure-server-e2e.js';

/**
 * The Application Gateway path and the operations that had only provider-level tests, through the
 * real server process as Orca drives it: `POST /azure/ops`, then `GET /task/{id}` until completed.
 * The fake Resource Manager answers over HTTPS with the real long-running-operation protocol.
 */

const NET = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RESOURCE_GROUP}/providers/Microsoft.Network`;
const AGW_ID = `${NET}/applicationGateways/shop-gw`;

const e2e = azureServerE2e({
  tempPrefix: 'stratus-azure-gw-e2e-',
  opDefaults: { cloudProvider: 'azure', credentials: 'prod', region: REGION },
  seed(fake) {
    fake.cloud.put(SUBSCRIPTION, RESOURCE_GROUP, 'virtualNetworks', {
      name: 'shop-vnet',
      location: REGION,
      properties: {
        addressSpace: { addressPrefixes: ['10.0.0.0/16'] },
        subnets: [
          { name: 'gw', properties: { addressPrefix: '10.0.2.0/24' } },
          { name: 'web', properties: { addressPrefix: '10.0.1.0/24' } },
        ],
      },
    });
  },
});
const { call, get, until, runOp } = e2e;

const serverGroup = (name: string) => get(`/serverGroups/prod/${REGION}/${name}`).then((r) => r.body);
const routedPools = () =>
  (e2e.fake.cloud.get(AGW_ID)!.properties.requestRoutingRules as { properties: { backendAddressPool: { id: string } } }[]).map((r) =>
    r.properties.backendAddressPool.id.split('/').pop(),
  );

describe('Azure Application Gateway and the remaining operations through /azure/ops', () => {
  it('creates a gateway, deploys and clones behind it, moves traffic with disable/enable, terminates an instance, then tears everything down', async () => {
    await runOp('upsertLoadBalancer', {
      loadBalancerName: 'shop-gw',
      loadBalancerType: 'Azure Application Gateway',
      appName: 'shop',
      vnet: 'shop-vnet',
      subnet: 'gw',
      probes: [{ probeName: 'alive', probeProtocol: 'HTTP', probePath: '/alive', probeInterval: 20, unhealthyThreshold: 4, timeout: 10 }],
      loadBalancingRules: [{ ruleName: 'web', protocol: 'HTTP', externalPort: 80, backendPort: 8080, probeName: 'alive' }],
    });
    const gateway = await get(`/azure/loadBalancers/prod/${REGION}/shop-gw`);
    expect(gateway.body).toEqual([
      expect.objectContaining({
        loadBalancerName: 'shop-gw',
        loadBalancerType: 'Azure Application Gateway',
        probes: [expect.objectContaining({ probeName: 'alive', probePath: '/alive' })],
      }),
    ]);

    const deployment = {
      application: 'shop',
      stack: 'gw',
      image: { publisher: 'Canonical', offer: 'ubuntu-24_04-lts', sku: 'server', version: 'latest', isCustom: false },
      sku: { name: 'Standard_B1s', tier: 'Standard', capacity: 2 },
      osConfig: { adminUserName: 'spinnaker', adminPassword: 'S3cret!pass' },
      loadBalancerName: 'shop-gw',
      loadBalancerType: 'Azure Application Gateway',
      vnet: 'shop-vnet',
      subnet: 'web',
    };
    const deployed = await runOp('createServerGroup', deployment);
    expect(JSON.stringify(deployed.resultObjects)).toContain(`${REGION}:shop-gw-v000`);
    expect(routedPools()).toEqual(['shop-gw-v000']);
    expect(await serverGroup('shop-gw-v000')).toMatchObject({ disabled: false, appGatewayName: 'shop-gw', instanceCounts: { total: 2 } });

    const cloned = await runOp('cloneServerGroup', { source: { account: 'prod', region: REGION, serverGroupName: 'shop-gw-v000' }, sku: { capacity: 1 } });
    expect(JSON.stringify(cloned.resultObjects)).toContain(`${REGION}:shop-gw-v001`);
    // A new group behind the gateway takes its traffic, as Clouddriver's deploy does.
    expect(routedPools()).toEqual(['shop-gw-v001']);
    expect(await serverGroup('shop-gw-v001')).toMatchObject({ disabled: false, capacity: { desired: 1 }, appGatewayName: 'shop-gw' });
    expect((await serverGroup('shop-gw-v000')).disabled).toBe(true);

    await runOp('enableServerGroup', { serverGroupName: 'shop-gw-v000' });
    expect(routedPools()).toEqual(['shop-gw-v000']);
    expect((await serverGroup('shop-gw-v000')).disabled).toBe(false);
    await runOp('disableServerGroup', { serverGroupName: 'shop-gw-v001' });
    expect((await serverGroup('shop-gw-v001')).disabled).toBe(true);

    const instances: { name: string }[] = (await serverGroup('shop-gw-v000')).instances;
    expect(instances).toHaveLength(2);
    const terminated = await runOp('terminateInstances', { instanceIds: [instances[0]!.name] });
    expect(JSON.stringify(terminated.history)).toContain(instances[0]!.name);
    const after = await until(
      'the terminated instance gone',
      () => serverGroup('shop-gw-v000'),
      (g) => g.instances.length === 1,
    );
    expect(after.instances.map((i: { name: string }) => i.name)).not.toContain(instances[0]!.name);

    // A gateway with server groups behind it is not deleted.
    await runOp('deleteLoadBalancer', { loadBalancerName: 'shop-gw', loadBalancerType: 'Azure Application Gateway' }, true);
    for (const name of ['shop-gw-v000', 'shop-gw-v001']) await runOp('destroyServerGroup', { serverGroupName: name });
    expect((await get('/applications/shop/serverGroups')).body).toEqual([]);
    await runOp('deleteLoadBalancer', { loadBalancerName: 'shop-gw', loadBalancerType: 'Azure Application Gateway' });
    expect((await get(`/azure/loadBalancers/prod/${REGION}/shop-gw`)).status).toBe(404);
    expect(e2e.fake.cloud.list(SUBSCRIPTION, 'applicationGateways')).toEqual([]);
  });

  it('deletes a network security group through /azure/ops, and answers a bad request with 400 naming the field', async () => {
    await runOp('upsertSecurityGroup', {
      securityGroupName: 'tmp-nsg',
      securityRules: [
        { name: 'ssh', priority: 100, protocol: 'Tcp', access: 'Allow', direction: 'Inbound', sourceAddressPrefix: '10.0.0.0/8', destinationPortRange: '22' },
      ],
    });
    expect((await get(`/securityGroups/prod/azure/${REGION}/tmp-nsg`)).status).toBe(200);
    await runOp('deleteSecurityGroup', { securityGroupName: 'tmp-nsg' });
    expect((await get(`/securityGroups/prod/azure/${REGION}/tmp-nsg`)).status).toBe(404);
    const bad = await call('POST', '/azure/ops', [{ deleteSecurityGroup: { cloudProvider: 'azure', credentials: 'prod', region: REGION } }]);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('securityGroupName');
  });
});
