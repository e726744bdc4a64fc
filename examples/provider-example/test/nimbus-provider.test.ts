import { ProviderTestHost } from '@stratus/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NimbusKeys, nimbusProvider, parseNimbusAccount, parseNimbusKey } from '../src/index.js';
import { FakeNimbusApi } from './fake-nimbus-api.js';

const ACCOUNT = 'nimbus-test';
let api: FakeNimbusApi;
let host: ProviderTestHost;

beforeAll(async () => {
  api = await FakeNimbusApi.start();
});
afterAll(() => api.close());

beforeEach(async () => {
  for (const name of ['shop-web-v001', 'shop-web-v002', 'shop-api-v003']) api.remove('north-1', name);
  api.seed({ name: 'shop-web-v001', region: 'north-1', desired: 2, max: 5 });
  api.seed({ name: 'shop-api-v003', region: 'north-1', desired: 1 });
  host = await ProviderTestHost.create(nimbusProvider, { accounts: [{ name: ACCOUNT, endpoint: api.url, token: api.token, regions: ['north-1'] }] });
});

const models = () => host.readModels as Required<Pick<typeof host.readModels, 'applications' | 'clusters' | 'instances'>>;

describe('Nimbus accounts', () => {
  it('rejects bad account fields by name', () => {
    const good = { name: 'a', endpoint: 'http://127.0.0.1:1', token: 't', regions: ['north-1'] };
    expect(() => parseNimbusAccount({ ...good, endpoint: 'ftp://x' })).toThrow(/endpoint/);
    expect(() => parseNimbusAccount({ ...good, token: '' })).toThrow(/token/);
    expect(() => parseNimbusAccount({ ...good, regions: [] })).toThrow(/regions/);
    expect(() => parseNimbusAccount({ ...good, name: 'Has Spaces' })).toThrow(/name/);
    expect(() => parseNimbusAccount({ ...good, cacheIntervalSeconds: 0 })).toThrow(/cacheIntervalSeconds/);
    expect(parseNimbusAccount({ ...good, endpoint: 'http://127.0.0.1:1/' }).endpoint).toBe('http://127.0.0.1:1');
  });
});

describe('Nimbus caching', () => {
  it('caches groups, instances, clusters and the application, and evicts a deleted group', async () => {
    await host.runAgents();
    const key = NimbusKeys.serverGroup(ACCOUNT, 'north-1', 'shop-web-v001');
    expect(parseNimbusKey(key)).toMatchObject({ account: ACCOUNT, region: 'north-1', cluster: 'shop-web', application: 'shop' });
    expect((await host.cache.getIdentifiers('serverGroups')).sort()).toEqual([NimbusKeys.serverGroup(ACCOUNT, 'north-1', 'shop-api-v003'), key]);
    expect(await host.cache.getIdentifiers('instances')).toHaveLength(3);

    const app = await models().applications.getApplication('shop');
    expect(app?.clusterNames).toEqual({ [ACCOUNT]: ['shop-api', 'shop-web'] });
    const group = await models().clusters.getServerGroup(ACCOUNT, 'north-1', 'shop-web-v001');
    expect(group).toMatchObject({ capacity: { min: 0, max: 5, desired: 2 }, instanceCounts: { total: 2, up: 2 }, disabled: false, zones: ['north-1a'] });

    api.remove('north-1', 'shop-api-v003');
    await host.runAgents();
    expect(await host.cache.getIdentifiers('serverGroups')).toEqual([key]);
    expect(await host.cache.getIdentifiers('instances')).toHaveLength(2);
    expect(await models().clusters.getClusterNames('shop')).toEqual({ [ACCOUNT]: ['shop-web'] });
  });

  it('reports a failed describe instead of caching an empty region', async () => {
    await host.runAgents();
    const broken = await ProviderTestHost.create(nimbusProvider, { accounts: [{ name: ACCOUNT, endpoint: api.url, token: 'wrong', regions: ['north-1'] }] });
    await expect(broken.runAgents()).rejects.toThrow(/401/);
  });
});

describe('Nimbus on-demand refresh', () => {
  it('stores a fresh describe of one group at once, lists it as pending and keeps it through the next run', async () => {
    await host.runAgents();
    api.seed({ name: 'shop-web-v002', region: 'north-1', desired: 3 });
    const outcome = await host.onDemand('ServerGroup', 'nimbus', { account: ACCOUNT, region: 'north-1', serverGroupName: 'shop-web-v002' });
    expect(outcome.status).toBe('PENDING');
    const key = NimbusKeys.serverGroup(ACCOUNT, 'north-1', 'shop-web-v002');
    expect(outcome.cachedIdentifiersByType.serverGroups).toEqual([key]);
    expect((await models().clusters.getServerGroup(ACCOUNT, 'north-1', 'shop-web-v002'))?.instances).toHaveLength(3);
    const pending = await host.pendingOnDemand('serverGroup', 'nimbus');
    expect(pending.map((p) => p.id)).toEqual([key]);
    expect(pending[0]).toMatchObject({ processedCount: 0, details: { account: ACCOUNT, serverGroup: 'shop-web-v002' } });

    await host.runAgents();
    expect((await host.pendingOnDemand('serverGroup', 'nimbus'))[0]?.processedCount).toBe(1);
    expect(await host.cache.get('serverGroups', key)).toBeDefined();
  });

  it('evicts a group that is gone and ignores other accounts', async () => {
    await host.runAgents();
    api.remove('north-1', 'shop-api-v003');
    const outcome = await host.onDemand('ServerGroup', 'nimbus', { account: ACCOUNT, region: 'north-1', serverGroupName: 'shop-api-v003' });
    expect(outcome.status).toBe('SUCCESSFUL');
    expect(await models().clusters.getServerGroup(ACCOUNT, 'north-1', 'shop-api-v003')).toBeUndefined();
    expect(await host.cache.getIdentifiers('instances')).toHaveLength(2);
    const other = await host.onDemand('ServerGroup', 'nimbus', { account: 'someone-else', region: 'north-1', serverGroupName: 'shop-web-v001' });
    expect(other).toEqual({ status: 'SUCCESSFUL', cachedIdentifiersByType: {} });
  });
});

describe('Nimbus operations', () => {
  it('resizes a group', async () => {
    const run = await host.runOperation('resizeServerGroup', {
      credentials: ACCOUNT,
      region: 'north-1',
      serverGroupName: 'shop-web-v001',
      capacity: { min: 1, max: 5, desired: 4 },
    });
    expect(run.errors).toEqual([]);
    expect(run.result).toEqual({ serverGroupNames: ['north-1:shop-web-v001'] });
    expect(api.group('north-1', 'shop-web-v001')).toMatchObject({ min: 1, max: 5, desired: 4 });
    expect(api.group('north-1', 'shop-web-v001')!.instances).toHaveLength(4);
    expect(run.history.map((h) => h.phase)).toEqual(['RESIZE', 'RESIZE']);
  });

  it('names the bad fields of a resize and does not call Nimbus', async () => {
    const before = api.requests.length;
    const run = await host.runOperation('resizeServerGroup', { credentials: 'nope', region: '', capacity: { min: 3, max: 1, desired: 'x' } });
    expect(run.errors.map((e) => e.field).sort()).toEqual(['capacity.desired', 'credentials', 'region', 'serverGroupName']);
    const order = await host.runOperation('resizeServerGroup', {
      credentials: ACCOUNT,
      region: 'south-9',
      serverGroupName: 'shop-web-v001',
      capacity: { min: 3, max: 1, desired: 2 },
    });
    expect(order.errors.map((e) => e.field).sort()).toEqual(['capacity', 'region']);
    expect(api.requests.length).toBe(before);
  });

  it('destroys a group, and destroying it again succeeds', async () => {
    const input = { credentials: ACCOUNT, region: 'north-1', serverGroupName: 'shop-api-v003' };
    expect((await host.runOperation('destroyServerGroup', input)).errors).toEqual([]);
    expect(api.group('north-1', 'shop-api-v003')).toBeUndefined();
    expect((await host.runOperation('destroyServerGroup', input)).history.at(-1)?.status).toBe('Destroyed shop-api-v003');
  });
});
