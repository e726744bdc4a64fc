import type { Cache, CacheData, ClusterReadModel, ClusterView, LoadBalancerView, ProviderCache, ServerGroupView } from '@stratus/plugin-api';
import { ApplicationPreloadedCache } from '@stratus/provider-kit';
import { CLUSTERS_TYPE, clusterKey, infrastructureKey, KUBERNETES_PROVIDER } from '../kubernetes-keys.js';
import { LOAD_BALANCER_TYPES, loadBalancerView, SERVER_GROUP_TYPES, serverGroupView, splitDisplayName } from './kubernetes-views.js';

/** Escapes glob metacharacters so a name matches only itself. */
export const globLiteral = (value: string) => value.replace(/[*?[\]]/g, (c) => `[${c}]`);

/** Clusters and server groups of Kubernetes applications, from the logical cluster items. */
export class KubernetesClusterReadModel implements ClusterReadModel {
  constructor(private readonly cache: ProviderCache) {}

  /** Cluster items of an application (exact application match; a glob only narrows). */
  async clusterItems(application: string): Promise<CacheData[]> {
    const ids = await this.cache.filterIdentifiers(
      CLUSTERS_TYPE,
      `${KUBERNETES_PROVIDER}:logical:${CLUSTERS_TYPE}:*:${globLiteral(application.replace(/:/g, ';'))}:*`,
    );
    const items = await this.cache.getAllByIds(CLUSTERS_TYPE, ids);
    return items.filter((item) => item.attributes.application === application);
  }

  async getClusterNames(application: string): Promise<Record<string, string[]>> {
    const out: Record<string, string[]> = {};
    for (const item of await this.clusterItems(application)) {
      (out[String(item.attributes.account)] ??= []).push(String(item.attributes.name));
    }
    for (const names of Object.values(out)) names.sort();
    return out;
  }

  /**
   * The clusters come from the same walk as {@link getCluster}'s; their workloads, load balancers and
   * pods are read through the application index (one query per kind for the whole application
   * instead of one per cluster and one per server group), ids it lacks by id.
   */
  async getClusters(application: string, includeDetails: boolean): Promise<ClusterView[]> {
    const [items, cache] = await Promise.all([
      this.clusterItems(application),
      ApplicationPreloadedCache.load(this.cache, application, [...SERVER_GROUP_TYPES, ...LOAD_BALANCER_TYPES, 'pod']),
    ]);
    return Promise.all(items.map((item) => this.view(item, includeDetails, cache)));
  }

  async getCluster(application: string, account: string, name: string, includeDetails: boolean): Promise<ClusterView | undefined> {
    const item = await this.cache.get(CLUSTERS_TYPE, clusterKey(account, application, name));
    return item && this.view(item, includeDetails, this.cache);
  }

  async getServerGroup(account: string, region: string, name: string): Promise<ServerGroupView | undefined> {
    const { type, name: plain } = splitDisplayName(name, 'replicaSet');
    if (!SERVER_GROUP_TYPES.includes(type)) return undefined;
    const item = await this.cache.get(type, infrastructureKey(type, account, region, plain));
    if (!item) return undefined;
    return serverGroupView(this.cache, item);
  }

  private async view(item: CacheData, includeDetails: boolean, cache: Cache): Promise<ClusterView> {
    const serverGroupItems = (await Promise.all(SERVER_GROUP_TYPES.map((t) => cache.getAllByIds(t, item.relationships[t] ?? [])))).flat();
    const lbKeys = new Set(LOAD_BALANCER_TYPES.flatMap((t) => item.relationships[t] ?? []));
    for (const sg of serverGroupItems) for (const t of LOAD_BALANCER_TYPES) for (const key of sg.relationships[t] ?? []) lbKeys.add(key);
    const lbItems = (
      await Promise.all(
        LOAD_BALANCER_TYPES.map((t) =>
          cache.getAllByIds(
            t,
            [...lbKeys].filter((k) => k.split(':')[2] === t),
          ),
        ),
      )
    ).flat();
    const serverGroups = await Promise.all(serverGroupItems.map((sg) => serverGroupView(cache, sg)));
    const loadBalancers: LoadBalancerView[] = lbItems.map((lb) =>
      loadBalancerView(
        lb,
        serverGroups.filter((sg) => sg.loadBalancers.includes(`${lb.id.split(':')[2]} ${lb.attributes.name}`)),
      ),
    );
    return {
      name: String(item.attributes.name),
      type: 'kubernetes',
      accountName: String(item.attributes.account),
      moniker: { app: String(item.attributes.application), cluster: String(item.attributes.name) },
      serverGroups: includeDetails ? serverGroups : serverGroups.map((sg) => ({ ...sg, instances: [], manifest: undefined })),
      loadBalancers,
    };
  }
}
