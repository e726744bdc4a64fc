import type { AgentExecution, ExecutionContext } from '@stratus/core';
import type { Agent } from '@stratus/plugin-api';
import { runSchedulerContract } from '@stratus/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisAgentScheduler, RedisCachingReplicas, javaStringHash } from '../src/index.js';
import { dropPrefix, eventually, sleep, testClient, testPrefix } from './redis-test-support.js';

runSchedulerContract('redis', async (options) => {
  const prefix = testPrefix('sched-contract');
  const redis = testClient();
  const scheduler = new RedisAgentScheduler(redis, {
    keyPrefix: prefix,
    nodeId: 'contract-node',
    tickMs: 50,
    releaseThresholdMs: 20,
    lockGraceMs: 200,
    ...options,
  });
  return {
    scheduler,
    cleanup: async () => {
      await scheduler.stop(0);
      await dropPrefix(redis, prefix);
    },
  };
});

describe('RedisAgentScheduler specifics', () => {
  const prefix = testPrefix('sched');
  const redis = testClient();
  const schedulers: RedisAgentScheduler[] = [];
  afterAll(async () => {
    for (const scheduler of schedulers) await scheduler.stop(0);
    await dropPrefix(redis, prefix);
  });
  const make = (nodeId: string, extra: Partial<ConstructorParameters<typeof RedisAgentScheduler>[1]> = {}) => {
    const scheduler = new RedisAgentScheduler(redis, {
      keyPrefix: `${prefix}:${extra.keyPrefix ?? 'a'}`,
      nodeId,
      tickMs: 30,
      releaseThresholdMs: 20,
      lockGraceMs: 100,
      ...extra,
    });
    schedulers.push(scheduler);
    return scheduler;
  };

  it('holds the lock as the schedule: SET NX PX while running, a not-before marker afterwards', async () => {
    const scheduler = make('node-1', { keyPrefix: 'marker' });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const agent: Agent = { agentType: 'acct/marker', providerName: 'p', intervalMs: 5000, timeoutMs: 3000 };
    scheduler.schedule(agent, { execute: async () => (await gate, {}) });
    scheduler.start();
    const key = scheduler.lockKey(agent.agentType);
    await eventually(async () => (await redis.get(key)) !== null, 2000, 'the lock');
    expect(await redis.get(key)).toMatch(/^node-1 \d+$/);
    expect(await redis.pttl(key)).toBeGreaterThan(2500);
    release();
    await eventually(async () => (await redis.get(key)) === 'node-1', 2000, 'the marker');
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(4000);
    expect(ttl).toBeLessThanOrEqual(5000);
  });

  it('respects a lock held by another node and the node-enabled switch', async () => {
    let enabled = false;
    const scheduler = make('node-2', { keyPrefix: 'switch', nodeEnabled: () => enabled });
    let runs = 0;
    scheduler.schedule({ agentType: 'acct/switch', providerName: 'p', intervalMs: 100, timeoutMs: 1000 }, { execute: async () => (runs++, {}) });
    await redis.set(scheduler.lockKey('acct/switch'), 'someone-else', 'PX', 400);
    scheduler.start();
    await sleep(200);
    expect(runs).toBe(0);
    enabled = true;
    await sleep(100);
    expect(runs).toBe(0); // still locked by the other node
    await eventually(() => runs > 0, 2000, 'a run after the foreign lock expired');
  });

  it('fencing: a run whose lock was taken over stores nothing', async () => {
    const scheduler = make('node-3', { keyPrefix: 'fence' });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const stored: string[] = [];
    let rejected: unknown;
    const execution: AgentExecution = {
      async execute(context: ExecutionContext) {
        await gate;
        try {
          await context.guardedWrite(async () => stored.push('written'));
        } catch (error) {
          rejected = error;
          throw error;
        }
        return {};
      },
    };
    scheduler.schedule({ agentType: 'acct/fence', providerName: 'p', intervalMs: 60_000, timeoutMs: 10_000 }, execution);
    scheduler.start();
    const key = scheduler.lockKey('acct/fence');
    await eventually(() => scheduler.runningAgentTypes().length === 1, 2000, 'the run');
    await redis.set(key, 'other-node 1', 'PX', 10_000); // the lock expired and another node took it
    release();
    await eventually(() => rejected !== undefined, 2000, 'the guarded write to be refused');
    expect(stored).toEqual([]);
    expect(String(rejected)).toMatch(/lost/);
    expect(await redis.get(key)).toBe('other-node 1'); // the loser never touches the winner's lock
    await eventually(() => scheduler.instrumentation.get('acct/fence')?.lastOutcome === 'discarded', 2000, 'a discarded record');
  });

  it('enabledPattern matches the lower-cased agent type', () => {
    const scheduler = make('node-4', { keyPrefix: 'pattern', enabledPattern: 'prod/.*' });
    const execution: AgentExecution = { execute: async () => ({}) };
    scheduler.schedule({ agentType: 'PROD/us-east-1/X', providerName: 'p' }, execution);
    scheduler.schedule({ agentType: 'test/us-east-1/X', providerName: 'p' }, execution);
    expect(scheduler.scheduledAgentTypes()).toEqual(['PROD/us-east-1/X']);
  });

  it('shards accounts over live replicas and reshuffles when one leaves; housekeeping runs anywhere', async () => {
    const key = `${prefix}:replicas`;
    const a = new RedisCachingReplicas(redis, { nodeId: 'replica-a', key, replicaTtlMs: 5000 });
    const b = new RedisCachingReplicas(redis, { nodeId: 'replica-b', key, replicaTtlMs: 5000 });
    await a.heartbeat();
    await b.heartbeat();
    expect(await a.heartbeat()).toEqual(['replica-a', 'replica-b']);
    const accounts = Array.from({ length: 40 }, (_, i) => `account-${i}`);
    const agent = (accountName: string): Agent => ({ agentType: `${accountName}/X`, providerName: 'p', accountName });
    for (const account of accounts) {
      // Exactly one replica takes each account, the one Clouddriver's formula names.
      expect(Number(a.accepts(agent(account))) + Number(b.accepts(agent(account)))).toBe(1);
      expect(a.accepts(agent(account))).toBe(Math.abs(javaStringHash(account) % 2) === 0);
    }
    expect(accounts.filter((acc) => a.accepts(agent(acc))).length).toBeGreaterThan(5);
    expect(a.accepts({ agentType: 'CleanupAgent', providerName: 'p' })).toBe(true);
    expect(b.accepts({ agentType: 'CleanupAgent', providerName: 'p' })).toBe(true);
    await b.stop();
    await a.heartbeat();
    expect(accounts.every((acc) => a.accepts(agent(acc)))).toBe(true);
    await a.stop();
    expect(javaStringHash('prod')).toBe(3449687); // Java: "prod".hashCode()
  });

  it('with sharding on, two schedulers split the accounts between them', async () => {
    const opts = { keyPrefix: 'sharded', sharding: { heartbeatIntervalMs: 100, replicaTtlMs: 2000 } };
    const one = make('shard-1', opts);
    const two = make('shard-2', opts);
    const ranOn = new Map<string, Set<string>>();
    const exec = (node: string, type: string): AgentExecution => ({
      execute: async () => {
        if (!ranOn.has(type)) ranOn.set(type, new Set());
        ranOn.get(type)!.add(node);
        return {};
      },
    });
    const agents = Array.from({ length: 12 }, (_, i): Agent => ({
      agentType: `acct-${i}/Sharded`,
      providerName: 'p',
      accountName: `acct-${i}`,
      intervalMs: 100,
      timeoutMs: 1000,
    }));
    for (const agent of agents) {
      one.schedule(agent, exec('shard-1', agent.agentType));
      two.schedule(agent, exec('shard-2', agent.agentType));
    }
    one.start();
    two.start();
    await eventually(() => one.replicas!.live.length === 2 && two.replicas!.live.length === 2, 3000, 'both replicas to see each other');
    ranOn.clear();
    await sleep(800);
    const expected = (agent: Agent) => (Math.abs(javaStringHash(agent.accountName!) % 2) === 0 ? 'shard-1' : 'shard-2');
    for (const agent of agents) expect([...(ranOn.get(agent.agentType) ?? [])]).toEqual([expected(agent)]);
  });
});
