import { createToken } from '@stratus/plugin-api';
import type { OperationRegistry } from './operation-registry.js';

/**
 * What the operations service needs. The token naming the service itself is in `service-tokens.ts`,
 * so the service importing its inputs never imports its own type back.
 */

/** The registry the provider host fills with `registerOperation` calls. */
export const OPERATION_REGISTRY = createToken<OperationRegistry>('core.operation-registry');

/** Limits on what one request may ask for. */
export interface OperationLimits {
  /** Most operations one `POST …/ops` may carry (413 above it). */
  readonly maxOperationsPerRequest: number;
}

export const DEFAULT_OPERATION_LIMITS: OperationLimits = { maxOperationsPerRequest: 500 };
export const OPERATION_LIMITS = createToken<OperationLimits>('core.operation-limits');
