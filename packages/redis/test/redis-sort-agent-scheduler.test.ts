import type { AgentExecution } from '@stratus/core';
import type { Agent } from '@stratus/plugin-api';
import { runSchedulerContract } from '@stratus/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisSortAgentScheduler } from '../src/index.js';
import { dropPrefix, eventually, sleep, testClient, testPrefix } from './redis-test-support.js';

runSchedulerContract('redis-sort', async (options) => {
  const prefix = testPrefix('sort-contract');
  const redis = testClient();
  const scheduler = new RedisSortAgentScheduler(redis, {
    keyPrefix: prefix,
    nodeId: 'contract-node',
    tickMs: 50,
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

describe('RedisSortAgentScheduler specifics', () => {
  const prefix = testPrefix('sort');
  const redis = testClient();
  const schedulers: RedisSortAgentScheduler[] = [];
  afterAll(async () => {
    for (const scheduler of schedulers) await scheduler.stop(0);
    await dropPrefix(redis, prefix);
  });
  const make = (sub: string, extra: ConstructorParameters<typeof RedisSortAgentScheduler>[1] = {}) => {
    const scheduler = new RedisSortAgentScheduler(redis, { keyPrefix: `${prefix}:${sub}`, nodeId: `node-${sub}`, tickMs: 30, lockGraceMs: 100, ...extra });
    schedulers.push(scheduler);
    return scheduler;
  };
  const counting = () => {
    const counter = { runs: 0 };
    const execution: AgentExecution = { execute: async (context) => (await context.guardedWrite(async () => counter.runs++), {}) };
    return { counter, execution };
  };

  it('scores both sets in epoch milliseconds from Redis TIME', async () => {
    const scheduler = make('units');
    const { counter, execution } = counting();
    scheduler.schedule({ agentType: 'acct/units', providerName: 'p', intervalMs: 60_000, timeoutMs: 5000 }, execution);
    scheduler.start();
    await eventually(() => counter.runs === 1, 3000, 'one run');
    await eventually(async () => (await redis.zscore(scheduler.waitKey, 'acct/units')) !== null, 2000, 'back in WAITZ');
    const [seconds] = await redis.time();
    const nowMs = Number(seconds) * 1000;
    const next = Number(await redis.zscore(scheduler.waitKey, 'acct/units'));
    // Next run one interval (60 s) after the start, in ms — not 60 000 *seconds* away.
    expect(next - nowMs).toBeGreaterThan(55_000);
    expect(next - nowMs).toBeLessThan(62_000);
  });

  it('re-seeds agents after Redis lost its data, and requeues work whose node died', async () => {
    const scheduler = make('reseed', { reseedEveryTicks: 3 });
    const { counter, execution } = counting();
    scheduler.schedule({ agentType: 'acct/reseed', providerName: 'p', intervalMs: 60_000, timeoutMs: 5000 }, execution);
    scheduler.start();
    await eventually(() => counter.runs === 1, 3000, 'first run');
    await eventually(async () => (await redis.zscore(scheduler.waitKey, 'acct/reseed')) !== null, 2000, 'back in WAITZ');
    await redis.del(scheduler.waitKey, scheduler.workKey); // data loss
    await eventually(() => counter.runs === 2, 3000, 'a run after re-seeding');

    // A dead node's run: its WORKZ deadline passes and the agent becomes due again.
    const other = make('dead');
    const [seconds, micros] = await redis.time();
    await redis.zadd(other.workKey, Number(seconds) * 1000 + Math.floor(Number(micros) / 1000) + 300, 'acct/orphan');
    const orphan = counting();
    other.schedule({ agentType: 'acct/orphan', providerName: 'p', intervalMs: 60_000, timeoutMs: 5000 }, orphan.execution);
    other.start();
    await sleep(150);
    expect(orphan.counter.runs).toBe(0);
    await eventually(() => orphan.counter.runs === 1, 3000, 'the orphan to run after its deadline');
  });

  it('fencing: a run whose WORKZ entry was requeued and taken elsewhere stores nothing', async () => {
    const scheduler = make('fence');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const stored: string[] = [];
    let rejected: unknown;
    scheduler.schedule(
      { agentType: 'acct/fence', providerName: 'p', intervalMs: 60_000, timeoutMs: 10_000 },
      {
        async execute(context) {
          await gate;
          try {
            await context.guardedWrite(async () => stored.push('written'));
          } catch (error) {
            rejected = error;
            throw error;
          }
          return {};
        },
      },
    );
    scheduler.start();
    await eventually(() => scheduler.runningAgentTypes().length === 1, 2000, 'the run');
    // Another node requeued the timed-out run and took the agent: its WORKZ score is now different.
    await redis.zadd(scheduler.workKey, Date.now() + 99_999, 'acct/fence');
    release();
    await eventually(() => rejected !== undefined, 2000, 'the guarded write to be refused');
    expect(stored).toEqual([]);
    expect(String(rejected)).toMatch(/lost/);
    expect(Number(await redis.zscore(scheduler.workKey, 'acct/fence'))).toBeGreaterThan(Date.now() + 90_000); // untouched
  });

  it('parallelism caps runs in flight', async () => {
    const scheduler = make('parallel', { parallelism: 2 });
    const shared = { active: 0, max: 0, runs: 0 };
    const execution: AgentExecution = {
      execute: async () => {
        shared.active++;
        shared.runs++;
        shared.max = Math.max(shared.max, shared.active);
        await sleep(80);
        shared.active--;
        return {};
      },
    };
    for (let i = 0; i < 6; i++) scheduler.schedule({ agentType: `acct/p${i}`, providerName: 'p', intervalMs: 50, timeoutMs: 2000 }, execution);
    scheduler.start();
    await eventually(() => shared.runs >= 8, 5000, 'runs');
    expect(shared.max).toBe(2);
  });

  it('tryLock holds an agent against scheduled runs; lockValid and tryRelease follow the lock', async () => {
    const scheduler = make('locks');
    expect(scheduler.atomic).toBe(true);
    const { counter, execution } = counting();
    const agent: Agent = { agentType: 'acct/locked', providerName: 'p', intervalMs: 50, timeoutMs: 2000 };
    scheduler.schedule(agent, execution);
    await eventually(async () => (await redis.zscore(scheduler.waitKey, agent.agentType)) !== null, 2000, 'seeded');
    const lock = await scheduler.tryLock(agent.agentType);
    expect(lock).toBeDefined();
    expect(await scheduler.tryLock(agent.agentType)).toBeUndefined(); // one holder at a time
    scheduler.start();
    await sleep(250);
    expect(counter.runs).toBe(0); // the scheduled run waits for the on-demand lock
    expect(await scheduler.lockValid(lock!)).toBe(true);
    expect(await scheduler.tryRelease(lock!)).toBe(true);
    expect(await scheduler.lockValid(lock!)).toBe(false);
    expect(await scheduler.tryRelease(lock!)).toBe(false);
    await eventually(() => counter.runs >= 1, 3000, 'scheduled runs to resume');
    expect(await scheduler.tryLock('acct/unknown-agent')).toBeUndefined();
  });

  it('a lock that timed out and was taken over is no longer valid', async () => {
    const scheduler = make('expiry', { timeoutMs: 100, lockGraceMs: 0 });
    const agent: Agent = { agentType: 'acct/expiring', providerName: 'p', intervalMs: 60_000, timeoutMs: 100 };
    await redis.zadd(scheduler.waitKey, 0, agent.agentType);
    const lock = (await scheduler.tryLock(agent.agentType))!;
    await sleep(150);
    const other = make('expiry', { nodeId: 'other' });
    const { counter, execution } = counting();
    other.schedule(agent, execution);
    other.start();
    await eventually(() => counter.runs === 1, 3000, 'another node to take the agent');
    expect(await scheduler.lockValid(lock)).toBe(false);
    expect(await scheduler.tryRelease(lock)).toBe(false);
  });
});
