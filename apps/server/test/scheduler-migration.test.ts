import { randomBytes } from 'node:crypto';
import type { AgentExecution, AgentScheduler, ExecutionContext } from '@stratus/core';
import type { Agent } from '@stratus/plugin-api';
import { createRedisClient, deleteKeysMatching, RedisAgentScheduler } from '@stratus/redis';
import { createSqlDatabase, migrateSqlDatabase, SqlAgentScheduler, type SqlDatabase } from '@stratus/sql';
import { createTestDatabase, type TestDatabase } from '@stratus/sql/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DualLockAgentScheduler } from '../src/scheduler-migration/dual-lock-agent-scheduler.js';
import { RedisAgentStoreLock } from '../src/scheduler-migration/redis-agent-store-lock.js';
import { SqlAgentStoreLock } from '../src/scheduler-migration/sql-agent-store-lock.js';

/**
 * A rolling deploy of the agent scheduler from Redis to PostgreSQL, four in-process replicas over
 * 300 agents (300 ms intervals) at each step, every run recorded: a run starting while another run
 * of the same agent is in flight anywhere is an overlap. Step 1: two replicas on the Redis
 * scheduler alone, two migrating (both locks). Step 2: two migrating replicas configured with the
 * Redis scheduler and two with the SQL one (the mixed fleet). Step 3: two migrating, two on the SQL
 * scheduler alone. The control: Redis alone beside SQL alone, which must overlap. PostgreSQL and
 * MariaDB (whose `insert ignore` takes the other branch of the SQL lock).
 */
const AGENTS = 300;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const redis = createRedisClient({ url: 'redis://127.0.0.1:6379/0' });
const databases: TestDatabase[] = [];
const pools: SqlDatabase[] = [];
const prefixes: string[] = [];

afterAll(async () => {
  for (const pool of pools) await pool.close();
  for (const prefix of prefixes) await deleteKeysMatching(redis, `${prefix}:*`);
  redis.disconnect();
  for (const database of databases) await database.drop();
}, 60_000);

interface RunLog {
  readonly active: Map<string, number>;
  overlaps: number;
  /** Runs whose write was refused (timed out or lost the lock): none expected. */
  failed: number;
  readonly runs: Map<string, number>;
  readonly byNode: Map<string, number>;
}

function probe(agent: Agent, node: string, log: RunLog): AgentExecution {
  return {
    async execute(context: ExecutionContext) {
      const type = agent.agentType;
      const active = (log.active.get(type) ?? 0) + 1;
      log.active.set(type, active);
      if (active > 1) log.overlaps += 1;
      log.runs.set(type, (log.runs.get(type) ?? 0) + 1);
      log.byNode.set(node, (log.byNode.get(node) ?? 0) + 1);
      try {
        await sleep(20 + Math.random() * 40);
        await context.guardedWrite(async () => undefined);
        return { itemsWritten: 1 };
      } catch (error) {
        log.failed += 1;
        throw error;
      } finally {
        log.active.set(type, (log.active.get(type) ?? 1) - 1);
      }
    },
  };
}

type Kind = 'redis' | 'sql' | 'migrating';

async function fleet(database: TestDatabase, kinds: readonly Kind[], durationMs: number): Promise<RunLog> {
  const prefix = `stratus-test-schedmig-${randomBytes(4).toString('hex')}`;
  prefixes.push(prefix);
  const log: RunLog = { active: new Map(), overlaps: 0, failed: 0, runs: new Map(), byNode: new Map() };
  const agents: Agent[] = Array.from({ length: AGENTS }, (_, i) => ({
    agentType: `${prefix}/acct${i % 30}/Agent${i}`,
    providerName: 'migration',
    intervalMs: 300,
    timeoutMs: 10_000,
  }));
  const schedulers: AgentScheduler[] = kinds.map((kind, i) => {
    const nodeId = `${kind}-${i}`;
    const pool = createSqlDatabase({ url: database.url, maxConnections: 2 });
    pools.push(pool);
    const common = { nodeId, tickMs: 100, maxConcurrentAgents: 100 };
    if (kind === 'redis') return new RedisAgentScheduler(redis, { ...common, keyPrefix: `${prefix}:agents` });
    if (kind === 'sql') return new SqlAgentScheduler(pool, common);
    return new DualLockAgentScheduler({
      ...common,
      old: new RedisAgentStoreLock(redis, `${prefix}:agents`, nodeId),
      next: new SqlAgentStoreLock(pool, nodeId),
    });
  });
  schedulers.forEach((scheduler, i) => {
    for (const agent of agents) scheduler.schedule(agent, probe(agent, `${kinds[i]}-${i}`, log));
  });
  for (const scheduler of schedulers) scheduler.start();
  await sleep(durationMs);
  await Promise.all(schedulers.map((scheduler) => scheduler.stop(2_000)));
  const runs = [...log.runs.values()];
  console.log(
    `[${database.dialect}: ${kinds.join(' + ')}] ${runs.reduce((a, b) => a + b, 0)} runs, ${log.runs.size}/${AGENTS} agents ran, min per agent ${Math.min(...runs)}, ` +
      `per replica ${JSON.stringify(Object.fromEntries(log.byNode))}, overlaps ${log.overlaps}, refused writes ${log.failed}`,
  );
  return log;
}

describe.each(['postgres', 'mysql'] as const)('scheduler migration Redis -> SQL (%s) with a mixed fleet', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    databases.push(database);
    const db = createSqlDatabase({ url: database.url, maxConnections: 1 });
    await migrateSqlDatabase(db);
    await db.close();
  }, 60_000);

  it('step 1: two Redis-only and two migrating replicas never run an agent twice at once', async () => {
    const log = await fleet(database, ['redis', 'redis', 'migrating', 'migrating'], 6_000);
    expect(log.overlaps).toBe(0);
    expect(log.failed).toBe(0);
    expect(log.runs.size).toBe(AGENTS);
    expect(log.byNode.get('migrating-2')).toBeGreaterThan(0);
  }, 60_000);

  it('step 2: four migrating replicas (two configured with the Redis scheduler, two with the SQL one: the setting makes both take both locks), 0 overlapping runs', async () => {
    const log = await fleet(database, ['migrating', 'migrating', 'migrating', 'migrating'], 6_000);
    expect(log.overlaps).toBe(0);
    expect(log.failed).toBe(0);
    expect(log.runs.size).toBe(AGENTS);
  }, 60_000);

  it('step 3: two migrating and two SQL-only replicas never run an agent twice at once', async () => {
    const log = await fleet(database, ['migrating', 'migrating', 'sql', 'sql'], 6_000);
    expect(log.overlaps).toBe(0);
    expect(log.failed).toBe(0);
    expect(log.runs.size).toBe(AGENTS);
    expect(log.byNode.get('migrating-0')).toBeGreaterThan(0);
  }, 60_000);

  it('control: Redis-only beside SQL-only replicas (no migration setting) do overlap, so the probe can see it', async () => {
    const log = await fleet(database, ['redis', 'redis', 'sql', 'sql'], 3_000);
    expect(log.overlaps).toBeGreaterThan(0);
  }, 60_000);
});
