import { it } from 'vitest';
import { RedisSortAgentScheduler } from '../src/index.js';
import { runMultiReplicaScenario } from './multi-replica-scenario.js';
import { testPrefix } from './redis-test-support.js';

it('three sort-scheduler replicas share 300 agents, never overlap, and survive losing one', async () => {
  const prefix = testPrefix('multi-sort');
  await runMultiReplicaScenario({
    prefix,
    tickMs: 50,
    lockGraceMs: 200,
    make: (redis, nodeId, nodeEnabled) => new RedisSortAgentScheduler(redis, { keyPrefix: prefix, nodeId, nodeEnabled, tickMs: 50, lockGraceMs: 200 }),
  });
}, 30_000);
