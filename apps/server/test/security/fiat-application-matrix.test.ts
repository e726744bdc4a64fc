import { syntheticProvider } from '@stratus/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import { fiatView, startFakeFiat, type FakeFiat } from './fake-fiat.js';
import { fakeManifestProvider } from './fake-manifest-provider.js';
import { matrixClient, until } from './matrix-client.js';
import { documentedRoutes, leaks, routeUrl, serverErrors, type Route } from './route-sweep.js';

/**
 * The application half of the authorization matrix: with Fiat on, `dave` may READ and WRITE the
 * account `devacct` and the application `A`, and has no permission on the application `H` that
 * lives in the same account. Every route in `/openapi.json` is called as dave, aimed at H's
 * resources (learnt beforehand as the Fiat admin `root`). It finds:
 * - leaks: a 2xx answer naming H, its server groups, clusters, instances, load balancers, security
 *   groups or its task, unless the request itself named that value (an echo of the caller's input);
 * - tells: a read of H's resource answering differently from a read of a resource that does not exist;
 * - accepted writes: any 2xx to a change aimed at H's resources, and any change to H's tasks or
 *   pending refreshes afterwards;
 * - server errors: no request may answer 5xx.
 * The permitted half (dave on A) checks the same routes do answer with data, so the sweep cannot
 * pass by refusing everything.
 */

const ACCOUNT = 'devacct';
const REGION = 'us-east-1';

let fiat: FakeFiat;
let server: RunningServer;
const { call, openEvents } = matrixClient(() => server.url);

/** What an application owns in devacct, as the admin sees it. */
interface Holdings {
  application: string;
  clusters: string[];
  serverGroups: string[];
  instances: string[];
  loadBalancers: string[];
  securityGroups: { name: string; id: string }[];
  /** A task the admin ran on the application, and one still running (a slow destroy). */
  doneTask: string;
  runningTask: string;
  /** The admin's pending on-demand refresh of one of its server groups. */
  pendingKey: string;
  /** The id of the entity tags the admin put on one of its server groups. */
  tagId: string;
}

let A: Holdings;
let H: Holdings;

/**
 * Everything that names H (the values dave must never see unless he sent them). Security groups are
 * not among them: Clouddriver checks only the account on `/securityGroups` (groups are shared
 * network rules, often named for no application), and so does Stratus (docs/threat-model.md).
 */
function secretsOfH(): string[] {
  return [H.application, ...H.clusters, ...H.serverGroups, ...H.instances, ...H.loadBalancers, H.doneTask, H.runningTask];
}

async function learn(application: string): Promise<Omit<Holdings, 'doneTask' | 'runningTask' | 'pendingKey' | 'tagId'>> {
  const summaries = (await call('get', `/applications/${application}/serverGroups`, 'root')).body as {
    name: string;
    account: string;
    region: string;
    cluster: string;
  }[];
  const groups = summaries.filter((entry) => entry.account === ACCOUNT);
  const instances: string[] = [];
  for (const group of groups) {
    const detail = await until(
      `${group.name} with instances`,
      async () => (await call('get', `/serverGroups/${ACCOUNT}/${group.region}/${group.name}`, 'root')).body,
      (body) => Array.isArray(body?.instances),
    );
    instances.push(...(detail.instances as { name?: string; id?: string }[]).map((instance) => (instance.name ?? instance.id)!));
  }
  const loadBalancers = ((await call('get', `/applications/${application}/loadBalancers`, 'root')).body as { name: string }[]).map((lb) => lb.name);
  const byAccount = (await call('get', `/securityGroups/${ACCOUNT}`, 'root')).body as Record<
    string,
    Record<string, { name: string; id: string; application?: string }[]>
  >;
  const securityGroups = Object.values(byAccount)
    .flatMap((byRegion) => Object.values(byRegion).flat())
    .filter((group) => group.name === application || group.name.startsWith(`${application}-`))
    .map((group) => ({ name: group.name, id: group.id }));
  return {
    application,
    clusters: [...new Set(groups.map((group) => group.cluster))],
    serverGroups: groups.map((group) => group.name),
    instances,
    loadBalancers: [...new Set(loadBalancers)],
    securityGroups,
  };
}

/** Path parameter values aimed at the holdings `of`; `ghost` aims at things that do not exist. */
function paramValue(name: string, path: string, of: Holdings, ghost: boolean): string {
  const g = (value: string) => (ghost ? `${value.replace(of.application, 'nosuchapp')}` : value);
  switch (name) {
    case 'cloudProvider':
      return 'synthetic';
    case 'type':
      return path.startsWith('/cache/') ? 'serverGroup' : 'synthetic';
    case 'account':
    case 'accountName':
      return ACCOUNT;
    case 'region':
    case 'scope':
    case 'location':
      return REGION;
    case 'application':
    case 'app':
      return g(of.application);
    case 'cluster':
      return g(of.clusters[0]!);
    case 'serverGroup':
    case 'job':
      return g(of.serverGroups[0]!);
    case 'id':
      if (path.includes('task')) return ghost ? '00000000-0000-4000-8000-000000000000' : of.runningTask;
      if (path.startsWith('/tags')) return g(of.tagId);
      return ghost ? 'i-nosuchinstance' : of.instances[0]!;
    case 'instanceId':
      return ghost ? 'i-nosuchinstance' : of.instances[0]!;
    case 'name':
      if (path.includes('/ops/')) return 'resizeServerGroup';
      if (path.startsWith('/credentials')) return ACCOUNT;
      if (path.startsWith('/manifests/')) return g(of.serverGroups[0]!);
      if (path.includes('securityGroups')) return g(of.securityGroups[0]?.name ?? `${of.application}-sg`);
      return g(of.loadBalancers[0] ?? `${of.application}-lb`);
    case 'nameOrId':
      return g(of.securityGroups[0]?.name ?? `${of.application}-sg`);
    case 'target':
      return 'newest';
    case 'summaryType':
      return 'image';
    case 'project':
      return g(of.application);
    case 'kind':
      return 'replicaSet';
    case 'hash':
      return 'x';
    case 'namespace':
      return 'stratus-fiat-matrix';
    default:
      return 'x';
  }
}

/** Query parameters aimed at the holdings `of`. */
function queryOf(path: string, parameters: { name: string; in: string }[], of: Holdings, ghost: boolean): string {
  const g = (value: string) => (ghost ? value.replace(of.application, 'nosuchapp') : value);
  const values: Record<string, string> = {
    q: g(of.application),
    application: g(of.application),
    applications: g(of.application),
    app: g(of.application),
    account: ACCOUNT,
    accounts: ACCOUNT,
    region: REGION,
    regions: REGION,
    cloudProvider: 'synthetic',
    provider: 'synthetic',
    id: path.startsWith('/cache/')
      ? g(`synthetic:serverGroups:${of.clusters[0]}:${ACCOUNT}:${REGION}:${of.serverGroups[0]}`)
      : ghost
        ? 'i-nosuchinstance'
        : of.instances[0]!,
    entityId: g(of.serverGroups[0]!),
    expand: 'true',
    type: 'serverGroups',
    clusters: g(`${ACCOUNT}:${of.clusters[0]!}`),
  };
  const pairs = parameters.filter((p) => p.in === 'query' && values[p.name] !== undefined).map((p) => `${p.name}=${encodeURIComponent(values[p.name]!)}`);
  return pairs.length > 0 ? `?${pairs.join('&')}` : '';
}

const resizeOf = (group: string, desired: number) => ({
  credentials: ACCOUNT,
  region: REGION,
  serverGroupName: group,
  capacity: { min: desired, max: desired, desired },
});

/** A body aimed at H's resources, for the routes that take one. */
function bodyOf(method: string, path: string, of: Holdings): unknown {
  if (method === 'get' || method === 'delete') return undefined;
  const group = of.serverGroups[0]!;
  if (path === '/{cloudProvider}/ops' || path === '/ops') return [{ resizeServerGroup: { ...resizeOf(group, 3), cloudProvider: 'synthetic' } }];
  if (path.endsWith('/ops/{name}')) return { ...resizeOf(group, 3), cloudProvider: 'synthetic' };
  if (path === '/cache/{cloudProvider}/{type}') return { account: ACCOUNT, region: REGION, serverGroupName: group };
  if (path === '/{cloudProvider}/task/{id}') return { retry: true };
  // dave's own account and application: the task is H's, so even operations dave may run are refused.
  if (path.endsWith('/restart')) return [{ resizeServerGroup: resizeOf(A.serverGroups[0]!, 1) }];
  if (path === '/tags')
    return [
      {
        entityRef: { cloudProvider: 'synthetic', account: ACCOUNT, region: REGION, entityType: 'servergroup', entityId: group },
        tags: [{ name: 'x', value: 'y' }],
      },
    ];
  return {};
}

let routes: Route[] = [];

/** H's tasks, pending refreshes and capacity, as the admin sees them. */
async function stateOfH() {
  const tasks = await Promise.all([H.runningTask, H.doneTask].map(async (id) => (await call('get', `/task/${id}`, 'root')).body));
  const pending = ((await call('get', '/cache/synthetic/serverGroup', 'root')).body as { id: string }[]).map((record) => record.id).sort();
  const capacity = (await call('get', `/serverGroups/${ACCOUNT}/${REGION}/${H.serverGroups[0]}`, 'root')).body.capacity;
  const taskCount = ((await call('get', '/task', 'root')).body as unknown[]).length;
  return { tasks: tasks.map((task) => ({ status: task.status, history: task.history.length })), pending, capacity, taskCount };
}

beforeAll(async () => {
  fiat = await startFakeFiat();
  fiat.permissions.set('root', fiatView('root', { admin: true, roles: [{ name: 'admins', source: 'EXTERNAL' }] }));
  const raw = {
    server: { port: 0, address: '127.0.0.1' },
    admin: { tasks: { shutdownWaitSeconds: 1 } },
    // A long cache: the sweep makes hundreds of requests and the permissions never change.
    services: { fiat: { enabled: true, baseUrl: fiat.url, cacheTtlSeconds: 600 } },
    synthetic: {
      // No scheduled run or finishing destroy during the test: the console-event check counts changes.
      agentIntervalMs: 600_000,
      // A destroy that takes ten minutes stays running through the test.
      operationDelayMs: { destroyServerGroup: 600_000 },
      accounts: [{ name: ACCOUNT, regions: [REGION], seed: 7, applications: 3 }],
    },
  };
  const manifests = fakeManifestProvider(
    () => (A && H ? [...A.serverGroups, ...H.serverGroups] : []),
    () => (A && H ? [...A.instances, ...H.instances] : []),
  );
  server = await startServer({ config: parseConfig(raw), raw, logger: pino({ level: 'silent' }), providers: [syntheticProvider, manifests] });
  const listed = await until(
    'applications',
    async () => (await call('get', '/applications', 'root')).body as { name: string }[],
    (list) => Array.isArray(list) && list.length >= 3,
  );
  const names = listed.map((app) => app.name).sort();
  // Names where neither is a prefix of the other, so a secret of H never hides inside one of A.
  const [a, h] = names.filter((name, _i, all) => !all.some((other) => other !== name && (other.startsWith(name) || name.startsWith(other)))) as [
    string,
    string,
  ];
  expect(h).toBeDefined();
  fiat.permissions.set(
    'dave',
    fiatView('dave', {
      accounts: [{ name: ACCOUNT, authorizations: ['READ', 'WRITE'] }],
      applications: [{ name: a, authorizations: ['READ', 'WRITE', 'EXECUTE'] }],
      roles: [{ name: 'dev', source: 'EXTERNAL' }],
    }),
  );

  const holdings: Record<string, Holdings> = {};
  for (const application of [a, h]) {
    const learnt = await learn(application);
    expect(learnt.serverGroups.length).toBeGreaterThan(0);
    expect(learnt.instances.length).toBeGreaterThan(0);
    const done = await call('post', '/synthetic/ops', 'root', [{ resizeServerGroup: resizeOf(learnt.serverGroups[0]!, 2) }]);
    expect(done.status).toBe(200);
    await until(
      `${application} resize`,
      () => call('get', `/task/${done.body.id}`, 'root'),
      (answer) => answer.body?.status?.completed === true,
    );
    const doomed = learnt.serverGroups[learnt.serverGroups.length - 1]!;
    const running = await call('post', '/synthetic/ops', 'root', [{ destroyServerGroup: { credentials: ACCOUNT, region: REGION, serverGroupName: doomed } }]);
    expect(running.status).toBe(200);
    const pending = await call('post', '/cache/synthetic/serverGroup', 'root', { account: ACCOUNT, region: REGION, serverGroupName: learnt.serverGroups[0] });
    expect(pending.status).toBe(202);
    const tagged = await call('post', '/ops', 'root', [
      {
        upsertEntityTags: {
          isPartial: false,
          tags: [{ name: 'spinnaker_ui_alert:matrix', value: { message: `${application} alert`, type: 'alert' }, valueType: 'object' }],
          entityRef: { entityType: 'servergroup', entityId: learnt.serverGroups[0], account: ACCOUNT, region: REGION, cloudProvider: 'synthetic' },
        },
      },
    ]);
    expect(tagged.status).toBe(200);
    await until(
      `${application} tags`,
      () => call('get', `/task/${tagged.body.id}`, 'root'),
      (answer) => answer.body?.status?.completed === true,
    );
    const tags = (await call('get', `/tags?application=${application}`, 'root')).body as { id: string }[];
    expect(tags).toHaveLength(1);
    holdings[application] = {
      ...learnt,
      doneTask: done.body.id,
      runningTask: running.body.id,
      pendingKey: pending.body.cachedIdentifiersByType.serverGroups[0],
      tagId: tags[0]!.id,
    };
  }
  A = holdings[a]!;
  H = holdings[h]!;

  routes = await documentedRoutes(call);
}, 120_000);

afterAll(async () => {
  await server?.shutdown('test done');
  await fiat?.close();
});

function urlOf(route: Route, of: Holdings, ghost: boolean): string {
  return routeUrl(route, (name) => paramValue(name, route.path, of, ghost), queryOf(route.path, route.parameters, of, ghost));
}

describe('Fiat application permissions over every /openapi.json route', () => {
  it('sees the resources of both applications as the admin', () => {
    expect(routes.length).toBeGreaterThan(40);
    expect(H.serverGroups.length + H.instances.length + H.clusters.length).toBeGreaterThan(2);
    expect(A.application).not.toBe(H.application);
  });

  it('finds 0 leaks, 0 tells and 0 accepted writes for a caller without permission on the application', async () => {
    const before = await stateOfH();
    const findings: string[] = [];
    let requests = 0;
    for (const route of routes) {
      const url = urlOf(route, H, false);
      const body = bodyOf(route.method, route.path, H);
      const answer = await call(route.method, url, 'dave', body);
      requests++;
      const where = `${route.method.toUpperCase()} ${url}`;
      findings.push(...serverErrors(answer, where));
      const sent = `${decodeURIComponent(url)} ${JSON.stringify(body ?? '')}`;
      // Security groups follow the account alone, as in Clouddriver: H's own group (named for H) may be listed.
      const sharedByAccount = route.path.startsWith('/securityGroups');
      if (answer.status < 300)
        findings.push(
          ...leaks(
            answer,
            where,
            sent,
            secretsOfH().filter((value) => !sharedByAccount || value !== H.application),
          ),
        );
      if (route.method !== 'get') {
        if (answer.status < 300 && secretsOfH().some((secret) => sent.includes(secret)))
          findings.push(`accepted write: ${where} -> ${answer.status} ${answer.text.slice(0, 200)}`);
        continue;
      }
      // Tells: a read naming H's resources answers exactly as a read of ones that do not exist.
      if (!sharedByAccount && (route.path.includes('{') || route.parameters.some((p) => p.in === 'query'))) {
        const ghostUrl = urlOf(route, H, true);
        if (ghostUrl === url) continue;
        const ghost = await call('get', ghostUrl, 'dave');
        requests++;
        const normalise = (text: string) =>
          text
            .replaceAll('nosuchapp', H.application)
            .replaceAll('i-nosuchinstance', H.instances[0]!)
            .replaceAll('00000000-0000-4000-8000-000000000000', H.runningTask);
        if (ghost.status !== answer.status || normalise(ghost.text) !== answer.text) {
          findings.push(`tell: ${where} -> ${answer.status} ${answer.text.slice(0, 120)} but missing -> ${ghost.status} ${ghost.text.slice(0, 120)}`);
        }
      }
    }
    // The same reads aimed at dave's own application, and searches for what H's names look like:
    // lists and searches that mix applications must leave H out.
    const own = routes.filter((route) => route.method === 'get').map((route) => urlOf(route, A, false));
    const searches = ['i-', '-v00', H.application, H.clusters[0]!].flatMap((q) =>
      ['', '&type=serverGroups', '&type=instances', '&type=clusters', '&type=loadBalancers', '&type=applications'].map(
        (type) => `/search?q=${encodeURIComponent(q)}${type}`,
      ),
    );
    for (const url of [...own, ...searches]) {
      const answer = await call('get', url, 'dave');
      requests++;
      findings.push(...serverErrors(answer, `GET ${url}`));
      if (answer.status >= 300 || url.startsWith('/securityGroups')) continue;
      findings.push(...leaks(answer, `GET ${url}`, decodeURIComponent(url), secretsOfH()));
    }
    expect(requests).toBeGreaterThan(routes.length * 2);
    expect(findings).toEqual([]);
    expect(await stateOfH()).toEqual(before);
  }, 180_000);

  it("does not tell dave through /console/events when H's tasks move, and does when his own do", async () => {
    const dave = await openEvents('dave');
    const root = await openEvents('root');
    try {
      await until(
        'the first events',
        async () => [dave.changes(), root.changes()],
        ([d = 0, r = 0]) => d >= 1 && r >= 1,
      );
      const [daveBefore, rootBefore] = [dave.changes(), root.changes()];
      const onH = await call('post', '/synthetic/ops', 'root', [
        { destroyServerGroup: { credentials: ACCOUNT, region: REGION, serverGroupName: H.serverGroups[0] } },
      ]);
      expect(onH.status).toBe(200);
      // The admin's stream sees H's new running task: the change happened, dave's stream stays quiet.
      await until(
        "the admin's event",
        async () => root.changes(),
        (count) => count > rootBefore,
      );
      await new Promise((r) => setTimeout(r, 2_500));
      expect(dave.changes()).toBe(daveBefore);
      const onA = await call('post', '/synthetic/ops', 'root', [
        { destroyServerGroup: { credentials: ACCOUNT, region: REGION, serverGroupName: A.serverGroups[0] } },
      ]);
      expect(onA.status).toBe(200);
      await until(
        "dave's event",
        async () => dave.changes(),
        (count) => count > daveBefore,
      );
    } finally {
      dave.close();
      root.close();
    }
  });

  it('lets dave read and change his own application through the same routes', async () => {
    // The reads that name a resource find A's (a sweep refusing everything would fail here).
    const readable = [
      `/applications/${A.application}/serverGroups`,
      `/serverGroups/${ACCOUNT}/${REGION}/${A.serverGroups[0]}`,
      `/instances/${ACCOUNT}/${REGION}/${A.instances[0]}`,
      `/applications/${A.application}/clusters/${ACCOUNT}/${A.clusters[0]}`,
      `/task/${A.runningTask}`,
      `/tags/${encodeURIComponent(A.tagId)}`,
      `/manifests/${ACCOUNT}/${REGION}/${A.serverGroups[0]}`,
      `/instances/${ACCOUNT}/${REGION}/${A.instances[0]}/console`,
      `/manifestish/instances/${ACCOUNT}/${REGION}/${A.instances[0]}/console`,
    ];
    for (const path of readable) expect([path, (await call('get', path, 'dave')).status]).toEqual([path, 200]);
    // The console output of H's instance, through the generic route (no provider named) too.
    const console = await call('get', `/instances/${ACCOUNT}/${REGION}/${H.instances[0]}/console`, 'dave');
    expect(console.status).toBe(404);
    expect(console.text).not.toContain('boot log');
    expect((await call('get', `/instances/${ACCOUNT}/${REGION}/${H.instances[0]}/console`, 'root')).body.output).toContain('boot log');
    const items = await call('get', `/manifestish/${ACCOUNT}/items`, 'dave');
    expect(items.text).toContain(A.serverGroups[0]);
    expect(((await call('get', `/manifestish/${ACCOUNT}/items`, 'root')).body as unknown[]).length).toBe(A.serverGroups.length + H.serverGroups.length);
    const clusterManifests = await call('get', `/manifests/${ACCOUNT}/${REGION}/replicaSet/cluster/${A.application}/${A.clusters[0]}`, 'dave');
    expect(clusterManifests.body.length).toBeGreaterThan(0);
    const search = await call('get', `/search?q=${A.application}&type=serverGroups`, 'dave');
    expect(search.text).toContain(A.serverGroups[0]);
    expect(((await call('get', '/task', 'dave')).body as { id: string }[]).map((task) => task.id)).toContain(A.runningTask);
    expect(((await call('get', '/cache/synthetic/serverGroup', 'dave')).body as { id: string }[]).map((record) => record.id)).toContain(A.pendingKey);
    const refresh = await call('post', '/cache/synthetic/serverGroup', 'dave', { account: ACCOUNT, region: REGION, serverGroupName: A.serverGroups[0] });
    expect(refresh.status).toBe(202);
    const resize = await call('post', '/synthetic/ops', 'dave', [{ resizeServerGroup: resizeOf(A.serverGroups[0]!, 1) }]);
    expect(resize.status).toBe(200);
  });
});
