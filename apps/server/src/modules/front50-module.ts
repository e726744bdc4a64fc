import { FRONT50_CLIENT, HttpFront50Client } from '@stratus/core';
import { defineServerModule } from './define-server-module.js';

/** The Front50 client, when `services.front50` is on (the routes that need it answer without it otherwise). */
export const front50Module = defineServerModule({
  id: 'core.front50',
  enabled: (config) => config.services.front50.enabled && Boolean(config.services.front50.baseUrl),
  register({ root: config, bind }) {
    const front50 = config.services.front50;
    bind(FRONT50_CLIENT, new HttpFront50Client({ baseUrl: front50.baseUrl!, timeoutMs: front50.timeoutSeconds * 1000 }));
  },
});
