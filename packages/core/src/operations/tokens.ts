import { createToken } from '@stratus/plugin-api';
import type { OperationRegistry } from './operation-registry.js';
import type { OperationsService } from './operations-service.js';

/** The registry the provider host fills with `registerOperation` calls. */
export const OPERATION_REGISTRY = createToken<OperationRegistry>('core.operation-registry');
export const OPERATIONS_SERVICE = createToken<OperationsService>('core.operations-service');

/** Limits on what one request may ask for. */
export interface OperationLimits {
  /** Most operations one `POST …/ops` may carry (413 above it). */
  readonly maxOperationsPerRequest: number;
}

export const DEFAULT_OPERATION_LIMITS: OperationLimits = { maxOperationsPerRequest: 500 };
export const OPERATION_LIMITS = createToken<OperationLimits>('core.operation-limits');
