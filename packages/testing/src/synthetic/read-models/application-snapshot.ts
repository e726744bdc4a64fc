import type { Cache, CacheData, CacheFilter, ClusterView, ServerGroupView } from '@stratus/plugin-api';
import { clusterViewOf, serverGroupView } from './views.js';

type Indexed = Cache & Required<Pick<Cache, 'getAllByApplication'>>;

/**
 * Instance views read attributes only: their relationships (decoded per item, tens of thousands per
 * application) are never looked at, and SQL stores then skip the column.
 */
const NO_RELATIONSHIPS: CacheFilter = { relationshipPrefixes: [] };

const byId = (items: readonly CacheData[]) => new Map(items.map((item) => [item.id, item]));

/**
 * One application's cached items, read through the cache's application index: one query per type
 * (clusters, server groups, instances, load balancers) instead of id walks. Ids that relationships
 * name but the index did not return (an item of another application, or written before it carried
 * an `application` attribute) are fetched by id, so the views are the same as an id walk's.
 *
 * Without details, server groups list no instances. Cluster views name their load balancers only
 * (see `clusterViewOf`), so no load balancer reads server groups.
 */
export class ApplicationSnapshot {
  private constructor(
    readonly clusters: readonly CacheData[],
    private readonly serverGroups: ReadonlyMap<string, CacheData>,
    private readonly instances: ReadonlyMap<string, CacheData>,
    private readonly loadBalancers: ReadonlyMap<string, CacheData>,
    private readonly includeDetails: boolean,
  ) {}

  /** `undefined` when the cache has no application index (the caller walks ids instead). */
  static async load(cache: Cache, application: string, includeDetails: boolean): Promise<ApplicationSnapshot | undefined> {
    if (!cache.getAllByApplication) return undefined;
    const indexed = cache as Indexed;
    const [clusters, serverGroups, instances, loadBalancers] = await Promise.all([
      indexed.getAllByApplication('clusters', application),
      indexed.getAllByApplication('serverGroups', application),
      includeDetails ? indexed.getAllByApplication('instances', application, NO_RELATIONSHIPS) : [],
      indexed.getAllByApplication('loadBalancers', application, NO_RELATIONSHIPS),
    ]);
    const lbs = await withMissing(
      cache,
      'loadBalancers',
      byId(loadBalancers),
      clusters.flatMap((c) => c.relationships.loadBalancers ?? []),
      NO_RELATIONSHIPS,
    );
    const groups = await withMissing(
      cache,
      'serverGroups',
      byId(serverGroups),
      clusters.flatMap((item) => item.relationships.serverGroups ?? []),
    );
    const instanceIds = includeDetails ? [...groups.values()].flatMap((group) => group.relationships.instances ?? []) : [];
    const instanceItems = await withMissing(cache, 'instances', byId(instances), instanceIds, NO_RELATIONSHIPS);
    return new ApplicationSnapshot(clusters, groups, instanceItems, lbs, includeDetails);
  }

  private serverGroupView(id: string): ServerGroupView | undefined {
    const item = this.serverGroups.get(id);
    if (!item) return undefined;
    const instanceIds = this.includeDetails ? (item.relationships.instances ?? []) : [];
    return serverGroupView(
      item,
      instanceIds.flatMap((instanceId) => this.instances.get(instanceId) ?? []),
    );
  }

  clusterView(item: CacheData): ClusterView {
    const serverGroups = (item.relationships.serverGroups ?? []).flatMap((id) => this.serverGroupView(id) ?? []);
    const lbIds = [...new Set(item.relationships.loadBalancers ?? [])].filter((id) => this.loadBalancers.has(id));
    return clusterViewOf(item, serverGroups, lbIds);
  }
}

/** `known` plus the items among `ids` it lacks, fetched by id (normally none). */
async function withMissing(
  cache: Cache,
  type: string,
  known: Map<string, CacheData>,
  ids: readonly string[],
  filter?: CacheFilter,
): Promise<Map<string, CacheData>> {
  const missing = [...new Set(ids.filter((id) => !known.has(id)))];
  if (missing.length > 0) for (const item of await cache.getAllByIds(type, missing, filter)) known.set(item.id, item);
  return known;
}
