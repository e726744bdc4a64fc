/**
 * `pnpm bench` (in packages/sql): the SQL cache store under a 1,000,000-resource synthetic caching
 * cycle, cold then 1 % warm, on PostgreSQL and MariaDB; on PostgreSQL also a plain
 * `INSERT … SELECT FROM unnest` of the same rows as the baseline; and the
 * `/applications/{app}/serverGroups` read for an application with 5,000 server groups and 50,000
 * instances. Each dialect runs in a fresh `stratus_test_<random>` database that is dropped after.
 *
 * Env: BENCH_RESOURCES (1000000), BENCH_DIALECTS (postgres,mysql), BENCH_CONCURRENCY (4),
 * BENCH_WRITE_BATCH (config default), BENCH_QUERY_RUNS (30).
 */
import 'reflect-metadata';
import { CatsProviderCache, definedOnly } from '@stratus/core';
import type { CacheData } from '@stratus/plugin-api';
import { generateSyntheticResults, type SyntheticResults } from '@stratus/testing';
import { defaultApplicationOf, encodeItem, type ApplicationOf } from '../cache/cache-row-codec.js';
import { SqlCacheStoreFactory } from '../cache/sql-cache-store-factory.js';
import { createSqlDatabase } from '../database/create-sql-database.js';
import type { SqlDatabase } from '../database/sql-database.js';
import type { SqlDialectName } from '../dialects/sql-dialect-name.js';
import { migrateSqlDatabase } from '../migrations/migrate-sql-database.js';
import { createTestDatabase } from '../test-support/test-database.js';

const RESOURCES = Number(process.env.BENCH_RESOURCES ?? 1_000_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const WRITE_BATCH = process.env.BENCH_WRITE_BATCH ? Number(process.env.BENCH_WRITE_BATCH) : undefined;
const QUERY_RUNS = Number(process.env.BENCH_QUERY_RUNS ?? 30);
const DIALECTS = (process.env.BENCH_DIALECTS ?? 'postgres,mysql').split(',') as SqlDialectName[];
const PER_AGENT = 5_000;

/** Instances carry their server group's name; the application is its first frigga segment. */
const applicationOf: ApplicationOf = (type, id, attributes) =>
  defaultApplicationOf(type, id, attributes) ?? (typeof attributes.serverGroup === 'string' ? attributes.serverGroup.split('-')[0] : undefined);

interface Row {
  readonly dialect: string;
  readonly phase: string;
  readonly rows: number;
  readonly seconds: number;
  readonly rowsPerSecond: number;
  readonly note?: string;
}

const results: Row[] = [];

async function pool<T>(items: Iterable<T>, concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  const iterator = items[Symbol.iterator]();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let next = iterator.next(); !next.done; next = iterator.next()) await work(next.value);
    }),
  );
}

async function cycle(
  factory: SqlCacheStoreFactory,
  synthetic: SyntheticResults,
  n: number,
): Promise<{ seconds: number; generatingSeconds: number; changed: number }> {
  const cache = new CatsProviderCache(factory.getStore('aws'));
  let changed = 0;
  let generating = 0;
  const started = performance.now();
  await pool(
    Array.from({ length: synthetic.agents }, (_, i) => i),
    CONCURRENCY,
    async (agent) => {
      const generateStart = performance.now();
      const { agentType, authoritativeTypes, result, changedCount } = synthetic.result(agent, n);
      generating += performance.now() - generateStart; // same thread: time no query could use
      changed += changedCount;
      await cache.putCacheResult(agentType, authoritativeTypes, result);
    },
  );
  return { seconds: (performance.now() - started) / 1000, generatingSeconds: generating / 1000, changed };
}

/** The baseline: the same rows, serialised the same way, into an empty copy of the table by plain unnest inserts. */
async function unnestBaseline(database: SqlDatabase, synthetic: SyntheticResults): Promise<{ seconds: number; generatingSeconds: number }> {
  const table = `${database.tables.cacheItems}_baseline`;
  await database.affected(`create table ${table} (like ${database.tables.cacheItems} including all)`, []);
  const insert = database.statement(
    `insert into ${table} (ns, type, id, application, attributes, relationships, expires_at, body_hash)
     select ?, ?, * from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[])`,
  );
  const seen = new Set<string>();
  let generating = 0;
  const started = performance.now();
  await pool(
    Array.from({ length: synthetic.agents }, (_, i) => i),
    CONCURRENCY,
    async (agent) => {
      const generateStart = performance.now();
      const { result } = synthetic.result(agent, 0);
      generating += performance.now() - generateStart;
      for (const [type, items] of Object.entries(result.cacheResults)) {
        // Cluster items are shared by the agents of an account; a plain insert may write each once.
        const fresh = items.filter((item: CacheData) => !seen.has(`${type}\u0000${item.id}`) && seen.add(`${type}\u0000${item.id}`));
        for (let i = 0; i < fresh.length; i += 5_000) {
          const rows = fresh.slice(i, i + 5_000).map((item) => encodeItem(type, item, Date.now(), applicationOf));
          await database.affected(insert, [
            'aws',
            type,
            rows.map((r) => r.id),
            rows.map((r) => r.application),
            rows.map((r) => r.attributes),
            rows.map((r) => r.relationships),
            rows.map((r) => r.expiresAt),
            rows.map((r) => r.bodyHash),
          ]);
        }
      }
    },
  );
  const seconds = (performance.now() - started) / 1000;
  await database.affected(`drop table ${table}`, []);
  return { seconds, generatingSeconds: generating / 1000 };
}

/** An application with 5,000 server groups (10 instances each) in its own namespace. */
async function seedBigApplication(factory: SqlCacheStoreFactory): Promise<void> {
  const store = factory.getStore('big');
  const serverGroups: CacheData[] = [];
  const instances: CacheData[] = [];
  for (let s = 0; s < 5_000; s++) {
    const name = `bigapp-stack${s % 50}-v${String(s).padStart(4, '0')}`;
    const sgKey = `aws:serverGroups:bigapp-stack${s % 50}:prod:us-east-1:${name}`;
    const instanceKeys: string[] = [];
    for (let i = 0; i < 10; i++) {
      const id = `i-${s.toString(16).padStart(6, '0')}${i}`;
      const key = `aws:instances:prod:us-east-1:${id}`;
      instanceKeys.push(key);
      instances.push({
        id: key,
        ttlSeconds: -1,
        attributes: { instanceId: id, serverGroup: name, healthState: 'Up', zone: 'us-east-1a', launchTime: 1_700_000_000_000 + i },
        relationships: { 'serverGroups:bench': [sgKey] },
      });
    }
    serverGroups.push({
      id: sgKey,
      ttlSeconds: -1,
      attributes: { name, application: 'bigapp', account: 'prod', region: 'us-east-1', capacity: { min: 10, max: 10, desired: 10 }, disabled: false },
      relationships: { 'instances:bench': instanceKeys, 'loadBalancers:bench': [`aws:loadBalancers:prod:us-east-1:bigapp-${s % 50}`] },
    });
  }
  await store.mergeAll('serverGroups', serverGroups);
  await store.mergeAll('instances', instances);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function timeQuery(label: string, dialect: string, run: () => Promise<number>): Promise<void> {
  await run(); // warm the buffer cache once
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < QUERY_RUNS; i++) {
    const started = performance.now();
    rows = await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const p50 = percentile(times, 50);
  const p99 = percentile(times, 99);
  results.push({
    dialect,
    phase: label,
    rows,
    seconds: p99 / 1000,
    rowsPerSecond: Math.round(rows / (p50 / 1000)),
    note: `p50 ${p50.toFixed(0)} ms, p99 ${p99.toFixed(0)} ms`,
  });
}

async function benchDialect(dialect: SqlDialectName): Promise<void> {
  const testDb = await createTestDatabase(dialect);
  const database = createSqlDatabase({ url: testDb.url, maxConnections: CONCURRENCY + 2 });
  try {
    await migrateSqlDatabase(database);
    const factory = new SqlCacheStoreFactory(database, definedOnly({ applicationOf, writeBatchSize: WRITE_BATCH, ownsDatabase: false }));
    const synthetic = generateSyntheticResults({ agents: Math.max(1, Math.round(RESOURCES / PER_AGENT)), resourcesPerAgent: PER_AGENT, changedFraction: 0.01 });
    const total = synthetic.totalResources;

    const cold = await cycle(factory, synthetic, 0);
    results.push({
      dialect,
      phase: 'cold cycle (upserts)',
      rows: total,
      seconds: cold.seconds,
      rowsPerSecond: Math.round(total / cold.seconds),
      note: `${synthetic.agents} agents, ${CONCURRENCY} at a time; ${cold.generatingSeconds.toFixed(1)} s of it generating the results`,
    });
    const warm = await cycle(factory, synthetic, 1);
    results.push({
      dialect,
      phase: 'warm cycle (1 % changed)',
      rows: total,
      seconds: warm.seconds,
      rowsPerSecond: Math.round(total / warm.seconds),
      note: `${warm.changed} items changed; ${warm.generatingSeconds.toFixed(1)} s of it generating the results`,
    });

    if (dialect === 'postgres') {
      const { seconds, generatingSeconds } = await unnestBaseline(database, synthetic);
      const rows = synthetic.distinctItems;
      results.push({
        dialect,
        phase: 'baseline: plain insert … select from unnest',
        rows,
        seconds,
        rowsPerSecond: Math.round(rows / seconds),
        note: `our cold cycle = ${((total / cold.seconds / (rows / seconds)) * 100).toFixed(0)} % of its rows/s; ${generatingSeconds.toFixed(1)} s of it generating the results`,
      });
    }

    await seedBigApplication(factory);
    const store = factory.getStore('big');
    await timeQuery(
      'app with 5,000 server groups: server groups (one indexed query)',
      dialect,
      async () => (await store.getAllByApplication('serverGroups', 'bigapp')).length,
    );
    await timeQuery('same + its 50,000 instances (second indexed query)', dialect, async () => {
      const [groups, instances] = await Promise.all([store.getAllByApplication('serverGroups', 'bigapp'), store.getAllByApplication('instances', 'bigapp')]);
      return groups.length + instances.length;
    });
  } finally {
    await database.close();
    await testDb.drop();
  }
}

for (const dialect of DIALECTS) {
  console.error(`benchmarking ${dialect} …`);
  await benchDialect(dialect);
}

const header = ['dialect', 'phase', 'rows', 'seconds', 'rows/s', 'note'];
const lines = results.map((r) => [
  r.dialect,
  r.phase,
  r.rows.toLocaleString('en-US'),
  r.seconds.toFixed(2),
  r.rowsPerSecond.toLocaleString('en-US'),
  r.note ?? '',
]);
console.log(`| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|`);
for (const line of lines) console.log(`| ${line.join(' | ')} |`);
