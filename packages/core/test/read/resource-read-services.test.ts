import { describe, expect, it } from 'vitest';
import { MapReadModelRegistry } from '../../src/providers/read-model-registry.js';
import { InstanceReadService } from '../../src/read/instance-read-service.js';
import { LoadBalancerReadService } from '../../src/read/load-balancer-read-service.js';
import { SecurityGroupReadService } from '../../src/read/security-group-read-service.js';
import { OPEN_ACCESS } from '../../src/security/caller-access.js';
import { FakeInstanceModel, FakeLoadBalancerModel, FakeSecurityGroupModel, accessTo, instance, loadBalancer, securityGroup } from './fixtures.js';

describe('InstanceReadService', () => {
  const registry = new MapReadModelRegistry();
  registry.register(
    'aws',
    'instances',
    new FakeInstanceModel([
      { ...instance('i-1'), account: 'prod', region: 'us-east-1' },
      { ...instance('i-2'), account: 'secret', region: 'us-east-1' },
    ]),
  );
  const service = new InstanceReadService(registry);

  it('finds an instance and hides unreadable accounts', async () => {
    expect(await service.get(OPEN_ACCESS, 'prod', 'us-east-1', 'i-1')).toMatchObject({ name: 'i-1', healthState: 'Up' });
    expect(await service.get(OPEN_ACCESS, 'prod', 'us-west-2', 'i-1')).toBeUndefined();
    expect(await service.get(accessTo('prod'), 'secret', 'us-east-1', 'i-2')).toBeUndefined();
    expect(await service.get(OPEN_ACCESS, 'secret', 'us-east-1', 'i-2')).toBeDefined();
  });
});

describe('LoadBalancerReadService', () => {
  const registry = new MapReadModelRegistry();
  registry.register(
    'aws',
    'loadBalancers',
    new FakeLoadBalancerModel([
      loadBalancer('shop-frontend', 'prod', 'us-west-2', [
        { name: 'shop-v001', account: 'prod' },
        { name: 'shop-v002', account: 'secret' },
      ]),
      loadBalancer('shop-frontend', 'prod', 'us-east-1'),
      loadBalancer('shop-frontend', 'secret', 'us-east-1'),
      loadBalancer('shop-admin', 'secret', 'us-east-1'),
      loadBalancer('api-gw', 'prod', 'us-east-1'),
    ]),
  );
  registry.register('kubernetes', 'loadBalancers', new FakeLoadBalancerModel([loadBalancer('shop-svc', 'k8s', 'default', [], 'kubernetes')]));
  const service = new LoadBalancerReadService(registry);

  it('lists an application’s load balancers from every provider without unreadable accounts or their server groups', async () => {
    const all = await service.forApplication(OPEN_ACCESS, 'shop');
    expect(all.map((lb) => `${lb.name}/${lb.account}`).sort()).toEqual([
      'shop-admin/secret',
      'shop-frontend/prod',
      'shop-frontend/prod',
      'shop-frontend/secret',
      'shop-svc/k8s',
    ]);
    const limited = await service.forApplication(accessTo('prod'), 'shop');
    expect(limited.map((lb) => `${lb.name}/${lb.account}/${lb.region}`)).toEqual(['shop-frontend/prod/us-west-2', 'shop-frontend/prod/us-east-1']);
    expect(limited[0]!.serverGroups).toEqual([{ name: 'shop-v001', account: 'prod' }]);
  });

  it('groups a provider’s load balancers into name → accounts → regions', async () => {
    const items = await service.list(accessTo('prod'), 'aws');
    expect(items).toEqual([
      {
        name: 'api-gw',
        accounts: [
          {
            name: 'prod',
            regions: [{ name: 'us-east-1', loadBalancers: [{ name: 'api-gw', type: 'aws', cloudProvider: 'aws', account: 'prod', region: 'us-east-1' }] }],
          },
        ],
      },
      {
        name: 'shop-frontend',
        accounts: [
          {
            name: 'prod',
            regions: [
              { name: 'us-east-1', loadBalancers: [expect.objectContaining({ region: 'us-east-1' })] },
              { name: 'us-west-2', loadBalancers: [expect.objectContaining({ region: 'us-west-2' })] },
            ],
          },
        ],
      },
    ]);
    expect((await service.list(OPEN_ACCESS, 'aws')).find((item) => item.name === 'shop-frontend')!.accounts.map((a) => a.name)).toEqual(['prod', 'secret']);
    expect(await service.list(OPEN_ACCESS, 'gce')).toEqual([]);
    expect((await service.byName(OPEN_ACCESS, 'kubernetes', 'shop-svc'))!.accounts[0]!.name).toBe('k8s');
    expect((await service.byName(OPEN_ACCESS, 'aws', 'shop-admin'))!.accounts.map((a) => a.name)).toEqual(['secret']);
    expect(await service.byName(accessTo('prod'), 'aws', 'shop-admin')).toBeUndefined();
  });

  it('returns details only for readable accounts', async () => {
    expect(await service.details(OPEN_ACCESS, 'aws', 'prod', 'us-east-1', 'shop-frontend')).toEqual([
      { loadBalancerName: 'shop-frontend', account: 'prod', region: 'us-east-1', dnsName: 'shop-frontend.example' },
    ]);
    expect(await service.details(accessTo('prod'), 'aws', 'secret', 'us-east-1', 'shop-admin')).toEqual([]);
    expect(await service.details(OPEN_ACCESS, 'gce', 'prod', 'us-east-1', 'shop-frontend')).toEqual([]);
  });
});

describe('SecurityGroupReadService', () => {
  const registry = new MapReadModelRegistry();
  registry.register(
    'aws',
    'securityGroups',
    new FakeSecurityGroupModel([
      securityGroup('web', 'sg-2', 'prod', 'us-east-1', { vpcId: 'vpc-1', inboundRules: [{ port: 80 }] }),
      securityGroup('app', 'sg-1', 'prod', 'us-east-1', { vpcId: 'vpc-1' }),
      securityGroup('web', 'sg-3', 'prod', 'us-west-2', { vpcId: 'vpc-2' }),
      securityGroup('vault', 'sg-9', 'secret', 'us-east-1'),
      securityGroup('Zed', 'sg-5', 'prod', 'us-west-2', { vpcId: 'vpc-2' }),
      securityGroup('web', 'sg-0', 'prod', 'us-west-2', { summary: { name: 'web', id: 'sg-0', custom: true } }),
    ]),
  );
  registry.register(
    'kubernetes',
    'securityGroups',
    new FakeSecurityGroupModel([securityGroup('np', 'np-1', 'prod', 'default', { cloudProvider: 'kubernetes' })]),
  );
  const service = new SecurityGroupReadService(registry);

  it('nests account → cloudProvider → region → summaries, sorted by name then id, without unreadable accounts', async () => {
    expect(await service.all(accessTo('prod'))).toEqual({
      prod: {
        aws: {
          'us-east-1': [
            { name: 'app', id: 'sg-1', vpcId: 'vpc-1' },
            { name: 'web', id: 'sg-2', vpcId: 'vpc-1' },
          ],
          'us-west-2': [
            { name: 'web', id: 'sg-0', custom: true },
            { name: 'web', id: 'sg-3', vpcId: 'vpc-2' },
            { name: 'Zed', id: 'sg-5', vpcId: 'vpc-2' },
          ],
        },
        kubernetes: { default: [{ name: 'np', id: 'np-1' }] },
      },
    });
    expect(Object.keys(await service.all(OPEN_ACCESS))).toEqual(['prod', 'secret']);
  });

  it('serves the per-account variants; with a region the region level is dropped', async () => {
    const byProvider = await service.forAccount(OPEN_ACCESS, 'prod');
    expect(Object.keys(byProvider)).toEqual(['aws', 'kubernetes']);
    expect(Object.keys(byProvider.aws!)).toEqual(['us-east-1', 'us-west-2']);
    expect(await service.forAccountInRegion(OPEN_ACCESS, 'prod', 'us-east-1')).toEqual({
      aws: [
        { name: 'app', id: 'sg-1', vpcId: 'vpc-1' },
        { name: 'web', id: 'sg-2', vpcId: 'vpc-1' },
      ],
    });
    expect(await service.forAccount(accessTo('prod'), 'secret')).toEqual({});
    expect(await service.forAccountInRegion(accessTo('prod'), 'secret', 'us-east-1')).toEqual({});
    expect(Object.keys(await service.forAccountAndProvider(OPEN_ACCESS, 'prod', 'aws'))).toEqual(['us-east-1', 'us-west-2']);
    expect(await service.forAccountAndProvider(accessTo('prod'), 'secret', 'aws')).toEqual({});
    expect((await service.forAccountAndProviderInRegion(OPEN_ACCESS, 'prod', 'aws', 'us-west-2')).map((g) => g.id)).toEqual(['sg-0', 'sg-3', 'sg-5']);
    expect(await service.forAccountAndProviderInRegion(OPEN_ACCESS, 'prod', 'aws', 'eu-west-1')).toEqual([]);
    expect(await service.byName(OPEN_ACCESS, 'prod', 'aws', 'web')).toEqual({
      'us-east-1': [{ name: 'web', id: 'sg-2', vpcId: 'vpc-1' }],
      'us-west-2': [
        { name: 'web', id: 'sg-0', custom: true },
        { name: 'web', id: 'sg-3', vpcId: 'vpc-2' },
      ],
    });
    expect(await service.byName(OPEN_ACCESS, 'prod', 'kubernetes', 'web')).toEqual({});
    expect(await service.byName(accessTo('prod'), 'secret', 'aws', 'vault')).toEqual({});
  });

  it('gets one security group by name or id, honouring vpcId and READ', async () => {
    expect(await service.get(OPEN_ACCESS, 'prod', 'aws', 'us-east-1', 'web')).toMatchObject({ id: 'sg-2', inboundRules: [{ port: 80 }] });
    expect(await service.get(OPEN_ACCESS, 'prod', 'aws', 'us-east-1', 'sg-1')).toMatchObject({ name: 'app' });
    expect(await service.get(OPEN_ACCESS, 'prod', 'aws', 'us-east-1', 'web', 'vpc-9')).toBeUndefined();
    expect(await service.get(accessTo('prod'), 'secret', 'aws', 'us-east-1', 'vault')).toBeUndefined();
    expect(await service.get(OPEN_ACCESS, 'secret', 'aws', 'us-east-1', 'vault')).toBeDefined();
  });
});
