import { silentLogger, type CacheResult } from '@stratus/plugin-api';
import { CatsProviderCache, MemoryCacheStore } from '@stratus/core';
import { describe, expect, it } from 'vitest';
import { AccountCacheSession } from './account-cache-session.js';
import { parseKubernetesAccount } from '../accounts/kubernetes-account.js';
import type { KubernetesClient, Manifest } from '../kubernetes-client.js';
import { WatchBudget } from './watch-budget.js';

const account = parseKubernetesAccount({ name: 'unit', kubeconfigContents: 'x', kinds: ['configMap'] });
const cm = (name: string, rv: number): Manifest => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default', resourceVersion: String(rv), uid: name },
});

/** A scripted cluster: lists answer what `items` holds (optionally held back), watches are driven by hand. */
function scriptedClient() {
  const state = {
    items: [] as Manifest[],
    revision: 1,
    gate: undefined as Promise<void> | undefined,
    watchGate: undefined as Promise<void> | undefined,
    lists: 0,
    watches: [] as { rv: string; onEvent: (type: string, o: Manifest) => void; onDone: (e: unknown) => void; controller: AbortController }[],
  };
  const client = {
    // Discovery of a cluster serving core v1 ConfigMaps only.
    async discover(path: string) {
      if (path === '/api') return { versions: ['v1'] };
      if (path === '/apis') return { groups: [] };
      return { resources: [{ name: 'configmaps', kind: 'ConfigMap', namespaced: true, verbs: ['list', 'watch'] }] };
    },
    async list() {
      state.lists++;
      const snapshot = { items: state.items.map((i) => structuredClone(i)), resourceVersion: String(state.revision) };
      await state.gate;
      return snapshot;
    },
    async watch(_kind: unknown, _ns: unknown, rv: string, onEvent: (type: string, o: Manifest) => void, onDone: (e: unknown) => void) {
      const controller = new AbortController();
      state.watches.push({ rv, onEvent, onDone, controller });
      await state.watchGate;
      return controller;
    },
  } as unknown as KubernetesClient;
  return { client, state };
}

function session(client: KubernetesClient) {
  const cache = new CatsProviderCache(new MemoryCacheStore('unit'));
  const s = new AccountCacheSession(
    account,
    client,
    cache,
    'unit/KubernetesManifestCachingAgent',
    ['configMap', 'clusters'],
    new WatchBudget(10),
    silentLogger,
    {
      flushDelayMs: 1,
      reassertWindowMs: 20,
      watchConnectTimeoutMs: 50,
    },
  );
  return { s, cache };
}

const names = (result: CacheResult) => (result.cacheResults.configMap ?? []).map((i) => i.attributes.name);
const key = (name: string) => `kubernetes.v2:infrastructure:configMap:unit:default:${name}`;

describe('AccountCacheSession', () => {
  it('does not let a relist that started before a watch event undo it', async () => {
    const { client, state } = scriptedClient();
    const { s } = session(client);
    state.items = [cm('a', 5)];
    state.revision = 5;
    expect(names(await s.relist())).toEqual(['a']);
    expect(state.watches.map((w) => w.rv)).toEqual(['5']);

    let release!: () => void;
    state.gate = new Promise((resolve) => (release = resolve));
    const relist = s.relist();
    await Promise.resolve();
    // While the list is in flight (it saw revision 5), 'a' is deleted and 'b' created.
    state.watches[0]!.onEvent('DELETED', cm('a', 7));
    state.watches[0]!.onEvent('ADDED', cm('b', 8));
    release();
    const result = await relist;
    expect(names(result)).toEqual(['b']);
    expect(result.evictions?.configMap).toEqual([key('a')]);
    s.dispose();
  });

  it('writes watch events as partial results and relists after 410 Gone', async () => {
    const { client, state } = scriptedClient();
    const { s, cache } = session(client);
    state.items = [cm('a', 2)];
    state.revision = 2;
    const full = await s.relist();
    await cache.putCacheResult('unit/KubernetesManifestCachingAgent', ['configMap', 'clusters'], full);

    state.watches[0]!.onEvent('MODIFIED', { ...cm('a', 3), data: { x: '1' } });
    state.watches[0]!.onEvent('ADDED', cm('c', 4));
    await s.settled();
    expect((await cache.get('configMap', key('a')))?.attributes.manifest).toMatchObject({ data: { x: '1' } });
    expect(await cache.get('configMap', key('c'))).toBeDefined();

    // 410: the stream says its resourceVersion expired and ends; the session relists that kind.
    state.items = [cm('c', 9), cm('d', 10)];
    state.revision = 10;
    const listsBefore = state.lists;
    state.watches[0]!.onEvent('ERROR', { kind: 'Status', code: 410 } as Manifest);
    state.watches[0]!.onDone(null);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await s.settled();
    expect(state.lists).toBe(listsBefore + 1);
    expect(state.watches.map((w) => w.rv)).toEqual(['2', '10']);
    expect(await cache.get('configMap', key('a'))).toBeUndefined();
    expect(await cache.get('configMap', key('d'))).toBeDefined();
    s.dispose();
  });

  it('re-watches from the last resourceVersion when the server ends a stream, and backs off on errors', async () => {
    const { client, state } = scriptedClient();
    const { s } = session(client);
    state.revision = 3;
    await s.relist();
    state.watches[0]!.onEvent('BOOKMARK', { metadata: { resourceVersion: '42' } } as Manifest);
    state.watches[0]!.onDone(null);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(state.watches.map((w) => w.rv)).toEqual(['3', '42']);
    state.watches[1]!.onDone(Object.assign(new Error('boom'), { statusCode: 500 }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(state.watches).toHaveLength(2); // first retry waits 500 ms
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(state.watches.map((w) => w.rv)).toEqual(['3', '42', '42']);
    s.dispose();
    expect(state.watches[2]!.controller.signal.aborted).toBe(true);
  });

  it('ignores a stream that was superseded while it was still connecting', async () => {
    const { client, state } = scriptedClient();
    const { s, cache } = session(client);
    let connect!: () => void;
    state.watchGate = new Promise((resolve) => (connect = resolve));
    state.revision = 3;
    await s.relist();
    expect(state.watches).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(s.health()).toMatchObject({ stalledWatches: 1, lastError: 'watch of ConfigMap did not connect within 50 ms' });
    s.stopWatches();
    s.touch(); // in use again before the first stream finished connecting
    expect(state.watches).toHaveLength(2);
    connect();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(state.watches[0]!.controller.signal.aborted).toBe(true);
    expect(state.watches[1]!.controller.signal.aborted).toBe(false);
    state.watches[0]!.onEvent('ADDED', cm('ghost', 9));
    state.watches[1]!.onEvent('ADDED', cm('real', 9));
    await s.settled();
    expect(await cache.get('configMap', key('ghost'))).toBeUndefined();
    expect(await cache.get('configMap', key('real'))).toBeDefined();
    expect(s.health()).toMatchObject({ openWatches: 1, stalledWatches: 0 });
    s.dispose();
  });
});
