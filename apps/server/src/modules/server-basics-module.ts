import { LIFECYCLE, LOGGER, METRICS, NODE_ID, type Lifecycle } from '@stratus/core';
import type { Logger as SpiLogger } from '@stratus/plugin-api';
import type { Logger } from 'pino';
import { ServerHealth } from '../health/server-health.js';
import { PromMetricsRegistry } from '../metrics/prom-metrics-registry.js';
import { PROM_METRICS, SERVER_HEALTH, SERVER_INFO } from '../tokens.js';
import { defineServerModule } from './define-server-module.js';
import { LIVE_CONFIG, SERVER_LOGGER, type LiveConfigHolder } from './module-tokens.js';

export interface ServerBasics {
  readonly logger: Logger;
  readonly nodeId: string;
  readonly lifecycle: Lifecycle;
  readonly live: LiveConfigHolder;
}

/** What every other module may depend on: logging, node id, metrics, health, lifecycle, the live config. */
export function serverBasicsModule(basics: ServerBasics) {
  return defineServerModule({
    id: 'server.basics',
    register({ root, bind }) {
      const metrics = new PromMetricsRegistry();
      bind(PROM_METRICS, metrics);
      bind(METRICS, metrics);
      const health = new ServerHealth();
      bind(SERVER_HEALTH, health);
      bind(SERVER_INFO, { demo: root.demo.enabled, nodeId: basics.nodeId });
      bind(SERVER_LOGGER, basics.logger);
      bind(LOGGER, basics.logger as unknown as SpiLogger);
      bind(NODE_ID, basics.nodeId);
      bind(LIFECYCLE, basics.lifecycle);
      bind(LIVE_CONFIG, basics.live);
    },
  });
}
