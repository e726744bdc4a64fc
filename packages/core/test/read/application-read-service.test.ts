import { describe, expect, it } from 'vitest';
import { MapReadModelRegistry } from '../../src/providers/read-model-registry.js';
import { ApplicationReadService } from '../../src/read/application-read-service.js';
import { OPEN_ACCESS } from '../../src/security/caller-access.js';
import { FakeApplicationModel, FakeClusterModel, accessTo, cluster, loadBalancer, serverGroup } from './fixtures.js';

function setup() {
  const registry = new MapReadModelRegistry();
  registry.register(
    'aws',
    'applications',
    new FakeApplicationModel([
      { name: 'shop', attributes: { email: 'aws@example.com', owner: 'aws' }, clusterNames: { prod: ['shop-main'], secret: ['shop-hidden'] } },
      { name: 'vault', attributes: {}, clusterNames: { secret: ['vault-main'] } },
      { name: 'Alpha', attributes: {}, clusterNames: {} },
    ]),
  );
  registry.register(
    'kubernetes',
    'applications',
    new FakeApplicationModel([{ name: 'shop', attributes: { owner: 'k8s' }, clusterNames: { 'k8s-prod': ['shop-web'], prod: ['shop-main'] } }]),
  );
  registry.register(
    'aws',
    'clusters',
    new FakeClusterModel([
      cluster('shop-main', 'prod', [serverGroup('shop-main-v001'), serverGroup('shop-main-v002')], 'aws', [loadBalancer('shop-frontend', 'prod', 'us-east-1')]),
      cluster('shop-hidden', 'secret', [serverGroup('shop-hidden-v001', { account: 'secret' })]),
      cluster('vault-main', 'secret', [serverGroup('vault-main-v001', { account: 'secret' })]),
    ]),
  );
  registry.register(
    'kubernetes',
    'clusters',
    new FakeClusterModel([cluster('shop-web', 'k8s-prod', [serverGroup('shop-web-v003', { type: 'kubernetes' })], 'kubernetes')]),
  );
  return new ApplicationReadService(registry);
}

describe('ApplicationReadService.list', () => {
  it('merges one application across providers, sorted by name, with cloudProviders and unioned cluster names', async () => {
    const apps = await setup().list(OPEN_ACCESS, { expand: true, restricted: true });
    expect(apps.map((app) => app.name)).toEqual(['Alpha', 'shop', 'vault']);
    const shop = apps.find((app) => app.name === 'shop')!;
    expect(shop.attributes).toEqual({ email: 'aws@example.com', owner: 'k8s', cloudProviders: 'aws,kubernetes' });
    expect(shop.clusterNames).toEqual({ 'k8s-prod': ['shop-web'], prod: ['shop-main'], secret: ['shop-hidden'] });
  });

  it('leaves out unreadable accounts and, when restricted, applications that only live there', async () => {
    const apps = await setup().list(accessTo('prod', 'k8s-prod'), { expand: true, restricted: true });
    expect(apps.map((app) => app.name)).toEqual(['Alpha', 'shop']);
    expect(apps.find((app) => app.name === 'shop')!.clusterNames).toEqual({ 'k8s-prod': ['shop-web'], prod: ['shop-main'] });
  });

  it('restricted=false still leaves out applications that only live in unreadable accounts (no application permissions to apply)', async () => {
    const apps = await setup().list(accessTo('prod'), { expand: true, restricted: false });
    expect(apps.map((app) => app.name)).toEqual(['Alpha', 'shop']);
    expect((await setup().list(OPEN_ACCESS, { expand: true, restricted: false })).map((app) => app.name)).toEqual(['Alpha', 'shop', 'vault']);
  });

  it('expand=false answers without cluster names', async () => {
    const apps = await setup().list(OPEN_ACCESS, { expand: false, restricted: true });
    expect(apps.every((app) => Object.keys(app.clusterNames).length === 0)).toBe(true);
    expect(apps).toHaveLength(3);
  });
});

describe('ApplicationReadService.get', () => {
  it('returns clusters per account with provider, server group and load balancer names', async () => {
    const shop = await setup().get(OPEN_ACCESS, 'shop');
    expect(shop).toEqual({
      name: 'shop',
      attributes: { email: 'aws@example.com', owner: 'k8s', cloudProviders: 'aws,kubernetes' },
      clusters: {
        'k8s-prod': [{ name: 'shop-web', provider: 'kubernetes', serverGroups: ['shop-web-v003'], loadBalancers: [] }],
        prod: [{ name: 'shop-main', provider: 'aws', serverGroups: ['shop-main-v001', 'shop-main-v002'], loadBalancers: ['shop-frontend'] }],
        secret: [{ name: 'shop-hidden', provider: 'aws', serverGroups: ['shop-hidden-v001'], loadBalancers: [] }],
      },
    });
  });

  it('hides unreadable accounts and derives cloudProviders from what the caller sees', async () => {
    const shop = await setup().get(accessTo('prod'), 'shop');
    expect(Object.keys(shop!.clusters)).toEqual(['prod']);
    expect(shop!.attributes.cloudProviders).toBe('aws');
  });

  it('is undefined for unknown applications and for applications only in unreadable accounts', async () => {
    const service = setup();
    expect(await service.get(OPEN_ACCESS, 'nope')).toBeUndefined();
    expect(await service.get(accessTo('prod'), 'vault')).toBeUndefined();
    expect(await service.get(OPEN_ACCESS, 'vault')).toBeDefined();
    expect(await service.get(accessTo(), 'Alpha')).toMatchObject({ name: 'Alpha', clusters: {}, attributes: { cloudProviders: 'aws' } });
  });
});
