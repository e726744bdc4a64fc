import type {
  ApplicationReadModel,
  ApplicationView,
  Cache,
  CacheData,
  ClusterReadModel,
  ClusterView,
  LoadBalancerView,
  ServerGroupView,
} from '@stratus/plugin-api';
import { monikerOf, parseServerGroupName } from '@stratus/plugin-api';
import type { StandardKeys } from '../keys/standard-keys.js';
import { ApplicationPreloadedCache } from './application-preload.js';

/** How one provider names and reads what the shared cluster read model needs. */
export interface ClusterReadModelSpec {
  /** The cloud provider id, as `type` of clusters and `cloudProviders` of applications. */
  readonly cloudProvider: string;
  readonly applicationKey: (application: string) => string;
  readonly clusterKey: (application: string, account: string, cluster: string) => string;
  /** The glob of every cluster key of an application (lower-cased as the keys are). */
  readonly clusterGlob: (application: string) => string;
  readonly serverGroupKey: (account: string, region: string, name: string) => string;
  /** Parses a cluster key into at least `account` and `cluster`. */
  readonly parseKey: (key: string) => Record<string, string> | undefined;
  /**
   * Full server group views of cached server groups (one per item, in order), loading what they
   * relate to in bulk from `cache`: the provider's cache, or a view of it that answers an
   * application's items from the application index.
   */
  readonly serverGroupViews: (items: readonly CacheData[], cache: Cache) => Promise<ServerGroupView[]>;
  /** The load balancer views of a cluster's server groups. */
  readonly loadBalancersOf: (serverGroups: readonly CacheData[]) => Promise<LoadBalancerView[]>;
}

/** The key part of a spec for a provider whose keys follow {@link StandardKeys}' account-first layout. */
export function standardClusterKeySpec(
  cloudProvider: string,
  keys: Pick<StandardKeys, 'application' | 'cluster' | 'serverGroup'>,
  parseKey: (key: string) => Record<string, string> | undefined,
): Pick<ClusterReadModelSpec, 'cloudProvider' | 'applicationKey' | 'clusterKey' | 'clusterGlob' | 'serverGroupKey' | 'parseKey'> {
  return {
    cloudProvider,
    applicationKey: (application) => keys.application(application),
    clusterKey: (application, account, cluster) => keys.cluster(account, application, cluster),
    clusterGlob: (application) => `${cloudProvider}:clusters:*:${application.toLowerCase()}:*`,
    serverGroupKey: (account, region, name) => keys.serverGroup(account, region, name),
    parseKey,
  };
}

/**
 * The whole spec of a provider whose keys follow {@link StandardKeys}' layout and whose server groups
 * reach their load balancers by `loadBalancers` edges (read through `loadBalancers.byKeys`).
 */
export function standardClusterSpec(
  cloudProvider: string,
  keys: Pick<StandardKeys, 'application' | 'cluster' | 'serverGroup'>,
  parseKey: (key: string) => Record<string, string> | undefined,
  serverGroupViews: ClusterReadModelSpec['serverGroupViews'],
  loadBalancers: { byKeys(keys: readonly string[]): Promise<LoadBalancerView[]> },
): ClusterReadModelSpec {
  return {
    ...standardClusterKeySpec(cloudProvider, keys, parseKey),
    serverGroupViews,
    loadBalancersOf: loadBalancersByEdges((edges) => loadBalancers.byKeys(edges)),
  };
}

/**
 * Applications and clusters from a provider's cache, in Clouddriver's shapes, for a provider using
 * the standard namespaces (`applications` → `clusters` → `serverGroups` → `instances`). A provider
 * subclasses it with its spec and overrides {@link findServerGroup} when a name maps to more than
 * one key (GCE's zonal groups).
 */
export class CacheClusterReadModel implements ClusterReadModel, ApplicationReadModel {
  constructor(
    protected readonly cache: Cache,
    protected readonly spec: ClusterReadModelSpec,
  ) {}

  // ---- applications ----

  async getApplications(expand: boolean): Promise<ApplicationView[]> {
    const apps = await this.cache.getAll('applications', { relationshipPrefixes: expand ? ['clusters'] : [] });
    const views = await Promise.all(apps.map((app) => this.applicationView(app, expand)));
    return views.sort((a, b) => a.name.localeCompare(b.name));
  }

  async getApplication(name: string): Promise<ApplicationView | undefined> {
    const app = await this.cache.get('applications', this.spec.applicationKey(name), { relationshipPrefixes: ['clusters'] });
    return app ? this.applicationView(app, true) : undefined;
  }

  /** An application with its live cluster names by account (dangling edges skipped). */
  private async applicationView(app: CacheData, expand: boolean): Promise<ApplicationView> {
    const clusterNames: Record<string, string[]> = {};
    if (expand) {
      for (const key of await this.cache.existingIdentifiers('clusters', app.relationships.clusters ?? [])) {
        const parsed = this.spec.parseKey(key);
        if (parsed) (clusterNames[parsed.account!] ??= []).push(parsed.cluster!);
      }
      for (const list of Object.values(clusterNames)) list.sort();
    }
    return { name: app.attributes.name as string, attributes: { name: app.attributes.name, cloudProviders: this.spec.cloudProvider }, clusterNames };
  }

  // ---- clusters ----

  async getClusterNames(application: string): Promise<Record<string, string[]>> {
    const app = await this.getApplication(application);
    return app ? (app.clusterNames as Record<string, string[]>) : {};
  }

  /**
   * Every cluster of an application. The clusters and their server group ids come from the same
   * walk as always (so the answer is the same); the server groups are read through the application
   * index (one query instead of one per cluster) and all clusters' groups become views in one call,
   * so what they relate to (instances, launch templates…) is read once per type, not per cluster.
   */
  async getClusters(application: string, includeDetails: boolean): Promise<ClusterView[]> {
    const ids = await this.cache.filterIdentifiers('clusters', this.spec.clusterGlob(application));
    if (ids.length === 0) return [];
    const [clusters, cache] = await Promise.all([
      this.cache.getAllByIds('clusters', ids),
      ApplicationPreloadedCache.load(this.cache, application, ['serverGroups']),
    ]);
    const groupsOf = await Promise.all(clusters.map((c) => cache.getAllByIds('serverGroups', c.relationships.serverGroups ?? [])));
    const views = await this.serverGroupViewsById(groupsOf.flat(), includeDetails, cache);
    return Promise.all(clusters.map((c, i) => this.clusterViewOf(c, groupsOf[i]!, views)));
  }

  async getCluster(application: string, account: string, name: string, includeDetails: boolean): Promise<ClusterView | undefined> {
    const cluster = await this.cache.get('clusters', this.spec.clusterKey(application, account, name));
    return cluster ? this.clusterView(cluster, includeDetails) : undefined;
  }

  async getServerGroup(account: string, region: string, name: string): Promise<ServerGroupView | undefined> {
    const item = await this.findServerGroup(account, region, name);
    return item ? (await this.spec.serverGroupViews([item], this.cache))[0] : undefined;
  }

  /** The cached server group `name` of an account and region. */
  async findServerGroup(account: string, region: string, name: string): Promise<CacheData | undefined> {
    return this.cache.get('serverGroups', this.spec.serverGroupKey(account, region, name));
  }

  /** Every server group of an application (for `/applications/{app}/serverGroups`). */
  async getApplicationServerGroups(application: string): Promise<ServerGroupView[]> {
    return (await this.getClusters(application, true)).flatMap((c) => c.serverGroups);
  }

  /** A cluster with its server groups (full views, or name/region/account only) and load balancers. */
  private async clusterView(cluster: CacheData, includeDetails: boolean): Promise<ClusterView> {
    const items = await this.cache.getAllByIds('serverGroups', cluster.relationships.serverGroups ?? []);
    return this.clusterViewOf(cluster, items, await this.serverGroupViewsById(items, includeDetails, this.cache));
  }

  /** Views of `items` by id (each group once, however many clusters list it). */
  private async serverGroupViewsById(items: readonly CacheData[], includeDetails: boolean, cache: Cache): Promise<Map<string, ServerGroupView>> {
    const unique = [...new Map(items.map((sg) => [sg.id, sg])).values()];
    const views = includeDetails
      ? await this.spec.serverGroupViews(unique, cache)
      : unique.map((sg) => ({ name: sg.attributes.name, region: sg.attributes.region, account: sg.attributes.account }) as unknown as ServerGroupView);
    return new Map(unique.map((sg, i) => [sg.id, views[i]!]));
  }

  private async clusterViewOf(cluster: CacheData, items: readonly CacheData[], views: ReadonlyMap<string, ServerGroupView>): Promise<ClusterView> {
    const a = cluster.attributes;
    const serverGroups = items.map((sg) => views.get(sg.id)!);
    const loadBalancers = await this.spec.loadBalancersOf(items);
    const name = a.name as string;
    return {
      name,
      type: this.spec.cloudProvider,
      accountName: a.accountName as string,
      moniker: (a.moniker as ClusterView['moniker']) ?? (monikerOf(name) as ClusterView['moniker']),
      application: parseServerGroupName(name).app,
      serverGroups,
      loadBalancers,
    };
  }
}

/**
 * The load balancers a provider's server groups relate to through `loadBalancers` edges, read by
 * `byKeys` (one bulk read; none when no group has an edge).
 */
export function loadBalancersByEdges(
  byKeys: (keys: string[]) => Promise<LoadBalancerView[]>,
): (serverGroups: readonly CacheData[]) => Promise<LoadBalancerView[]> {
  return async (serverGroups) => {
    const keys = [...new Set(serverGroups.flatMap((sg) => sg.relationships.loadBalancers ?? []))];
    return keys.length > 0 ? byKeys(keys) : [];
  };
}
