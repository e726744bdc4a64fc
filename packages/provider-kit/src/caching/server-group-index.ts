import { cacheData, monikerOf, type CacheData } from '@stratus/plugin-api';

/** One server group as `ServerGroupIndex.add` files it. */
export interface IndexedServerGroup {
  readonly serverGroupKey: string;
  readonly clusterKey: string;
  readonly applicationKey: string;
  readonly account: string;
  /** The Frigga names of the group (`parseServerGroupName`). */
  readonly names: { readonly app: string; readonly cluster: string };
}

/**
 * What a server group caching agent writes besides the server groups themselves: the clusters and
 * applications the groups belong to (attributes as Clouddriver's cluster and application items,
 * edges to the groups and, for clusters, to the types in `clusterEdgeTypes`), and relationship-only
 * items of the types in `backEdgeTypes` pointing back at the groups. Every cloud files its groups
 * this way, so the bookkeeping lives here.
 */
export class ServerGroupIndex {
  private readonly clusters = new Map<string, { attributes: Record<string, unknown>; serverGroups: string[]; edges: Map<string, Set<string>> }>();
  private readonly applications = new Map<string, { attributes: Record<string, unknown>; clusters: Set<string>; serverGroups: string[] }>();
  private readonly backEdges = new Map<string, Map<string, string[]>>();

  constructor(
    private readonly clusterEdgeTypes: readonly string[],
    backEdgeTypes: readonly string[],
  ) {
    for (const type of backEdgeTypes) this.backEdges.set(type, new Map());
  }

  /** Files one group; `related` lists, per type, the keys the group links to. */
  add(group: IndexedServerGroup, related: Readonly<Record<string, readonly string[]>>): void {
    const { serverGroupKey, clusterKey, applicationKey, account, names } = group;
    let cluster = this.clusters.get(clusterKey);
    if (!cluster) {
      cluster = {
        attributes: { name: names.cluster, application: names.app, accountName: account, moniker: monikerOf(names.cluster) },
        serverGroups: [],
        edges: new Map(this.clusterEdgeTypes.map((type) => [type, new Set<string>()])),
      };
      this.clusters.set(clusterKey, cluster);
    }
    cluster.serverGroups.push(serverGroupKey);
    for (const [type, keys] of cluster.edges) for (const k of related[type] ?? []) keys.add(k);

    let app = this.applications.get(applicationKey);
    if (!app) {
      app = { attributes: { name: names.app.toLowerCase() }, clusters: new Set(), serverGroups: [] };
      this.applications.set(applicationKey, app);
    }
    app.clusters.add(clusterKey);
    app.serverGroups.push(serverGroupKey);

    for (const [type, byKey] of this.backEdges) {
      for (const k of related[type] ?? []) {
        const list = byKey.get(k);
        if (list) list.push(serverGroupKey);
        else byKey.set(k, [serverGroupKey]);
      }
    }
  }

  /**
   * Files one group (as {@link add}) and returns its server group item, whose attributes start with
   * the group's `name`, `account` and `region`.
   */
  serverGroupItem(
    group: IndexedServerGroup & { readonly name: string; readonly region: string },
    attributes: Record<string, unknown>,
    related: Readonly<Record<string, readonly string[]>>,
  ): CacheData {
    this.add(group, related);
    return cacheData(group.serverGroupKey, { name: group.name, account: group.account, region: group.region, ...attributes }, related);
  }

  clusterItems(): CacheData[] {
    return [...this.clusters].map(([id, c]) =>
      cacheData(id, c.attributes, { serverGroups: c.serverGroups, ...Object.fromEntries([...c.edges].map(([type, keys]) => [type, [...keys]])) }),
    );
  }

  applicationItems(): CacheData[] {
    return [...this.applications].map(([id, a]) => cacheData(id, a.attributes, { clusters: [...a.clusters], serverGroups: a.serverGroups }));
  }

  /** Relationship-only items of `type`: empty attributes leave the owning agent's data untouched. */
  relatedItems(type: string): CacheData[] {
    return [...(this.backEdges.get(type) ?? [])].map(([id, serverGroups]) => cacheData(id, {}, { serverGroups }));
  }
}
