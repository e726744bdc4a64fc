import type { Cache, CacheData, CacheFilter, ClusterView, LoadBalancerView, ServerGroupView } from '@stratus/plugin-api';
import { monikerOf } from '@stratus/plugin-api';
import { SYNTHETIC } from '../synthetic-keys.js';
import { loadBalancerView, serverGroupView } from './views.js';

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
 * Without details, server groups (and so load balancers' server groups) list no instances.
 *
 * Cluster views share the server group views, and their load balancer views are built on first
 * access only and shared between clusters: `/applications/{app}/serverGroups` never reads them, and
 * each would otherwise hold every server group and instance behind the load balancer.
 */
export class ApplicationSnapshot {
  readonly #serverGroupViews = new Map<string, ServerGroupView>();
  readonly #loadBalancerViews = new Map<string, LoadBalancerView>();

  private constructor(
    readonly clusters: readonly CacheData[],
    private readonly serverGroups: ReadonlyMap<string, CacheData>,
    private readonly instances: ReadonlyMap<string, CacheData>,
    private readonly loadBalancers: ReadonlyMap<string, CacheData>,
    private readonly includeDetails: boolean,
  ) {}

  /** `undefined` when the cache has no application index (the caller walks ids instead). */
  static async load(cache: Cache, application: string, includeDetails: boolean, only?: CacheData): Promise<ApplicationSnapshot | undefined> {
    if (!cache.getAllByApplication) return undefined;
    const indexed = cache as Indexed;
    const [clusters, serverGroups, instances, loadBalancers] = await Promise.all([
      only ? [only] : indexed.getAllByApplication('clusters', application),
      indexed.getAllByApplication('serverGroups', application),
      includeDetails ? indexed.getAllByApplication('instances', application, NO_RELATIONSHIPS) : [],
      indexed.getAllByApplication('loadBalancers', application),
    ]);
    const lbs = await withMissing(
      cache,
      'loadBalancers',
      byId(loadBalancers),
      clusters.flatMap((c) => c.relationships.loadBalancers ?? []),
    );
    const groupIds = [...clusters, ...lbs.values()].flatMap((item) => item.relationships.serverGroups ?? []);
    const groups = await withMissing(cache, 'serverGroups', byId(serverGroups), groupIds);
    const instanceIds = includeDetails ? [...groups.values()].flatMap((group) => group.relationships.instances ?? []) : [];
    const instanceItems = await withMissing(cache, 'instances', byId(instances), instanceIds, NO_RELATIONSHIPS);
    return new ApplicationSnapshot(clusters, groups, instanceItems, lbs, includeDetails);
  }

  serverGroupView(id: string): ServerGroupView | undefined {
    let view = this.#serverGroupViews.get(id);
    if (view) return view;
    const item = this.serverGroups.get(id);
    if (!item) return undefined;
    const instanceIds = this.includeDetails ? (item.relationships.instances ?? []) : [];
    view = serverGroupView(
      item,
      instanceIds.flatMap((instanceId) => this.instances.get(instanceId) ?? []),
    );
    this.#serverGroupViews.set(id, view);
    return view;
  }

  #loadBalancerView(id: string): LoadBalancerView | undefined {
    let view = this.#loadBalancerViews.get(id);
    if (view) return view;
    const item = this.loadBalancers.get(id);
    if (!item) return undefined;
    view = loadBalancerView(
      item,
      (item.relationships.serverGroups ?? []).flatMap((groupId) => this.serverGroupView(groupId) ?? []),
    );
    this.#loadBalancerViews.set(id, view);
    return view;
  }

  clusterView(item: CacheData): ClusterView {
    const serverGroups = (item.relationships.serverGroups ?? [])
      .flatMap((id) => this.serverGroupView(id) ?? [])
      .sort((a, b) => (a.createdTime ?? 0) - (b.createdTime ?? 0) || a.name.localeCompare(b.name));
    const lbIds = [...new Set(item.relationships.loadBalancers ?? [])];
    let loadBalancers: LoadBalancerView[] | undefined;
    const buildLoadBalancers = () =>
      (loadBalancers ??= lbIds
        .flatMap((id) => this.#loadBalancerView(id) ?? [])
        .sort((a, b) => a.name.localeCompare(b.name) || a.account.localeCompare(b.account) || (a.region ?? '').localeCompare(b.region ?? '')));
    const name = item.attributes.name as string;
    const view: ClusterView = {
      name,
      type: SYNTHETIC,
      accountName: item.attributes.account as string,
      application: item.attributes.application as string,
      moniker: monikerOf(name),
      serverGroups,
      // A getter in a literal is enumerable: JSON.stringify and spreads see it like a plain property.
      get loadBalancers() {
        return buildLoadBalancers();
      },
    };
    return view;
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
