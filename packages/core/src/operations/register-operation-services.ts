import type { DependencyContainer } from 'tsyringe';
import { OperationRegistry } from './operation-registry.js';
import { OperationsService } from './operations-service.js';
import { OPERATIONS_SERVICE } from './service-tokens.js';
import { DEFAULT_OPERATION_LIMITS, OPERATION_LIMITS, OPERATION_REGISTRY } from './tokens.js';

/**
 * Registers the operation registry and the operations service as singletons under their tokens,
 * leaving alone any the container already has. The service needs `TASK_REPOSITORY`,
 * `ACCOUNT_LOOKUP`, `NODE_ID`, `LOGGER` and `METRICS`, resolved when it is first used; the provider
 * host must feed `registerOperation` calls into the registry resolved from `OPERATION_REGISTRY`.
 */
export function registerOperationServices(container: DependencyContainer): void {
  if (!container.isRegistered(OPERATION_REGISTRY, true)) container.registerSingleton(OPERATION_REGISTRY, OperationRegistry);
  if (!container.isRegistered(OPERATION_LIMITS, true)) container.registerInstance(OPERATION_LIMITS, DEFAULT_OPERATION_LIMITS);
  if (!container.isRegistered(OPERATIONS_SERVICE, true)) container.registerSingleton(OPERATIONS_SERVICE, OperationsService);
}
