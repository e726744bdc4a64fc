import { it } from 'vitest';
import { RedisAgentScheduler } from '../src/index.js';
import { runMultiReplicaScenario } from './multi-replica-scenario.js';
import { testPrefix } from './redis-test-support.js';

it('three clustered (lock = schedule) replicas share 300 agents, never overlap, and survive losing one', async () => {
  const prefix = testPrefix('multi-default');
  await runMultiReplicaScenario({
    prefix,
    tickMs: 50,
    lockGraceMs: 200,
    make: (redis, nodeId, nodeEnabled) =>
      new RedisAgentScheduler(redis, { keyPrefix: prefix, nodeId, nodeEnabled, tickMs: 50, lockGraceMs: 200, releaseThresholdMs: 20 }),
  });
}, 30_000);
