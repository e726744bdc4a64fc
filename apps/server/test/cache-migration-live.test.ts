import { describe, expect, it } from 'vitest';
import { scratchStores } from './support/scratch-stores.js';
import { sleep, startLiveServer, type LiveServer } from './support/live-task-servers.js';

/**
 * Cache store migrations with real server processes and the read API polled throughout:
 * memory -> Redis (A caches in memory with `caching.migration.target` = Redis while a client deploys
 * and reads; B serves from Redis alone) and Redis -> PostgreSQL (C caches in Redis with the target
 * PostgreSQL; D serves from PostgreSQL alone). B and D run no agents: whatever they answer comes from
 * the dual writes, and their first answer must equal the last answer before the switch.
 */
const scratch = scratchStores('stratus-cache-migration-');
const { dir, cleanups } = scratch;

const DEPLOY = (_i: number) =>
  JSON.stringify([{ createServerGroup: { credentials: 'prod', application: 'cachemig', region: 'us-east-1', capacity: { min: 1, max: 1, desired: 1 } } }]);

/** What Deck shows: the applications, and each one's clusters and server groups. */
async function readAll(base: string): Promise<Record<string, unknown>> {
  const get = async (path: string) => {
    const response = await fetch(`${base}${path}`);
    if (response.status !== 200) throw new Error(`GET ${path}: ${response.status}`);
    return response.json();
  };
  const applications = ((await get('/applications')) as { name: string }[]).map((app) => app.name).sort();
  const view: Record<string, unknown> = { applications };
  for (const app of applications) {
    view[`${app}/clusters`] = await get(`/applications/${app}/clusters`);
    const groups = (await get(`/applications/${app}/serverGroups`)) as { name: string; instances?: { name: string }[] }[];
    view[`${app}/serverGroups`] = groups
      .map((group) => ({ ...group, instances: (group.instances ?? []).map((instance) => instance.name).sort() }))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
  }
  return view;
}

/** Polls the read API until stopped; every answer must list applications. */
function poller(server: () => LiveServer): { stop(): Promise<number>; empty: string[] } {
  let running = true;
  let reads = 0;
  const empty: string[] = [];
  const loop = (async () => {
    while (running) {
      const response = await fetch(`${server().base}/applications`).catch(() => undefined);
      if (response?.status === 200) {
        reads += 1;
        if (((await response.json()) as unknown[]).length === 0) empty.push(`empty /applications from ${server().base}`);
      }
      await sleep(100);
    }
  })();
  return {
    empty,
    async stop() {
      running = false;
      await loop;
      return reads;
    },
  };
}

async function waitForApplications(base: string, name: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const apps = (await (await fetch(`${base}/applications`)).json()) as { name: string }[];
    if (apps.some((app) => app.name === name)) return;
    await sleep(200);
  }
  throw new Error(`application ${name} never appeared on ${base}`);
}

describe('cache store migration with live servers', () => {
  it('memory -> Redis and Redis -> PostgreSQL: the read API is never empty and answers the same after each switch', async () => {
    const prefix = scratch.redisPrefix('cachelive');
    const postgres = await scratch.database('postgres');
    const redisCache = `redis: {enabled: true, connection: 'redis://127.0.0.1:6379/0', keyPrefix: ${prefix}, scheduler: {enabled: false}, taskRepository: {enabled: false}}`;
    const servers: LiveServer[] = [];
    cleanups.push(async () => servers.forEach((server) => server.kill()));
    const start = async (name: string, yaml: string) => {
      const server = await startLiveServer(dir, name, yaml, 0, 300);
      servers.push(server);
      return server;
    };

    // A: memory cache, dual-writing to Redis; a client deploys while the read API is polled.
    const a = await start('a', `caching: {migration: {target: 'redis://127.0.0.1:6379/0?prefix=${prefix}'}}`);
    let current = a;
    const reads = poller(() => current);
    for (let i = 0; i < 3; i += 1) {
      const response = await fetch(`${a.base}/synthetic/ops`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: DEPLOY(i) });
      expect(response.status).toBe(200);
    }
    await waitForApplications(a.base, 'cachemig');
    await sleep(1500); // a few more caching cycles
    const beforeFirstSwitch = await readAll(a.base);
    expect((beforeFirstSwitch.applications as string[]).length).toBeGreaterThan(1);

    // B: Redis alone, no agents: the first answer is complete.
    const b = await start('b', `${redisCache}\ncaching: {writeEnabled: false}`);
    expect(await readAll(b.base)).toEqual(beforeFirstSwitch);
    current = b;
    expect(await a.stop()).toBe(0);

    // C: Redis cache, dual-writing to PostgreSQL, agents running (its cloud starts from the seed, so the
    // deploys above disappear from the cache: authoritative eviction in both stores).
    const c = await start('c', `${redisCache}\ncaching: {migration: {target: '${postgres.url}'}}`);
    current = c;
    expect(await b.stop()).toBe(0);
    const deadline = Date.now() + 30_000;
    while (((await readAll(c.base)).applications as string[]).includes('cachemig') && Date.now() < deadline) await sleep(300);
    await sleep(1500);
    const beforeSecondSwitch = await readAll(c.base);
    expect(beforeSecondSwitch.applications).not.toContain('cachemig');

    // D: PostgreSQL alone, no agents.
    const d = await start(
      'd',
      `sql: {enabled: true, connectionPools: {default: {url: '${postgres.url}'}}, cache: {enabled: true}}\ncaching: {writeEnabled: false}`,
    );
    expect(await readAll(d.base)).toEqual(beforeSecondSwitch);
    current = d;
    expect(await c.stop()).toBe(0);
    await sleep(500);
    const polled = await reads.stop();
    expect(await d.stop()).toBe(0);

    expect(reads.empty).toEqual([]);
    expect(polled).toBeGreaterThan(10);
  }, 240_000);
});
