import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CacheData } from '@stratus/plugin-api';
import { createSqlDatabase } from '../database/create-sql-database.js';
import type { SqlDatabase } from '../database/sql-database.js';
import { migrateSqlDatabase } from '../migrations/migrate-sql-database.js';
import { SQL_LIMITS } from '../migrations/limits.js';
import { testDialects } from '../test-support/dialects.js';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database.js';
import { SqlCacheStoreFactory } from './sql-cache-store-factory.js';

const item = (id: string, attributes: Record<string, unknown>, relationships: Record<string, string[]> = {}, ttlSeconds = -1): CacheData => ({
  id,
  attributes,
  relationships,
  ttlSeconds,
});

describe.each(testDialects())('SqlCacheStore on %s', (dialect) => {
  let testDb: TestDatabase;
  let database: SqlDatabase;
  let factory: SqlCacheStoreFactory;
  let clock = 1_000_000;
  const errors: unknown[] = [];
  const logger = {
    debug() {},
    info() {},
    warn() {},
    error: (obj: unknown) => void errors.push(obj),
    child() {
      return logger;
    },
  };

  beforeAll(async () => {
    testDb = await createTestDatabase(dialect);
    database = createSqlDatabase({ url: testDb.url, maxConnections: 3, tableNamespace: 'ns1' });
    await migrateSqlDatabase(database);
    factory = new SqlCacheStoreFactory(database, { writeBatchSize: 7, readBatchSize: 5, logger, now: () => clock });
  });

  afterAll(async () => {
    await factory?.close();
    await testDb?.drop();
  });

  it('replaces attributes, keeps them on an empty merge and merges relationship names', async () => {
    const store = factory.getStore('p1');
    await store.mergeAll('serverGroups', [item('sg-1', { a: 1, b: 2 }, { 'instances:agentA': ['i-1', 'i-2'] })]);
    await store.mergeAll('serverGroups', [item('sg-1', {}, { 'loadBalancers:agentB': ['lb-1'] })]);
    await store.mergeAll('serverGroups', [item('sg-1', { a: 3, gone: null }, { 'instances:agentA': ['i-3'] })]);
    const [read] = await store.getAll('serverGroups', ['sg-1']);
    expect(read).toEqual({
      id: 'sg-1',
      attributes: { a: 3 },
      relationships: { 'instances:agentA': ['i-3'], 'loadBalancers:agentB': ['lb-1'] },
      ttlSeconds: -1,
    });
    const filtered = await store.getAll('serverGroups', ['sg-1'], { relationshipPrefixes: ['load'] });
    expect(filtered[0]!.relationships).toEqual({ 'loadBalancers:agentB': ['lb-1'] });
    const none = await store.getAll('serverGroups', undefined, { relationshipPrefixes: [] });
    expect(none).toEqual([{ id: 'sg-1', attributes: { a: 3 }, relationships: {}, ttlSeconds: -1 }]);
  });

  it('hides items without attributes and items whose attributes were all null', async () => {
    const store = factory.getStore('p2');
    await store.mergeAll('instances', [item('edge-only', {}, { 'serverGroups:x': ['sg'] }), item('cleared', { a: 1 })]);
    await store.mergeAll('instances', [item('cleared', { a: null })]);
    expect(await store.ids('instances')).toEqual([]);
    expect(await store.getAll('instances', ['edge-only', 'cleared'])).toEqual([]);
    expect(await store.existingIds('instances', ['edge-only', 'cleared'])).toEqual([]);
  });

  it('expires items at cacheExpiry and makes them permanent again on a merge without TTL', async () => {
    const store = factory.getStore('p3');
    await store.mergeAll('onDemand', [item('od-1', { cacheExpiry: clock + 10_000 }, {}, 10)]);
    expect((await store.getAll('onDemand', ['od-1']))[0]!.ttlSeconds).toBe(10);
    clock += 10_001;
    expect(await store.getAll('onDemand', ['od-1'])).toEqual([]);
    await store.mergeAll('onDemand', [item('od-1', { x: 1 })]);
    expect((await store.getAll('onDemand', ['od-1']))[0]).toMatchObject({ attributes: { x: 1 }, ttlSeconds: -1 });
  });

  it('keeps ids byte-exact: case, trailing spaces and LIKE wildcards are distinct', async () => {
    const store = factory.getStore('p4');
    const ids = ['aws:x:Foo', 'aws:x:foo', 'aws:x:foo ', 'aws:x:f_o', 'aws:x:f%o', 'aws:x:f!o', 'aws:x:é€ü', 'aws:x:😀'];
    await store.mergeAll(
      'things',
      ids.map((id, n) => item(id, { n })),
    );
    expect((await store.ids('things')).sort()).toEqual([...ids].sort());
    expect((await store.getAll('things', ids)).map((d) => d.attributes.n)).toEqual(ids.map((_, n) => n));
    expect((await store.filterIds('things', 'aws:x:f*')).sort()).toEqual(['aws:x:f!o', 'aws:x:f%o', 'aws:x:f_o', 'aws:x:foo', 'aws:x:foo '].sort());
    expect(await store.filterIds('things', 'aws:x:f_*')).toEqual(['aws:x:f_o']);
    expect((await store.filterIds('things', 'aws:x:[Ff]oo')).sort()).toEqual(['aws:x:Foo', 'aws:x:foo']);
    expect(await store.filterIds('things', 'aws:x:foo')).toEqual(['aws:x:foo']);
    expect(await store.filterIds('things', 'aws:x:é€?')).toEqual(['aws:x:é€ü']);
    expect(await store.existingIds('things', ['aws:x:😀', 'aws:x:😁'])).toEqual(['aws:x:😀']);
  });

  it('writes in chunks, skips unchanged rows and evicts', async () => {
    const store = factory.getStore('p5');
    const many = Array.from({ length: 23 }, (_, n) => item(`id-${String(n).padStart(3, '0')}`, { n, application: n % 2 ? 'odd' : 'even' }));
    await store.mergeAll('serverGroups', many);
    expect((await store.ids('serverGroups')).length).toBe(23);
    // PostgreSQL's upsert returns the ids it wrote (a `rows` call); elsewhere it reports a count.
    const spy = vi.spyOn(database, 'affected');
    const rowsSpy = vi.spyOn(database, 'rows');
    const upserts = () =>
      [
        ...spy.mock.calls.map((call, i) => ({ text: call[0], result: spy.mock.results[i]!.value as Promise<number> })),
        ...rowsSpy.mock.calls.map((call, i) => ({ text: call[0], result: (rowsSpy.mock.results[i]!.value as Promise<unknown[]>).then((r) => r.length) })),
      ].filter(({ text }) => /cache_items/.test(text) && /^\s*insert/i.test(text));
    // Rows the upserts inserted or changed. Right after a merge that wrote everything, PostgreSQL sends
    // the rows without comparing first and its upsert skips the unchanged ones; elsewhere (and on
    // PostgreSQL once it has seen a merge change little) unchanged rows are never sent.
    const upsertedRows = async () => {
      let rows = 0;
      for (const { result } of upserts()) rows += await result;
      return rows;
    };
    const upsertStatements = () => upserts().length;
    // Right after a merge that wrote everything, PostgreSQL's upsert alone tells which rows it left as they were.
    expect((await store.mergeAll('serverGroups', many)).unchanged.size).toBe(23);
    expect(upsertStatements() > 0).toBe(dialect === 'postgres'); // chunked: several statements
    if (dialect === 'postgres') expect(await upsertedRows()).toBe(0);
    spy.mockClear();
    rowsSpy.mockClear();
    const outcome = await store.mergeAll('serverGroups', [...many.slice(1), item('id-000', { n: 'changed', application: 'even' })]);
    expect(outcome.unchanged.size).toBe(22);
    expect(outcome.unchanged.has('id-000')).toBe(false);
    expect(upsertStatements()).toBe(1);
    // (MySQL reports 2 for a row changed by ON DUPLICATE KEY UPDATE; only PostgreSQL's count is used.)
    if (dialect === 'postgres') expect(await upsertedRows()).toBe(1);
    spy.mockRestore();
    rowsSpy.mockRestore();
    expect((await store.getAllByApplication('serverGroups', 'odd')).length).toBe(11);
    expect((await store.getAllByApplication('serverGroups', 'even', { relationshipPrefixes: [] })).map((d) => d.attributes.n)).toContain('changed');
    await store.evictAll(
      'serverGroups',
      many
        .slice(0, 20)
        .map((d) => d.id)
        .concat(['unknown']),
    );
    expect((await store.ids('serverGroups')).sort()).toEqual(['id-020', 'id-021', 'id-022']);
  });

  it('folds duplicate ids in one merge as if applied in order', async () => {
    const store = factory.getStore('p6');
    await store.mergeAll('t', [item('d', { a: 1 }, { 'r:x': ['1'] }), item('d', {}, { 'r:y': ['2'] }), item('d', { a: 2 }, { 'r:x': ['3'] })]);
    expect(await store.getAll('t', ['d'])).toEqual([{ id: 'd', attributes: { a: 2 }, relationships: { 'r:x': ['3'], 'r:y': ['2'] }, ttlSeconds: -1 }]);
  });

  it('rejects over-long ids with a logged error and stores the rest', async () => {
    const store = factory.getStore('p7');
    const long = 'x'.repeat(SQL_LIMITS.idLength + 1);
    errors.length = 0;
    await store.mergeAll('t', [item(long, { a: 1 }), item('short', { a: 2 })]);
    expect(await store.ids('t')).toEqual(['short']);
    expect(errors).toHaveLength(1);
    expect(await store.getAll('t', [long, 'short'])).toHaveLength(1);
  });

  it('keeps source ids per (type, source), invisible to reads, across chunk rows', async () => {
    const store = factory.getStore('p8');
    const ids = Array.from({ length: 12_345 }, (_, n) => `aws:instances:acct:region:i-${n}`);
    await store.setSourceIds('instances', 'agentA', ids);
    await store.setSourceIds('instances', 'agentB', ['one']);
    expect(await store.getSourceIds('instances', 'agentA')).toEqual(ids);
    await store.setSourceIds('instances', 'agentA', ['a', 'b']);
    expect(await store.getSourceIds('instances', 'agentA')).toEqual(['a', 'b']);
    expect(await store.getSourceIds('instances', 'agentB')).toEqual(['one']);
    expect(await store.getSourceIds('instances', 'agentC')).toEqual([]);
    expect(await store.ids('instances')).toEqual([]);
    expect(await store.types()).toEqual(['instances']);
  });

  it('lists written types per namespace, even after everything was evicted', async () => {
    const store = factory.getStore('p9');
    await store.mergeAll('b', [item('1', { a: 1 })]);
    await store.mergeAll('a', [item('1', { a: 1 })]);
    await store.evictAll('a', ['1']);
    expect(await store.types()).toEqual(['a', 'b']);
    expect(await factory.getStore('p10').types()).toEqual([]);
  });
});
