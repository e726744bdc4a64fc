import type { CacheResult, CachingAgent } from '@stratus/plugin-api';
import { describe, expect, it } from 'vitest';
import {
  AccountAgentRegistry,
  ClusterCleanupAgent,
  clusterKeyFields,
  compactFields,
  countInstances,
  definedOnly,
  healthStateOf,
  mapLimit,
  markAgentChanged,
  mergeTransport,
  readConsistently,
  serverGroupKeyFields,
  splitKey,
  standardKeyParser,
  toPlainJson,
  transportUrl,
  withConsistentReads,
} from './index.js';

describe('ClusterCleanupAgent', () => {
  it('is a housekeeping agent typed <provider>/ClusterCleanupAgent', () => {
    const agent = new ClusterCleanupAgent('gce', 5000);
    expect([agent.providerName, agent.agentType, agent.intervalMs, agent.providedDataTypes]).toEqual(['gce', 'gce/ClusterCleanupAgent', 5000, []]);
    expect(new ClusterCleanupAgent('aws').intervalMs).toBeUndefined();
  });
});

describe('the changed-since-the-run-started guard', () => {
  it('reads again while an operation marked the agent changed during the read, three reads at most', async () => {
    const agent = {};
    let reads = 0;
    const result = await readConsistently(agent, async () => {
      reads++;
      if (reads < 2) markAgentChanged(agent);
      return reads;
    });
    expect(result).toBe(2);
    reads = 0;
    const capped = await readConsistently(agent, async () => {
      reads++;
      markAgentChanged(agent);
      return reads;
    });
    expect(capped).toBe(3);
  });

  it('wraps an agent instance without touching its class', async () => {
    let reads = 0;
    const agent = {
      agentType: 'a/r/X',
      providerName: 'x',
      providedDataTypes: [],
      loadData: async (): Promise<CacheResult> => {
        reads++;
        if (reads === 1) markAgentChanged(agent);
        return { cacheResults: {}, introspectionDetails: { reads } };
      },
    } as CachingAgent;
    const result = await withConsistentReads(agent).loadData(undefined as never, { signal: new AbortController().signal });
    expect(result.introspectionDetails).toEqual({ reads: 2 });
  });
});

describe('key helpers', () => {
  it('splits only the provider’s keys', () => {
    expect(splitKey('gce:clusters:a:b:c', 'gce')).toEqual({ base: { provider: 'gce', type: 'clusters' }, parts: ['a', 'b', 'c'] });
    expect(splitKey('aws:clusters:a', 'gce')).toBeUndefined();
    expect(splitKey('gce:x', 'gce')).toBeUndefined();
  });

  it('parses cluster and server group names into their fields, dropping empty ones', () => {
    const base = { provider: 'gce', type: 'serverGroups' };
    expect(clusterKeyFields(base, 'prod', 'app', 'app-main')).toEqual({
      ...base,
      account: 'prod',
      application: 'app',
      cluster: 'app-main',
      name: 'app-main',
      stack: 'main',
    });
    expect(serverGroupKeyFields(base, { cluster: 'App-main', account: 'prod', region: 'r1', serverGroup: 'App-main-v003', zone: 'r1-a' }, true)).toEqual({
      ...base,
      application: 'app',
      cluster: 'App-main',
      account: 'prod',
      region: 'r1',
      serverGroup: 'App-main-v003',
      name: 'App-main-v003',
      zone: 'r1-a',
      stack: 'main',
      sequence: '3',
    });
    expect(serverGroupKeyFields(base, { cluster: 'App', account: 'p', region: 'r', serverGroup: 'App-v001' }, false).application).toBe('App');
    expect(compactFields({ a: 'x', b: '', c: undefined })).toEqual({ a: 'x' });
  });

  it('builds the standard key parser with the provider in its URL templates', () => {
    const parser = standardKeyParser('azure', () => undefined);
    expect(parser.cloudProvider).toBe('azure');
    expect(parser.urlTemplates?.loadBalancers).toBe('/azure/loadBalancers/{account}/{region}/{loadBalancer}');
    expect(parser.searchableTypes).toContain('securityGroups');
  });
});

describe('view helpers', () => {
  it('aggregates health as Deck shows it', () => {
    expect(healthStateOf([])).toBe('Unknown');
    expect(healthStateOf([{ state: 'Up' }, { state: 'Down' }])).toBe('Down');
    expect(healthStateOf([{ state: 'Failed' }, { state: 'Down' }])).toBe('Down');
    expect(healthStateOf([{ state: 'Failed' }, { state: 'Down' }], { failedWins: true })).toBe('Failed');
    expect(healthStateOf([{ state: 'Up' }, { state: 'Starting' }])).toBe('Starting');
    expect(healthStateOf([{ state: 'Up' }])).toBe('Up');
  });

  it('counts instances by state', () => {
    const i = (healthState: string) => ({ name: 'i', healthState, health: [], cloudProvider: 'x' }) as never;
    expect(countInstances([i('Up'), i('Failed'), i('Draining'), i('Starting'), i('Unknown')])).toEqual({
      total: 5,
      up: 1,
      down: 1,
      outOfService: 1,
      starting: 1,
      unknown: 1,
    });
    expect(countInstances([i('Up'), i('Failed')], { excludeFailed: true })).toEqual({ total: 2, up: 1, down: 0, outOfService: 0, starting: 0, unknown: 0 });
  });
});

describe('utilities', () => {
  it('maps with bounded concurrency, in order', async () => {
    let inFlight = 0;
    let most = 0;
    const out = await mapLimit([5, 1, 3, 2], 2, async (n) => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, n));
      inFlight--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 30, 20]);
    expect(most).toBe(2);
    expect(await mapLimit([], 4, async () => 1)).toEqual([]);
  });

  it('converts SDK objects to plain JSON as told', () => {
    const value = { When: new Date(5), _kind: 'x', Items: [{ A: undefined, B: 1 }], Nil: null };
    expect(toPlainJson(value, { date: (d) => d.getTime(), skipKey: (k, v) => k.startsWith('_') || v === null, rename: (k) => k.toLowerCase() })).toEqual({
      when: 5,
      items: [{ b: 1 }],
    });
  });

  it('merges transports layer by layer and joins URLs', () => {
    expect(mergeTransport({ baseURL: 'http://a', ca: 'x' }, undefined, { baseURL: 'http://127.0.0.1:1/', ca: undefined })).toEqual({
      baseURL: 'http://127.0.0.1:1/',
      ca: 'x',
    });
    expect(transportUrl({ baseURL: 'http://127.0.0.1:1/' }, 'https://x', '/v1/p')).toBe('http://127.0.0.1:1/v1/p');
    expect(transportUrl({}, 'https://x/api', 'v1')).toBe('https://x/api/v1');
  });

  it('drops undefined fields so SDK options never carry one', () => {
    const signal: AbortSignal | undefined = undefined;
    const options: { abortSignal?: AbortSignal; expand: string } = { expand: 'x', ...definedOnly({ abortSignal: signal }) };
    expect(options).toStrictEqual({ expand: 'x' });
    expect(definedOnly({ a: 0, b: null, c: undefined })).toStrictEqual({ a: 0, b: null });
  });

  it('keeps an account until a newer version replaces it, and finds its agents by region and name', () => {
    const registry = new AccountAgentRegistry<{ name: string }>();
    const old = { name: 'prod' };
    const newer = { name: 'prod' };
    const agent = { agentType: 'prod/r1/X' } as never;
    registry.set(old, []);
    registry.set(newer, [agent]);
    registry.delete(old);
    expect(registry.get('prod')).toBe(newer);
    expect(registry.agent('prod', 'r1', 'X')).toBe(agent);
    expect(registry.agent('prod', 'r2', 'X')).toBeUndefined();
    registry.delete(newer);
    expect(registry.names()).toEqual([]);
  });
});
