import type { ApplicationReadModel, ApplicationView, Cache, CacheData, ClusterReadModel, ClusterView, LoadBalancerView, ServerGroupView } from '@stratus/plugin-api';
import { monikerOf, parseServerGroupName } from '@stratus/plugin-api';
import { GCE, Keys, parseKey, Types } from '../keys.js';
import type { GceLoadBalancerReadModel } from './gce-load-balancer-read-model.js';
import { serverGroupViews } from './views.js';

/** Applications and clusters from the cache, in Clouddriver's google shapes. */
export class GceClusterReadModel implements ClusterReadModel, ApplicationReadModel {
  constructor(
    private readonly cache: Cache,
    private readonly loadBalancers: GceLoadBalancerReadModel,
  ) {}

  // ---- applications ----

  async getApplications(expand: boolean): Promise<ApplicationView[]> {
    const apps = await this.cache.getAll(Types.applications, { relationshipPrefixes: expand ? [Types.clusters] : [] });
    const views = await Promise.all(apps.map((app) => this.applicationView(app, expand)));
    return views.sort((a, b) => a.name.localeCompare(b.name));
  }

  async getApplication(name: string): Promise<ApplicationView | undefined> {
    const app = await this.cache.get(Types.applications, Keys.application(name), { relationshipPrefixes: [Types.clusters] });
    return app ? this.applicationView(app, true) : undefined;
  }

  private async applicationView(app: CacheData, expand: boolean): Promise<ApplicationView> {
    const clusterNames: Record<string, string[]> = {};
    if (expand) {
      for (const key of await this.cache.existingIdentifiers(Types.clusters, app.relationships[Types.clusters] ?? [])) {
        const parsed = parseKey(key);
        if (parsed) (clusterNames[parsed.account!] ??= []).push(parsed.cluster!);
      }
      for (const list of Object.values(clusterNames)) list.sort();
    }
    return { name: app.attributes.name as string, attributes: { name: app.attributes.name, cloudProviders: GCE }, clusterNames };
  }

  // ---- clusters ----

  async getClusterNames(application: string): Promise<Record<string, string[]>> {
    const app = await this.getApplication(application);
    return app ? (app.clusterNames as Record<string, string[]>) : {};
  }

  async getClusters(application: string, includeDetails: boolean): Promise<ClusterView[]> {
    const ids = await this.cache.filterIdentifiers(Types.clusters, `gce:clusters:*:${application.toLowerCase()}:*`);
    const clusters = await this.cache.getAllByIds(Types.clusters, ids);
    return Promise.all(clusters.map((c) => this.clusterView(c, includeDetails)));
  }

  async getCluster(application: string, account: string, name: string, includeDetails: boolean): Promise<ClusterView | undefined> {
    const cluster = await this.cache.get(Types.clusters, Keys.cluster(account, application, name));
    return cluster ? this.clusterView(cluster, includeDetails) : undefined;
  }

  /** A regional group by its exact key, else a zonal one (`…:<name>:<zone>`). */
  async getServerGroup(account: string, region: string, name: string): Promise<ServerGroupView | undefined> {
    const item = await this.findServerGroup(account, region, name);
    return item ? (await serverGroupViews(this.cache, [item]))[0] : undefined;
  }

  async findServerGroup(account: string, region: string, name: string): Promise<CacheData | undefined> {
    const regional = await this.cache.get(Types.serverGroups, Keys.serverGroup(account, region, name));
    if (regional) return regional;
    const zonal = await this.cache.filterIdentifiers(Types.serverGroups, `${Keys.serverGroup(account, region, name)}:*`);
    return zonal.length > 0 ? this.cache.get(Types.serverGroups, zonal[0]!) : undefined;
  }

  /** Every server group of an application (for `/applications/{app}/serverGroups`). */
  async getApplicationServerGroups(application: string): Promise<ServerGroupView[]> {
    return (await this.getClusters(application, true)).flatMap((c) => c.serverGroups);
  }

  private async clusterView(cluster: CacheData, includeDetails: boolean): Promise<ClusterView> {
    const a = cluster.attributes;
    const items = await this.cache.getAllByIds(Types.serverGroups, cluster.relationships[Types.serverGroups] ?? []);
    const serverGroups = includeDetails
      ? await serverGroupViews(this.cache, items)
      : items.map((sg) => ({ name: sg.attributes.name, region: sg.attributes.region, account: sg.attributes.account }) as unknown as ServerGroupView);
    const lbKeys = [...new Set(items.flatMap((sg) => sg.relationships[Types.loadBalancers] ?? []))];
    const loadBalancers: LoadBalancerView[] = lbKeys.length > 0 ? await this.loadBalancers.byKeys(lbKeys) : [];
    const name = a.name as string;
    return {
      name,
      type: GCE,
      accountName: a.accountName as string,
      moniker: (a.moniker as ClusterView['moniker']) ?? (monikerOf(name) as ClusterView['moniker']),
      application: parseServerGroupName(name).app,
      serverGroups,
      loadBalancers,
    };
  }
}
