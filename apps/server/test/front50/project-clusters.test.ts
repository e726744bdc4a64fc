import { ACCESS_RESOLVER, FRONT50_CLIENT, HttpFront50Client, MapReadModelRegistry, READ_MODEL_REGISTRY, registerReadServices } from '@stratus/core';
import type { ClusterView, InstanceView, ServerGroupView } from '@stratus/plugin-api';
import request from 'supertest';
import { container as rootContainer } from 'tsyringe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/config-schema.js';
import { createApp } from '../../src/http/create-app.js';
import { registerProjectRoutes } from '../../src/routes/project-routes.js';
import { fakeAccessResolver } from '../read/read-app.js';
import { pino } from 'pino';
import { parseConfig } from '../../src/config/load-config.js';
import { startServer } from '../../src/server/start-server.js';
import { toyProvider } from '../toy-provider.js';
import { FakeFront50, front50Project } from './fake-front50.js';

function serverGroup(name: string, account: string, region: string, createdTime: number, up: number, extra: Partial<ServerGroupView> = {}): ServerGroupView {
  const instances: InstanceView[] = Array.from({ length: up }, (_, i) => ({ name: `i-${name}-${i}`, healthState: 'Up', health: [], cloudProvider: 'aws' }));
  return {
    name,
    moniker: { app: name.split('-')[0]!, cluster: name.replace(/-v\d+$/, '') },
    type: 'aws',
    cloudProvider: 'aws',
    account,
    region,
    disabled: false,
    createdTime,
    zones: [],
    instances,
    loadBalancers: [],
    securityGroups: [],
    capacity: { min: up, max: up, desired: up },
    instanceCounts: { total: up, up, down: 0, unknown: 0, outOfService: 0, starting: 0 },
    ...extra,
  };
}

const jenkins = (number: string, images: string[]) => ({
  imagesSummary: {
    summaries: [{ serverGroupName: 'x', imageName: images[0], buildInfo: { jenkins: { name: 'shop-build', host: 'https://jenkins/', number }, images } }],
  },
});

const cluster = (name: string, account: string, serverGroups: ServerGroupView[]): ClusterView => ({
  name,
  type: 'aws',
  accountName: account,
  moniker: { app: name.split('-')[0]!, cluster: name },
  serverGroups,
  loadBalancers: [],
});

const CLUSTERS: ClusterView[] = [
  cluster('shop-main', 'prod', [
    serverGroup('shop-main-v001', 'prod', 'us-east-1', 1_000, 2, jenkins('41', ['shop-1.0'])),
    serverGroup('shop-main-v002', 'prod', 'us-east-1', 2_000, 3, jenkins('42', ['shop-1.1'])),
    serverGroup('shop-main-v003', 'prod', 'us-east-1', 3_000, 5, { ...jenkins('43', ['shop-1.2']), disabled: true }),
    serverGroup('shop-main-v004', 'prod', 'us-west-2', 4_000, 1, jenkins('42', ['shop-1.1-west'])),
    serverGroup('shop-main-v005', 'prod', 'eu-west-1', 5_000, 0),
  ]),
  cluster('shop-main-canary', 'prod', [serverGroup('shop-main-canary-v000', 'prod', 'us-east-1', 6_000, 1)]),
  cluster('shop-test', 'test', [serverGroup('shop-test-v000', 'test', 'us-east-1', 7_000, 4)]),
  cluster('shop-main', 'secret', [serverGroup('shop-main-v009', 'secret', 'us-east-1', 8_000, 9)]),
  cluster('api-main', 'prod', [serverGroup('api-main-v001', 'prod', 'us-east-1', 9_000, 2, { buildInfo: { jenkins: { name: 'api', number: '7' } } })]),
];

const front50 = new FakeFront50();
let front50Url = '';
let app: ReturnType<typeof createApp>['app'];
const readsOfFullClusters: string[] = [];

beforeAll(async () => {
  const baseUrl = await front50.start();
  front50Url = baseUrl;
  front50.projects.push(
    front50Project('Checkout', {
      applications: ['shop', 'api', 'ghost'],
      clusters: [
        { account: 'prod', stack: 'main', detail: null },
        { account: 'prod', stack: 'main', detail: '*', applications: ['shop'] },
        { account: 'secret', stack: 'main' },
      ],
    }),
    front50Project('empty', { applications: ['shop'], clusters: [] }),
  );
  const registry = new MapReadModelRegistry();
  const ofApp = (application: string) => CLUSTERS.filter((c) => c.moniker.app === application);
  registry.register('aws', 'clusters', {
    async getClusterNames() {
      return {};
    },
    async getClusters(application, includeDetails) {
      // Summaries without server group details, as providers answer when includeDetails is false.
      return ofApp(application).map((c) => (includeDetails ? c : { ...c, serverGroups: [] }));
    },
    async getCluster(application, account, name) {
      readsOfFullClusters.push(`${account}/${name}`);
      return ofApp(application).find((c) => c.accountName === account && c.name === name);
    },
    async getServerGroup() {
      return undefined;
    },
  });
  const container = rootContainer.createChildContainer();
  container.registerInstance(READ_MODEL_REGISTRY, registry);
  container.registerInstance(ACCESS_RESOLVER, fakeAccessResolver);
  container.registerInstance(FRONT50_CLIENT, new HttpFront50Client({ baseUrl, timeoutMs: 2_000 }));
  // What the server's read services module binds; routes only resolve.
  registerReadServices(container);
  app = createApp({ container, routeModules: [registerProjectRoutes] }).app;
});

afterAll(() => front50.stop());

describe('GET /projects/{project}/clusters over a loopback Front50', () => {
  it("summarises each project cluster per application and region like Clouddriver's ProjectClustersService", async () => {
    const response = await request(app).get('/projects/Checkout/clusters');
    expect(response.status).toBe(200);
    // Clouddriver asks Front50 for the lower-cased name.
    expect(front50.requests).toContain('/v2/projects/checkout');
    const [mainNoDetail, mainAnyDetail, secret] = response.body;

    expect(mainNoDetail.account).toBe('prod');
    expect(mainNoDetail.stack).toBe('main');
    expect(mainNoDetail).not.toHaveProperty('detail');
    expect(mainNoDetail.applications.map((a: { application: string }) => a.application)).toEqual(['shop', 'api', 'ghost']);
    const shop = mainNoDetail.applications[0];
    // v003 is disabled and v005 has no instances: neither counts; the canary cluster has a detail.
    expect(shop.clusters.map((c: { region: string }) => c.region)).toEqual(['us-east-1', 'us-west-2']);
    const east = shop.clusters[0];
    expect(east.instanceCounts).toEqual({ total: 5, up: 5, down: 0, unknown: 0, outOfService: 0, starting: 0 });
    expect(east.builds).toEqual([
      { host: 'https://jenkins/', job: 'shop-build', buildNumber: '41', deployed: 1_000, images: ['shop-1.0'] },
      { host: 'https://jenkins/', job: 'shop-build', buildNumber: '42', deployed: 2_000, images: ['shop-1.1'] },
    ]);
    expect(east.lastPush).toBe(2_000);
    expect(shop.clusters[1].builds).toEqual([{ host: 'https://jenkins/', job: 'shop-build', buildNumber: '42', deployed: 4_000, images: ['shop-1.1-west'] }]);
    expect(shop.lastPush).toBe(4_000);
    // A build without a host: the view's own buildInfo, null fields left out.
    expect(mainNoDetail.applications[1].clusters[0].builds).toEqual([{ job: 'api', buildNumber: '7', deployed: 9_000, images: [] }]);
    expect(mainNoDetail.applications[2]).toEqual({ application: 'ghost', clusters: [], lastPush: 0 });
    expect(mainNoDetail.instanceCounts.total).toBe(5 + 1 + 2);

    // detail `*` also takes the canary cluster; `applications` on the project cluster narrows to shop.
    expect(mainAnyDetail.detail).toBe('*');
    expect(mainAnyDetail.applications.map((a: { application: string }) => a.application)).toEqual(['shop']);
    expect(mainAnyDetail.applications[0].clusters[0].instanceCounts.total).toBe(5 + 1);
    expect(mainAnyDetail.instanceCounts.total).toBe(7);

    expect(secret.account).toBe('secret');
    expect(secret.instanceCounts.total).toBe(9);
    // Only clusters matching the project were read in full; shop-test never was.
    expect(readsOfFullClusters).not.toContain('test/shop-test');
  });

  it('leaves out accounts the caller cannot read', async () => {
    const response = await request(app).get('/projects/checkout/clusters').set('X-SPINNAKER-USER', 'limited');
    expect(response.status).toBe(200);
    const secret = response.body[2];
    expect(secret.applications[0]).toEqual({ application: 'shop', clusters: [], lastPush: 0 });
    expect(secret.instanceCounts.total).toBe(0);
  });

  it('answers [] for a project without clusters, 404 for an unknown one, 502 when Front50 fails', async () => {
    expect((await request(app).get('/projects/empty/clusters')).body).toEqual([]);
    const missing = await request(app).get('/projects/nope/clusters');
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe('Project not found (name: nope)');
    front50.failWith = 500;
    try {
      const failed = await request(app).get('/projects/checkout/clusters');
      expect(failed.status).toBe(502);
      expect(failed.body.message).toContain('Front50 answered 500');
    } finally {
      front50.failWith = undefined;
    }
  });

  it('is a 404 saying so when Front50 is not configured, and the config needs a base URL to enable it', async () => {
    const container = rootContainer.createChildContainer();
    container.registerInstance(READ_MODEL_REGISTRY, new MapReadModelRegistry());
    container.registerInstance(ACCESS_RESOLVER, fakeAccessResolver);
    const bare = createApp({ container, routeModules: [registerProjectRoutes] }).app;
    const response = await request(bare).get('/projects/checkout/clusters');
    expect(response.status).toBe(404);
    expect(response.body.message).toContain('services.front50 is not enabled');

    const bad = configSchema.safeParse({ services: { front50: { enabled: true } } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['services', 'front50', 'baseUrl']);
    expect(configSchema.safeParse({ services: { front50: { enabled: true, baseUrl: 'file:///etc/passwd' } } }).success).toBe(false);
    expect(configSchema.parse({ services: { front50: { enabled: true, baseUrl: 'http://front50:8080' } } }).services.front50.timeoutSeconds).toBe(10);
  });

  it('is wired from services.front50 when the server starts', async () => {
    const raw = {
      server: { port: 0, address: '127.0.0.1' },
      caching: { writeEnabled: false },
      services: { front50: { enabled: true, baseUrl: front50Url } },
      toy: { region: 'eu-1', accounts: [{ name: 'prod' }] },
    };
    const server = await startServer({ config: parseConfig(raw), raw, logger: pino({ level: 'silent' }), providers: [toyProvider()] });
    try {
      const before = front50.requests.length;
      const response = await request(server.url).get('/projects/EMPTY/clusters');
      expect(response.status).toBe(200);
      expect(response.body).toEqual([]);
      expect(front50.requests.slice(before)).toEqual(['/v2/projects/empty']);
    } finally {
      await server.shutdown();
    }
  });
});
