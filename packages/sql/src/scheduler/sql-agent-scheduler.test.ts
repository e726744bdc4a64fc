import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from '@stratus/plugin-api';
import type { AgentExecution, ExecutionContext } from '@stratus/core';
import { createSqlDatabase } from '../database/create-sql-database.js';
import type { SqlDatabase } from '../database/sql-database.js';
import { migrateSqlDatabase } from '../migrations/migrate-sql-database.js';
import { testDialects } from '../test-support/dialects.js';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database.js';
import { SqlAgentScheduler } from './sql-agent-scheduler.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

interface LockRow {
  agent_name: string;
  owner_id: string;
  acquired_at: string | number;
  expires_at: string | number;
}

describe.each(testDialects(['postgres', 'mysql']))('SqlAgentScheduler on %s', (dialect) => {
  let testDb: TestDatabase;
  let database: SqlDatabase;
  const schedulers: SqlAgentScheduler[] = [];
  const node = (nodeId: string, options: Partial<ConstructorParameters<typeof SqlAgentScheduler>[1]> = {}) => {
    const scheduler = new SqlAgentScheduler(database, { nodeId, tickMs: 40, ...options });
    schedulers.push(scheduler);
    return scheduler;
  };
  const rows = () => database.rows<LockRow>(`select agent_name, owner_id, acquired_at, expires_at from ${database.tables.agentLocks}`, []);

  beforeAll(async () => {
    testDb = await createTestDatabase(dialect);
    database = createSqlDatabase({ url: testDb.url, maxConnections: 4 });
    await migrateSqlDatabase(database);
  });
  afterEach(async () => {
    for (const scheduler of schedulers.splice(0)) await scheduler.stop(500);
    await database.affected(`delete from ${database.tables.agentLocks}`, []);
  });
  afterAll(async () => {
    await database?.close();
    await testDb?.drop();
  });

  it('keeps the lock row until start + interval, so no replica runs the agent early; deletes it when < 500 ms remain', async () => {
    const runs: string[] = [];
    const agent: Agent = { agentType: 'acct/cadence', providerName: 'p', intervalMs: 5_000, timeoutMs: 10_000 };
    const short: Agent = { agentType: 'acct/short', providerName: 'p', intervalMs: 300, timeoutMs: 10_000 };
    const execution = (name: string): AgentExecution => ({
      execute: async (context) => {
        runs.push(name);
        await context.guardedWrite(async () => undefined);
        return {};
      },
    });
    const a = node('node-a');
    a.schedule(agent, execution('a'));
    a.start();
    await eventually(() => runs.length === 1, 5000, 'the first run');
    await eventually(async () => (await rows()).some((r) => Number(r.expires_at) - Number(r.acquired_at) <= 5_100), 2000, 'the row moved to start + interval');
    const [row] = await rows();
    expect(row!.owner_id).toBe('node-a');
    expect(Number(row!.expires_at) - Number(row!.acquired_at)).toBeGreaterThanOrEqual(4_900);
    const b = node('node-b');
    b.schedule(agent, execution('b'));
    b.start();
    await sleep(400);
    expect(runs).toEqual(['a']);

    a.schedule(short, execution('short'));
    await eventually(() => runs.includes('short'), 5000, 'the short agent');
    await eventually(async () => !(await rows()).some((r) => r.agent_name === 'acct/short'), 2000, 'the short row deleted');
  });

  it('a run whose lock expired and was taken over stores nothing', async () => {
    const writes: string[] = [];
    let releaseA!: () => void;
    const gate = new Promise<void>((resolve) => (releaseA = resolve));
    const agent: Agent = { agentType: 'acct/contested', providerName: 'p', intervalMs: 60_000, errorIntervalMs: 60_000, timeoutMs: 20_000 };
    const started: string[] = [];
    const execution = (name: string, wait?: Promise<void>): AgentExecution => ({
      async execute(context: ExecutionContext) {
        started.push(name);
        await wait;
        await context.guardedWrite(async () => void writes.push(name));
        return {};
      },
    });
    const a = node('node-a');
    a.schedule(agent, execution('a', gate));
    a.start();
    await eventually(() => started.includes('a'), 5000, 'node a to start');
    // Node a stalls (GC pause, partition) long enough for its lease to lapse.
    await database.affected(database.statement(`update ${database.tables.agentLocks} set expires_at = ? where agent_name = ?`), [
      Date.now() - 1,
      agent.agentType,
    ]);
    const b = node('node-b');
    b.schedule(agent, execution('b'));
    b.start();
    await eventually(() => writes.includes('b'), 5000, 'node b to take over and store');
    releaseA();
    await eventually(() => a.instrumentation.get(agent.agentType)?.lastOutcome !== undefined, 5000, 'node a to finish');
    expect(a.instrumentation.get(agent.agentType)!.lastOutcome).toBe('discarded');
    expect(a.instrumentation.get(agent.agentType)!.lastError).toMatch(/lock expired or was taken over/);
    expect(writes).toEqual(['b']);
    const [row] = await rows();
    expect(row!.owner_id).toBe('node-b');
  });

  it('offers on-demand locks that exclude scheduled runs and other replicas', async () => {
    const a = node('node-a');
    const b = node('node-b');
    const lock = await a.tryLock('acct/on-demand');
    expect(lock).toBeDefined();
    expect(await b.tryLock('acct/on-demand')).toBeUndefined();
    expect(await b.lockValid(lock!)).toBe(true);
    let ran = false;
    b.schedule({ agentType: 'acct/on-demand', providerName: 'p', intervalMs: 100, timeoutMs: 5000 }, { execute: async () => ((ran = true), {}) });
    b.start();
    await sleep(300);
    expect(ran).toBe(false);
    expect(await a.tryRelease(lock!)).toBe(true);
    expect(await a.lockValid(lock!)).toBe(false);
    await eventually(() => ran, 5000, 'the scheduled run after release');
  });

  it('cancels zombie runs and deletes its row on unschedule', async () => {
    const a = node('node-a', { zombieThresholdMs: 150 });
    let signal: AbortSignal | undefined;
    a.schedule(
      { agentType: 'acct/zombie', providerName: 'p', intervalMs: 60_000, timeoutMs: 30_000 },
      {
        execute: async (context) => {
          signal = context.signal;
          await new Promise((resolve) => context.signal.addEventListener('abort', resolve));
          return {};
        },
      },
    );
    a.start();
    await eventually(() => signal?.aborted === true, 5000, 'the zombie to be cancelled');
    expect(String(signal!.reason)).toMatch(/zombie/);
    expect((await rows()).map((r) => r.agent_name)).toEqual(['acct/zombie']);
    a.unschedule('acct/zombie');
    await eventually(async () => (await rows()).length === 0, 2000, 'the row to go');
  });
});
