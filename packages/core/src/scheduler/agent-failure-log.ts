import type { Logger } from '@stratus/plugin-api';
import type { AgentInstrumentation, ExecutionEvent } from './agent-instrumentation.js';

export interface AgentFailureLogOptions {
  /** After the first failure of a streak, every Nth one is logged again (default 10). */
  readonly every?: number;
}

/**
 * Logs failing agents for every provider and scheduler: the first failure of a streak (warn, with
 * agent, provider, account and error), then every `every`th consecutive one, and the recovery
 * (info). An agent failing every 30 s for a day thus writes ~290 lines, not 2,880, and an
 * unreachable cloud or a forbidden API is never silent. Discarded runs (another replica took the
 * agent, a timeout already reported) are not failures of the agent and log at debug.
 */
export function logAgentFailures(instrumentation: AgentInstrumentation, logger: Logger, options: AgentFailureLogOptions = {}): () => void {
  const every = Math.max(1, Math.floor(options.every ?? 10));
  const streaks = new Map<string, number>();
  return instrumentation.onExecution((event: ExecutionEvent) => {
    const { agent } = event;
    const context = {
      agentType: agent.agentType,
      provider: agent.providerName,
      ...(agent.accountName !== undefined ? { account: agent.accountName } : {}),
    };
    if (event.result === 'success') {
      const failures = streaks.get(agent.agentType);
      if (failures === undefined) return;
      streaks.delete(agent.agentType);
      logger.info({ ...context, failures }, `agent ${agent.agentType} recovered after ${failures} failed run${failures === 1 ? '' : 's'}`);
      return;
    }
    const error = event.error instanceof Error ? event.error.message : String(event.error);
    if (event.result === 'discarded') {
      logger.debug({ ...context, error }, `agent ${agent.agentType}: run discarded`);
      return;
    }
    const failures = (streaks.get(agent.agentType) ?? 0) + 1;
    streaks.set(agent.agentType, failures);
    if (failures !== 1 && failures % every !== 0) return;
    const what = event.result === 'timeout' ? 'timed out' : 'failed';
    const streak = failures === 1 ? '' : ` (${failures} runs in a row)`;
    logger.warn({ ...context, error, failures }, `agent ${agent.agentType} ${what}${streak}: ${error}`);
  });
}
