import {
  ACCESS_RESOLVER,
  CACHE,
  CatsProviderCache,
  CompositeCache,
  KEY_PARSER_REGISTRY,
  KeyParserRegistry,
  MapReadModelRegistry,
  MemoryCacheStore,
  READ_MODEL_REGISTRY,
  type AccessResolver,
  type CallerAccess,
  registerReadServices,
} from '@stratus/core';
import { cacheData, type ApplicationView, type ClusterView, type InstanceView, type KeyParser, type ServerGroupView } from '@stratus/plugin-api';
import { container as rootContainer } from 'tsyringe';
import { createApp } from '../../src/http/create-app.js';
import { registerReadApplicationRoutes } from '../../src/routes/read-application-routes.js';
import { registerReadClusterRoutes } from '../../src/routes/read-cluster-routes.js';
import { registerReadInstanceRoutes } from '../../src/routes/read-instance-routes.js';
import { registerReadLoadBalancerRoutes } from '../../src/routes/read-load-balancer-routes.js';
import { registerReadSearchRoutes } from '../../src/routes/read-search-routes.js';
import { registerReadSecurityGroupRoutes } from '../../src/routes/read-security-group-routes.js';
import { registerReadServerGroupRoutes } from '../../src/routes/read-server-group-routes.js';

export const READ_ROUTE_MODULES = [
  registerReadApplicationRoutes,
  registerReadClusterRoutes,
  registerReadServerGroupRoutes,
  registerReadInstanceRoutes,
  registerReadLoadBalancerRoutes,
  registerReadSecurityGroupRoutes,
  registerReadSearchRoutes,
];

/** `X-SPINNAKER-USER: limited` may read only `prod`; everyone else reads everything. */
export const fakeAccessResolver: AccessResolver = {
  resolve(headers): CallerAccess {
    const user = headers['x-spinnaker-user'];
    const limited = user === 'limited';
    return {
      user: typeof user === 'string' ? user : undefined,
      roles: [],
      canReadAccount: (account) => !limited || account === 'prod',
      canWriteAccount: () => false,
    };
  },
};

function sg(name: string, account: string, region: string, createdTime: number, extra: Partial<ServerGroupView> = {}): ServerGroupView {
  const [app, stack] = name.split('-');
  const cluster = name.replace(/-v\d+$/, '');
  const instances: InstanceView[] = (extra.instances as InstanceView[] | undefined) ?? [
    { name: `i-${name}`, healthState: 'Up', health: [], cloudProvider: 'aws', zone: `${region}a`, launchTime: createdTime },
  ];
  return {
    name,
    moniker: { app: app!, stack, cluster, sequence: Number(name.slice(-3)) },
    type: 'aws',
    cloudProvider: 'aws',
    account,
    region,
    disabled: false,
    createdTime,
    zones: [`${region}a`],
    instances,
    loadBalancers: [],
    securityGroups: [],
    capacity: { min: 1, max: 1, desired: instances.length },
    instanceCounts: { total: instances.length, up: instances.length, down: 0, unknown: 0, outOfService: 0, starting: 0 },
    ...extra,
  };
}

const CLUSTERS: ClusterView[] = [
  {
    name: 'shop-main',
    type: 'aws',
    accountName: 'prod',
    moniker: { app: 'shop', cluster: 'shop-main', stack: 'main' },
    loadBalancers: [{ name: 'shop-lb', type: 'aws', cloudProvider: 'aws', account: 'prod', region: 'us-east-1', serverGroups: [] }],
    serverGroups: [
      sg('shop-main-v001', 'prod', 'us-east-1', 1000, { imageSummary: { imageId: 'ami-1', imageName: 'shop-1.0' } }),
      sg('shop-main-v002', 'prod', 'us-east-1', 2000, { disabled: true }),
      sg('shop-main-v003', 'prod', 'us-west-2', 3000),
    ],
  },
  {
    name: 'shop-main',
    type: 'aws',
    accountName: 'secret',
    moniker: { app: 'shop', cluster: 'shop-main', stack: 'main' },
    serverGroups: [sg('shop-main-v010', 'secret', 'us-east-1', 5000)],
    loadBalancers: [],
  },
];

export const awsKeyParser: KeyParser = {
  cloudProvider: 'aws',
  searchableTypes: ['serverGroups'],
  urlTemplates: { serverGroups: '/serverGroups/{account}/{region}/{serverGroup}' },
  parseKey(key) {
    const [provider, type, cluster, account, region, serverGroup] = key.split(':');
    if (provider !== 'aws' || type !== 'serverGroups' || !serverGroup) return undefined;
    return { provider, type, cluster: cluster!, account: account!, region: region!, serverGroup, application: cluster!.split('-')[0]! };
  },
};

/** An app with the read routes over small hand-written aws read models and a memory cache. */
export async function buildReadApp() {
  const registry = new MapReadModelRegistry();
  const ofApp = (application: string) => CLUSTERS.filter((cluster) => cluster.moniker.app === application);
  const applications: ApplicationView[] = [
    { name: 'shop', attributes: { email: 'shop@example.com' }, clusterNames: { prod: ['shop-main'], secret: ['shop-main'] } },
    { name: 'vault', attributes: {}, clusterNames: { secret: ['vault-main'] } },
  ];
  registry.register('aws', 'applications', {
    async getApplications() {
      return applications;
    },
    async getApplication(name) {
      return applications.find((app) => app.name === name);
    },
  });
  registry.register('aws', 'clusters', {
    async getClusterNames(application) {
      const result: Record<string, string[]> = {};
      for (const cluster of ofApp(application)) (result[cluster.accountName] ??= []).push(cluster.name);
      return result;
    },
    async getClusters(application) {
      return ofApp(application);
    },
    async getCluster(application, account, name) {
      return ofApp(application).find((cluster) => cluster.accountName === account && cluster.name === name);
    },
    async getServerGroup(account, region, name) {
      return CLUSTERS.flatMap((cluster) => cluster.serverGroups).find((s) => s.account === account && s.region === region && s.name === name);
    },
  });
  registry.register('aws', 'instances', {
    async getInstance(account, region, id) {
      const found = CLUSTERS.flatMap((cluster) => cluster.serverGroups)
        .filter((s) => s.account === account && s.region === region)
        .flatMap((s) => s.instances)
        .find((instance) => instance.name === id);
      return found ? { ...found, account, region } : undefined;
    },
  });
  const lbs = [
    { name: 'shop-lb', type: 'aws', cloudProvider: 'aws', account: 'prod', region: 'us-east-1', serverGroups: [{ name: 'shop-main-v001', account: 'prod' }] },
    { name: 'shop-lb', type: 'aws', cloudProvider: 'aws', account: 'secret', region: 'us-east-1', serverGroups: [] },
  ];
  registry.register('aws', 'loadBalancers', {
    async getApplicationLoadBalancers(application) {
      return lbs.filter((lb) => lb.name.startsWith(`${application}-`));
    },
    async list() {
      return lbs;
    },
    async getDetails(account, region, name) {
      return lbs.filter((lb) => lb.account === account && lb.region === region && lb.name === name).map((lb) => ({ name: lb.name, scheme: 'internal' }));
    },
  });
  const groups = [
    { type: 'aws', cloudProvider: 'aws', id: 'sg-1', name: 'web', accountName: 'prod', region: 'us-east-1', vpcId: 'vpc-1' },
    { type: 'aws', cloudProvider: 'aws', id: 'sg-9', name: 'vault', accountName: 'secret', region: 'us-east-1' },
  ];
  registry.register('aws', 'securityGroups', {
    async getAll() {
      return groups;
    },
    async get(account, region, nameOrId, vpcId) {
      return groups.find(
        (g) => g.accountName === account && g.region === region && (g.name === nameOrId || g.id === nameOrId) && (!vpcId || g.vpcId === vpcId),
      );
    },
  });

  const providerCache = new CatsProviderCache(new MemoryCacheStore(`read-routes-${Math.random().toString(36).slice(2)}`));
  await providerCache.putCacheResult('test/agent', ['serverGroups'], {
    cacheResults: {
      serverGroups: CLUSTERS.flatMap((cluster) =>
        cluster.serverGroups.map((s) => cacheData(`aws:serverGroups:${cluster.name}:${s.account}:${s.region}:${s.name}`, { name: s.name })),
      ),
    },
  });
  const parsers = new KeyParserRegistry();
  parsers.register(awsKeyParser);

  const container = rootContainer.createChildContainer();
  container.registerInstance(READ_MODEL_REGISTRY, registry);
  container.registerInstance(ACCESS_RESOLVER, fakeAccessResolver);
  container.registerInstance(CACHE, new CompositeCache(() => [providerCache]));
  container.registerInstance(KEY_PARSER_REGISTRY, parsers);
  // What the server's read services module binds; routes only resolve.
  registerReadServices(container);
  return createApp({ container, routeModules: READ_ROUTE_MODULES }).app;
}
