import { ClusterCleanupAgent as KitClusterCleanupAgent } from '@stratus/provider-kit';
import { AWS } from '../keys.js';

/** The provider's cluster cleanup agent (`aws/ClusterCleanupAgent`): the kit's, bound to this provider. */
export class ClusterCleanupAgent extends KitClusterCleanupAgent {
  constructor(intervalMs?: number) {
    super(AWS, intervalMs);
  }
}
