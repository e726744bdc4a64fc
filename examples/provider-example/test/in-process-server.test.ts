import { parseConfig, startServer, type RunningServer } from '@stratus/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nimbusProvider } from '../src/index.js';
import { FakeNimbusApi } from './fake-nimbus-api.js';

/**
 * The provider inside the real server, in this process: `startServer` from `@stratus/server` with
 * the provider in hand (`providers: [nimbusProvider]`), no package install needed. Quicker to debug
 * than the packed-install test, which covers packaging.
 */
describe('the example provider in an in-process server', () => {
  let api: FakeNimbusApi;
  let server: RunningServer;

  beforeAll(async () => {
    api = await FakeNimbusApi.start();
    api.seed({ name: 'shop-api-v007', region: 'south-1', desired: 1 });
    const raw = {
      server: { port: 0, address: '127.0.0.1' },
      logging: { level: 'silent' },
      nimbus: { accounts: [{ name: 'nimbus-inproc', endpoint: api.url, token: api.token, regions: ['south-1'], cacheIntervalSeconds: 1 }] },
    };
    server = await startServer({ config: parseConfig(raw), raw, providers: [nimbusProvider] });
  });

  afterAll(async () => {
    await server?.shutdown('test done');
    await api?.close();
  });

  it('serves the cached server group and pending on-demand refreshes', async () => {
    let groups: { name: string; instances: unknown[] }[] = [];
    for (let attempt = 0; attempt < 100 && groups.length === 0; attempt++) {
      groups = (await (await fetch(`${server.url}/applications/shop/serverGroups`)).json()) as typeof groups;
      if (groups.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(groups.map((g) => g.name)).toEqual(['shop-api-v007']);

    const refresh = await fetch(`${server.url}/cache/nimbus/serverGroup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ account: 'nimbus-inproc', region: 'south-1', serverGroupName: 'shop-api-v007' }),
    });
    expect(refresh.status).toBe(202);
    const pending = (await (await fetch(`${server.url}/cache/nimbus/serverGroup`)).json()) as { id: string }[];
    expect(pending.map((p) => p.id)).toContain('nimbus:serverGroups:shop-api:nimbus-inproc:south-1:shop-api-v007');
  });
});
