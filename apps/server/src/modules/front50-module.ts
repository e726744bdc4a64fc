import { FRONT50_CLIENT, Front50SnapshotStore, HttpFront50Client, LIFECYCLE, OPERATIONS_SERVICE, type OperationsService } from '@stratus/core';
import { defineServerModule } from './define-server-module.js';

/** The Front50 client, when `services.front50` is on (the routes that need it answer without it otherwise). */
export const front50Module = defineServerModule({
  id: 'core.front50',
  enabled: (config) => config.services.front50.enabled && Boolean(config.services.front50.baseUrl),
  deps: { lifecycle: LIFECYCLE },
  register({ root: config, deps, bind, container }) {
    const front50 = config.services.front50;
    bind(FRONT50_CLIENT, new HttpFront50Client({ baseUrl: front50.baseUrl!, timeoutMs: front50.timeoutSeconds * 1000 }));
    // Operations save and read infrastructure snapshots here (GCE saveSnapshot/restoreSnapshot); the operations module binds its service after this one.
    const snapshots = new Front50SnapshotStore({ baseUrl: front50.baseUrl!, timeoutMs: front50.timeoutSeconds * 1000 });
    deps.lifecycle.onStart('front50 snapshots', () => container.resolve<OperationsService>(OPERATIONS_SERVICE).useSnapshots(snapshots));
  },
});
