import { ClusterCleanupAgent } from '@stratus/provider-kit';
import { AZURE } from '../keys.js';

/** The provider's cluster cleanup agent (`azure/ClusterCleanupAgent`): the kit's, bound to this provider. */
export class AzureClusterCleanupAgent extends ClusterCleanupAgent {
  constructor(intervalMs?: number) {
    super(AZURE, intervalMs);
  }
}
