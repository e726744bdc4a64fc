import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Agent, AgentOwnership } from '@stratus/plugin-api';
import type { ExecutionContext } from '@stratus/core';
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

describe.each(testDialects(['postgres', 'mysql']))('SqlAgentScheduler ownership between runs on %s', (dialect) => {
  let testDb: TestDatabase;
  let database: SqlDatabase;
  const schedulers: SqlAgentScheduler[] = [];
  const expiresAt = async (agentType: string) =>
    (
      await database.rows<{ expires_at: string | number }>(database.statement(`select expires_at from ${database.tables.agentLocks} where agent_name = ?`), [
        agentType,
      ])
    )[0]?.expires_at;

  beforeAll(async () => {
    testDb = await createTestDatabase(dialect);
    database = createSqlDatabase({ url: testDb.url, maxConnections: 4 });
    await migrateSqlDatabase(database);
  });
  afterEach(async () => {
    for (const scheduler of schedulers.splice(0)) await scheduler.stop(500);
  });
  afterAll(async () => {
    await database?.close();
    await testDb?.drop();
  });

  const replica = (nodeId: string, agent: Agent) => {
    const scheduler = new SqlAgentScheduler(database, { nodeId, tickMs: 40 });
    schedulers.push(scheduler);
    const state = { runs: 0, ownership: undefined as AgentOwnership | undefined };
    scheduler.schedule(agent, {
      async execute(context: ExecutionContext) {
        state.runs++;
        state.ownership = context.ownership;
        return {};
      },
    });
    return { scheduler, state };
  };

  it('lets the replica holding the agent row write, restores the row after the write, and refuses once another replica runs it', async () => {
    const agent: Agent = { agentType: 'acct/sql-owned', providerName: 'p', intervalMs: 2_000, timeoutMs: 5_000 };
    const a = replica('sql-a', agent);
    a.scheduler.start();
    await eventually(() => a.state.ownership !== undefined, 3000, 'a run on sql-a');
    await eventually(async () => Number(await expiresAt(agent.agentType)) < Date.now() + 2_500, 3000, 'the not-before marker');
    const ownership = a.state.ownership!;
    expect(await ownership.owned()).toBe(true);
    const marker = await expiresAt(agent.agentType);
    let heldDuringWrite: unknown;
    expect(await ownership.writeIfOwned(async () => void (heldDuringWrite = await expiresAt(agent.agentType)))).toBe(true);
    expect(Number(heldDuringWrite)).toBeGreaterThan(Number(marker));
    expect(String(await expiresAt(agent.agentType))).toBe(String(marker));

    // The row goes (replica-a stops taking agents); replica-b takes the agent.
    await a.scheduler.stop(500);
    await database.affected(database.statement(`delete from ${database.tables.agentLocks} where agent_name = ?`), [agent.agentType]);
    const b = replica('sql-b', agent);
    b.scheduler.start();
    await eventually(() => b.state.runs > 0, 3000, 'a run on sql-b');
    expect(await ownership.owned()).toBe(false);
    let written = false;
    expect(await ownership.writeIfOwned(async () => void (written = true))).toBe(false);
    expect(written).toBe(false);
    expect(await b.state.ownership!.owned()).toBe(true);
  });
});
