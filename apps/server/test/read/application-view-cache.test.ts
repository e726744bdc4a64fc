import {
  registerReadServices,
  type AccountRegistry,
  ACCESS_RESOLVER,
  CatsProviderCache,
  ChangeTrackingCacheStoreFactory,
  MapReadModelRegistry,
  MemoryCacheStoreFactory,
  READ_MODEL_REGISTRY,
} from '@stratus/core';
import { cacheData } from '@stratus/plugin-api';
import type { Express } from 'express';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync } from 'node:zlib';
import request from 'supertest';
import { container as rootContainer } from 'tsyringe';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/create-app.js';
import { ACCOUNT_REGISTRY } from '../../src/modules/module-tokens.js';
import { CountingClusterModel } from '../support/counting-cluster-model.js';
import { READ_ROUTE_MODULES, fakeAccessResolver } from './read-app.js';

/**
 * The per-application view cache over a real provider cache whose store reports its writes: the
 * read model counts its calls, so a response served from the cache is told apart from a rebuilt one.
 */
let app: Express;
/** The same routes with `server.viewCache.ttlSeconds: 0`. */
let uncachedApp: Express;
let cache: CatsProviderCache;
const model = new CountingClusterModel(() => cache);
/** What the account registry's `version` answers: moved by a test as adding or removing an account would. */
let accountsVersion = 1;

const serverGroup = (app: string, account: string, n: number, extra: Record<string, unknown> = {}) =>
  cacheData(`sg:${account}:${app}-v00${n}`, { application: app, account, name: `${app}-v00${n}`, ...extra }, {});

beforeAll(async () => {
  cache = new CatsProviderCache(new ChangeTrackingCacheStoreFactory(new MemoryCacheStoreFactory()).getStore('aws'));
  await cache.putCacheResult('agent', ['serverGroups'], {
    cacheResults: { serverGroups: [serverGroup('shop', 'prod', 1), serverGroup('shop', 'test', 2), serverGroup('blog', 'prod', 1)] },
  });
  // Big enough (> 1 KiB) to be compressed.
  await cache.putCacheResult('big-agent', ['serverGroups'], {
    cacheResults: { serverGroups: Array.from({ length: 40 }, (_, n) => serverGroup('big', 'prod', 100 + n)) },
  });
  const registry = new MapReadModelRegistry();
  registry.register('aws', 'clusters', model);
  const container = rootContainer.createChildContainer();
  container.registerInstance(READ_MODEL_REGISTRY, registry);
  container.registerInstance(ACCESS_RESOLVER, fakeAccessResolver);
  container.registerInstance(ACCOUNT_REGISTRY, {
    get version() {
      return accountsVersion;
    },
  } as unknown as AccountRegistry);
  // Routes never register services (the feature modules do); a bare app registers the read services itself.
  registerReadServices(container);
  app = createApp({ container, routeModules: READ_ROUTE_MODULES }).app;
  uncachedApp = createApp({ container, routeModules: READ_ROUTE_MODULES, viewCacheTtlMs: 0 }).app;
});

const names = (body: { name: string }[]) => body.map((group) => group.name).sort();

describe('application view cache', () => {
  it('answers a repeated poll from the cache, and If-None-Match with 304, without asking the read model', async () => {
    const first = await request(app).get('/applications/shop/serverGroups');
    expect(first.status).toBe(200);
    expect(names(first.body)).toEqual(['shop-v001', 'shop-v002']);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const calls = model.calls;

    const again = await request(app).get('/applications/shop/serverGroups');
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers.etag).toBe(etag);
    const conditional = await request(app).get('/applications/shop/serverGroups').set('If-None-Match', etag);
    expect(conditional.status).toBe(304);
    expect(conditional.text).toBe('');
    expect(model.calls).toBe(calls);
    // A different ETag is a miss of the condition, still served from the cache.
    expect((await request(app).get('/applications/shop/serverGroups').set('If-None-Match', '"other"')).status).toBe(200);
  });

  it('a cache write to the application invalidates its views; a write to another application does not', async () => {
    const before = await request(app).get('/applications/shop/serverGroups');
    const calls = model.calls;
    await cache.putCacheResult('other-agent', ['serverGroups'], { cacheResults: { serverGroups: [serverGroup('blog', 'prod', 2)] } });
    expect(
      (
        await request(app)
          .get('/applications/shop/serverGroups')
          .set('If-None-Match', before.headers.etag as string)
      ).status,
    ).toBe(304);
    expect(model.calls).toBe(calls);

    await cache.putCacheResult('agent', ['serverGroups'], {
      cacheResults: { serverGroups: [serverGroup('shop', 'prod', 1, { label: 'changed' }), serverGroup('shop', 'test', 2), serverGroup('blog', 'prod', 1)] },
    });
    const after = await request(app)
      .get('/applications/shop/serverGroups')
      .set('If-None-Match', before.headers.etag as string);
    expect(after.status).toBe(200);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect(model.calls).toBe(calls + 1);

    // An eviction (its application unknown to the write path) invalidates too.
    await cache.evictDeletedItems('serverGroups', ['sg:test:shop-v002']);
    const evicted = await request(app)
      .get('/applications/shop/serverGroups')
      .set('If-None-Match', after.headers.etag as string);
    expect(evicted.status).toBe(200);
    expect(names(evicted.body)).toEqual(['shop-v001']);
  });

  it('a caching cycle that finds nothing new (the same items, built afresh) keeps the views', async () => {
    const cycle = (label: string) =>
      cache.putCacheResult('calm-agent', ['serverGroups'], {
        cacheResults: { serverGroups: [serverGroup('calm', 'prod', 1, { label, tags: { team: 'a' } }), serverGroup('calm', 'test', 2)] },
      });
    await cycle('one');
    const first = await request(app).get('/applications/calm/serverGroups');
    const calls = model.calls;
    await cycle('one');
    await cycle('one');
    const again = await request(app)
      .get('/applications/calm/serverGroups')
      .set('If-None-Match', first.headers.etag as string);
    expect(again.status).toBe(304);
    expect(model.calls).toBe(calls);
    await cycle('two');
    const changed = await request(app)
      .get('/applications/calm/serverGroups')
      .set('If-None-Match', first.headers.etag as string);
    expect(changed.status).toBe(200);
    expect(model.calls).toBe(calls + 1);
  });

  it('an account added, replaced or removed invalidates every view: which accounts exist decides what callers read', async () => {
    const before = await request(app).get('/applications/shop/serverGroups');
    const calls = model.calls;
    const etag = before.headers.etag as string;
    expect((await request(app).get('/applications/shop/serverGroups').set('If-None-Match', etag)).status).toBe(304);
    accountsVersion++;
    const after = await request(app).get('/applications/shop/serverGroups').set('If-None-Match', etag);
    // Rebuilt from the read model (here with the same items, so the same body and ETag come back).
    expect(after.status).toBe(304);
    expect(model.calls).toBe(calls + 1);
  });

  it('keeps callers apart: a caller with fewer accounts never gets another caller’s cached view', async () => {
    const everyone = await request(app).get('/applications/blog/serverGroups');
    const limited = await request(app).get('/applications/blog/serverGroups').set('X-SPINNAKER-USER', 'limited');
    await cache.putCacheResult('agent-t', ['serverGroups'], { cacheResults: { serverGroups: [serverGroup('blog', 'test', 7)] } });
    const everyoneAfter = await request(app).get('/applications/blog/serverGroups');
    const limitedAfter = await request(app).get('/applications/blog/serverGroups').set('X-SPINNAKER-USER', 'limited');
    expect(names(everyoneAfter.body)).toContain('blog-v007');
    expect(names(limitedAfter.body)).not.toContain('blog-v007');
    expect(limitedAfter.body).toEqual(limited.body);
    expect(everyoneAfter.headers.etag).not.toBe(everyone.headers.etag);
  });

  it('negotiates gzip and brotli, and sends identity when neither is accepted', async () => {
    expect((await request(app).get('/applications/shop/serverGroups').set('Accept-Encoding', 'gzip')).headers['content-encoding']).toBeUndefined(); // too small
    const plain = await request(app).get('/applications/big/serverGroups').set('Accept-Encoding', 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    const gzip = await request(app).get('/applications/big/serverGroups').set('Accept-Encoding', 'gzip, br;q=0');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gzip.body).toEqual(plain.body);
    expect(gzip.headers.vary).toMatch(/Accept-Encoding/);

    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const { headers, body } = await new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
        const port = (server.address() as AddressInfo).port;
        httpRequest({ host: '127.0.0.1', port, path: '/applications/big/serverGroups', headers: { 'accept-encoding': 'gzip, br' } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        })
          .on('error', reject)
          .end();
      });
      expect(headers['content-encoding']).toBe('br');
      expect(JSON.parse(brotliDecompressSync(body).toString())).toEqual(plain.body);
    } finally {
      server.close();
    }
  });

  it('errors are not cached', async () => {
    const missing = await request(app).get('/applications/shop/clusters/prod/nothing-here');
    expect(missing.status).toBe(404);
    // Express's own weak ETag at most, never one of the cache's strong ones.
    expect(String(missing.headers.etag ?? 'W/')).toMatch(/^W\//);
  });

  it('a time to live of 0 turns the cache off: every poll is built afresh', async () => {
    const calls = model.calls;
    const first = await request(uncachedApp).get('/applications/shop/serverGroups');
    const second = await request(uncachedApp).get('/applications/shop/serverGroups');
    expect(second.body).toEqual(first.body);
    expect(model.calls).toBe(calls + 2);
    expect(String(second.headers.etag ?? 'W/')).toMatch(/^W\//);
  });
});
