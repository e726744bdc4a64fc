import type { Agent } from '@stratus/plugin-api';
import type { AgentExecution, AgentScheduler, ExecutionContext, ExecutionOutcome } from '@stratus/core';
import { afterEach, describe, expect, it } from 'vitest';

export interface SchedulerFixtureOptions {
  /** Per-node cap on concurrent runs. */
  readonly maxConcurrentAgents?: number;
}

export interface SchedulerFixture {
  readonly scheduler: AgentScheduler;
  /** Stops the scheduler if needed, removes locks/keys/rows, closes connections. */
  cleanup(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await sleep(20);
  }
}

interface Probe {
  runs: number;
  active: number;
  maxActive: number;
  writes: number;
  rejectedWrites: number;
  starts: number[];
}

function probeAgent(
  type: string,
  timing: Partial<Pick<Agent, 'intervalMs' | 'errorIntervalMs' | 'timeoutMs'>>,
  behaviour: { durationMs?: number; fail?: boolean; shared?: { active: number; maxActive: number } } = {},
): { agent: Agent; execution: AgentExecution; probe: Probe } {
  const probe: Probe = { runs: 0, active: 0, maxActive: 0, writes: 0, rejectedWrites: 0, starts: [] };
  const agent: Agent = { agentType: type, providerName: 'contract', accountName: type.split('/')[0], ...timing };
  const execution: AgentExecution = {
    async execute(context: ExecutionContext): Promise<ExecutionOutcome> {
      probe.runs++;
      probe.starts.push(Date.now());
      probe.active++;
      probe.maxActive = Math.max(probe.maxActive, probe.active);
      const shared = behaviour.shared;
      if (shared) {
        shared.active++;
        shared.maxActive = Math.max(shared.maxActive, shared.active);
      }
      try {
        if (behaviour.durationMs) await sleep(behaviour.durationMs);
        if (behaviour.fail) throw new Error(`boom from ${type}`);
        try {
          await context.guardedWrite(async () => {
            probe.writes++;
          });
        } catch (error) {
          probe.rejectedWrites++;
          throw error;
        }
        return { itemsWritten: 3, itemsEvicted: 1 };
      } finally {
        probe.active--;
        if (shared) shared.active--;
      }
    },
  };
  return { agent, execution, probe };
}

/**
 * The scheduler contract every scheduler (single-node, Redis, SQL) passes: intervals, no overlap,
 * error interval, timeouts discarding results, unschedule, concurrency cap, instrumentation.
 * Timing bounds are loose on purpose: they catch wrong behaviour, not slow machines.
 */
export function runSchedulerContract(name: string, create: (options: SchedulerFixtureOptions) => Promise<SchedulerFixture>): void {
  describe(`scheduler contract: ${name}`, () => {
    let fixture: SchedulerFixture | undefined;
    const start = async (options: SchedulerFixtureOptions = {}) => {
      fixture = await create(options);
      return fixture.scheduler;
    };
    afterEach(async () => {
      await fixture?.cleanup();
      fixture = undefined;
    });

    it('runs an agent repeatedly at its interval and records each run', async () => {
      const scheduler = await start();
      const { agent, execution, probe } = probeAgent(`acct-${name}/interval`, { intervalMs: 200, timeoutMs: 5000 });
      scheduler.schedule(agent, execution);
      scheduler.start();
      await eventually(() => probe.runs >= 3, 5000, 'three runs');
      const gaps = probe.starts.slice(1).map((t, i) => t - probe.starts[i]!);
      for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(150);
      await eventually(() => (scheduler.instrumentation.get(agent.agentType)?.executions ?? 0) >= 3, 2000, 'records');
      const record = scheduler.instrumentation.get(agent.agentType)!;
      expect(record.lastOutcome).toBe('success');
      expect(record.lastItemsWritten).toBe(3);
      expect(record.totalAdditions).toBeGreaterThanOrEqual(9);
      expect(record.lastStartMs).toBeGreaterThan(0);
      expect(scheduler.scheduledAgentTypes()).toContain(agent.agentType);
    });

    it('never runs two executions of one agent at once', async () => {
      const scheduler = await start();
      const { agent, execution, probe } = probeAgent(`acct-${name}/slow`, { intervalMs: 20, timeoutMs: 5000 }, { durationMs: 150 });
      scheduler.schedule(agent, execution);
      scheduler.start();
      await eventually(() => probe.runs >= 4, 6000, 'four runs');
      expect(probe.maxActive).toBe(1);
      expect(probe.writes).toBeGreaterThanOrEqual(3);
    });

    it('waits the error interval after a failure and records the error', async () => {
      const scheduler = await start();
      const { agent, execution, probe } = probeAgent(`acct-${name}/failing`, { intervalMs: 50, errorIntervalMs: 600, timeoutMs: 5000 }, { fail: true });
      scheduler.schedule(agent, execution);
      scheduler.start();
      await eventually(() => probe.runs >= 2, 5000, 'a retry after the error interval');
      expect(probe.starts[1]! - probe.starts[0]!).toBeGreaterThanOrEqual(500);
      const record = scheduler.instrumentation.get(agent.agentType)!;
      expect(record.lastOutcome).toBe('failure');
      expect(record.lastError).toContain('boom');
      expect(record.failures).toBeGreaterThanOrEqual(1);
    });

    it('abandons a run past its timeout and discards its late result', async () => {
      const scheduler = await start();
      const { agent, execution, probe } = probeAgent(
        `acct-${name}/hung`,
        { intervalMs: 10_000, errorIntervalMs: 10_000, timeoutMs: 300 },
        { durationMs: 1200 },
      );
      scheduler.schedule(agent, execution);
      scheduler.start();
      await eventually(() => probe.runs >= 1, 5000, 'first run');
      await eventually(() => probe.active === 0, 5000, 'the hung run to return');
      expect(probe.writes).toBe(0);
      expect(probe.rejectedWrites).toBe(1);
      await eventually(() => scheduler.instrumentation.get(agent.agentType)?.lastOutcome !== undefined, 2000, 'a record');
      expect(['timeout', 'discarded']).toContain(scheduler.instrumentation.get(agent.agentType)!.lastOutcome);
    });

    it('stops running an agent once unscheduled and discards its run in flight', async () => {
      const scheduler = await start();
      const slow = probeAgent(`acct-${name}/gone`, { intervalMs: 50, timeoutMs: 5000 }, { durationMs: 400 });
      const other = probeAgent(`acct-${name}/stays`, { intervalMs: 100, timeoutMs: 5000 });
      scheduler.schedule(slow.agent, slow.execution);
      scheduler.schedule(other.agent, other.execution);
      scheduler.start();
      await eventually(() => slow.probe.active === 1, 5000, 'the run to start');
      scheduler.unschedule(slow.agent.agentType);
      expect(scheduler.scheduledAgentTypes()).not.toContain(slow.agent.agentType);
      await eventually(() => slow.probe.active === 0, 5000, 'the run to return');
      const runsAfter = slow.probe.runs;
      const otherRuns = other.probe.runs;
      await sleep(600);
      expect(slow.probe.runs).toBe(runsAfter);
      expect(slow.probe.writes).toBe(0);
      expect(other.probe.runs).toBeGreaterThan(otherRuns);
    });

    it('caps concurrent runs per node', async () => {
      const scheduler = await start({ maxConcurrentAgents: 2 });
      const shared = { active: 0, maxActive: 0 };
      const probes = Array.from({ length: 6 }, (_, i) =>
        probeAgent(`acct${i}-${name}/capped`, { intervalMs: 100, timeoutMs: 5000 }, { durationMs: 120, shared }),
      );
      for (const { agent, execution } of probes) scheduler.schedule(agent, execution);
      scheduler.start();
      await eventually(() => probes.every((p) => p.probe.runs >= 1), 8000, 'every agent to run');
      expect(shared.maxActive).toBeLessThanOrEqual(2);
      expect(shared.maxActive).toBeGreaterThanOrEqual(1);
    });

    it('a failing agent does not hold up the others', async () => {
      const scheduler = await start();
      const bad = probeAgent(`acct-${name}/bad`, { intervalMs: 50, timeoutMs: 5000 }, { fail: true });
      const good = probeAgent(`acct-${name}/good`, { intervalMs: 100, timeoutMs: 5000 });
      scheduler.schedule(bad.agent, bad.execution);
      scheduler.schedule(good.agent, good.execution);
      scheduler.start();
      await eventually(() => good.probe.writes >= 3, 5000, 'the healthy agent to keep writing');
    });

    it('runs nothing after stop()', async () => {
      const scheduler = await start();
      const { agent, execution, probe } = probeAgent(`acct-${name}/stopped`, { intervalMs: 50, timeoutMs: 5000 });
      scheduler.schedule(agent, execution);
      scheduler.start();
      await eventually(() => probe.runs >= 1, 5000, 'a run');
      await scheduler.stop(2000);
      const runs = probe.runs;
      await sleep(400);
      expect(probe.runs).toBe(runs);
    });
  });
}
