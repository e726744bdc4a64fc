import { AGENT_SCHEDULER, LIFECYCLE } from '@stratus/core';
import { defineServerModule } from './define-server-module.js';
import { SERVER_LOGGER } from './module-tokens.js';

/**
 * Starts the agent scheduler once accounts are synced (docs/architecture.md, "Scheduler semantics"),
 * unless `caching.writeEnabled` is false (an API-only replica). At shutdown it stops before the
 * running operations drain, giving a running agent up to 10 s.
 */
export const schedulingModule = defineServerModule({
  id: 'core.scheduling',
  deps: { scheduler: AGENT_SCHEDULER, lifecycle: LIFECYCLE, logger: SERVER_LOGGER },
  register({ root: config, deps }) {
    const { scheduler, lifecycle, logger } = deps;
    lifecycle.onStart('scheduler', () => {
      if (config.caching.writeEnabled) scheduler.start();
      else logger.info('caching.writeEnabled is false: API-only replica, no agents are scheduled');
    });
    lifecycle.onShutdown('scheduler', () => scheduler.stop(10_000), 'work');
  },
});
