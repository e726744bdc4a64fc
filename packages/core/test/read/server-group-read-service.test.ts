import { describe, expect, it } from 'vitest';
import { MapReadModelRegistry } from '../../src/providers/read-model-registry.js';
import { ServerGroupReadService } from '../../src/read/server-group-read-service.js';
import { OPEN_ACCESS } from '../../src/security/caller-access.js';
import { FakeClusterModel, accessTo, cluster, instance, serverGroup } from './fixtures.js';

function setup() {
  const registry = new MapReadModelRegistry();
  registry.register(
    'aws',
    'clusters',
    new FakeClusterModel([
      cluster('shop-main-canary', 'prod', [
        serverGroup('shop-main-canary-v001', {
          createdTime: 11,
          vpcId: 'vpc-1',
          buildInfo: { jenkins: { number: '7' } },
          launchConfig: { instanceType: 'm5.large' },
          loadBalancers: ['shop-frontend'],
          instances: [instance('i-1', { launchTime: 5, zone: 'us-east-1a' })],
          instanceCounts: { total: 1, up: 1, down: 0, unknown: 0, outOfService: 0, starting: 0 },
        }),
      ]),
      cluster('shop-api', 'secret', [serverGroup('shop-api-v001', { account: 'secret', disabled: true })]),
      cluster('other-main', 'prod', [serverGroup('other-main-v001')]),
    ]),
  );
  registry.register(
    'Kubernetes',
    'clusters',
    new FakeClusterModel([
      cluster(
        'shop-web',
        'k8s',
        [serverGroup('shop-web-v003', { type: 'kubernetes', cloudProvider: 'kubernetes', account: 'k8s', region: 'default' })],
        'kubernetes',
      ),
    ]),
  );
  return new ServerGroupReadService(registry);
}

describe('ServerGroupReadService', () => {
  it('summarises every server group of an application in Clouddriver’s summary shape', async () => {
    const list = await setup().listForApplication(OPEN_ACCESS, 'shop', { expand: false });
    expect(list.map((sg) => sg.name)).toEqual(['shop-main-canary-v001', 'shop-api-v001', 'shop-web-v003']);
    expect(list[0]).toEqual({
      name: 'shop-main-canary-v001',
      account: 'prod',
      region: 'us-east-1',
      cluster: 'shop-main-canary',
      vpcId: 'vpc-1',
      type: 'aws',
      cloudProvider: 'aws',
      instanceType: 'm5.large',
      application: 'shop',
      isDisabled: false,
      moniker: { app: 'shop', cluster: 'shop-main-canary', stack: 'main', detail: 'canary', sequence: 1 },
      buildInfo: { jenkins: { number: '7' } },
      createdTime: 11,
      capacity: { min: 1, max: 1, desired: 1 },
      instances: [{ id: 'i-1', name: 'i-1', health: [{ type: 'synthetic', state: 'Up' }], healthState: 'Up', launchTime: 5, availabilityZone: 'us-east-1a' }],
      loadBalancers: ['shop-frontend'],
      securityGroups: [],
      instanceCounts: { total: 1, up: 1, down: 0, unknown: 0, outOfService: 0, starting: 0 },
    });
    expect(list[1]).toMatchObject({ isDisabled: true, account: 'secret' });
  });

  it('expand=true returns full server groups plus cluster identity', async () => {
    const [first] = await setup().listForApplication(OPEN_ACCESS, 'shop', { expand: true, clusters: [{ account: 'prod', cluster: 'shop-main-canary' }] });
    expect(first).toMatchObject({
      name: 'shop-main-canary-v001',
      accountName: 'prod',
      account: 'prod',
      cluster: 'shop-main-canary',
      application: 'shop',
      stack: 'main',
      freeFormDetail: 'canary',
      launchConfig: { instanceType: 'm5.large' },
      disabled: false,
    });
    expect((first!.instances as unknown[]).length).toBe(1);
  });

  it('filters by cloud provider (case-insensitive), by clusters, and by readable account', async () => {
    const service = setup();
    expect((await service.listForApplication(OPEN_ACCESS, 'shop', { expand: false, cloudProvider: 'kubernetes' })).map((sg) => sg.name)).toEqual([
      'shop-web-v003',
    ]);
    expect(
      (
        await service.listForApplication(OPEN_ACCESS, 'shop', {
          expand: false,
          clusters: [
            { account: 'secret', cluster: 'shop-api' },
            { account: 'k8s', cluster: 'shop-web' },
          ],
        })
      ).map((sg) => sg.name),
    ).toEqual(['shop-api-v001', 'shop-web-v003']);
    expect(await service.listForApplication(OPEN_ACCESS, 'shop', { expand: false, clusters: [] })).toEqual([]);
    expect((await service.listForApplication(accessTo('prod', 'k8s'), 'shop', { expand: false })).map((sg) => sg.name)).toEqual([
      'shop-main-canary-v001',
      'shop-web-v003',
    ]);
    expect(await service.listForApplication(accessTo('prod'), 'shop', { expand: false, clusters: [{ account: 'secret', cluster: 'shop-api' }] })).toEqual([]);
  });

  it('gets one server group, by ids and for several applications, never from unreadable accounts', async () => {
    const service = setup();
    expect(await service.get(OPEN_ACCESS, 'secret', 'us-east-1', 'shop-api-v001')).toMatchObject({ name: 'shop-api-v001' });
    expect(await service.get(accessTo('prod'), 'secret', 'us-east-1', 'shop-api-v001')).toBeUndefined();
    expect(await service.get(OPEN_ACCESS, 'prod', 'us-west-2', 'shop-main-canary-v001')).toBeUndefined();
    const byIds = await service.getByIds(accessTo('prod', 'k8s'), [
      { account: 'k8s', region: 'default', name: 'shop-web-v003' },
      { account: 'secret', region: 'us-east-1', name: 'shop-api-v001' },
      { account: 'prod', region: 'us-east-1', name: 'missing-v001' },
      { account: 'prod', region: 'us-east-1', name: 'other-main-v001' },
    ]);
    expect(byIds.map((sg) => sg.name)).toEqual(['shop-web-v003', 'other-main-v001']);
    expect((await service.listForApplications(accessTo('prod'), ['shop', 'other'])).map((sg) => sg.name)).toEqual(['shop-main-canary-v001', 'other-main-v001']);
  });
});
