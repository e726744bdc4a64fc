import { authoritative, informative, type AgentDataType } from '@stratus/plugin-api';
import { STANDARD_TYPES } from '../keys/standard-keys.js';

const { serverGroups, clusters, applications, instances, loadBalancers } = STANDARD_TYPES;

/** What one cloud's server group caching agent writes beyond the standard types. */
export interface ServerGroupAgentExtras {
  /** Types the agent owns besides server groups (Azure's agent caches the scale sets' VMs as instances). */
  readonly authoritative?: readonly string[];
  /** Types it contributes to besides clusters, applications, instances and load balancers. */
  readonly informative?: readonly string[];
  /** Types a cluster links to besides server groups and load balancers (AWS's target groups). */
  readonly clusterEdges?: readonly string[];
  /** Further edges a one-group result keeps from the cache. */
  readonly siblingEdges?: ReadonlyArray<readonly [type: string, edgeTypes: readonly string[]]>;
}

/** A server group caching agent's `providedDataTypes`, and the sibling edges its `ServerGroupOnDemand` keeps. */
export interface ServerGroupAgentTypes {
  readonly providedDataTypes: readonly AgentDataType[];
  readonly siblingEdges: ReadonlyArray<readonly [type: string, edgeTypes: readonly string[]]>;
}

/**
 * The types every regional server group caching agent writes: server groups (authoritative), and
 * clusters, applications, instances and load balancers (informative: a cluster spans regions, so
 * evicting it is the cleanup agent's job). A one-group on-demand result would replace the agent's
 * cluster → server group and application → cluster edges with just that group's, so those are kept
 * from the cache; `extras` adds each cloud's own.
 */
export function serverGroupAgentTypes(extras: ServerGroupAgentExtras = {}): ServerGroupAgentTypes {
  const owned = [serverGroups, ...(extras.authoritative ?? [])];
  const contributed = [clusters, applications, instances, loadBalancers, ...(extras.informative ?? [])].filter((type) => !owned.includes(type));
  return {
    providedDataTypes: [...owned.map((type) => authoritative(type)), ...contributed.map((type) => informative(type))],
    siblingEdges: [
      [clusters, [serverGroups, loadBalancers, ...(extras.clusterEdges ?? [])]],
      [applications, [clusters, serverGroups]],
      ...(extras.siblingEdges ?? []),
    ],
  };
}
