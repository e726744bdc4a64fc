import type {
  ApplicationReadModel,
  ApplicationView,
  CacheData,
  ClusterReadModel,
  ClusterView,
  InstanceReadModel,
  LoadBalancerReadModel,
  LoadBalancerView,
  ProviderCache,
  ReadModels,
  SecurityGroupReadModel,
  ServerGroupView,
} from '@stratus/plugin-api';
import { SYNTHETIC, SyntheticKeys, parseSyntheticKey } from '../synthetic-keys.js';
import { ApplicationSnapshot } from './application-snapshot.js';
import { byAccountAndName, byLoadBalancerIdentity, clusterViewOf, instanceView, loadBalancerView, securityGroupView, serverGroupView } from './views.js';

/**
 * The read models of the synthetic provider, built from its provider cache only. Relationship lists
 * may point at items already evicted (edges are informative); every lookup goes through the cache's
 * existence rules, so such ids simply drop out.
 */
export class SyntheticReadModels {
  constructor(private readonly cache: ProviderCache) {}

  // ---- building blocks ----

  private async serverGroupViews(items: readonly CacheData[], includeDetails: boolean): Promise<ServerGroupView[]> {
    const instanceIds = includeDetails ? items.flatMap((item) => item.relationships.instances ?? []) : [];
    const instances = new Map((await this.cache.getAllByIds('instances', instanceIds, { relationshipPrefixes: [] })).map((i) => [i.id, i]));
    // In `items`' order: a cluster orders its groups (`clusterViewOf`), a load balancer keeps its edges' order.
    return items.map((item) =>
      serverGroupView(
        item,
        (includeDetails ? (item.relationships.instances ?? []) : []).flatMap((id) => instances.get(id) ?? []),
      ),
    );
  }

  private async loadBalancerViews(items: readonly CacheData[]): Promise<LoadBalancerView[]> {
    const groupIds = [...new Set(items.flatMap((item) => item.relationships.serverGroups ?? []))];
    const groups = await this.serverGroupViews(await this.cache.getAllByIds('serverGroups', groupIds), true);
    const byKey = new Map(groups.map((group) => [SyntheticKeys.serverGroup(group.account, group.region, group.name), group]));
    return items
      .map((item) =>
        loadBalancerView(
          item,
          (item.relationships.serverGroups ?? []).flatMap((id) => byKey.get(id) ?? []),
        ),
      )
      .sort(byLoadBalancerIdentity);
  }

  private async clusterView(item: CacheData, includeDetails: boolean): Promise<ClusterView> {
    const [serverGroups, lbIds] = await Promise.all([
      this.cache.getAllByIds('serverGroups', item.relationships.serverGroups ?? []).then((items) => this.serverGroupViews(items, includeDetails)),
      this.cache.existingIdentifiers('loadBalancers', [...new Set(item.relationships.loadBalancers ?? [])]),
    ]);
    return clusterViewOf(item, serverGroups, lbIds);
  }

  private async clusterKeysOf(application: string): Promise<string[]> {
    const app = await this.cache.get('applications', SyntheticKeys.application(application));
    return app ? this.cache.existingIdentifiers('clusters', app.relationships.clusters ?? []) : [];
  }

  // ---- the models ----

  readonly applications: ApplicationReadModel = {
    getApplications: async (expand) => {
      const apps = await this.cache.getAll('applications');
      const views = await Promise.all(apps.map((app) => this.applicationView(app, expand)));
      return views.sort((a, b) => a.name.localeCompare(b.name));
    },
    getApplication: async (name) => {
      const app = await this.cache.get('applications', SyntheticKeys.application(name));
      return app ? this.applicationView(app, true) : undefined;
    },
  };

  private async applicationView(app: CacheData, expand: boolean): Promise<ApplicationView> {
    const name = app.attributes.name as string;
    const clusterNames: Record<string, string[]> = {};
    if (expand) {
      for (const key of await this.cache.existingIdentifiers('clusters', app.relationships.clusters ?? [])) {
        const parsed = parseSyntheticKey(key)!;
        (clusterNames[parsed.account!] ??= []).push(parsed.cluster!);
      }
      for (const names of Object.values(clusterNames)) names.sort();
    }
    return { name, attributes: { name, cloudProviders: SYNTHETIC }, clusterNames };
  }

  readonly clusters: ClusterReadModel = {
    getClusterNames: async (application) => {
      const names: Record<string, string[]> = {};
      for (const key of await this.clusterKeysOf(application)) {
        const parsed = parseSyntheticKey(key)!;
        (names[parsed.account!] ??= []).push(parsed.cluster!);
      }
      for (const list of Object.values(names)) list.sort();
      return names;
    },
    getClusters: async (application, includeDetails) => {
      const snapshot = await ApplicationSnapshot.load(this.cache, application, includeDetails);
      if (snapshot) {
        const views = snapshot.clusters.map((item) => snapshot.clusterView(item));
        return views.sort(byAccountAndName);
      }
      const items = await this.cache.getAllByIds('clusters', await this.clusterKeysOf(application));
      const views = await Promise.all(items.map((item) => this.clusterView(item, includeDetails)));
      return views.sort(byAccountAndName);
    },
    getCluster: async (application, account, name, includeDetails) => {
      const item = await this.cache.get('clusters', SyntheticKeys.cluster(application, account, name));
      // One cluster's own items by id: an application read would fetch every other cluster's too.
      return item ? this.clusterView(item, includeDetails) : undefined;
    },
    getServerGroup: async (account, region, name, includeDetails = true) => {
      const item = await this.cache.get('serverGroups', SyntheticKeys.serverGroup(account, region, name));
      return item ? (await this.serverGroupViews([item], includeDetails))[0] : undefined;
    },
  };

  readonly instances: InstanceReadModel = {
    getInstance: async (account, region, id) => {
      const item = await this.cache.get('instances', SyntheticKeys.instance(account, region, id));
      return item ? instanceView(item) : undefined;
    },
  };

  readonly loadBalancers: LoadBalancerReadModel = {
    getApplicationLoadBalancers: async (application) => {
      const all = await this.cache.getAll('loadBalancers');
      return this.loadBalancerViews(all.filter((lb) => String(lb.attributes.application).toLowerCase() === application.toLowerCase()));
    },
    list: async () => this.loadBalancerViews(await this.cache.getAll('loadBalancers')),
    getDetails: async (account, region, name) => {
      const item = await this.cache.get('loadBalancers', SyntheticKeys.loadBalancer(account, region, name));
      if (!item) return [];
      const [view] = await this.loadBalancerViews([item]);
      const { serverGroups, ...details } = view!;
      return [{ ...details, serverGroups: serverGroups.map((group) => group.name) }];
    },
  };

  readonly securityGroups: SecurityGroupReadModel = {
    getAll: async (includeRules) =>
      (await this.cache.getAll('securityGroups'))
        .map((item) => securityGroupView(item, includeRules))
        .sort((a, b) => a.accountName.localeCompare(b.accountName) || a.region.localeCompare(b.region) || a.name.localeCompare(b.name)),
    get: async (account, region, nameOrId, vpcId) => {
      const ids = await this.cache.filterIdentifiers('securityGroups', SyntheticKeys.securityGroupGlob(account, region));
      const match = ids
        .map((id) => ({ id, parsed: parseSyntheticKey(id)! }))
        .find(({ parsed }) => (parsed.name === nameOrId || parsed.id === nameOrId) && (vpcId === undefined || parsed.vpcId === vpcId));
      const item = match && (await this.cache.get('securityGroups', match.id));
      return item ? securityGroupView(item, true) : undefined;
    },
  };

  /** All five, keyed as `registerReadModel` expects. */
  all(): ReadModels {
    return {
      applications: this.applications,
      clusters: this.clusters,
      instances: this.instances,
      loadBalancers: this.loadBalancers,
      securityGroups: this.securityGroups,
    };
  }
}
