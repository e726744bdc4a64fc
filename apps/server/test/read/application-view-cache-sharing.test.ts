import {
  ACCESS_RESOLVER,
  ApplicationGenerations,
  CatsProviderCache,
  ChangeTrackingCacheStoreFactory,
  MapReadModelRegistry,
  MemoryCacheStoreFactory,
  PermissionAccessResolver,
  READ_MODEL_REGISTRY,
  accessFromFiat,
  registerReadServices,
  type AccessResolver,
} from '@stratus/core';
import { cacheData, type AccountCredentials } from '@stratus/plugin-api';
import type { Express } from 'express';
import request from 'supertest';
import { container as rootContainer } from 'tsyringe';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/create-app.js';
import { CountingClusterModel } from '../support/counting-cluster-model.js';
import { VIEW_GENERATIONS } from '../../src/tokens.js';
import { READ_ROUTE_MODULES } from './read-app.js';

/**
 * The view cache shares an entry between callers whose access is the same (equal `viewKey`: same
 * roles with static permissions, same grants with Fiat) and never between callers whose access
 * differs: the real permission resolver over restricted accounts, a read model that counts its calls.
 */
const ACCOUNTS: AccountCredentials[] = [
  { name: 'prod', cloudProvider: 'aws', permissions: { READ: ['prod-readers'], WRITE: ['prod-readers'] } },
  { name: 'test', cloudProvider: 'aws' },
];

let cache: CatsProviderCache;
const model = new CountingClusterModel(() => cache);

function appWith(resolver: AccessResolver): Express {
  const registry = new MapReadModelRegistry();
  registry.register('aws', 'clusters', model);
  const container = rootContainer.createChildContainer();
  container.registerInstance(READ_MODEL_REGISTRY, registry);
  container.registerInstance(ACCESS_RESOLVER, resolver);
  container.registerInstance(VIEW_GENERATIONS, generations);
  registerReadServices(container);
  return createApp({ container, routeModules: READ_ROUTE_MODULES }).app;
}

const generations = new ApplicationGenerations();
let app: Express;
const names = (body: { name: string }[]) => body.map((group) => group.name).sort();

beforeAll(async () => {
  cache = new CatsProviderCache(new ChangeTrackingCacheStoreFactory(new MemoryCacheStoreFactory(), generations).getStore('aws'));
  await cache.putCacheResult('agent', ['serverGroups'], {
    cacheResults: {
      serverGroups: [
        cacheData('sg:prod:shop-v001', { application: 'shop', account: 'prod', name: 'shop-v001' }),
        cacheData('sg:test:shop-v002', { application: 'shop', account: 'test', name: 'shop-v002' }),
      ],
    },
  });
  const lookup = { get: (name: string) => ACCOUNTS.find((account) => account.name === name), all: () => ACCOUNTS };
  app = appWith(new PermissionAccessResolver(lookup, { users: { alice: ['prod-readers'], bob: ['PROD-readers'], carol: [] } }));
});

describe('application view cache shared between callers with the same access', () => {
  it('two users with the same roles share one entry; a user with other roles never gets their body or ETag', async () => {
    const calls = model.calls;
    const alice = await request(app).get('/applications/shop/serverGroups').set('X-SPINNAKER-USER', 'alice');
    expect(names(alice.body)).toEqual(['shop-v001', 'shop-v002']);
    const bob = await request(app).get('/applications/shop/serverGroups').set('X-SPINNAKER-USER', 'bob');
    expect(bob.body).toEqual(alice.body);
    expect(bob.headers.etag).toBe(alice.headers.etag);
    expect(model.calls).toBe(calls + 1); // bob was served alice's entry: same roles, same view

    // carol cannot read prod: her own view, her own ETag, and alice's ETag is no condition she meets.
    const carolConditional = await request(app)
      .get('/applications/shop/serverGroups')
      .set('X-SPINNAKER-USER', 'carol')
      .set('If-None-Match', alice.headers.etag as string);
    expect(carolConditional.status).toBe(200);
    expect(names(carolConditional.body)).toEqual(['shop-v002']);
    expect(carolConditional.headers.etag).not.toBe(alice.headers.etag);
    expect(model.calls).toBe(calls + 2);
    // An anonymous caller has carol's access (no roles): they share, and still see no prod.
    const anonymous = await request(app).get('/applications/shop/serverGroups');
    expect(anonymous.headers.etag).toBe(carolConditional.headers.etag);
    expect(names(anonymous.body)).toEqual(['shop-v002']);
    // And alice, after carol, still gets her full view.
    const aliceAgain = await request(app).get('/applications/shop/serverGroups').set('X-SPINNAKER-USER', 'alice');
    expect(names(aliceAgain.body)).toEqual(['shop-v001', 'shop-v002']);
    expect(model.calls).toBe(calls + 2);
  });

  it('Fiat callers share only with identical grants (accounts and applications)', () => {
    const grants = (accounts: string[], applications: string[] = []) => ({
      accounts: accounts.map((name) => ({ name, authorizations: ['READ'] })),
      applications: applications.map((name) => ({ name, authorizations: ['READ'] })),
    });
    const a = accessFromFiat('a', grants(['prod', 'test'], ['shop']));
    const b = accessFromFiat('b', grants(['TEST', 'prod'], ['shop']));
    expect(a.viewKey).toBe(b.viewKey);
    expect(accessFromFiat('c', grants(['test'], ['shop'])).viewKey).not.toBe(a.viewKey);
    expect(accessFromFiat('d', grants(['prod', 'test'], ['shop', 'blog'])).viewKey).not.toBe(a.viewKey);
    expect(accessFromFiat('e', { ...grants(['prod', 'test'], ['shop']), allowAccessToUnknownApplications: true }).viewKey).not.toBe(a.viewKey);
    expect(accessFromFiat('f', { admin: true }).viewKey).toBe(accessFromFiat('g', { admin: true, accounts: [] }).viewKey);
    expect(accessFromFiat('h', undefined).viewKey).not.toBe(accessFromFiat('i', { admin: true }).viewKey);
  });
});
