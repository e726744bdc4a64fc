import type { AgentExecution, ExecutionContext } from '@stratus/core';
import type { Agent } from '@stratus/plugin-api';
import type { Redis } from 'ioredis';
import { expect } from 'vitest';
import type { ClusteredSchedulerBase } from '../src/index.js';
import { dropPrefix, sleep, testClient } from './redis-test-support.js';

export interface RunRecord {
  readonly agentType: string;
  readonly node: string;
  readonly start: number;
  end?: number;
  /** The run started before its node was stopped and was still going afterwards. */
  caughtInCrash?: boolean;
  stored?: boolean;
}

export interface ScenarioOptions {
  readonly prefix: string;
  readonly make: (redis: Redis, nodeId: string, nodeEnabled: () => boolean) => ClusteredSchedulerBase;
  readonly agents?: number;
  readonly intervalMs?: number;
  readonly timeoutMs?: number;
  readonly lockGraceMs: number;
  readonly tickMs: number;
  readonly beforeCrashMs?: number;
  readonly afterCrashMs?: number;
}

/**
 * Three scheduler instances (own connections, distinct node ids) share `agents` agents. Every run
 * is recorded with its node, start and end, and stores through `guardedWrite`. Part-way through,
 * node 3 "dies": it stops taking work, its Redis connection drops, and its runs in flight hang
 * until the others have taken their agents over — then they try to store, and must be refused.
 */
export async function runMultiReplicaScenario(options: ScenarioOptions): Promise<void> {
  const agentCount = options.agents ?? 300;
  const intervalMs = options.intervalMs ?? 200;
  const timeoutMs = options.timeoutMs ?? 1000;
  const nodes = ['replica-1', 'replica-2', 'replica-3'];
  const clients = nodes.map((node) => testClient(node));
  const admin = testClient('multi-replica-admin');
  let crashedAt = 0;
  // The crash is triggered from inside a run of node 3, so it always dies mid-run — waiting for a
  // run to be in flight from outside missed them on a loaded machine.
  let crashRequested = false;
  let crashNow!: () => void;
  const crashTriggered = new Promise<void>((resolve) => (crashNow = resolve));
  let letHungRunsGo!: () => void;
  const hungRunsReleased = new Promise<void>((resolve) => (letHungRunsGo = resolve));
  const runs: RunRecord[] = [];
  const schedulers = nodes.map((node, i) => options.make(clients[i]!, node, () => !(node === 'replica-3' && crashedAt > 0)));

  const executionFor = (node: string, agentType: string): AgentExecution => ({
    async execute(context: ExecutionContext) {
      const record: RunRecord = { agentType, node, start: Date.now() };
      runs.push(record);
      if (node === 'replica-3' && crashRequested && crashedAt === 0) {
        crashedAt = Date.now();
        crashNow();
      }
      try {
        await sleep(10 + Math.floor(Math.random() * 30));
        if (node === 'replica-3' && crashedAt > 0) {
          record.caughtInCrash = true;
          await hungRunsReleased;
        }
        await context.guardedWrite(async () => {
          record.stored = true;
        });
        return { itemsWritten: 1 };
      } finally {
        record.end = Date.now();
      }
    },
  });

  try {
    for (let a = 0; a < agentCount; a++) {
      const agent: Agent = { agentType: `acct-${a % 30}/region/Agent${a}`, providerName: 'multi', accountName: `acct-${a % 30}`, intervalMs, timeoutMs };
      schedulers.forEach((scheduler, i) => scheduler.schedule(agent, executionFor(nodes[i]!, agent.agentType)));
    }
    for (const scheduler of schedulers) scheduler.start();
    await sleep(options.beforeCrashMs ?? 6000);
    // Node 3 dies mid-run: at the start of its next run (or now, if it never runs again).
    crashRequested = true;
    await Promise.race([crashTriggered, sleep(5000)]);
    if (crashedAt === 0) crashedAt = Date.now();
    const inFlightOnDead = new Map(runs.filter((r) => r.node === 'replica-3' && r.end === undefined).map((r) => [r.agentType, r]));
    clients[2]!.disconnect();
    await sleep(options.afterCrashMs ?? 4000);
    letHungRunsGo();
    await sleep(100);

    const beforeCrash = runs.filter((r) => r.start < crashedAt);
    if (process.env.STRATUS_DEBUG_SCENARIO) {
      console.log(
        nodes.map((node) => `${node}: ${beforeCrash.filter((r) => r.node === node).length}`).join(', '),
        'in flight on dead:',
        inFlightOnDead.size,
        'hung:',
        runs.filter((r) => r.caughtInCrash).length,
      );
    }
    // 1. No agent ever ran on two nodes at once (the hung runs of the dead node excepted: they
    //    overlap by design, and are checked below to have stored nothing).
    const sanctioned = runs.filter((r) => !r.caughtInCrash && r.end !== undefined);
    const byAgent = new Map<string, RunRecord[]>();
    for (const run of sanctioned) {
      if (!byAgent.has(run.agentType)) byAgent.set(run.agentType, []);
      byAgent.get(run.agentType)!.push(run);
    }
    let overlaps = 0;
    for (const list of byAgent.values()) {
      list.sort((x, y) => x.start - y.start);
      for (let i = 1; i < list.length; i++) if (list[i]!.start < list[i - 1]!.end!) overlaps++;
    }
    expect(overlaps).toBe(0);

    // 2. Every agent ran repeatedly.
    const perAgent = new Map<string, number>();
    for (const run of beforeCrash) perAgent.set(run.agentType, (perAgent.get(run.agentType) ?? 0) + 1);
    expect(perAgent.size).toBe(agentCount);
    expect(Math.min(...perAgent.values())).toBeGreaterThanOrEqual(3);

    // 3. Work spread over all three nodes.
    for (const node of nodes) expect(beforeCrash.filter((r) => r.node === node).length).toBeGreaterThan(beforeCrash.length * 0.1);

    // 4. The dead node's agents resumed elsewhere within their timeout (plus lock grace and a tick).
    expect(inFlightOnDead.size).toBeGreaterThan(0);
    for (const [agentType, hung] of inFlightOnDead) {
      const resumed = runs.find((r) => r.agentType === agentType && r.node !== 'replica-3' && r.start > crashedAt);
      expect(resumed, `${agentType} resumed`).toBeDefined();
      expect(resumed!.start - hung.start).toBeLessThanOrEqual(timeoutMs + options.lockGraceMs + options.tickMs + 1500);
    }

    // 5. Runs that lost their lock stored nothing; the survivors kept storing.
    const hung = runs.filter((r) => r.caughtInCrash);
    expect(hung.length).toBeGreaterThan(0);
    expect(hung.filter((r) => r.stored)).toEqual([]);
    expect(runs.filter((r) => r.start > crashedAt && r.node !== 'replica-3' && r.stored).length).toBeGreaterThan(agentCount);
  } finally {
    letHungRunsGo();
    for (const scheduler of schedulers) await scheduler.stop(500);
    for (const client of clients) client.disconnect();
    await dropPrefix(admin, options.prefix);
  }
}
