import type {
  ApplicationReadModel,
  ApplicationView,
  CacheData,
  ClusterReadModel,
  ClusterView,
  HealthState,
  InstanceReadModel,
  InstanceView,
  ProviderCache,
  ServerGroupView,
} from '@stratus/plugin-api';
import { NIMBUS, NimbusKeys, NimbusTypes, parseNimbusKey } from './nimbus-keys.js';
import { monikerOf } from './names.js';

const HEALTH: Record<string, HealthState> = { RUNNING: 'Up', STARTING: 'Starting', STOPPED: 'Down' };

/** Clouddriver's `Instance` JSON for a cached Nimbus instance. */
export function instanceView(item: CacheData): InstanceView {
  const a = item.attributes;
  const healthState = HEALTH[String(a.state)] ?? 'Unknown';
  return {
    name: String(a.name),
    humanReadableName: String(a.name),
    healthState,
    launchTime: Number(a.launchTime),
    zone: String(a.zone),
    health: [{ type: 'Nimbus', healthClass: 'platform', state: healthState, nimbusState: a.state }],
    cloudProvider: NIMBUS,
    providerType: NIMBUS,
    account: String(a.account),
    region: String(a.region),
  };
}

/** Clouddriver's `ServerGroup` JSON for a cached group and its instances. */
export function serverGroupView(item: CacheData, instances: readonly InstanceView[]): ServerGroupView {
  const a = item.attributes;
  const count = (state: HealthState) => instances.filter((instance) => instance.healthState === state).length;
  return {
    name: String(a.name),
    moniker: monikerOf(String(a.name)),
    type: NIMBUS,
    cloudProvider: NIMBUS,
    account: String(a.account),
    region: String(a.region),
    disabled: a.disabled === true,
    createdTime: Number(a.createdTime),
    zones: [...new Set(instances.map((instance) => String(instance.zone)))].sort(),
    instances,
    loadBalancers: [],
    securityGroups: [],
    capacity: a.capacity as ServerGroupView['capacity'],
    instanceCounts: {
      total: instances.length,
      up: count('Up'),
      down: count('Down'),
      unknown: count('Unknown'),
      outOfService: count('OutOfService'),
      starting: count('Starting'),
    },
    launchConfig: { image: a.image },
    image: a.image,
  };
}

/**
 * The read models for the generic read API, built from the provider's cache only (never from the
 * cloud: reads must stay fast and work while Nimbus is down).
 */
export class NimbusReadModels {
  constructor(private readonly cache: ProviderCache) {}

  private async serverGroupViews(items: readonly CacheData[], includeDetails: boolean): Promise<ServerGroupView[]> {
    const ids = includeDetails ? items.flatMap((item) => item.relationships.instances ?? []) : [];
    const instances = new Map((await this.cache.getAllByIds(NimbusTypes.instances, ids)).map((item) => [item.id, instanceView(item)]));
    return items
      .map((item) => serverGroupView(item, includeDetails ? (item.relationships.instances ?? []).flatMap((id) => instances.get(id) ?? []) : []))
      .sort((a, b) => (a.createdTime ?? 0) - (b.createdTime ?? 0) || a.name.localeCompare(b.name));
  }

  private async clusterView(item: CacheData, includeDetails: boolean): Promise<ClusterView> {
    const groups = await this.cache.getAllByIds(NimbusTypes.serverGroups, item.relationships.serverGroups ?? []);
    const name = String(item.attributes.name);
    return {
      name,
      type: NIMBUS,
      accountName: String(item.attributes.account),
      application: String(item.attributes.application),
      moniker: monikerOf(name),
      serverGroups: await this.serverGroupViews(groups, includeDetails),
      loadBalancers: [],
    };
  }

  private async clusterKeysOf(application: string): Promise<string[]> {
    const app = await this.cache.get(NimbusTypes.applications, NimbusKeys.application(application));
    return app ? this.cache.existingIdentifiers(NimbusTypes.clusters, app.relationships.clusters ?? []) : [];
  }

  private async clusterNames(application: string): Promise<Record<string, string[]>> {
    const names: Record<string, string[]> = {};
    for (const key of await this.clusterKeysOf(application)) {
      const parsed = parseNimbusKey(key)!;
      (names[parsed.account!] ??= []).push(parsed.cluster!);
    }
    for (const list of Object.values(names)) list.sort();
    return names;
  }

  private async applicationView(item: CacheData, expand: boolean): Promise<ApplicationView> {
    const name = String(item.attributes.name);
    return { name, attributes: { name, cloudProviders: NIMBUS }, clusterNames: expand ? await this.clusterNames(name) : {} };
  }

  readonly applications: ApplicationReadModel = {
    getApplications: async (expand) => {
      const views = await Promise.all((await this.cache.getAll(NimbusTypes.applications)).map((item) => this.applicationView(item, expand)));
      return views.sort((a, b) => a.name.localeCompare(b.name));
    },
    getApplication: async (name) => {
      const item = await this.cache.get(NimbusTypes.applications, NimbusKeys.application(name));
      return item ? this.applicationView(item, true) : undefined;
    },
  };

  readonly clusters: ClusterReadModel = {
    getClusterNames: (application) => this.clusterNames(application),
    getClusters: async (application, includeDetails) => {
      const items = await this.cache.getAllByIds(NimbusTypes.clusters, await this.clusterKeysOf(application));
      const views = await Promise.all(items.map((item) => this.clusterView(item, includeDetails)));
      return views.sort((a, b) => a.accountName.localeCompare(b.accountName) || a.name.localeCompare(b.name));
    },
    getCluster: async (application, account, name, includeDetails) => {
      const item = await this.cache.get(NimbusTypes.clusters, NimbusKeys.cluster(application, account, name));
      return item ? this.clusterView(item, includeDetails) : undefined;
    },
    getServerGroup: async (account, region, name, includeDetails = true) => {
      const item = await this.cache.get(NimbusTypes.serverGroups, NimbusKeys.serverGroup(account, region, name));
      return item ? (await this.serverGroupViews([item], includeDetails))[0] : undefined;
    },
  };

  readonly instances: InstanceReadModel = {
    getInstance: async (account, region, id) => {
      const item = await this.cache.get(NimbusTypes.instances, NimbusKeys.instance(account, region, id));
      return item ? instanceView(item) : undefined;
    },
  };
}
