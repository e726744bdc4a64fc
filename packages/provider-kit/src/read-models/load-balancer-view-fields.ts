import type { CacheData, LoadBalancerView } from '@stratus/plugin-api';
import { monikerOf } from '@stratus/plugin-api';

/** What {@link loadBalancerView} builds a load balancer's view from. */
export interface LoadBalancerViewParts {
  readonly cloudProvider: string;
  /** The cached load balancer's attributes: all of them join the view (Clouddriver's JSON carries the cloud's fields). */
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly name: string;
  /** The cloud's own fields (`vnet`, `loadBalancerType`, `targetGroups` …), set after the common ones. */
  readonly own: Readonly<Record<string, unknown>>;
  /** The entries of the server groups behind it ({@link loadBalancerServerGroupEntry}). */
  readonly serverGroups: readonly Record<string, unknown>[];
}

/**
 * Clouddriver's view of a cached load balancer: its attributes, then the fields Deck reads of every
 * cloud's load balancer (name, type, account, region, moniker, server groups, labels).
 */
export function loadBalancerView(parts: LoadBalancerViewParts): LoadBalancerView {
  const { cloudProvider, attributes: a, name } = parts;
  return {
    ...a,
    name,
    type: cloudProvider,
    cloudProvider,
    account: a.account as string,
    region: a.region as string,
    ...parts.own,
    moniker: monikerOf(name) as LoadBalancerView['moniker'],
    serverGroups: parts.serverGroups,
    labels: {},
  };
}

/**
 * One server group behind a load balancer, as Clouddriver's `LoadBalancerServerGroup` (Deck draws
 * the instances with their health in the load balancer); `instances` are already in the cloud's shape.
 */
export function loadBalancerServerGroupEntry(
  cloudProvider: string,
  serverGroup: CacheData,
  instances: readonly Record<string, unknown>[],
): Record<string, unknown> {
  const a = serverGroup.attributes;
  return {
    name: a.name,
    account: a.account,
    region: a.region,
    isDisabled: a.disabled,
    cloudProvider,
    instances,
    detachedInstances: [],
  };
}
