import type { Express } from 'express';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildReadApp } from './read-app.js';

let app: Express;
const get = (path: string, user?: string) => {
  const req = request(app).get(path);
  return user ? req.set('X-SPINNAKER-USER', user) : req;
};

beforeAll(async () => {
  app = await buildReadApp();
});

describe('applications', () => {
  it('lists applications with cluster names, restricted by account READ', async () => {
    const all = await get('/applications');
    expect(all.status).toBe(200);
    expect(all.body.map((a: { name: string }) => a.name)).toEqual(['shop', 'vault']);
    expect(all.body[0]).toEqual({
      name: 'shop',
      attributes: { email: 'shop@example.com', cloudProviders: 'aws' },
      clusterNames: { prod: ['shop-main'], secret: ['shop-main'] },
    });
    const limited = await get('/applications', 'limited');
    expect(limited.body).toEqual([{ name: 'shop', attributes: { email: 'shop@example.com', cloudProviders: 'aws' }, clusterNames: { prod: ['shop-main'] } }]);
    const unrestricted = await get('/applications?restricted=false&expand=false', 'limited');
    expect(unrestricted.body.map((a: { name: string; clusterNames: object }) => [a.name, a.clusterNames])).toEqual([['shop', {}]]);
    expect((await get('/applications?restricted=false&expand=false')).body.map((a: { name: string }) => a.name)).toEqual(['shop', 'vault']);
  });

  it('answers 400 naming a bad boolean parameter', async () => {
    const bad = await get('/applications?expand=maybe');
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual(['expand: expected true or false']);
  });

  it('gets one application; unknown or unreadable is 404 with a message', async () => {
    const shop = await get('/applications/shop');
    expect(shop.status).toBe(200);
    expect(shop.body.attributes.cloudProviders).toBe('aws');
    expect(shop.body.clusters.prod).toEqual([
      { name: 'shop-main', provider: 'aws', serverGroups: ['shop-main-v001', 'shop-main-v002', 'shop-main-v003'], loadBalancers: ['shop-lb'] },
    ]);
    expect(Object.keys(shop.body.clusters)).toEqual(['prod', 'secret']);
    expect(Object.keys((await get('/applications/shop', 'limited')).body.clusters)).toEqual(['prod']);
    const missing = await get('/applications/nope');
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe('Application does not exist (name: nope)');
    expect((await get('/applications/vault', 'limited')).status).toBe(404);
  });
});

describe('clusters', () => {
  it('lists cluster names and clusters per account', async () => {
    expect((await get('/applications/shop/clusters')).body).toEqual({ prod: ['shop-main'], secret: ['shop-main'] });
    expect((await get('/applications/shop/clusters', 'limited')).body).toEqual({ prod: ['shop-main'] });
    const prod = await get('/applications/shop/clusters/prod');
    expect(prod.body).toEqual([
      {
        name: 'shop-main',
        account: 'prod',
        moniker: { app: 'shop', cluster: 'shop-main', stack: 'main' },
        loadBalancers: ['shop-lb'],
        serverGroups: ['shop-main-v001', 'shop-main-v002', 'shop-main-v003'],
      },
    ]);
    const hidden = await get('/applications/shop/clusters/secret', 'limited');
    expect(hidden.status).toBe(404);
    expect(hidden.body.message).toBe('No clusters found (application: shop, account: secret)');
  });

  it('serves a cluster, its type, its server groups and one server group', async () => {
    const list = await get('/applications/shop/clusters/prod/shop-main');
    expect(list.body).toHaveLength(1);
    const lbs = await get('/applications/shop/clusters/prod/shop-main/aws/loadBalancers');
    expect(lbs.body.map((lb: { name: string }) => lb.name)).toEqual(['shop-lb']);
    expect((await get('/applications/shop/clusters/secret/shop-main/aws/loadBalancers', 'limited')).status).toBe(404);
    const cluster = await get('/applications/shop/clusters/prod/shop-main/aws');
    expect(cluster.body).toMatchObject({ name: 'shop-main', type: 'aws', accountName: 'prod' });
    expect((await get('/applications/shop/clusters/prod/shop-main/gce')).status).toBe(404);
    const west = await get('/applications/shop/clusters/prod/shop-main/aws/serverGroups?region=us-west-2');
    expect(west.body.map((s: { name: string }) => s.name)).toEqual(['shop-main-v003']);
    const one = await get('/applications/shop/clusters/prod/shop-main/aws/serverGroups/shop-main-v001?region=us-east-1');
    expect(one.body).toMatchObject({ name: 'shop-main-v001', region: 'us-east-1' });
    const many = await get('/applications/shop/clusters/prod/shop-main/aws/serverGroups/shop-main-v001');
    expect(Array.isArray(many.body)).toBe(true);
    const missing = await get('/applications/shop/clusters/prod/shop-main/aws/serverGroups/shop-main-v999');
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe('Server group not found (account: prod, name: shop-main-v999, type: aws)');
    expect((await get('/applications/shop/clusters/secret/shop-main/aws/serverGroups', 'limited')).status).toBe(404);
  });

  it('selects target server groups with Clouddriver’s 404 rules', async () => {
    const base = '/applications/shop/clusters/prod/shop-main/aws/us-east-1/serverGroups/target';
    expect((await get(`${base}/current`)).body.name).toBe('shop-main-v002');
    expect((await get(`${base}/current?onlyEnabled=true`)).body.name).toBe('shop-main-v001');
    expect((await get(`${base}/previous`)).body.name).toBe('shop-main-v001');
    expect((await get(`${base}/oldest`)).body.name).toBe('shop-main-v001');
    expect((await get(`${base}/oldest?onlyEnabled=true`)).status).toBe(404);
    expect((await get(`${base}/oldest?onlyEnabled=true&validateOldest=false`)).body.name).toBe('shop-main-v001');
    const fail = await get(`${base}/fail`);
    expect(fail.status).toBe(404);
    expect(fail.body.message).toMatch(/^More than one target found/);
    expect((await get('/applications/shop/clusters/prod/shop-main/aws/us-west-2a/serverGroups/target/fail')).body.name).toBe('shop-main-v003');
    const unknown = await get(`${base}/newest`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toBe('Target not found (target: newest)');
    expect((await get('/applications/shop/clusters/secret/shop-main/aws/us-east-1/serverGroups/target/current', 'limited')).status).toBe(404);
    expect((await get('/applications/shop/clusters/secret/shop-main/aws/us-east-1/serverGroups/target/current')).body.name).toBe('shop-main-v010');
  });

  it('serves the target server group’s image summary', async () => {
    const base = '/applications/shop/clusters/prod/shop-main/aws/us-east-1/serverGroups/target';
    expect((await get(`${base}/current/image?onlyEnabled=true`)).body).toEqual({ imageId: 'ami-1', imageName: 'shop-1.0' });
    const none = await get(`${base}/current/image`);
    expect(none.status).toBe(404);
    expect(none.body.message).toBe('Summary not found (type: image)');
    expect((await get(`${base}/current/constructor`)).status).toBe(404);
  });
});

describe('server groups', () => {
  it('lists summaries, full objects with expand, and filters by clusters', async () => {
    const summaries = await get('/applications/shop/serverGroups');
    expect(summaries.body.map((s: { name: string }) => s.name)).toEqual(['shop-main-v001', 'shop-main-v002', 'shop-main-v003', 'shop-main-v010']);
    expect(summaries.body[1]).toMatchObject({ account: 'prod', cluster: 'shop-main', isDisabled: true, application: 'shop' });
    expect(summaries.body[0].instances).toEqual([
      { id: 'i-shop-main-v001', name: 'i-shop-main-v001', health: [], healthState: 'Up', launchTime: 1000, availabilityZone: 'us-east-1a' },
    ]);
    expect(summaries.body[0].disabled).toBeUndefined();
    const expanded = await get('/applications/shop/serverGroups?expand=true&clusters=secret:shop-main');
    expect(expanded.body).toHaveLength(1);
    expect(expanded.body[0]).toMatchObject({ name: 'shop-main-v010', accountName: 'secret', stack: 'main', disabled: false });
    expect((await get('/applications/shop/serverGroups?clusters=')).body).toEqual([]);
    expect((await get('/applications/shop/serverGroups', 'limited')).body).toHaveLength(3);
    expect((await get('/applications/shop/serverGroups?cloudProvider=kubernetes')).body).toEqual([]);
    const bad = await get('/applications/shop/serverGroups?clusters=nocolon');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toMatch(/^clusters: expected account:cluster/);
  });

  it('gets one server group by coordinates; unreadable is 404 like missing', async () => {
    expect((await get('/serverGroups/prod/us-east-1/shop-main-v001')).body).toMatchObject({ name: 'shop-main-v001', capacity: { desired: 1 } });
    expect((await get('/applications/shop/serverGroups/prod/us-east-1/shop-main-v001')).body.name).toBe('shop-main-v001');
    const hidden = await get('/serverGroups/secret/us-east-1/shop-main-v010', 'limited');
    expect(hidden.status).toBe(404);
    expect(hidden.body.message).toBe('Server group not found (account: secret, region: us-east-1, name: shop-main-v010)');
    expect((await get('/serverGroups/secret/us-east-1/shop-main-v010')).status).toBe(200);
  });

  it('serves /serverGroups by ids or applications and rejects neither/both', async () => {
    const byIds = await get('/serverGroups?ids=prod:us-east-1:shop-main-v001,secret:us-east-1:shop-main-v010,prod:us-east-1:gone-v001', 'limited');
    expect(byIds.body.map((s: { name: string }) => s.name)).toEqual(['shop-main-v001']);
    const byApps = await get('/serverGroups?applications=shop,vault');
    expect(byApps.body).toHaveLength(4);
    expect((await get('/serverGroups')).status).toBe(400);
    expect((await get('/serverGroups?ids=a:b:c&applications=shop')).status).toBe(400);
    const bad = await get('/serverGroups?ids=prod:us-east-1');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toMatch(/^ids: expected account:region:name/);
  });
});

describe('instances', () => {
  it('gets an instance; unreadable or missing is 404', async () => {
    expect((await get('/instances/prod/us-east-1/i-shop-main-v001')).body).toMatchObject({ name: 'i-shop-main-v001', healthState: 'Up' });
    expect((await get('/instances/secret/us-east-1/i-shop-main-v010', 'limited')).status).toBe(404);
    const missing = await get('/instances/prod/us-east-1/i-nope');
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe('Instance not found (account: prod, region: us-east-1, id: i-nope)');
  });
});

describe('load balancers', () => {
  it('serves application, provider, by-name and detail views without unreadable accounts', async () => {
    expect((await get('/applications/shop/loadBalancers')).body).toHaveLength(2);
    expect((await get('/applications/shop/loadBalancers', 'limited')).body.map((lb: { account: string }) => lb.account)).toEqual(['prod']);
    const tree = await get('/aws/loadBalancers', 'limited');
    expect(tree.body).toEqual([
      {
        name: 'shop-lb',
        accounts: [
          {
            name: 'prod',
            regions: [{ name: 'us-east-1', loadBalancers: [{ name: 'shop-lb', type: 'aws', cloudProvider: 'aws', account: 'prod', region: 'us-east-1' }] }],
          },
        ],
      },
    ]);
    expect((await get('/aws/loadBalancers/shop-lb')).body.accounts).toHaveLength(2);
    expect((await get('/aws/loadBalancers/shop-lb', 'limited')).body.accounts.map((a: { name: string }) => a.name)).toEqual(['prod']);
    expect((await get('/aws/loadBalancers/nope')).status).toBe(404);
    expect((await get('/aws/loadBalancers/prod/us-east-1/shop-lb')).body).toEqual([{ name: 'shop-lb', scheme: 'internal' }]);
    expect((await get('/aws/loadBalancers/secret/us-east-1/shop-lb', 'limited')).status).toBe(404);
    expect((await get('/gce/loadBalancers')).body).toEqual([]);
  });
});

describe('security groups', () => {
  it('nests by account, provider and region and gets one group', async () => {
    expect((await get('/securityGroups', 'limited')).body).toEqual({ prod: { aws: { 'us-east-1': [{ name: 'web', id: 'sg-1', vpcId: 'vpc-1' }] } } });
    expect(Object.keys((await get('/securityGroups')).body)).toEqual(['prod', 'secret']);
    expect((await get('/securityGroups/prod')).body).toEqual({ aws: { 'us-east-1': [{ name: 'web', id: 'sg-1', vpcId: 'vpc-1' }] } });
    expect((await get('/securityGroups/prod?region=us-east-1')).body).toEqual({ aws: [{ name: 'web', id: 'sg-1', vpcId: 'vpc-1' }] });
    expect((await get('/securityGroups/prod?region=eu-west-1')).body).toEqual({});
    expect((await get('/securityGroups/prod/aws?region=us-east-1')).body).toEqual([{ name: 'web', id: 'sg-1', vpcId: 'vpc-1' }]);
    expect((await get('/securityGroups/prod/aws/web')).body).toEqual({ 'us-east-1': [{ name: 'web', id: 'sg-1', vpcId: 'vpc-1' }] });
    expect((await get('/securityGroups/secret/aws/vault', 'limited')).body).toEqual({});
    expect((await get('/securityGroups/secret', 'limited')).body).toEqual({});
    expect((await get('/securityGroups/prod/aws')).body).toEqual({ 'us-east-1': [{ name: 'web', id: 'sg-1', vpcId: 'vpc-1' }] });
    expect((await get('/securityGroups/prod/aws/us-east-1/sg-1')).body).toMatchObject({ name: 'web', accountName: 'prod' });
    const missing = await get('/securityGroups/prod/aws/us-east-1/web?vpcId=vpc-2');
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe("Security group 'web' does not exist (account: prod, cloudProvider: aws, region: us-east-1)");
    expect((await get('/securityGroups/secret/aws/us-east-1/vault', 'limited')).status).toBe(404);
  });
});

describe('search', () => {
  it('searches keys with paging, filters and permission filtering', async () => {
    const all = await get('/search?q=shop&type=serverGroups');
    expect(all.status).toBe(200);
    expect(all.body).toHaveLength(1);
    expect(all.body[0]).toMatchObject({ totalMatches: 4, pageNumber: 1, pageSize: 10000, platform: 'aws', query: 'shop' });
    expect(all.body[0].results[0]).toEqual({
      provider: 'aws',
      type: 'serverGroups',
      cluster: 'shop-main',
      account: 'prod',
      region: 'us-east-1',
      serverGroup: 'shop-main-v001',
      application: 'shop',
      url: '/serverGroups/prod/us-east-1/shop-main-v001',
    });
    expect((await get('/search?q=shop', 'limited')).body[0].totalMatches).toBe(3);
    const page = await get('/search?q=v00&pageSize=2&page=2');
    expect(page.body[0].results.map((r: { serverGroup: string }) => r.serverGroup)).toEqual(['shop-main-v003']);
    expect(page.body[0].totalMatches).toBe(3);
    const filtered = await get('/search?q=shop&region=us-west-2');
    expect(filtered.body[0].results.map((r: { serverGroup: string }) => r.serverGroup)).toEqual(['shop-main-v003']);
    const bad = await get('/search?q=shop&page=0&pageSize=x');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: string) => e.split(':')[0]).sort()).toEqual(['page', 'pageSize']);
  });
});

describe('openapi', () => {
  it('documents every read route', async () => {
    const doc = await get('/openapi.json');
    const paths = Object.keys(doc.body.paths);
    for (const path of [
      '/applications',
      '/applications/{application}/clusters/{account}/{cluster}/{cloudProvider}/{scope}/serverGroups/target/{target}',
      '/serverGroups',
      '/{cloudProvider}/loadBalancers/{account}/{region}/{name}',
      '/securityGroups/{account}/{cloudProvider}/{region}/{nameOrId}',
      '/search',
    ]) {
      expect(paths).toContain(path);
    }
  });
});
