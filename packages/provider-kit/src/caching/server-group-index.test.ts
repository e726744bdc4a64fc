import { describe, expect, it } from 'vitest';
import { accountFields } from '../accounts/account-fields.js';
import { ServerGroupIndex } from './server-group-index.js';

describe('ServerGroupIndex', () => {
  it('builds a server group item led by name, account and region, and files the group', () => {
    const index = new ServerGroupIndex([], ['loadBalancers']);
    const related = { applications: ['a:shop'], clusters: ['c:web'], loadBalancers: ['lb:1'] };
    const item = index.serverGroupItem(
      {
        serverGroupKey: 'sg:v003',
        clusterKey: 'c:web',
        applicationKey: 'a:shop',
        account: 'prod',
        names: { app: 'shop', cluster: 'shop-web' },
        name: 'shop-web-v003',
        region: 'east',
      },
      { capacity: { desired: 2 }, disabled: false },
      related,
    );
    expect(item.id).toBe('sg:v003');
    expect(Object.entries(item.attributes)).toEqual([
      ['name', 'shop-web-v003'],
      ['account', 'prod'],
      ['region', 'east'],
      ['capacity', { desired: 2 }],
      ['disabled', false],
    ]);
    expect(item.relationships).toEqual(related);
    expect(index.clusterItems().map((c) => c.relationships?.serverGroups)).toEqual([['sg:v003']]);
    expect(index.relatedItems('loadBalancers').map((i) => i.relationships)).toEqual([{ serverGroups: ['sg:v003'] }]);
  });

  it('files groups under their cluster and application, with cluster edges deduplicated and back edges per group', () => {
    const index = new ServerGroupIndex(['loadBalancers'], ['instances', 'loadBalancers']);
    const names = { app: 'Shop', cluster: 'Shop-web' };
    index.add(
      { serverGroupKey: 'sg:v001', clusterKey: 'c:web', applicationKey: 'a:shop', account: 'prod', names },
      { instances: ['i-1'], loadBalancers: ['lb:1'] },
    );
    index.add(
      { serverGroupKey: 'sg:v002', clusterKey: 'c:web', applicationKey: 'a:shop', account: 'prod', names },
      { instances: ['i-2'], loadBalancers: ['lb:1'] },
    );

    const [cluster] = index.clusterItems();
    expect(cluster?.id).toBe('c:web');
    expect(cluster?.attributes).toMatchObject({ name: 'Shop-web', application: 'Shop', accountName: 'prod' });
    expect(cluster?.relationships).toEqual({ serverGroups: ['sg:v001', 'sg:v002'], loadBalancers: ['lb:1'] });

    const [app] = index.applicationItems();
    expect(app?.attributes).toEqual({ name: 'shop' });
    expect(app?.relationships).toEqual({ clusters: ['c:web'], serverGroups: ['sg:v001', 'sg:v002'] });

    expect(index.relatedItems('loadBalancers')).toEqual([
      expect.objectContaining({ id: 'lb:1', attributes: {}, relationships: { serverGroups: ['sg:v001', 'sg:v002'] } }),
    ]);
    expect(index.relatedItems('instances').map((i) => i.id)).toEqual(['i-1', 'i-2']);
    expect(index.relatedItems('launchConfigs')).toEqual([]);
  });
});

describe('accountFields', () => {
  const { str, permissions, endpoint } = accountFields('google');

  it('names the field in every error and reads absent values as undefined', () => {
    expect(str({ name: '' }, 'name')).toBeUndefined();
    expect(() => str({}, 'name', true)).toThrow("google account field 'name' is required");
    expect(() => str({ name: 3 }, 'name')).toThrow("google account field 'name' must be a string");
    expect(() => permissions({ ADMIN: [] })).toThrow("google account field 'permissions.ADMIN' is not READ, WRITE or EXECUTE");
    expect(permissions({ READ: ['dev'] })).toEqual({ READ: ['dev'] });
  });

  it('takes the endpoint from the entry, else the provider block, and refuses paths and other protocols', () => {
    expect(endpoint({}, { endpoint: 'https://api.example' }, ['https:'], 'an https base URL')).toBe('https://api.example');
    expect(endpoint({}, {}, ['https:'], 'an https base URL')).toBeUndefined();
    expect(() => endpoint({ endpoint: 'http://127.0.0.1:1' }, {}, ['https:'], 'an https base URL')).toThrow(
      "google account field 'endpoint' must be an https base URL (got 'http://127.0.0.1:1')",
    );
    expect(() => endpoint({ endpoint: 'https://api.example/v1' }, {}, ['https:'], 'an https base URL')).toThrow(/must be an https base URL/);
  });
});
