import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from '@stratus/plugin-api';
import { createSqlDatabase } from '../database/create-sql-database.js';
import type { SqlDatabase } from '../database/sql-database.js';
import { migrateSqlDatabase } from '../migrations/migrate-sql-database.js';
import { testDialects } from '../test-support/dialects.js';
import { clusterLog, loggingAgent } from '../test-support/probe-agents.js';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database.js';
import { SqlAgentScheduler } from './sql-agent-scheduler.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const AGENTS = 300;
const TIMEOUT_MS = 1_500;

/**
 * Three replicas share 300 agents (200 ms intervals) for ~9 s; then one replica dies without
 * releasing anything. The only long test of the package, one per dialect.
 */
describe.each(testDialects(['postgres', 'mysql']))('three SQL scheduler replicas on %s', (dialect) => {
  let testDb: TestDatabase;
  const pools: SqlDatabase[] = [];

  beforeAll(async () => {
    testDb = await createTestDatabase(dialect);
    const db = createSqlDatabase({ url: testDb.url, maxConnections: 1 });
    await migrateSqlDatabase(db);
    await db.close();
  });
  afterAll(async () => {
    for (const pool of pools) await pool.close();
    await testDb?.drop();
  });

  it('runs every agent repeatedly, never twice at once, spread over the replicas, and fails over within the timeout', async () => {
    const log = clusterLog();
    const agents: Agent[] = Array.from({ length: AGENTS }, (_, i) => ({
      agentType: `acct${i % 30}/region/Agent${i}`,
      providerName: 'cluster',
      intervalMs: 200,
      timeoutMs: TIMEOUT_MS,
    }));
    const replicas = ['replica-0', 'replica-1', 'replica-2'].map((nodeId) => {
      const pool = createSqlDatabase({ url: testDb.url, maxConnections: 3 });
      pools.push(pool);
      const scheduler = new SqlAgentScheduler(pool, { nodeId, tickMs: 100, maxConcurrentAgents: 100 });
      for (const agent of agents)
        scheduler.schedule(
          agent,
          loggingAgent(agent, nodeId, log, () => 5 + Math.random() * 25),
        );
      return scheduler;
    });
    for (const replica of replicas) replica.start();
    await sleep(6_000);

    // replica-0 dies: no releases, no deletes; what it held must move on after the lease lapses.
    const killedAt = Date.now();
    replicas[0]!.kill();
    const heldByDead = new Set(
      (
        await pools[1]!.rows<{ agent_name: string }>(
          pools[1]!.statement(`select agent_name from ${pools[1]!.tables.agentLocks} where owner_id = ? and expires_at > ?`),
          ['replica-0', killedAt],
        )
      ).map((r) => r.agent_name),
    );
    await sleep(TIMEOUT_MS + 2_500);
    await Promise.all(replicas.slice(1).map((r) => r.stop(2_000)));

    const runsByAgent = new Map<string, number>();
    const runsByNode = new Map<string, number>();
    for (const start of log.starts) {
      runsByAgent.set(start.agent, (runsByAgent.get(start.agent) ?? 0) + 1);
      runsByNode.set(start.node, (runsByNode.get(start.node) ?? 0) + 1);
    }
    const total = log.starts.length;
    const failoverMs = [...heldByDead].map((agent) => {
      const next = log.starts.find((s) => s.agent === agent && s.at > killedAt && s.node !== 'replica-0');
      return next ? next.at - killedAt : Infinity;
    });
    console.log(
      `[${dialect}] ${total} runs in ${((Date.now() - killedAt) / 1000 + 6).toFixed(1)} s, per replica ${JSON.stringify(Object.fromEntries(runsByNode))}, ` +
        `min runs per agent ${Math.min(...runsByAgent.values())}, held by the dead replica ${heldByDead.size} (slowest failover ${Math.max(0, ...failoverMs)} ms), rejected writes ${log.rejectedWrites}`,
    );
    expect(log.overlaps).toBe(0);
    expect(runsByAgent.size).toBe(AGENTS);
    for (const count of runsByAgent.values()) expect(count).toBeGreaterThanOrEqual(2);
    for (const node of ['replica-0', 'replica-1', 'replica-2']) expect(runsByNode.get(node) ?? 0).toBeGreaterThan(total * 0.1);
    // Nothing the dead replica did after its death was stored.
    expect(log.writes.filter((w) => w.node === 'replica-0' && w.at > killedAt)).toEqual([]);
    // Every agent it held ran again elsewhere within its timeout + a tick (+ slack for a loaded machine).
    for (const agent of heldByDead) {
      const next = log.starts.find((s) => s.agent === agent && s.at > killedAt && s.node !== 'replica-0');
      expect(next, `${agent} failed over`).toBeDefined();
      expect(next!.at - killedAt).toBeLessThanOrEqual(TIMEOUT_MS + 1_500);
    }
    // Agents not held by the dead replica kept running right after its death.
    const after = new Set(log.starts.filter((s) => s.at > killedAt && s.at < killedAt + 1_000).map((s) => s.agent));
    expect(after.size).toBeGreaterThan(AGENTS / 2);
  }, 40_000);
});
