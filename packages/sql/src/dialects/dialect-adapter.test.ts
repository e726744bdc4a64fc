import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqlDatabase } from '../database/create-sql-database.js';
import type { SqlDatabase } from '../database/sql-database.js';
import { migrateSqlDatabase } from '../migrations/migrate-sql-database.js';
import { testDialects } from '../test-support/dialects.js';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database.js';
import type { CacheUpsertRow } from './sql-dialect-adapter.js';

/**
 * Each adapter's SQL fragments, run on its real database: the parts the statement classes splice
 * together must mean the same thing on every dialect.
 */
describe.each(testDialects())('the %s dialect adapter', (dialect) => {
  let testDb: TestDatabase;
  let db: SqlDatabase;

  beforeAll(async () => {
    testDb = await createTestDatabase(dialect);
    db = createSqlDatabase({ url: testDb.url, maxConnections: 2, tableNamespace: 'dx' });
    await migrateSqlDatabase(db);
  });
  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
  });

  const row = (id: string, attributes: string | null, relationships: string | null = null): CacheUpsertRow => ({
    id,
    application: null,
    attributes,
    relationships,
    expiresAt: null,
    bodyHash: `${attributes}|${relationships}`,
  });
  const upsert = (rows: CacheUpsertRow[]) =>
    db.affected(db.statement(db.adapter.cacheUpsert(db.tables.cacheItems, rows.length)), db.adapter.cacheUpsertParams('ns', 't', rows));
  const stored = async (id: string) =>
    (
      await db.rows<{ attributes: string | null; relationships: string | null; body: string }>(
        db.statement(
          `select attributes, relationships, ${db.adapter.jsonPair('attributes', 'relationships')} as body from ${db.tables.cacheItems} where ns = ? and type = ? and id = ?`,
        ),
        ['ns', 't', id],
      )
    )[0];

  it('is the one the URL names', () => {
    expect(db.adapter.name).toBe(dialect);
    expect(db.dialect).toBe(dialect);
  });

  it('upserts: attributes replace unless absent, relationship names merge, and the pair reads back as JSON', async () => {
    await upsert([row('i-1', '{"a":1}', '{"x":["1"],"y":["2"]}'), row('i-2', '{"b":2}')]);
    await upsert([row('i-1', null, '{"y":["3"]}'), row('i-2', '{"b":3}')]);
    const first = await stored('i-1');
    expect(JSON.parse(first!.attributes!)).toEqual({ a: 1 });
    expect(JSON.parse(first!.relationships!)).toEqual({ x: ['1'], y: ['3'] });
    expect(JSON.parse(first!.body)).toEqual([{ a: 1 }, { x: ['1'], y: ['3'] }]);
    expect(JSON.parse((await stored('i-2'))!.body)).toEqual([{ b: 3 }, null]);
  });

  it('matches an id list of any length with one statement', async () => {
    const ids = ['i-1', 'i-2', 'missing'];
    const rows = await db.rows<{ id: string }>(
      db.statement(`select id from ${db.tables.cacheItems} where ns = ? and type = ? and ${db.adapter.inList('id', ids.length)} order by id`),
      ['ns', 't', ...db.adapter.listParams(ids)],
    );
    expect(rows.map((r) => r.id)).toEqual(['i-1', 'i-2']);
  });

  it('searches an id prefix literally and case-sensitively, wildcard characters included', async () => {
    const ids = ['a%b:1', 'a_b:1', 'aXb:1', 'a*b:1', 'a?b:1', 'a[b]:1', 'a!b:1', 'A%B:1'];
    await upsert(ids.map((id) => row(id, '{}')));
    const search = async (prefix: string) =>
      (
        await db.rows<{ id: string }>(
          db.statement(`select id from ${db.tables.cacheItems} where ns = ? and type = ? and ${db.adapter.prefixCondition('id')}`),
          ['ns', 't', db.adapter.prefixPattern(prefix)],
        )
      )
        .map((r) => r.id)
        .sort();
    for (const id of ids) expect(await search(id.slice(0, 3)), id).toEqual([id]);
    expect(await search('a')).toEqual(ids.filter((id) => id.startsWith('a')).sort());
  });

  it('skips duplicate keys on insert-ignore, returning only the inserted rows where it can', async () => {
    const columns = 'agent_name, owner_id, acquired_at, expires_at';
    const text = db.statement(db.adapter.insertIgnore(db.tables.agentLocks, columns, '(?, ?, ?, ?), (?, ?, ?, ?)', 'agent_name'));
    await db.affected(text, ['one', 'me', 1, 2, 'two', 'me', 1, 2]);
    const params = ['two', 'you', 5, 6, 'three', 'you', 5, 6];
    if (db.adapter.returnsInsertedRows) {
      expect((await db.rows<{ agent_name: string }>(text, params)).map((r) => r.agent_name)).toEqual(['three']);
    } else {
      expect(await db.affected(text, params)).toBe(1);
    }
    const owners = await db.rows<{ agent_name: string; owner_id: string }>(`select agent_name, owner_id from ${db.tables.agentLocks} order by agent_name`, []);
    expect(owners).toEqual([
      { agent_name: 'one', owner_id: 'me' },
      { agent_name: 'three', owner_id: 'you' },
      { agent_name: 'two', owner_id: 'me' },
    ]);
  });
});
