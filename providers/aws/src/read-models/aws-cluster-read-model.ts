import type { Cache, CacheData, LoadBalancerView } from '@stratus/plugin-api';
import { CacheClusterReadModel } from '@stratus/provider-kit';
import { AWS, Keys, parseKey } from '../keys.js';
import type { AwsLoadBalancerReadModel } from './aws-load-balancer-read-model.js';
import { serverGroupViews } from './views.js';

/** Applications and clusters from the cache, in Clouddriver's AWS shapes (the kit's read model). */
export class AwsClusterReadModel extends CacheClusterReadModel {
  constructor(cache: Cache, loadBalancers: AwsLoadBalancerReadModel) {
    super(cache, {
      cloudProvider: AWS,
      applicationKey: (application) => Keys.application(application),
      clusterKey: (application, account, cluster) => Keys.cluster(application, account, cluster),
      clusterGlob: (application) => `aws:clusters:${application.toLowerCase()}:*`,
      serverGroupKey: (account, region, name) => Keys.serverGroup(account, region, name),
      parseKey,
      serverGroupViews: (items, preloaded) => serverGroupViews(preloaded, items),
      loadBalancersOf: (items) => loadBalancersOfGroups(loadBalancers, items),
    });
  }
}

/** The classic load balancers and target groups the groups name (none looked up when they name none). */
async function loadBalancersOfGroups(loadBalancers: AwsLoadBalancerReadModel, items: readonly CacheData[]): Promise<LoadBalancerView[]> {
  const named = items.some(
    (sg) => ((sg.attributes.loadBalancerNames as string[]) ?? []).length > 0 || ((sg.attributes.targetGroupNames as string[]) ?? []).length > 0,
  );
  return named ? loadBalancers.forServerGroups(items.map((sg) => sg.id)) : [];
}
