import { describe, expect, it } from 'vitest';
import { MapReadModelRegistry } from '../../src/providers/read-model-registry.js';
import { ClusterReadService } from '../../src/read/cluster-read-service.js';
import { NotFoundError } from '../../src/read/not-found-error.js';
import { OPEN_ACCESS } from '../../src/security/caller-access.js';
import { FakeClusterModel, accessTo, cluster, instance, serverGroup } from './fixtures.js';

function setup() {
  const registry = new MapReadModelRegistry();
  const aws = new FakeClusterModel([
    cluster('shop-main', 'prod', [
      serverGroup('shop-main-v001', { createdTime: 1, instances: [instance('i-1')] }),
      serverGroup('shop-main-v002', { createdTime: 2, instances: [instance('i-2')] }),
      serverGroup('shop-main-v002', { createdTime: 2, region: 'us-west-2', zones: ['us-west-2a'] }),
    ]),
    cluster('shop-main', 'secret', [serverGroup('shop-main-v007', { account: 'secret', createdTime: 7 })]),
  ]);
  registry.register('aws', 'clusters', aws);
  registry.register(
    'kubernetes',
    'clusters',
    new FakeClusterModel([
      cluster('shop-main', 'prod', [serverGroup('shop-main-v010', { type: 'kubernetes', cloudProvider: 'kubernetes', createdTime: 10 })], 'kubernetes'),
    ]),
  );
  return { service: new ClusterReadService(registry), aws };
}

describe('ClusterReadService', () => {
  it('lists cluster names per readable account', async () => {
    const { service } = setup();
    expect(await service.clusterNamesByAccount(OPEN_ACCESS, 'shop')).toEqual({ prod: ['shop-main'], secret: ['shop-main'] });
    expect(await service.clusterNamesByAccount(accessTo('prod'), 'shop')).toEqual({ prod: ['shop-main'] });
    expect(await service.clusterNamesByAccount(OPEN_ACCESS, 'unknown')).toEqual({});
  });

  it('summarises an account’s clusters from every provider and 404s for an empty or unreadable account', async () => {
    const { service } = setup();
    const clusters = await service.clustersForAccount(OPEN_ACCESS, 'shop', 'prod');
    expect(clusters).toHaveLength(2);
    expect(clusters[0]).toEqual({
      name: 'shop-main',
      account: 'prod',
      moniker: expect.objectContaining({ app: 'shop', cluster: 'shop-main' }),
      loadBalancers: [],
      serverGroups: ['shop-main-v001', 'shop-main-v002', 'shop-main-v002'],
    });
    await expect(service.clustersForAccount(accessTo('prod'), 'shop', 'secret')).rejects.toThrow('No clusters found (application: shop, account: secret)');
    await expect(service.clustersForAccount(OPEN_ACCESS, 'shop', 'nowhere')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('finds a cluster by type and 404s for an unknown type or an unreadable account', async () => {
    const { service } = setup();
    expect(await service.clusters(OPEN_ACCESS, 'shop', 'prod', 'shop-main', true)).toHaveLength(2);
    const k8s = await service.cluster(OPEN_ACCESS, 'shop', 'prod', 'shop-main', 'kubernetes', true);
    expect(k8s.serverGroups.map((sg) => sg.name)).toEqual(['shop-main-v010']);
    await expect(service.cluster(OPEN_ACCESS, 'shop', 'prod', 'shop-main', 'gce', true)).rejects.toThrow(/type: gce/);
    await expect(service.cluster(accessTo('prod'), 'shop', 'secret', 'shop-main', 'aws', true)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('returns server groups by region, and one server group only when the region is given', async () => {
    const { service } = setup();
    expect((await service.serverGroups(OPEN_ACCESS, 'shop', 'prod', 'shop-main', 'aws')).map((sg) => sg.region)).toEqual([
      'us-east-1',
      'us-east-1',
      'us-west-2',
    ]);
    expect(await service.serverGroups(OPEN_ACCESS, 'shop', 'prod', 'shop-main', 'aws', 'eu-west-1')).toEqual([]);
    const both = await service.serverGroup(OPEN_ACCESS, 'shop', 'prod', 'shop-main', 'aws', 'shop-main-v002');
    expect(Array.isArray(both) && both.length).toBe(2);
    const one = await service.serverGroup(OPEN_ACCESS, 'shop', 'prod', 'shop-main', 'aws', 'shop-main-v002', 'us-west-2');
    expect(one).toMatchObject({ name: 'shop-main-v002', region: 'us-west-2' });
    await expect(service.serverGroup(OPEN_ACCESS, 'shop', 'prod', 'shop-main', 'aws', 'shop-main-v999')).rejects.toThrow(
      'Server group not found (account: prod, name: shop-main-v999, type: aws)',
    );
  });

  it('selects target server groups with details from the named cloud provider only', async () => {
    const { service, aws } = setup();
    const query = {
      application: 'shop',
      account: 'prod',
      cluster: 'shop-main',
      cloudProvider: 'aws',
      scope: 'us-east-1',
      onlyEnabled: false,
      validateOldest: true,
    };
    const current = await service.targetServerGroup(OPEN_ACCESS, { ...query, target: 'current' });
    expect(current.name).toBe('shop-main-v002');
    expect(current.instances.map((i) => i.name)).toEqual(['i-2']);
    expect(aws.calls).toContain('getClusters:shop:true');
    expect((await service.targetServerGroup(OPEN_ACCESS, { ...query, target: 'current', cloudProvider: 'kubernetes' })).name).toBe('shop-main-v010');
    await expect(service.targetServerGroup(OPEN_ACCESS, { ...query, target: 'current', cloudProvider: 'gce' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(service.targetServerGroup(accessTo('prod'), { ...query, account: 'secret', target: 'current' })).rejects.toBeInstanceOf(NotFoundError);
    expect((await service.targetServerGroup(OPEN_ACCESS, { ...query, account: 'secret', target: 'current' })).name).toBe('shop-main-v007');
  });
});
