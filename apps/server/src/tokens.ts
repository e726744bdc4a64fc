import { createToken } from '@stratus/plugin-api';
import type { ServerHealth } from './health/server-health.js';
import type { PromMetricsRegistry } from './metrics/prom-metrics-registry.js';

/** Server-only services (core services use the tokens of `@stratus/core`). */
export const SERVER_HEALTH = createToken<ServerHealth>('server.health');
/** The prom-client backed registry behind core's `METRICS`, for `GET /metrics`. */
export const PROM_METRICS = createToken<PromMetricsRegistry>('server.prom-metrics');

/** What `GET /` says about this server. */
export interface ServerInfo {
  /** The built-in demo cloud is running (`demo.enabled`). */
  readonly demo: boolean;
  readonly nodeId: string;
}
export const SERVER_INFO = createToken<ServerInfo>('server.info');
