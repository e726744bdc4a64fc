import { createToken } from '@stratus/plugin-api';
import type { OperationsService } from './operations-service.js';

/** The operations service, for the routes and the lifecycle that resolve it. */
export const OPERATIONS_SERVICE = createToken<OperationsService>('core.operations-service');
