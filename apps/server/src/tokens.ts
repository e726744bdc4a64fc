import { createToken } from '@stratus/plugin-api';
import type { ServerHealth } from './health/server-health.js';
import type { PromMetricsRegistry } from './metrics/prom-metrics-registry.js';
import type { IdentityTrust } from './http/caller-access-middleware.js';

/** Server-only services (core services use the tokens of `@stratus/core`). */
export const SERVER_HEALTH = createToken<ServerHealth>('server.health');
/** The prom-client backed registry behind core's `METRICS`, for `GET /metrics`. */
export const PROM_METRICS = createToken<PromMetricsRegistry>('server.prom-metrics');
/** Which requests may name their caller (`security.identity`); absent = every request (behind Gate only). */
export const IDENTITY_TRUST = createToken<IdentityTrust>('server.identity-trust');
