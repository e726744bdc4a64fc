import type { Agent } from '@stratus/plugin-api';
import type { AgentExecution, ExecutionContext } from '@stratus/core';

/** What a cluster test records about every run, across all replicas. */
export interface ClusterLog {
  /** agentType → runs currently executing anywhere. */
  readonly active: Map<string, number>;
  overlaps: number;
  readonly starts: { agent: string; node: string; at: number }[];
  readonly writes: { agent: string; node: string; at: number }[];
  rejectedWrites: number;
}

export function clusterLog(): ClusterLog {
  return { active: new Map(), overlaps: 0, starts: [], writes: [], rejectedWrites: 0 };
}

/** An agent whose runs sleep a little, then store through `guardedWrite`, recording everything. */
export function loggingAgent(agent: Agent, node: string, log: ClusterLog, durationMs: () => number): AgentExecution {
  return {
    async execute(context: ExecutionContext) {
      const type = agent.agentType;
      const active = (log.active.get(type) ?? 0) + 1;
      log.active.set(type, active);
      if (active > 1) log.overlaps++;
      log.starts.push({ agent: type, node, at: Date.now() });
      try {
        await new Promise((resolve) => setTimeout(resolve, durationMs()));
        try {
          await context.guardedWrite(async () => {
            log.writes.push({ agent: type, node, at: Date.now() });
          });
        } catch (error) {
          log.rejectedWrites++;
          throw error;
        }
        return { itemsWritten: 1 };
      } finally {
        log.active.set(type, (log.active.get(type) ?? 1) - 1);
      }
    },
  };
}
