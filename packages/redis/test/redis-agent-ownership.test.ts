import type { AgentExecution, ExecutionContext } from '@stratus/core';
import type { Agent, AgentOwnership } from '@stratus/plugin-api';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisAgentScheduler, RedisSortAgentScheduler } from '../src/index.js';
import { dropPrefix, eventually, sleep, testClient, testPrefix } from './redis-test-support.js';

describe('RedisAgentScheduler: ownership between runs (fenced watch writes)', () => {
  const prefix = testPrefix('ownership');
  const redis = testClient();
  const schedulers: RedisAgentScheduler[] = [];
  afterAll(async () => {
    for (const scheduler of schedulers) await scheduler.stop(0);
    await dropPrefix(redis, prefix);
  });

  /** A replica whose runs hand their ownership claim to the test. */
  const replica = (nodeId: string, enabled: { on: boolean }, agent: Agent) => {
    const scheduler = new RedisAgentScheduler(redis, {
      keyPrefix: prefix,
      nodeId,
      tickMs: 30,
      releaseThresholdMs: 20,
      lockGraceMs: 100,
      nodeEnabled: () => enabled.on,
    });
    schedulers.push(scheduler);
    const state = { runs: 0, ownership: undefined as AgentOwnership | undefined };
    const execution: AgentExecution = {
      async execute(context: ExecutionContext) {
        state.runs++;
        state.ownership = context.ownership;
        return {};
      },
    };
    scheduler.schedule(agent, execution);
    scheduler.start();
    return { scheduler, state };
  };

  it('lets only the replica that ran the agent last write between runs, without postponing the next run', async () => {
    const agent: Agent = { agentType: 'acct/owned', providerName: 'p', intervalMs: 400, timeoutMs: 2000 };
    const aOn = { on: true };
    const bOn = { on: false };
    const a = replica('node-a', aOn, agent);
    const b = replica('node-b', bOn, agent);
    await eventually(() => a.state.ownership !== undefined, 2000, 'a run on node-a');
    const ownershipA = a.state.ownership!;
    expect(await ownershipA.owned()).toBe(true);

    // While node-a's "not before" marker holds, its writes pass and leave the marker's expiry alone.
    const key = a.scheduler.lockKey(agent.agentType);
    await eventually(async () => (await redis.get(key)) === 'node-a', 2000, 'the marker');
    const before = await redis.pttl(key);
    let writes = 0;
    expect(await ownershipA.writeIfOwned(async () => void writes++)).toBe(true);
    const after = await redis.pttl(key);
    expect(after).toBeLessThanOrEqual(before);
    expect(await redis.get(key)).toBe('node-a');

    // After the marker expired nobody holds the lock; node-a is still the owner by the owner key.
    aOn.on = false;
    await eventually(async () => (await redis.get(key)) === null, 2000, 'the marker to expire');
    expect(await ownershipA.writeIfOwned(async () => void writes++)).toBe(true);
    expect(await redis.get(key)).toBeNull(); // the claim is given back at once: the agent is due

    // node-b takes the agent: node-a's claim is void from that moment, and stays void.
    bOn.on = true;
    await eventually(() => b.state.runs > 0, 3000, 'a run on node-b');
    expect(await ownershipA.owned()).toBe(false);
    expect(await ownershipA.writeIfOwned(async () => void writes++)).toBe(false);
    expect(writes).toBe(2);
    expect(await b.state.ownership!.owned()).toBe(true);
    await sleep(600); // node-b's marker expired: still node-b's
    expect(await ownershipA.owned()).toBe(false);
    expect(await b.state.ownership!.writeIfOwned(async () => undefined)).toBe(true);
  });

  it('refuses once the agent is unscheduled on the replica', async () => {
    const agent: Agent = { agentType: 'acct/unscheduled', providerName: 'p', intervalMs: 5000, timeoutMs: 2000 };
    const a = replica('node-c', { on: true }, agent);
    await eventually(() => a.state.ownership !== undefined, 2000, 'a run');
    expect(await a.state.ownership!.owned()).toBe(true);
    a.scheduler.unschedule(agent.agentType);
    expect(await a.state.ownership!.owned()).toBe(false);
    expect(await a.state.ownership!.writeIfOwned(async () => undefined)).toBe(false);
  });
});

describe('RedisSortAgentScheduler: ownership between runs', () => {
  const prefix = testPrefix('sort-ownership');
  const redis = testClient();
  const schedulers: RedisSortAgentScheduler[] = [];
  afterAll(async () => {
    for (const scheduler of schedulers) await scheduler.stop(0);
    await dropPrefix(redis, prefix);
  });

  const replica = (nodeId: string, enabled: { on: boolean }, agent: Agent) => {
    const scheduler = new RedisSortAgentScheduler(redis, { keyPrefix: prefix, nodeId, tickMs: 30, lockGraceMs: 100, nodeEnabled: () => enabled.on });
    schedulers.push(scheduler);
    const state = { runs: 0, ownership: undefined as AgentOwnership | undefined };
    scheduler.schedule(agent, {
      async execute(context: ExecutionContext) {
        state.runs++;
        state.ownership = context.ownership;
        return {};
      },
    });
    scheduler.start();
    return { scheduler, state };
  };

  it('lets only the node that ran the agent last write, holding its next run back only during the write', async () => {
    const agent: Agent = { agentType: 'acct/sorted', providerName: 'p', intervalMs: 500, timeoutMs: 2000 };
    const aOn = { on: true };
    const bOn = { on: false };
    const a = replica('sort-a', aOn, agent);
    const b = replica('sort-b', bOn, agent);
    await eventually(() => a.state.ownership !== undefined, 2000, 'a run on sort-a');
    await eventually(async () => (await redis.zscore(a.scheduler.waitKey, agent.agentType)) !== null, 2000, 'the agent back in WAITZ');
    const ownershipA = a.state.ownership!;
    expect(await ownershipA.owned()).toBe(true);
    const before = await redis.zscore(a.scheduler.waitKey, agent.agentType);
    let heldDuringWrite: string | null = null;
    expect(await ownershipA.writeIfOwned(async () => void (heldDuringWrite = await redis.zscore(a.scheduler.waitKey, agent.agentType)))).toBe(true);
    expect(Number(heldDuringWrite)).toBeGreaterThan(Number(before));
    expect(await redis.zscore(a.scheduler.waitKey, agent.agentType)).toBe(before);

    aOn.on = false;
    bOn.on = true;
    await eventually(() => b.state.runs > 0, 3000, 'a run on sort-b');
    expect(await ownershipA.owned()).toBe(false);
    let written = false;
    expect(await ownershipA.writeIfOwned(async () => void (written = true))).toBe(false);
    expect(written).toBe(false);
    await eventually(async () => (await redis.zscore(b.scheduler.waitKey, agent.agentType)) !== null, 2000, 'the agent back in WAITZ');
    expect(await b.state.ownership!.owned()).toBe(true);
    expect(await b.state.ownership!.writeIfOwned(async () => undefined)).toBe(true);
  });
});
