import { fileURLToPath } from 'node:url';
import { startStratusProcess, type HttpAnswer, type StratusProcess } from '@stratus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The "done when": the real server process (the `stratus` bin under tsx) on a free port,
 * with the synthetic provider loaded by package name and a test-only provider loaded by path that
 * can change a fake cloud behind the cache's back.
 */

const backdoor = fileURLToPath(new URL('./fixtures/cloud-backdoor-provider.ts', import.meta.url));

const RESTRICTED = { READ: ['dev'], WRITE: ['ops'] };
const baseAccounts = [
  { name: 'prod', regions: ['us-east-1', 'us-west-2'], seed: 1 },
  { name: 'restricted', regions: ['eu-west-1'], seed: 2, permissions: RESTRICTED },
];

let server: StratusProcess;

const config = (accounts: readonly Record<string, unknown>[]) => ({
  providers: ['@stratus/testing/synthetic-provider', backdoor],
  account: { storage: { enabled: true } },
  admin: { tasks: { shutdownWaitSeconds: 5 } },
  security: { users: { alice: ['dev'], olga: ['ops', 'dev'] }, accountManagerRoles: ['ops'] },
  synthetic: { agentIntervalMs: 2500, applications: 3, accounts },
});

function call<T = any>(method: string, path: string, options: { body?: unknown; user?: string; requestId?: string } = {}): Promise<HttpAnswer<T>> {
  const headers: Record<string, string> = {};
  if (options.user) headers['x-spinnaker-user'] = options.user;
  if (options.requestId) headers['x-spinnaker-request-id'] = options.requestId;
  return server.call<T>(method, path, options.body, headers);
}

const get = <T = any>(path: string, user?: string) => call<T>('GET', path, user ? { user } : {});
const until = <T>(what: string, read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 20_000) => server.until(what, read, accept, timeoutMs);

/** Agent types the scheduler reports (introspection lists every scheduled agent that ran). */
async function agentIds(): Promise<string[]> {
  const { body } = await get<{ id: string }[]>('/cache/introspection');
  return body.map((record) => record.id);
}

/** Polls a task as Orca does, as `user` (a task is visible only to callers who may read its accounts). */
async function waitForTask(id: string, user?: string): Promise<any> {
  return (
    await until(
      `task ${id} to complete`,
      () => get(`/task/${id}`, user),
      (answer) => answer.body?.status?.completed === true,
    )
  ).body;
}

interface SummaryEntry {
  name: string;
  account: string;
  region: string;
  cluster: string;
  capacity: { min: number; max: number; desired: number };
}

beforeAll(async () => {
  server = await startStratusProcess({ config: config(baseAccounts), readyTimeoutMs: 60_000 });
}, 90_000);

afterAll(async () => {
  await server?.stop(15_000);
}, 30_000);

describe('stratus server end to end', () => {
  it('caches the synthetic cloud and serves applications, clusters and server groups in Clouddriver’s shapes', async () => {
    const apps = await until(
      'applications',
      () => get('/applications'),
      (answer) => Array.isArray(answer.body) && answer.body.length === 3,
    );
    for (const app of apps.body) {
      expect(Object.keys(app).sort()).toEqual(['attributes', 'clusterNames', 'name']);
      expect(Object.keys(app.clusterNames)).toEqual(['prod']);
    }
    const name: string = apps.body[0].name;

    const application = await get(`/applications/${name}`);
    expect(application.status).toBe(200);
    expect(application.body.attributes.cloudProviders).toBe('synthetic');
    const clusterView = application.body.clusters.prod[0];
    expect(clusterView).toMatchObject({ provider: 'synthetic', name: expect.any(String), serverGroups: expect.any(Array), loadBalancers: expect.any(Array) });

    const clusterNames = await get(`/applications/${name}/clusters`);
    expect(clusterNames.body).toEqual({ prod: expect.arrayContaining([clusterView.name]) });

    const cluster = await get(`/applications/${name}/clusters/prod/${clusterView.name}/synthetic`);
    expect(cluster.status).toBe(200);
    expect(cluster.body).toMatchObject({ name: clusterView.name, type: 'synthetic', accountName: 'prod', moniker: { app: name } });
    const serverGroup = cluster.body.serverGroups[0];
    for (const field of ['name', 'moniker', 'type', 'cloudProvider', 'region', 'disabled', 'createdTime', 'zones', 'instances', 'capacity', 'instanceCounts']) {
      expect(serverGroup).toHaveProperty(field);
    }
    expect(serverGroup.instanceCounts).toEqual(
      expect.objectContaining({ total: serverGroup.instances.length, up: expect.any(Number), down: expect.any(Number) }),
    );
    expect(serverGroup.instances[0]).toMatchObject({ name: expect.any(String), healthState: expect.any(String), health: expect.any(Array) });

    const direct = await get(`/serverGroups/prod/${serverGroup.region}/${serverGroup.name}`);
    expect(direct.body).toMatchObject({ name: serverGroup.name, account: 'prod', region: serverGroup.region });
    const missing = await get(`/serverGroups/prod/${serverGroup.region}/nope-v999`);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ status: 404, error: 'Not Found', message: expect.stringContaining('nope-v999') });

    const introspection = await get<{ id: string; provider: string }[]>('/cache/introspection');
    expect(introspection.body.filter((record) => record.id.startsWith('prod/')).length).toBeGreaterThanOrEqual(8);
    const metrics = await get<string>('/metrics');
    expect(metrics.body).toMatch(
      /stratus_agent_executions_total\{provider="synthetic",agent="prod\/us-east-1\/SyntheticClusterCachingAgent",result="success"\} [1-9]/,
    );
    const openapi = await get('/openapi.json');
    expect(Object.keys(openapi.body.paths)).toEqual(expect.arrayContaining(['/applications', '/{cloudProvider}/ops', '/task/{id}', '/credentials']));
  });

  it('runs an operation as a task Orca can poll, and the same clientRequestId returns the same task', async () => {
    const summaries = (await get<SummaryEntry[]>('/applications/orders/serverGroups')).body;
    const target = summaries.find((entry) => entry.account === 'prod')!;
    const description = { credentials: 'prod', region: target.region, serverGroupName: target.name, capacity: { min: 1, max: 4, desired: 4 } };

    const posted = await call('POST', '/synthetic/ops', { body: [{ resizeServerGroup: description }], requestId: 'e2e-resize-1' });
    expect(posted.status).toBe(200);
    expect(posted.body).toEqual({ id: expect.any(String), resourceUri: `/task/${posted.body.id}` });
    const task = await waitForTask(posted.body.id);
    expect(task.status).toMatchObject({ completed: true, failed: false, retryable: false });
    expect(task.history.map((line: { phase: string }) => line.phase)).toEqual(expect.arrayContaining(['ORCHESTRATION', 'RESIZE']));
    expect(task).toMatchObject({ id: posted.body.id, requestId: 'e2e-resize-1', ownerId: expect.any(String), startTimeMs: expect.any(Number) });

    const after = await get(`/serverGroups/prod/${target.region}/${target.name}`);
    expect(after.body.capacity).toEqual({ min: 1, max: 4, desired: 4 });

    const again = await call('POST', '/synthetic/ops', { body: [{ resizeServerGroup: description }], requestId: 'e2e-resize-1' });
    expect(again.body.id).toBe(posted.body.id);
  });

  it('rejects a malformed operation with 400 naming the field, and creates no task', async () => {
    const malformed = await call('POST', '/synthetic/ops', {
      body: [{ resizeServerGroup: { credentials: 'prod', region: 'us-east-1', capacity: { min: 1, max: 1, desired: 1 } } }],
      requestId: 'e2e-malformed',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors.some((error: string) => error.startsWith('serverGroupName'))).toBe(true);
    const unknown = await call('POST', '/synthetic/ops', { body: [{ teleportServerGroup: {} }], requestId: 'e2e-malformed' });
    expect(unknown.status).toBe(400);

    // Had the 400s created a task, this valid request with the same id would get that task back.
    const target = (await get<SummaryEntry[]>('/applications/orders/serverGroups')).body.find((entry) => entry.account === 'prod')!;
    const valid = await call('POST', '/synthetic/ops', {
      body: [{ resizeServerGroup: { credentials: 'prod', region: target.region, serverGroupName: target.name, capacity: { min: 2, max: 2, desired: 2 } } }],
      requestId: 'e2e-malformed',
    });
    const task = await waitForTask(valid.body.id);
    expect(task.status.failed).toBe(false);
    expect(task.history[0]).toEqual({ phase: 'ORCHESTRATION', status: 'Initializing Orchestration Task' });
  });

  it('forces an on-demand refresh: 202, visible at once, then processed by the next agent run', async () => {
    const target = (await get<SummaryEntry[]>('/applications/search/serverGroups')).body.find((entry) => entry.account === 'prod')!;
    const change = await call('POST', '/e2e/ops', {
      body: [{ changeCloudBehindCache: { account: 'prod', region: target.region, serverGroupName: target.name, desired: 7 } }],
    });
    expect((await waitForTask(change.body.id)).status.failed).toBe(false);

    const refresh = await call('POST', '/cache/synthetic/serverGroup', { body: { account: 'prod', region: target.region, serverGroupName: target.name } });
    expect(refresh.status).toBe(202);
    const key = `synthetic:serverGroups:${target.cluster}:prod:${target.region}:${target.name}`;
    expect(refresh.body.cachedIdentifiersByType.serverGroups).toEqual([key]);
    expect((await get(`/serverGroups/prod/${target.region}/${target.name}`)).body.capacity).toEqual({ min: 7, max: 7, desired: 7 });

    const pending = await get<any[]>('/cache/synthetic/serverGroup');
    expect(pending.body.find((entry) => entry.id === key)).toMatchObject({
      details: expect.objectContaining({ account: 'prod', serverGroup: target.name }),
      moniker: expect.objectContaining({ app: 'search' }),
      cacheTime: expect.any(Number),
      processedCount: 0,
    });
    // The next scheduled run reconciles the record: it is stamped processed or evicted.
    await until(
      'the on-demand record to be processed',
      () => get<any[]>('/cache/synthetic/serverGroup'),
      (answer) => {
        const entry = answer.body.find((item) => item.id === key);
        return !entry || entry.processedCount > 0;
      },
    );
    expect((await get(`/serverGroups/prod/${target.region}/${target.name}`)).body.capacity.desired).toBe(7);

    const nothing = await call('POST', '/cache/synthetic/loadBalancer', { body: { account: 'prod' } });
    expect(nothing.status).toBe(200);
  });

  it('adds and removes accounts at runtime through the config file (SIGHUP) and the credentials API', async () => {
    server.writeConfig(config([...baseAccounts, { name: 'staging', regions: ['ap-south-1'], seed: 3 }]));
    server.child.kill('SIGHUP');
    await until('staging agents to run', agentIds, (ids) => ids.some((id) => id.startsWith('staging/ap-south-1/')));
    expect((await get('/credentials/staging')).body).toMatchObject({ name: 'staging', type: 'synthetic', cloudProvider: 'synthetic' });
    await until(
      'staging clusters',
      () => get('/applications/orders/clusters'),
      (answer) => 'staging' in answer.body,
    );

    server.writeConfig(config(baseAccounts));
    server.child.kill('SIGHUP');
    await until('staging agents to stop', agentIds, (ids) => !ids.some((id) => id.startsWith('staging/')));
    expect((await get('/credentials/staging')).status).toBe(404);
    // What the removed account cached is no longer served.
    expect((await get('/applications/orders/clusters')).body).not.toHaveProperty('staging');

    const created = await call('POST', '/credentials', { body: { name: 'dynamic', type: 'synthetic', regions: ['sa-east-1'], seed: 4 }, user: 'olga' });
    expect(created.status).toBe(200);
    await until('dynamic agents to run', agentIds, (ids) => ids.some((id) => id.startsWith('dynamic/sa-east-1/')));
    const bad = await call('POST', '/credentials', { body: { name: 'broken', type: 'synthetic', regions: [] }, user: 'olga' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('regions');

    expect((await call('DELETE', '/credentials/dynamic', { user: 'olga' })).status).toBe(200);
    await until('dynamic agents to stop', agentIds, (ids) => !ids.some((id) => id.startsWith('dynamic/')));
    expect((await get('/credentials')).body.map((account: { name: string }) => account.name)).toEqual(['prod']);
  });

  it('hides a restricted account from callers without READ and refuses operations without WRITE', async () => {
    expect((await get('/credentials')).body.map((account: { name: string }) => account.name)).toEqual(['prod']);
    expect((await get('/credentials', 'alice')).body.map((account: { name: string }) => account.name)).toEqual(['prod', 'restricted']);

    const anonymousApps = await get('/applications');
    for (const app of anonymousApps.body) expect(Object.keys(app.clusterNames)).toEqual(['prod']);
    const aliceApps = await get('/applications', 'alice');
    expect(aliceApps.body.some((app: { clusterNames: Record<string, string[]> }) => 'restricted' in app.clusterNames)).toBe(true);

    const restrictedGroup = (await get<SummaryEntry[]>('/applications/orders/serverGroups', 'alice')).body.find((entry) => entry.account === 'restricted')!;
    expect(restrictedGroup).toBeDefined();
    expect((await get('/applications/orders/serverGroups')).body.some((entry: SummaryEntry) => entry.account === 'restricted')).toBe(false);
    expect((await get(`/serverGroups/restricted/${restrictedGroup.region}/${restrictedGroup.name}`)).status).toBeGreaterThanOrEqual(403);
    expect((await get(`/serverGroups/restricted/${restrictedGroup.region}/${restrictedGroup.name}`, 'alice')).status).toBe(200);
    const search = await get(`/search?q=${restrictedGroup.name}&type=serverGroups`);
    expect(search.status).toBe(200);
    expect(JSON.stringify(search.body)).not.toMatch(/restricted/);
    expect(JSON.stringify((await get(`/search?q=${restrictedGroup.name}&type=serverGroups`, 'alice')).body)).toMatch(/restricted/);

    const resize = {
      credentials: 'restricted',
      region: restrictedGroup.region,
      serverGroupName: restrictedGroup.name,
      capacity: { min: 1, max: 1, desired: 1 },
    };
    const denied = await call('POST', '/synthetic/ops', { body: [{ resizeServerGroup: resize }], user: 'alice', requestId: 'e2e-denied' });
    expect(denied.status).toBe(403);
    // No task was created for the denied request: the same id from an allowed caller starts a new one that succeeds.
    const allowed = await call('POST', '/synthetic/ops', { body: [{ resizeServerGroup: resize }], user: 'olga', requestId: 'e2e-denied' });
    expect(allowed.status).toBe(200);
    expect((await waitForTask(allowed.body.id, 'olga')).status.failed).toBe(false);
    // The task touches the restricted account: a caller who cannot read it is told it does not exist.
    expect((await get(`/task/${allowed.body.id}`)).status).toBe(404);
  });

  it('shuts down gracefully on SIGTERM', async () => {
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
  });
});
