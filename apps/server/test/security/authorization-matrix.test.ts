import { randomUUID } from 'node:crypto';
import { syntheticProvider } from '@stratus/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import { matrixClient, until } from './matrix-client.js';
import { documentedRoutes, leaks, routeUrl, serverErrors, type Route } from './route-sweep.js';

/**
 * The authorization matrix: every route in `/openapi.json`, called by a caller who may use the
 * target account (permitted), one who may not (no access: another team, or a user with no roles)
 * and an anonymous caller, against each of two accounts of the synthetic provider. With the
 * default security config (no admin or account-manager roles). It finds:
 * - leaks: a response showing an account the caller cannot read, or a task of such an account,
 *   that the request itself did not name;
 * - tells: a read of an unreadable account's resource answering differently from a read of a
 *   missing one;
 * - accepted writes: any 2xx to a change aimed at an account the caller cannot write, and any
 *   change to the other team's tasks, pending refreshes or accounts afterwards;
 * - server errors: no request of the matrix (nor the garbage round at the end) may answer 5xx.
 */

const ACCOUNTS = {
  devacct: { owner: 'dave', region: 'us-east-1', seed: 11 },
  opsacct: { owner: 'oscar', region: 'eu-west-1', seed: 22 },
} as const;
type AccountName = keyof typeof ACCOUNTS;
const ACCOUNT_NAMES = Object.keys(ACCOUNTS) as AccountName[];

/** Callers: a user per team, a user with no roles, anonymous. */
const CALLERS = ['dave', 'oscar', 'nora', undefined] as const;
type Caller = (typeof CALLERS)[number];
const canRead = (caller: Caller, account: AccountName) => caller !== undefined && ACCOUNTS[account].owner === caller;
const callerName = (caller: Caller) => caller ?? 'anonymous';

let server: RunningServer;

const { call } = matrixClient(() => server.url);

/** What each account holds, found through its owner's reads. */
interface World {
  application: string;
  cluster: string;
  serverGroup: string;
  instance: string;
  loadBalancer?: string;
  securityGroup?: { name: string; id: string };
  /** A task the owner left running (a slow destroy), one FAILED_RETRYABLE, one completed. */
  runningTask: string;
  retryableTask: string;
  doneTask: string;
  /** The owner's pending on-demand record key. */
  pendingKey: string;
}
const world = {} as Record<AccountName, World>;

async function learnWorld(account: AccountName): Promise<Omit<World, 'runningTask' | 'retryableTask' | 'doneTask' | 'pendingKey'>> {
  const owner = ACCOUNTS[account].owner;
  const apps = await until(
    `${account} applications`,
    async () => (await call('get', '/applications', owner)).body as any[],
    (list) => Array.isArray(list) && list.some((app) => account in (app.clusterNames ?? {})),
  );
  const application = apps.find((app) => account in app.clusterNames)!.name as string;
  const summaries = (await call('get', `/applications/${application}/serverGroups`, owner)).body as any[];
  const summary = summaries.find((entry) => entry.account === account)!;
  const group = await until(
    `${account} server group with instances`,
    async () => (await call('get', `/serverGroups/${account}/${summary.region}/${summary.name}`, owner)).body,
    (body) => Array.isArray(body?.instances) && body.instances.length > 0,
  );
  const lbs = (await call('get', '/synthetic/loadBalancers', owner)).body as any[];
  const sgs = (await call('get', `/securityGroups/${account}`, owner)).body as Record<string, Record<string, any[]>>;
  const firstSg = Object.values(Object.values(sgs ?? {})[0] ?? {})[0]?.[0];
  return {
    application,
    cluster: summary.cluster,
    serverGroup: group.name,
    instance: group.instances[0].name ?? group.instances[0].id,
    ...(Array.isArray(lbs) && lbs[0] ? { loadBalancer: lbs[0].name } : {}),
    ...(firstSg ? { securityGroup: { name: firstSg.name, id: firstSg.id } } : {}),
  };
}

function resizeOf(account: AccountName, desired = 2) {
  const w = world[account];
  return { credentials: account, region: ACCOUNTS[account].region, serverGroupName: w.serverGroup, capacity: { min: desired, max: desired, desired } };
}

/** Tokens that identify an account's data: its name and its tasks (never named by the other account's requests). */
function secretsOf(account: AccountName): string[] {
  const w = world[account];
  return [account, w.runningTask, w.retryableTask, w.doneTask];
}

/** Path parameter values aimed at `account` (or, with `ghost`, at a missing account and task). */
function paramValue(name: string, path: string, account: AccountName, ghost: boolean): string {
  const w = world[account];
  const acct = ghost ? 'ghostacct' : account;
  const task = ghost ? `00000000-${randomUUID().slice(9)}` : w.runningTask;
  switch (name) {
    case 'cloudProvider':
      return 'synthetic';
    case 'account':
      return acct;
    case 'region':
      return ACCOUNTS[account].region;
    case 'application':
      return w.application;
    case 'cluster':
      return w.cluster;
    case 'serverGroup':
      return w.serverGroup;
    case 'id':
      return path.includes('task') ? task : w.instance;
    case 'type':
      return path.startsWith('/cache/') ? 'serverGroup' : path.startsWith('/credentials') ? 'synthetic' : 'synthetic';
    case 'name':
      if (path.startsWith('/credentials')) return acct;
      if (path.includes('/ops/')) return 'resizeServerGroup';
      if (path.includes('securityGroups')) return w.securityGroup?.name ?? 'sg';
      return w.loadBalancer ?? 'lb';
    case 'nameOrId':
      return w.securityGroup?.id ?? 'sg-1';
    case 'scope':
      return ACCOUNTS[account].region;
    case 'target':
      return 'newest';
    case 'summaryType':
      return 'image';
    case 'namespace':
      return `stratus-matrix-${account}`;
    default:
      return 'x';
  }
}

/** Query parameters aimed at `account`. */
function queryOf(path: string, parameters: { name: string; in: string }[], account: AccountName, ghost: boolean): string {
  const w = world[account];
  const acct = ghost ? 'ghostacct' : account;
  const values: Record<string, string> = {
    q: w.serverGroup.split('-')[0]!,
    application: w.application,
    applications: w.application,
    account: acct,
    accounts: acct,
    region: ACCOUNTS[account].region,
    regions: ACCOUNTS[account].region,
    cloudProvider: 'synthetic',
    provider: 'synthetic',
    id: path.startsWith('/cache/') ? `synthetic:serverGroups:${w.cluster}:${acct}:${ACCOUNTS[account].region}:${w.serverGroup}` : w.instance,
    expand: 'true',
    type: 'serverGroups',
    clusters: w.cluster,
  };
  const pairs = parameters.filter((p) => p.in === 'query' && values[p.name] !== undefined).map((p) => `${p.name}=${encodeURIComponent(values[p.name]!)}`);
  return pairs.length > 0 ? `?${pairs.join('&')}` : '';
}

/** A body aimed at `account`, for the routes that take one. */
function bodyOf(method: string, path: string, account: AccountName, caller: Caller): unknown {
  if (method === 'get' || method === 'delete') return undefined;
  const w = world[account];
  if (path === '/{cloudProvider}/ops' || path === '/ops') return [{ resizeServerGroup: { ...resizeOf(account, 3), cloudProvider: 'synthetic' } }];
  if (path.endsWith('/ops/{name}')) return { ...resizeOf(account, 3), cloudProvider: 'synthetic' };
  if (path === '/cache/{cloudProvider}/{type}') return { account, region: ACCOUNTS[account].region, serverGroupName: w.serverGroup };
  if (path === '/{cloudProvider}/task/{id}') return { retry: true };
  if (path.endsWith('/restart')) {
    // The case: another user's failed task restarted with operations on the caller's own account.
    const own = ACCOUNT_NAMES.find((name) => canRead(caller, name)) ?? account;
    return [{ resizeServerGroup: resizeOf(own, 1) }];
  }
  if (path === '/credentials') return { name: `evil-${callerName(caller)}`, type: 'synthetic', regions: ['us-east-1'] };
  return {};
}

let routes: Route[] = [];
const findings: string[] = [];
let requests = 0;

async function state() {
  const out: Record<string, unknown> = {};
  for (const account of ACCOUNT_NAMES) {
    const owner = ACCOUNTS[account].owner;
    const w = world[account];
    const tasks = await Promise.all([w.runningTask, w.retryableTask, w.doneTask].map(async (id) => (await call('get', `/task/${id}`, owner)).body));
    out[account] = {
      tasks: tasks.map((task) => ({ status: task.status, history: task.history.length })),
      pending: ((await call('get', '/cache/synthetic/serverGroup', owner)).body as any[]).map((record) => record.id).sort(),
      serverGroup: (await call('get', `/serverGroups/${account}/${ACCOUNTS[account].region}/${w.serverGroup}`, owner)).body.capacity,
    };
  }
  out.credentials = ((await call('get', '/credentials', 'dave')).body as any[])
    .map((a) => a.name)
    .concat(((await call('get', '/credentials', 'oscar')).body as any[]).map((a) => a.name))
    .sort();
  return out;
}

beforeAll(async () => {
  const raw = {
    server: { port: 0, address: '127.0.0.1' },
    admin: { tasks: { shutdownWaitSeconds: 1 } },
    account: { storage: { enabled: true } },
    security: { users: { dave: ['dev'], oscar: ['ops'], nora: [] } },
    synthetic: {
      agentIntervalMs: 60_000,
      // A destroy that takes a minute stays running through the matrix.
      operationDelayMs: { destroyServerGroup: 60_000 },
      accounts: ACCOUNT_NAMES.map((name) => ({
        name,
        regions: [ACCOUNTS[name].region],
        seed: ACCOUNTS[name].seed,
        applications: 2,
        permissions: { READ: [name === 'devacct' ? 'dev' : 'ops'], WRITE: [name === 'devacct' ? 'dev' : 'ops'] },
      })),
    },
  };
  server = await startServer({ config: parseConfig(raw), raw, logger: pino({ level: 'silent' }), providers: [syntheticProvider] });

  for (const account of ACCOUNT_NAMES) {
    const owner = ACCOUNTS[account].owner;
    const learned = await learnWorld(account);
    world[account] = { ...learned, runningTask: '', retryableTask: '', doneTask: '', pendingKey: '' };
    const done = await call('post', '/synthetic/ops', owner, [{ resizeServerGroup: resizeOf(account, 2) }]);
    expect(done.status).toBe(200);
    await until(
      `${account} resize`,
      () => call('get', `/task/${done.body.id}`, owner),
      (a) => a.body?.status?.completed === true,
    );
    const destroy = { credentials: account, region: ACCOUNTS[account].region, serverGroupName: learned.serverGroup };
    const running = await call('post', '/synthetic/ops', owner, [{ destroyServerGroup: destroy }]);
    const retryable = await call('post', '/synthetic/ops', owner, [{ destroyServerGroup: destroy }]);
    expect([running.status, retryable.status]).toEqual([200, 200]);
    // The owner marks one of them failed-retryable, as Kubernetes' forced retry does.
    expect((await call('patch', `/synthetic/task/${retryable.body.id}`, owner, { retry: true })).status).toBe(200);
    const pending = await call('post', '/cache/synthetic/serverGroup', owner, {
      account,
      region: ACCOUNTS[account].region,
      serverGroupName: learned.serverGroup,
    });
    expect(pending.status).toBe(202);
    world[account] = {
      ...learned,
      runningTask: running.body.id,
      retryableTask: retryable.body.id,
      doneTask: done.body.id,
      pendingKey: pending.body.cachedIdentifiersByType.serverGroups[0],
    };
  }

  routes = await documentedRoutes(call);
}, 90_000);

afterAll(async () => {
  await server?.shutdown('test done');
});

describe('authorization matrix over /openapi.json', () => {
  it('covers every documented route', () => {
    expect(routes.length).toBeGreaterThan(40);
    for (const path of [
      '/task',
      '/task/{id}',
      '/task/{id}:resume',
      '/{cloudProvider}/task/{id}',
      '/{cloudProvider}/task/{id}/restart',
      '/cache/{cloudProvider}/{type}',
      '/cache/introspection',
      '/metrics',
      '/health/readiness',
      '/credentials',
      '/admin/db/truncate/{namespace}',
    ]) {
      expect(routes.map((r) => r.path)).toContain(path);
    }
  });

  it('finds 0 leaks, 0 tells and 0 accepted writes for {permitted, no-access, anonymous} × {devacct, opsacct}', async () => {
    const before = await state();
    for (const route of routes) {
      for (const account of ACCOUNT_NAMES) {
        for (const caller of CALLERS) {
          // The permitted caller's own writes would change what the end of the test compares; they are
          // exercised by the next test.
          if (route.method !== 'get' && canRead(caller, account)) continue;
          const build = (ghost: boolean) =>
            routeUrl(route, (name) => paramValue(name, route.path, account, ghost), queryOf(route.path, route.parameters, account, ghost));
          const url = build(false);
          const body = bodyOf(route.method, route.path, account, caller);
          const answer = await call(route.method, url, caller, body);
          requests++;
          const where = `${route.method.toUpperCase()} ${url} as ${callerName(caller)}`;
          findings.push(...serverErrors(answer, where));

          // Leaks: secrets of every account the caller cannot read, unless the request named them itself.
          const sent = `${url} ${JSON.stringify(body ?? '')}`;
          for (const hidden of ACCOUNT_NAMES.filter((name) => !canRead(caller, name))) {
            findings.push(...leaks(answer, where, sent, secretsOf(hidden), (secret) => `${hidden} (${secret})`));
          }
          if (canRead(caller, account)) continue;

          // Accepted writes: nothing aimed at an account the caller cannot write may succeed.
          if (route.method !== 'get' && answer.status < 300) findings.push(`accepted write: ${where} -> ${answer.status} ${answer.text.slice(0, 200)}`);

          // Tells: a read of the unreadable account answers exactly as a read of a missing one.
          if (route.method === 'get' && route.path.includes('{')) {
            const ghostAnswer = await call('get', build(true), caller);
            const normalise = (text: string) =>
              text
                .replaceAll('ghostacct', account)
                .replace(/00000000-[0-9a-f-]{27}/g, 'TASK')
                .replaceAll(world[account].runningTask, 'TASK');
            if (ghostAnswer.status !== answer.status || normalise(ghostAnswer.text) !== normalise(answer.text)) {
              findings.push(
                `tell: ${where} -> ${answer.status} ${answer.text.slice(0, 120)} but missing -> ${ghostAnswer.status} ${ghostAnswer.text.slice(0, 120)}`,
              );
            }
          }
        }
      }
    }
    expect(requests).toBeGreaterThan(routes.length * 6);
    expect(findings).toEqual([]);
    // Nothing changed behind the refusals: tasks, pending refreshes, capacities and accounts.
    expect(await state()).toEqual(before);
  }, 120_000);

  it('lets the permitted caller do what the others may not', async () => {
    for (const account of ACCOUNT_NAMES) {
      const ownerWrite = await call('post', '/synthetic/ops', ACCOUNTS[account].owner, [{ resizeServerGroup: resizeOf(account, 3) }]);
      expect(ownerWrite.status).toBe(200);
      const owner = ACCOUNTS[account].owner;
      const w = world[account];
      expect((await call('get', `/task/${w.runningTask}`, owner)).status).toBe(200);
      expect(((await call('get', '/task', owner)).body as any[]).map((t) => t.id)).toContain(w.runningTask);
      expect(((await call('get', '/cache/synthetic/serverGroup', owner)).body as any[]).map((r) => r.id)).toContain(w.pendingKey);
      expect(((await call('get', '/cache/introspection', owner)).body as any[]).some((r) => r.id.startsWith(`${account}/`))).toBe(true);
      expect((await call('get', '/metrics', owner)).text).toContain(`agent="${account}/`);
      const readiness = (await call('get', '/health/readiness', owner)).body;
      expect(readiness.components['synthetic.accounts'].details.accounts.map((entry: { account: string }) => entry.account)).toEqual([account]);
      expect((await call('get', `/serverGroups/${account}/${ACCOUNTS[account].region}/${w.serverGroup}`, owner)).status).toBe(200);
      // The other team sees none of it, and cannot mark the task failed.
      const other = ACCOUNT_NAMES.find((name) => name !== account)!;
      const stranger = ACCOUNTS[other].owner;
      expect((await call('get', `/task/${w.runningTask}`, stranger)).status).toBe(404);
      expect((await call('patch', `/synthetic/task/${w.runningTask}`, stranger, { retry: true })).status).toBe(404);
      expect((await call('get', `/task/${w.runningTask}`, owner)).body.status.completed).toBe(false);
    }
  });

  it('scopes clientRequestId to the caller: the same id from another user never returns the first user’s task', async () => {
    const id = `matrix-${randomUUID()}`;
    const first = await call('post', `/synthetic/ops?clientRequestId=${id}`, 'dave', [{ resizeServerGroup: resizeOf('devacct', 2) }]);
    const again = await call('post', `/synthetic/ops?clientRequestId=${id}`, 'dave', [{ resizeServerGroup: resizeOf('devacct', 2) }]);
    expect(again.body.id).toBe(first.body.id);
    const other = await call('post', `/synthetic/ops?clientRequestId=${id}`, 'oscar', [{ resizeServerGroup: resizeOf('opsacct', 2) }]);
    expect(other.status).toBe(200);
    expect(other.body.id).not.toBe(first.body.id);
    expect((await call('get', `/task/${other.body.id}`, 'oscar')).body.requestId).toBe(id);
    expect((await call('get', `/task/${first.body.id}`, 'oscar')).status).toBe(404);
  });

  it('refuses account management to everyone while security.accountManagerRoles is empty, naming the key', async () => {
    for (const caller of CALLERS) {
      const refused = await call('post', '/credentials', caller, { name: `new-${callerName(caller)}`, type: 'synthetic', regions: ['us-east-1'] });
      expect(refused.status).toBe(403);
      expect(refused.body.message).toContain('security.accountManagerRoles');
    }
  });

  it('answers garbage in every parameter and body without a 5xx', async () => {
    const garbage = ['%00', '..%2F..%2Fetc%2Fpasswd', 'a'.repeat(600), '%E2%98%83', '{x}', '-1'];
    const bodies: unknown[] = [null, 42, 'text', [], [1, 2], { a: { b: [null] } }, [{ resizeServerGroup: 7 }]];
    const errors: string[] = [];
    for (const route of routes) {
      for (const [index, value] of garbage.entries()) {
        const path = route.path.replace(/\{[^}]+\}/g, value);
        const body = route.method === 'get' ? undefined : bodies[index % bodies.length];
        const answer = await call(route.method, `${path}?q=${value}&limit=${value}&expand=${value}`, index % 2 === 0 ? 'dave' : undefined, body);
        if (answer.status >= 500) errors.push(`${route.method} ${path} -> ${answer.status} ${answer.text.slice(0, 160)}`);
      }
    }
    expect(errors).toEqual([]);
  }, 60_000);
});
