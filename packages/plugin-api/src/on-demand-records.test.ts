import { describe, expect, it } from 'vitest';
import type { Cache } from './cache.js';
import { cacheData, type CacheData } from './cache-data.js';
import {
  ON_DEMAND_TTL_SECONDS,
  ON_DEMAND_TYPE,
  applyUsableRecords,
  loadOnDemandRecords,
  onDemandRecord,
  reconcileOnDemandRecords,
  storedCacheResults,
  toPendingOnDemandRequest,
} from './on-demand-records.js';

const KEY = 'test:serverGroups:app-main:prod:r1:app-main-v001';
const fresh = cacheData(KEY, { name: 'app-main-v001', capacity: 3 }, { instances: ['test:instances:prod:r1:i-1'] });

function recordAt(cacheTime: number, extra: Record<string, unknown> = {}): CacheData {
  const base = onDemandRecord({ key: KEY, cacheResults: { serverGroups: [fresh] }, now: cacheTime });
  return { ...base, attributes: { ...base.attributes, ...extra } };
}

describe('onDemandRecord', () => {
  it('builds a 600 s record with a serialized per-type result and processedCount 0', () => {
    const record = onDemandRecord({ key: KEY, cacheResults: { serverGroups: [fresh] }, now: 1000, moniker: { app: 'app' }, details: { account: 'prod' } });
    expect(record.id).toBe(KEY);
    expect(record.ttlSeconds).toBe(ON_DEMAND_TTL_SECONDS);
    expect(record.attributes).toMatchObject({ cacheTime: 1000, processedCount: 0, moniker: { app: 'app' }, details: { account: 'prod' } });
    expect(typeof record.attributes.cacheResults).toBe('string');
    expect(record.attributes).not.toHaveProperty('processedTime');
    expect(storedCacheResults(record)).toEqual({ serverGroups: [fresh] });
  });

  it('reads a malformed cacheResults attribute as empty', () => {
    expect(storedCacheResults(cacheData(KEY, { cacheResults: '{not json' }))).toEqual({});
    expect(storedCacheResults(cacheData(KEY, { cacheResults: { serverGroups: [{ noId: true }] } }))).toEqual({ serverGroups: [] });
  });
});

describe('reconcileOnDemandRecords', () => {
  it('evicts records older than the fetch that were already processed, stamps the rest', () => {
    const processedOld = { ...recordAt(100, { processedCount: 1 }), id: 'old-processed' };
    const unprocessedOld = { ...recordAt(100), id: 'old-unprocessed' };
    const newer = { ...recordAt(500, { processedCount: 2 }), id: 'newer' };
    const result = reconcileOnDemandRecords([processedOld, unprocessedOld, newer], { fetchStartMs: 200, now: 900 });
    expect(result.evictable).toEqual(['old-processed']);
    expect(result.usable.map((r) => r.id)).toEqual(['old-unprocessed', 'newer']);
    expect(result.toWrite.map((r) => [r.id, r.attributes.processedCount, r.attributes.processedTime])).toEqual([
      ['old-unprocessed', 1, 900],
      ['newer', 3, 900],
    ]);
    // the write-back keeps the stored data and expiry
    expect(result.toWrite[0]!.attributes.cacheResults).toBe(unprocessedOld.attributes.cacheResults);
    expect(result.toWrite[0]!.attributes.cacheTime).toBe(100);
  });

  it('with presentKeys, evicts old records of vanished resources and keeps newer ones', () => {
    const goneOld = { ...recordAt(100), id: 'gone-old' };
    const goneNew = { ...recordAt(300), id: 'gone-new' };
    const result = reconcileOnDemandRecords([goneOld, goneNew], { fetchStartMs: 200, now: 900, presentKeys: [] });
    expect(result.evictable).toEqual(['gone-old']);
    expect(result.usable.map((r) => r.id)).toEqual(['gone-new']);
  });
});

describe('applyUsableRecords', () => {
  it('replaces freshly described items with the record data and adds missing ones', () => {
    const stale = cacheData(KEY, { name: 'app-main-v001', capacity: 1 });
    const other = cacheData('test:serverGroups:app-main:prod:r1:app-main-v002', { capacity: 5 });
    const extraInstance = cacheData('test:instances:prod:r1:i-1', { state: 'up' });
    const record = onDemandRecord({ key: KEY, cacheResults: { serverGroups: [fresh], instances: [extraInstance] }, now: 1 });
    const merged = applyUsableRecords({ serverGroups: [stale, other] }, [record]);
    expect(merged.serverGroups).toEqual([fresh, other]);
    expect(merged.instances).toEqual([extraInstance]);
  });
});

describe('toPendingOnDemandRequest', () => {
  it('shows the Clouddriver pending-record shape', () => {
    const record = recordAt(100, { cacheExpiry: 700, processedCount: 1, processedTime: 300, moniker: { app: 'app' } });
    expect(toPendingOnDemandRequest(record, (key) => ({ key }))).toEqual({
      id: KEY,
      details: { key: KEY },
      moniker: { app: 'app' },
      cacheTime: 100,
      cacheExpiry: 700,
      processedCount: 1,
      processedTime: 300,
    });
    expect(toPendingOnDemandRequest(recordAt(5))).toEqual({ id: KEY, details: {}, cacheTime: 5, processedCount: 0 });
  });
});

describe('loadOnDemandRecords', () => {
  it('loads the records whose ids match the glob', async () => {
    const calls: string[] = [];
    const records = [recordAt(1), { ...recordAt(2), id: 'test:serverGroups:x:staging:r1:x-v001' }];
    const cache = {
      async filterIdentifiers(type: string, glob: string) {
        calls.push(`${type} ${glob}`);
        return records.filter((r) => r.id.includes(':prod:')).map((r) => r.id);
      },
      async getAllByIds(type: string, ids: readonly string[]) {
        calls.push(`${type} ${ids.join(',')}`);
        return records.filter((r) => ids.includes(r.id));
      },
    } as unknown as Cache;
    const loaded = await loadOnDemandRecords(cache, 'test:serverGroups:*:prod:r1:*');
    expect(loaded.map((r) => r.id)).toEqual([KEY]);
    expect(calls).toEqual([`${ON_DEMAND_TYPE} test:serverGroups:*:prod:r1:*`, `${ON_DEMAND_TYPE} ${KEY}`]);
  });
});
