import {
  ACCESS_RESOLVER,
  CACHE,
  CompositeCache,
  FRONT50_CLIENT,
  HttpFront50Client,
  KEY_PARSER_REGISTRY,
  KeyParserRegistry,
  MapReadModelRegistry,
  READ_MODEL_REGISTRY,
  registerReadServices,
} from '@stratus/core';
import request from 'supertest';
import { container as rootContainer } from 'tsyringe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/create-app.js';
import { registerReadSearchRoutes } from '../../src/routes/read-search-routes.js';
import { fakeAccessResolver } from '../read/read-app.js';
import { FakeFront50 } from './fake-front50.js';

/** `/search?type=applications` adds Front50's applications, as Clouddriver's ApplicationSearchProvider does. */

const front50 = new FakeFront50();
let app: ReturnType<typeof createApp>['app'];

beforeAll(async () => {
  const baseUrl = await front50.start();
  front50.applications.push(
    { name: 'SHOP', email: 'shop@example.com', description: 'the shop', createTs: '1690000000000', cloudProviders: 'aws' },
    { name: 'vault', email: 'sec@example.com', description: 'secrets' },
    { name: 'newapp', email: 'new@example.com' },
    { name: 'other', email: 'x@example.com' },
  );
  const clusterNames: Record<string, Record<string, string[]>> = { shop: { prod: ['shop-main'], secret: ['shop-main'] }, vault: { secret: ['vault-main'] } };
  const registry = new MapReadModelRegistry();
  registry.register('aws', 'clusters', {
    getClusterNames: async (application) => clusterNames[application] ?? {},
    getClusters: async () => [],
    getCluster: async () => undefined,
    getServerGroup: async () => undefined,
  });
  const container = rootContainer.createChildContainer();
  container.registerInstance(READ_MODEL_REGISTRY, registry);
  container.registerInstance(ACCESS_RESOLVER, fakeAccessResolver);
  container.registerInstance(CACHE, new CompositeCache(() => []));
  container.registerInstance(KEY_PARSER_REGISTRY, new KeyParserRegistry());
  container.registerInstance(FRONT50_CLIENT, new HttpFront50Client({ baseUrl, timeoutMs: 2_000 }));
  // What the server's read services module binds; routes only resolve.
  registerReadServices(container);
  app = createApp({ container, routeModules: [registerReadSearchRoutes] }).app;
});

afterAll(() => front50.stop());

describe('application search through Front50', () => {
  it('adds matching applications with their readable accounts, url and type', async () => {
    const response = await request(app).get('/search?q=&type=applications&pageSize=50');
    expect(response.status).toBe(200);
    expect(front50.requests.some((url) => url.startsWith('/v2/applications?') && url.includes('name=&') && url.includes('pageSize=50'))).toBe(true);
    const [set] = response.body;
    expect(set.totalMatches).toBe(4);
    expect(set.results.map((r: { application: string }) => r.application)).toEqual(['shop', 'vault', 'newapp', 'other']);
    // Front50 matches the name as a substring, ignoring case.
    const [byName] = (await request(app).get('/search?q=Ho&type=applications')).body;
    expect(byName.results.map((r: { application: string }) => r.application)).toEqual(['shop']);
    expect(set.results[0]).toEqual({
      name: 'SHOP',
      email: 'shop@example.com',
      description: 'the shop',
      createTs: '1690000000000',
      cloudProviders: 'aws',
      application: 'shop',
      type: 'applications',
      url: '/applications/shop',
      accounts: ['prod', 'secret'],
    });
  });

  it('leaves out applications whose clusters are all in unreadable accounts', async () => {
    const [set] = (await request(app).get('/search?q=&type=applications').set('X-SPINNAKER-USER', 'limited')).body;
    expect(set.results.map((r: { application: string; accounts: string[] }) => [r.application, r.accounts])).toEqual([
      ['shop', ['prod']],
      ['newapp', []],
      ['other', []],
    ]);
  });

  it('passes attribute filters to Front50, ignores other types and platforms, and survives a Front50 failure', async () => {
    const [filtered] = (await request(app).get('/search?q=&type=applications&email=sec')).body;
    expect(filtered.results.map((r: { application: string }) => r.application)).toEqual(['vault']);
    expect((await request(app).get('/search?q=a&type=serverGroups')).body[0].results).toEqual([]);
    expect((await request(app).get('/search?q=a&type=applications&platform=aws')).body[0].results).toEqual([]);
    const [front50Only] = (await request(app).get('/search?q=shop&type=applications&platform=front50')).body;
    expect(front50Only.platform).toBe('front50');
    expect(front50Only.results).toHaveLength(1);
    front50.failWith = 503;
    try {
      const failed = await request(app).get('/search?q=a&type=applications');
      expect(failed.status).toBe(200);
      expect(failed.body[0].results).toEqual([]);
    } finally {
      front50.failWith = undefined;
    }
  });
});
