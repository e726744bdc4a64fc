import { createToken } from '@stratus/plugin-api';
import type { OperationRegistry } from './operation-registry.js';
import type { OperationsService } from './operations-service.js';

/** The registry the provider host fills with `registerOperation` calls. */
export const OPERATION_REGISTRY = createToken<OperationRegistry>('core.operation-registry');
export const OPERATIONS_SERVICE = createToken<OperationsService>('core.operations-service');
