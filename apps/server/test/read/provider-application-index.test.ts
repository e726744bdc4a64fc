import { CatsProviderCache, MemoryCacheStoreFactory, type CacheStoreFactory } from '@stratus/core';
import { cacheData, monikerOf, type CacheData, type ClusterView, type ProviderCache } from '@stratus/plugin-api';
import { AwsClusterReadModel, AwsLoadBalancerReadModel, Keys as AwsKeys } from '@stratus/provider-aws';
import { AzureClusterReadModel, AzureLoadBalancerReadModel, Keys as AzureKeys } from '@stratus/provider-azure';
import { GceClusterReadModel, GceLoadBalancerReadModel, Keys as GceKeys } from '@stratus/provider-gcp';
import { KubernetesClusterReadModel, clusterKey as k8sClusterKey, infrastructureKey } from '@stratus/provider-kubernetes';
import { SqlCacheStoreFactory, createSqlDatabase, migrateSqlDatabase } from '@stratus/sql';
import { createTestDatabase, type TestDatabase } from '@stratus/sql/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Issue 24: the AWS, GCE, Azure and Kubernetes cluster read models read an application's server
 * groups (and Kubernetes' pods and services) through the cache's application index. On a seeded
 * cache (memory and PostgreSQL), each provider's answer through the index must equal the answer of
 * the same read model over the same cache with the index hidden (the id walk it did before), and
 * the index must actually be read. Each world has a server group whose name does not parse into our
 * application (the index does not return it, the cluster still lists it), which is read by id.
 */

interface World {
  readonly items: Record<string, CacheData[]>;
  readonly application: string;
  readonly clusters: (cache: ProviderCache) => {
    getClusters(application: string, details: boolean): Promise<ClusterView[]>;
    getCluster(application: string, account: string, name: string, details: boolean): Promise<ClusterView | undefined>;
  };
  /** A cluster to read alone: account and name. */
  readonly one: readonly [string, string];
  /** The server group of the cluster whose name does not parse into the application. */
  readonly unparsed: string;
}

const GROUPS = 6;
const names = (cluster: string) => Array.from({ length: GROUPS }, (_, i) => `${cluster}-v00${i}`);

/** AWS: standard ASG-shaped items; the cluster lists `-legacy-v009`, whose name has no application. */
function awsWorld(): World {
  const account = 'prod';
  const region = 'us-east-1';
  const items: Record<string, CacheData[]> = { serverGroups: [], clusters: [], instances: [], applications: [] };
  const clusterGroups: Record<string, string[]> = {};
  for (const cluster of ['shop-web', 'shop-api']) {
    const groups = [...names(cluster), ...(cluster === 'shop-web' ? ['-legacy-v009'] : [])];
    for (const [i, name] of groups.entries()) {
      const id = AwsKeys.serverGroup(account, region, name);
      const instanceIds = [`i-${name}-a`, `i-${name}-b`];
      const app = name.split('-')[0]!;
      items.serverGroups!.push(
        cacheData(
          id,
          {
            name,
            ...(app ? { application: app } : {}),
            cluster,
            account,
            region,
            asg: { AutoScalingGroupName: name, MinSize: 1, MaxSize: 2, DesiredCapacity: 2 },
            createdTime: 1_000 + i,
            capacity: { min: 1, max: 2, desired: 2 },
            zones: ['us-east-1a'],
            subnetIds: [],
            tags: {},
            instanceIds,
            loadBalancerNames: [],
            targetGroupNames: [],
            moniker: monikerOf(name),
            disabled: false,
            suspendedProcesses: [],
          },
          { instances: instanceIds.map((iid) => AwsKeys.instance(account, region, iid)) },
        ),
      );
      for (const iid of instanceIds) {
        items.instances!.push(
          cacheData(AwsKeys.instance(account, region, iid), { instanceId: iid, account, region, name: iid, launchTime: 5, health: [] }, {}),
        );
      }
      (clusterGroups[cluster] ??= []).push(id);
    }
    items.clusters!.push(
      cacheData(
        AwsKeys.cluster('shop', account, cluster),
        { name: cluster, application: 'shop', accountName: account, moniker: monikerOf(cluster) },
        { serverGroups: clusterGroups[cluster]! },
      ),
    );
  }
  return {
    items,
    application: 'shop',
    clusters: (cache) => new AwsClusterReadModel(cache, new AwsLoadBalancerReadModel(cache)),
    one: [account, 'shop-web'],
    unparsed: '-legacy-v009',
  };
}

/** GCE and Azure share the standard key layout: `Keys.cluster(account, application, cluster)`. */
function standardWorld(keys: typeof GceKeys | typeof AzureKeys, region: string, extra: (name: string) => Record<string, unknown>) {
  const account = 'prod';
  const items: Record<string, CacheData[]> = { serverGroups: [], clusters: [], instances: [] };
  for (const cluster of ['shop-web', 'shop-api']) {
    const groups = [...names(cluster), ...(cluster === 'shop-web' ? ['-legacy-v009'] : [])];
    const ids: string[] = [];
    for (const [i, name] of groups.entries()) {
      const id = keys.serverGroup(account, region, name);
      const instanceKeys = [`${name}-a`, `${name}-b`].map((n) => keys.instance(account, region, n));
      items.serverGroups!.push(
        cacheData(
          id,
          {
            name,
            account,
            region,
            createdTime: 1_000 + i,
            capacity: { min: 1, max: 2, desired: 2 },
            moniker: monikerOf(name),
            tags: [],
            ...extra(name),
          },
          { instances: instanceKeys },
        ),
      );
      for (const key of instanceKeys) {
        const instanceName = key.split(':').pop()!;
        items.instances!.push(cacheData(key, { name: instanceName, account, region, health: [], launchTime: 5 }, {}));
      }
      ids.push(id);
    }
    items.clusters!.push(
      cacheData(
        keys.cluster(account, 'shop', cluster),
        { name: cluster, application: 'shop', accountName: account, moniker: monikerOf(cluster) },
        { serverGroups: ids },
      ),
    );
  }
  return { items, account };
}

function gceWorld(): World {
  const { items, account } = standardWorld(GceKeys, 'us-central1', () => ({ network: 'default', zones: ['us-central1-a'], regional: true }));
  return {
    items,
    application: 'shop',
    clusters: (cache) => new GceClusterReadModel(cache, new GceLoadBalancerReadModel(cache)),
    one: [account, 'shop-web'],
    unparsed: '-legacy-v009',
  };
}

function azureWorld(): World {
  const { items, account } = standardWorld(AzureKeys, 'westus', () => ({ resourceGroupName: 'shop-rg', sku: { name: 'Standard_B1s' } }));
  return {
    items,
    application: 'shop',
    clusters: (cache) => new AzureClusterReadModel(cache, new AzureLoadBalancerReadModel(cache)),
    one: [account, 'shop-web'],
    unparsed: '-legacy-v009',
  };
}

/** Kubernetes: replica sets with pods behind a service; `legacy-rs` carries no moniker at all. */
function kubernetesWorld(): World {
  const account = 'k8s';
  const ns = 'default';
  const manifest = (kind: string, name: string, extra: Record<string, unknown> = {}) => ({
    kind,
    apiVersion: 'v1',
    metadata: { name, namespace: ns, creationTimestamp: '2024-01-01T00:00:00Z', labels: { app: 'shop' } },
    spec: { replicas: 2 },
    status: { phase: 'Running', replicas: 2, readyReplicas: 2, availableReplicas: 2 },
    ...extra,
  });
  const identity = (name: string, cluster: string | undefined) => ({
    name,
    account,
    namespace: ns,
    ...(cluster ? { application: 'shop', moniker: { app: 'shop', cluster } } : {}),
  });
  const service = infrastructureKey('service', account, ns, 'shop-svc');
  const items: Record<string, CacheData[]> = { clusters: [], replicaSet: [], pod: [], service: [] };
  const groupsOf: Record<string, string[]> = {};
  for (const cluster of ['replicaSet shop-web', 'replicaSet shop-api']) {
    const base = cluster.split(' ')[1]!;
    const groups = [...names(base), ...(base === 'shop-web' ? ['legacy-rs'] : [])];
    for (const name of groups) {
      const owned = name === 'legacy-rs' ? undefined : cluster;
      const id = infrastructureKey('replicaSet', account, ns, name);
      const pods = [`${name}-a`, `${name}-b`].map((p) => infrastructureKey('pod', account, ns, p));
      items.replicaSet!.push(cacheData(id, { ...identity(name, owned), manifest: manifest('ReplicaSet', name) }, { pod: pods, service: [service] }));
      for (const pod of pods) {
        const podName = pod.split(':').pop()!;
        items.pod!.push(cacheData(pod, { ...identity(podName, owned), manifest: manifest('Pod', podName) }, {}));
      }
      (groupsOf[cluster] ??= []).push(id);
    }
    items.clusters!.push(
      cacheData(
        k8sClusterKey(account, 'shop', cluster),
        { name: cluster, application: 'shop', account, moniker: { app: 'shop', cluster } },
        { replicaSet: groupsOf[cluster]!, service: [service] },
      ),
    );
  }
  items.service!.push(cacheData(service, { ...identity('shop-svc', 'service shop-svc'), manifest: manifest('Service', 'shop-svc') }, {}));
  return {
    items,
    application: 'shop',
    clusters: (cache) => new KubernetesClusterReadModel(cache),
    one: [account, 'replicaSet shop-web'],
    unparsed: 'replicaSet legacy-rs',
  };
}

/** The cache as it was before SPI 1.3 for callers: no application index, so read models walk ids. */
function withoutIndex(cache: ProviderCache): ProviderCache {
  return new Proxy(cache, {
    get: (target, property) => {
      if (property === 'getAllByApplication') return undefined;
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** The cache, counting reads through the application index by type. */
function countingIndex(cache: ProviderCache, reads: string[]): ProviderCache {
  return new Proxy(cache, {
    get: (target, property) => {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== 'function') return value;
      const bound = (value as (...args: unknown[]) => unknown).bind(target);
      return property === 'getAllByApplication'
        ? (type: string, ...rest: unknown[]) => {
            reads.push(type);
            return bound(type, ...rest);
          }
        : bound;
    },
  });
}

const WORLDS: Record<string, () => World> = { aws: awsWorld, gce: gceWorld, azure: azureWorld, kubernetes: kubernetesWorld };

const STORES: Record<string, () => Promise<{ factory: CacheStoreFactory; close: () => Promise<void> }>> = {
  memory: async () => {
    const factory = new MemoryCacheStoreFactory();
    return { factory, close: () => factory.close() };
  },
  postgres: async () => {
    const db: TestDatabase = await createTestDatabase('postgres');
    const database = createSqlDatabase({ url: db.url, maxConnections: 3, tableNamespace: 'idx' });
    await migrateSqlDatabase(database);
    const factory = new SqlCacheStoreFactory(database, { refreshStatistics: false });
    return {
      factory,
      close: async () => {
        await factory.close();
        await db.drop();
      },
    };
  },
};

describe.each(Object.keys(STORES))('provider read models through the application index (%s)', (storeName) => {
  let close: () => Promise<void> = async () => {};
  let factory: CacheStoreFactory;
  beforeAll(async () => {
    ({ factory, close } = await STORES[storeName]!());
  });
  afterAll(() => close());

  describe.each(Object.keys(WORLDS))('%s', (provider) => {
    const world = WORLDS[provider]!();
    let cache: CatsProviderCache;
    beforeAll(async () => {
      cache = new CatsProviderCache(factory.getStore(`idx-${provider}`));
      const types = Object.keys(world.items);
      await cache.putCacheResult('seed', types, { cacheResults: world.items });
    });

    it('answers getClusters (with and without details) exactly as the id walk does, reading the index', async () => {
      const reads: string[] = [];
      const indexed = world.clusters(countingIndex(cache, reads));
      const walked = world.clusters(withoutIndex(cache));
      for (const details of [true, false]) {
        const before = await walked.getClusters(world.application, details);
        const after = await indexed.getClusters(world.application, details);
        expect(before.length).toBe(2);
        expect(JSON.parse(JSON.stringify(after))).toEqual(JSON.parse(JSON.stringify(before)));
        // Every group of both clusters, including the one the index cannot return.
        const groups = after.flatMap((c) => c.serverGroups.map((sg) => sg.name));
        expect(groups).toHaveLength(2 * GROUPS + 1);
        expect(groups).toContain(world.unparsed);
      }
      expect(reads).toContain(provider === 'kubernetes' ? 'pod' : 'serverGroups');
      expect(await indexed.getClusters('nobody', true)).toEqual([]);
    });

    it('answers getCluster for one cluster as before', async () => {
      const [account, name] = world.one;
      const indexed = world.clusters(cache);
      const walked = world.clusters(withoutIndex(cache));
      const after = await indexed.getCluster(world.application, account, name, true);
      expect(after!.serverGroups.map((sg) => sg.name)).toContain(world.unparsed);
      expect(JSON.parse(JSON.stringify(after))).toEqual(JSON.parse(JSON.stringify(await walked.getCluster(world.application, account, name, true))));
    });
  });
});
