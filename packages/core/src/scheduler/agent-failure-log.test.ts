import type { Agent } from '@stratus/plugin-api';
import { describe, expect, it } from 'vitest';
import { logAgentFailures } from './agent-failure-log.js';
import { AgentInstrumentation } from './agent-instrumentation.js';

function recordingLogger() {
  const lines: { level: string; obj: any; msg?: string | undefined }[] = [];
  const logger = {
    debug: (obj: unknown, msg?: string) => lines.push({ level: 'debug', obj, msg }),
    info: (obj: unknown, msg?: string) => lines.push({ level: 'info', obj, msg }),
    warn: (obj: unknown, msg?: string) => lines.push({ level: 'warn', obj, msg }),
    error: (obj: unknown, msg?: string) => lines.push({ level: 'error', obj, msg }),
    child: () => logger,
  };
  return { logger, lines };
}

describe('logAgentFailures', () => {
  const agent: Agent = { agentType: 'prod/KubernetesManifestCachingAgent', providerName: 'kubernetes', accountName: 'prod' };
  const other: Agent = { agentType: 'dev/KubernetesManifestCachingAgent', providerName: 'kubernetes', accountName: 'dev' };

  it('logs the first failure, then every Nth of the streak, then the recovery, per agent', () => {
    const instrumentation = new AgentInstrumentation();
    const { logger, lines } = recordingLogger();
    const stop = logAgentFailures(instrumentation, logger, { every: 3 });
    for (let i = 1; i <= 7; i++) instrumentation.failed(agent, 5, new Error(`connect ECONNREFUSED (${i})`));
    instrumentation.failed(other, 5, new Error('forbidden'), 'timeout');
    instrumentation.completed(agent, 5, {});
    instrumentation.completed(agent, 5, {});
    instrumentation.failed(agent, 5, new Error('again'));
    instrumentation.failed(agent, 5, new Error('stale'), 'discarded');

    const warns = lines.filter((l) => l.level === 'warn');
    expect(warns.map((l) => [l.obj.agentType, l.obj.failures, l.obj.error])).toEqual([
      [agent.agentType, 1, 'connect ECONNREFUSED (1)'],
      [agent.agentType, 3, 'connect ECONNREFUSED (3)'],
      [agent.agentType, 6, 'connect ECONNREFUSED (6)'],
      [other.agentType, 1, 'forbidden'],
      [agent.agentType, 1, 'again'],
    ]);
    expect(warns[0]).toMatchObject({ obj: { account: 'prod', provider: 'kubernetes' }, msg: `agent ${agent.agentType} failed: connect ECONNREFUSED (1)` });
    expect(warns[3]!.msg).toContain('timed out');
    const infos = lines.filter((l) => l.level === 'info');
    expect(infos).toEqual([
      {
        level: 'info',
        obj: { agentType: agent.agentType, provider: 'kubernetes', account: 'prod', failures: 7 },
        msg: `agent ${agent.agentType} recovered after 7 failed runs`,
      },
    ]);
    expect(lines.filter((l) => l.level === 'debug')).toHaveLength(1);

    stop();
    instrumentation.failed(agent, 5, new Error('after stop'));
    expect(lines.filter((l) => l.level === 'warn')).toHaveLength(5);
  });
});
