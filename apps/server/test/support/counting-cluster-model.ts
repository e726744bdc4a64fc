import type { CatsProviderCache } from '@stratus/core';
import type { ClusterReadModel, ClusterView, ServerGroupView } from '@stratus/plugin-api';

/**
 * A cluster read model over a provider cache that counts its `getClusters` calls, so a response the
 * view cache served is told apart from a rebuilt one: the application's server groups, one cluster
 * per account, each group with only what the view cache's tests read (its `label` as a tag).
 */
export class CountingClusterModel implements ClusterReadModel {
  /** How many times `getClusters` ran. */
  calls = 0;

  constructor(private readonly cache: () => CatsProviderCache) {}

  async getClusterNames() {
    return {};
  }

  async getClusters(application: string): Promise<ClusterView[]> {
    this.calls++;
    const byAccount = new Map<string, ServerGroupView[]>();
    for (const item of await this.cache().getAllByApplication('serverGroups', application)) {
      const account = item.attributes.account as string;
      let groups = byAccount.get(account);
      if (!groups) byAccount.set(account, (groups = []));
      const name = item.attributes.name as string;
      groups.push({
        name,
        type: 'aws',
        cloudProvider: 'aws',
        account,
        region: 'us-east-1',
        disabled: false,
        instances: [],
        loadBalancers: [],
        securityGroups: [],
        ...(item.attributes.label ? { tags: { label: item.attributes.label } } : {}),
        // The rest of a server group view does not matter here.
      } as unknown as ServerGroupView);
    }
    return [...byAccount].map(([account, serverGroups]): ClusterView => ({
      name: application,
      type: 'aws',
      accountName: account,
      moniker: { app: application, cluster: application },
      serverGroups,
      loadBalancers: [],
    }));
  }

  async getCluster() {
    return undefined;
  }

  async getServerGroup() {
    return undefined;
  }
}
