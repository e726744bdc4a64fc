import { ACCOUNT_LOOKUP, LIFECYCLE, OPERATION_LIMITS, OPERATION_REGISTRY, OPERATIONS_SERVICE, OperationsService, TASK_REPOSITORY } from '@stratus/core';
import { defineServerModule } from './define-server-module.js';
import { LIVE_CONFIG, SERVER_LOGGER } from './module-tokens.js';

/**
 * The operations service behind `POST …/ops` and the task routes. At start it begins renewing this
 * replica's task leases (and taking over those of replicas that died, docs/operator-guide.md); at
 * shutdown it drains the running operations for up to `admin.tasks.shutdownWaitSeconds`, and the
 * leases keep being renewed until then.
 */
export const operationsModule = defineServerModule({
  id: 'core.operations',
  deps: { lifecycle: LIFECYCLE, logger: SERVER_LOGGER, live: LIVE_CONFIG, tasks: TASK_REPOSITORY, accounts: ACCOUNT_LOOKUP, registry: OPERATION_REGISTRY },
  register({ root: config, deps, bind, bindClass, container }) {
    const { lifecycle, logger } = deps;
    bind(OPERATION_LIMITS, { maxOperationsPerRequest: config.operations.maxPerRequest });
    bindClass(OPERATIONS_SERVICE, OperationsService);
    const operations = () => container.resolve<OperationsService>(OPERATIONS_SERVICE);
    lifecycle.onStart('task leases', () => {
      // Stopped by the drain once the running tasks are done, so they keep renewing until then.
      operations().startLeases({ leaseMs: config.admin.tasks.leaseSeconds * 1000 });
    });
    lifecycle.onShutdown(
      'drain operations',
      async () => {
        const drained = await operations()
          .drain(deps.live.current().config.admin.tasks.shutdownWaitSeconds * 1000)
          .catch(() => false);
        if (!drained) logger.warn('operations still running at the shutdown deadline were aborted');
      },
      'work',
    );
  },
});
