import { ClusterCleanupAgent } from '@stratus/provider-kit';
import { GCE } from '../keys.js';

/** The provider's cluster cleanup agent (`gce/ClusterCleanupAgent`): the kit's, bound to this provider. */
export class GceClusterCleanupAgent extends ClusterCleanupAgent {
  constructor(intervalMs?: number) {
    super(GCE, intervalMs);
  }
}
