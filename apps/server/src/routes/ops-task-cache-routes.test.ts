import {
  ACCESS_RESOLVER,
  ACCOUNT_LOOKUP,
  AGENT_SCHEDULER,
  LOGGER,
  METRICS,
  MemoryTaskRepository,
  NODE_ID,
  NOOP_METRICS,
  ON_DEMAND_AGENT_SOURCE,
  OPERATION_REGISTRY,
  OPERATIONS_SERVICE,
  SingleNodeScheduler,
  TASK_REPOSITORY,
  CatsProviderCache,
  MemoryCacheStore,
  type AccessResolver,
  type AgentLock,
  type AgentScheduler,
  type OnDemandAgentSource,
  registerOnDemandServices,
  registerOperationServices,
} from '@stratus/core';
import {
  ON_DEMAND_TYPE,
  RetryableOperationError,
  cacheData,
  onDemandRecord,
  silentLogger,
  toPendingOnDemandRequest,
  type AccountCredentials,
  type OnDemandAgent,
  type OperationDefinition,
} from '@stratus/plugin-api';
import express from 'express';
import request from 'supertest';
import { container as rootContainer } from 'tsyringe';
import { describe, expect, it } from 'vitest';
import { resolveCallerAccess } from '../http/caller-access-middleware.js';
import { errorHandler } from '../http/error-handler.js';
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { registerCacheRoutes } from './cache-routes.js';
import { registerFeatureRoutes } from './feature-routes.js';
import { registerOpsRoutes } from './ops-routes.js';
import { registerTaskRoutes } from './task-routes.js';

/** Operations whose outcome the test steers through the description. */
const resize: OperationDefinition = {
  name: 'resizeServerGroup',
  converter: {
    convertDescription: (input) => input,
    convertOperation: (d: Record<string, unknown>) => ({
      async operate(prior) {
        if (d.gate) await (globalThis as { gate?: Promise<void> }).gate;
        if (d.fail === 'retryable' && !(globalThis as { healed?: boolean }).healed) throw new RetryableOperationError('throttled');
        if (d.fail === 'hard') throw new Error('no such server group');
        return { resized: d.serverGroupName, prior: prior.length };
      },
    }),
  },
  validator: {
    validate(d: Record<string, unknown>, errors) {
      if (!d.serverGroupName) errors.reject('serverGroupName', 'empty', 'serverGroupName is required');
      if (typeof d.capacity !== 'object') errors.reject('capacity', 'empty', 'capacity is required');
    },
  },
};

const accessResolver: AccessResolver = {
  resolve: (headers) => {
    const user = typeof headers['x-spinnaker-user'] === 'string' ? headers['x-spinnaker-user'] : undefined;
    return { user, roles: [], canReadAccount: () => true, canWriteAccount: (account) => user !== 'reader' || account !== 'prod' };
  },
};

class ServerGroupAgent implements OnDemandAgent {
  readonly agentType = 'prod/r1/ServerGroupAgent';
  readonly onDemandAgentType = 'prod/r1/ServerGroupAgent-OnDemand';
  readonly providerName = 'test';
  handles = (type: string, cloudProvider: string) => type.toLowerCase() === 'servergroup' && cloudProvider === 'test';
  async handle(providerCache: CatsProviderCache, data: Record<string, unknown>) {
    const key = `test:serverGroups:app:prod:r1:${String(data.serverGroupName)}`;
    const cacheResults = { serverGroups: [cacheData(key, { name: data.serverGroupName })] };
    await providerCache.putCacheData(ON_DEMAND_TYPE, onDemandRecord({ key, cacheResults, details: { account: 'prod' } }));
    return { sourceAgentType: this.agentType, authoritativeTypes: ['serverGroups'], cacheResult: { cacheResults } };
  }
  async pendingOnDemandRequests(providerCache: CatsProviderCache) {
    return (await providerCache.getAll(ON_DEMAND_TYPE)).map((record) => toPendingOnDemandRequest(record));
  }
}

class AtomicScheduler extends SingleNodeScheduler implements AgentScheduler {
  readonly atomic = true;
  async tryLock(agentType: string): Promise<AgentLock> {
    return { agentType, token: 't' };
  }
  async lockValid(): Promise<boolean> {
    return true;
  }
  async tryRelease(): Promise<boolean> {
    return true;
  }
}

function setup(scheduler: AgentScheduler = new SingleNodeScheduler()) {
  const container = rootContainer.createChildContainer();
  const tasks = new MemoryTaskRepository();
  const providerCache = new CatsProviderCache(new MemoryCacheStore('routes-test'));
  const agent = new ServerGroupAgent();
  const source: OnDemandAgentSource = { onDemandAgents: () => [{ agent, providerCache }] };
  container.registerInstance(TASK_REPOSITORY, tasks);
  container.registerInstance(ACCOUNT_LOOKUP, {
    get: (name: string) => (['prod', 'test'].includes(name) ? ({ name, cloudProvider: 'test' } as AccountCredentials) : undefined),
    all: () => [],
  });
  container.registerInstance(NODE_ID, 'node-1');
  container.registerInstance(LOGGER, silentLogger);
  container.registerInstance(METRICS, NOOP_METRICS);
  container.registerInstance(ACCESS_RESOLVER, accessResolver);
  container.registerInstance(AGENT_SCHEDULER, scheduler);
  container.registerInstance(ON_DEMAND_AGENT_SOURCE, source);
  // What the server's modules bind; routes only resolve.
  registerOperationServices(container);
  registerOnDemandServices(container);

  const app = express();
  app.use(express.json());
  app.use(resolveCallerAccess(container));
  const router = express.Router();
  const openapi = new OpenAPIRegistry();
  for (const register of [registerOpsRoutes, registerTaskRoutes, registerCacheRoutes, registerFeatureRoutes]) register(router, openapi, container);
  app.use(router);
  app.use(errorHandler);
  container.resolve<{ register(cp: string, d: OperationDefinition): void }>(OPERATION_REGISTRY).register('test', resize);
  const waitFor = (id: string) => container.resolve<{ waitFor(id: string): Promise<unknown> }>(OPERATIONS_SERVICE).waitFor(id);
  return { app, tasks, providerCache, scheduler, waitFor, openapi };
}

const goodResize = { credentials: 'prod', serverGroupName: 'app-v001', capacity: { min: 1, max: 1, desired: 1 } };

describe('operation and task routes', () => {
  it('starts a task, answers {id, resourceUri} and serves the finished task in Orca’s shape', async () => {
    const { app, waitFor } = setup();
    const started = await request(app)
      .post('/test/ops')
      .send([{ resizeServerGroup: goodResize }, { resizeServerGroup: goodResize }]);
    expect(started.status).toBe(200);
    expect(started.body).toEqual({ id: expect.any(String), resourceUri: `/task/${started.body.id}` });
    await waitFor(started.body.id);
    const task = await request(app).get(started.body.resourceUri);
    expect(task.status).toBe(200);
    expect(Object.keys(task.body)[0]).toBe('status');
    expect(task.body).toMatchObject({
      id: started.body.id,
      status: { phase: 'ORCHESTRATION', complete: true, completed: true, failed: false, retryable: false },
      resultObjects: [
        { resized: 'app-v001', prior: 0 },
        { resized: 'app-v001', prior: 1 },
      ],
      outputs: [],
      ownerId: 'node-1',
    });
    expect(task.body.history[0]).toEqual({ phase: 'ORCHESTRATION', status: 'Initializing Orchestration Task' });
    expect((await request(app).get('/test/task/' + started.body.id + '/owner')).body).toEqual({ name: 'node-1' });
  });

  it('is idempotent by clientRequestId from the query, the header or the body', async () => {
    const { app, tasks } = setup();
    const byQuery = await request(app)
      .post('/test/ops?clientRequestId=rq-1')
      .send([{ resizeServerGroup: goodResize }]);
    const byHeader = await request(app)
      .post('/test/ops')
      .set('X-Spinnaker-Request-Id', 'rq-1')
      .send([{ resizeServerGroup: goodResize }]);
    const byBody = await request(app)
      .post('/test/ops/resizeServerGroup')
      .send({ ...goodResize, clientRequestId: 'rq-1' });
    expect(new Set([byQuery.body.id, byHeader.body.id, byBody.body.id]).size).toBe(1);
    expect((await tasks.getByClientRequestId('anon;rq-1'))?.id).toBe(byQuery.body.id);
    // The id is the caller's own: another caller sending it gets a task of its own, never the first one.
    const byAnother = await request(app)
      .post('/test/ops?clientRequestId=rq-1')
      .set('X-Spinnaker-User', 'mallory')
      .send([{ resizeServerGroup: goodResize }]);
    expect(byAnother.status).toBe(200);
    expect(byAnother.body.id).not.toBe(byQuery.body.id);
    expect((await request(app).get(`/task/${byAnother.body.id}`)).body.requestId).toBe('rq-1');
  });

  it('answers 400 naming every bad field and creates no task', async () => {
    const { app, tasks } = setup();
    const response = await request(app)
      .post('/test/ops?clientRequestId=rq-bad')
      .send([{ resizeServerGroup: { credentials: 'prod' } }, { resizeServerGroup: { ...goodResize, credentials: 'ghost' } }]);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: 'Bad Request', status: 400 });
    expect(response.body.errors).toEqual([
      'serverGroupName: serverGroupName is required',
      'capacity: capacity is required',
      "credentials: account 'ghost' is not configured",
    ]);
    expect(response.body.message).toContain('serverGroupName');
    expect(await tasks.getByClientRequestId('anon;rq-bad')).toBeUndefined();

    const unknown = await request(app)
      .post('/test/ops')
      .send([{ explode: {} }]);
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual(['explode: no operation named explode for cloud provider test']);

    const notAList = await request(app).post('/test/ops').send({ resizeServerGroup: goodResize });
    expect(notAList.status).toBe(400);
    const twoKeys = await request(app)
      .post('/test/ops')
      .send([{ a: {}, b: {} }]);
    expect(twoKeys.status).toBe(400);
    expect(twoKeys.body.errors[0]).toContain('body[0]');
    expect(await tasks.listRunning()).toEqual([]);
  });

  it('answers 403 without WRITE on the account and creates no task', async () => {
    const { app, tasks } = setup();
    const response = await request(app)
      .post('/test/ops?clientRequestId=rq-403')
      .set('X-SPINNAKER-USER', 'reader')
      .send([{ resizeServerGroup: goodResize }]);
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ error: 'Forbidden', status: 403 });
    expect(response.body.message).toContain('prod');
    expect(await tasks.getByClientRequestId('anon;rq-403')).toBeUndefined();
  });

  it('serves the legacy POST /ops with cloudProvider in the description', async () => {
    const { app, waitFor } = setup();
    const list = await request(app)
      .post('/ops')
      .send([{ resizeServerGroup: { ...goodResize, cloudProvider: 'test' } }]);
    expect(list.status).toBe(200);
    const single = await request(app).post('/ops/resizeServerGroup').send(goodResize);
    expect(single.status).toBe(200);
    await waitFor(single.body.id);
    expect((await request(app).get(`/task/${single.body.id}`)).body.status.completed).toBe(true);
  });

  it('lists running tasks, 404s unknown ones, and resumes retryable ones', async () => {
    const { app, waitFor } = setup();
    const g = globalThis as { gate?: Promise<void>; healed?: boolean };
    let open!: () => void;
    g.gate = new Promise((resolve) => (open = resolve));
    g.healed = false;
    try {
      const running = await request(app)
        .post('/test/ops')
        .send([{ resizeServerGroup: { ...goodResize, gate: true } }]);
      const listed = await request(app).get('/task');
      expect(listed.status).toBe(200);
      expect(listed.body.map((task: { id: string }) => task.id)).toEqual([running.body.id]);
      expect(listed.body[0].status.completed).toBe(false);
      open();
      await waitFor(running.body.id);
      expect((await request(app).get('/task')).body).toEqual([]);

      expect((await request(app).get('/task/nope')).status).toBe(404);
      expect((await request(app).get('/test/task/nope/owner')).status).toBe(404);
      expect((await request(app).post('/task/nope:resume')).status).toBe(404);

      const hard = await request(app)
        .post('/test/ops')
        .send([{ resizeServerGroup: { ...goodResize, fail: 'hard' } }]);
      await waitFor(hard.body.id);
      const failed = (await request(app).get(`/task/${hard.body.id}`)).body;
      expect(failed.status).toMatchObject({ completed: true, failed: true, retryable: false });
      expect(failed.resultObjects).toEqual([
        { type: 'EXCEPTION', operation: 'resizeServerGroup', cause: 'Error', message: 'no such server group', retryable: false },
      ]);
      expect((await request(app).post(`/task/${hard.body.id}:resume`)).status).toBe(400);

      const flaky = await request(app)
        .post('/test/ops')
        .send([{ resizeServerGroup: { ...goodResize, fail: 'retryable' } }]);
      await waitFor(flaky.body.id);
      expect((await request(app).get(`/task/${flaky.body.id}`)).body.status).toMatchObject({ failed: true, retryable: true });
      g.healed = true;
      const resumed = await request(app).post(`/task/${flaky.body.id}:resume`);
      expect(resumed.status).toBe(200);
      expect(resumed.body).toEqual({ id: flaky.body.id, resourceUri: `/task/${flaky.body.id}` });
      await waitFor(flaky.body.id);
      const done = (await request(app).get(`/task/${flaky.body.id}`)).body;
      expect(done.status).toMatchObject({ completed: true, failed: false });
      expect(done.history.map((line: { status: string }) => line.status)).toContain('Re-initializing Orchestration Task');
    } finally {
      open();
      delete g.gate;
      delete g.healed;
    }
  });

  it("supports Kubernetes' forced retry: mark a running task failed, then restart it", async () => {
    const { app, waitFor } = setup();
    const g = globalThis as { gate?: Promise<void> };
    let open!: () => void;
    g.gate = new Promise((resolve) => (open = resolve));
    try {
      const started = await request(app)
        .post('/test/ops')
        .send([{ resizeServerGroup: { ...goodResize, gate: true } }]);
      const marked = await request(app).patch(`/test/task/${started.body.id}`).send({ retry: true });
      expect(marked.status).toBe(200);
      expect(marked.body.status).toMatchObject({ completed: true, failed: true, retryable: true });
      expect((await request(app).patch(`/test/task/${started.body.id}`).send({ retry: false })).status).toBe(409);
      expect((await request(app).patch('/test/task/nope').send({ retry: true })).status).toBe(404);
      expect((await request(app).patch(`/test/task/${started.body.id}`).send({ retry: 'yes' })).status).toBe(400);
      open();
      await waitFor(started.body.id);
      // the abandoned run could not complete the task behind the caller's back
      expect((await request(app).get(`/task/${started.body.id}`)).body.status.retryable).toBe(true);

      const restarted = await request(app)
        .post(`/test/task/${started.body.id}/restart`)
        .send([{ resizeServerGroup: goodResize }]);
      expect(restarted.status).toBe(200);
      expect(restarted.body.id).toBe(started.body.id);
      await waitFor(started.body.id);
      const done = (await request(app).get(`/task/${started.body.id}`)).body;
      expect(done.status).toMatchObject({ completed: true, failed: false });
      expect(done.resultObjects).toEqual([{ resized: 'app-v001', prior: 0 }]);
      expect(
        (
          await request(app)
            .post(`/test/task/${started.body.id}/restart`)
            .send([{ resizeServerGroup: goodResize }])
        ).status,
      ).toBe(400);
    } finally {
      open();
      delete g.gate;
    }
  });

  it('lists the registered operations as stages and documents the routes', async () => {
    const { app, openapi } = setup();
    expect((await request(app).get('/features/stages')).body).toEqual([{ name: 'resizeServerGroup', enabled: true }]);
    const paths = openapi.definitions.flatMap((d) => (d.type === 'route' ? [`${d.route.method} ${d.route.path}`] : []));
    expect(paths).toEqual(expect.arrayContaining(['post /{cloudProvider}/ops', 'post /task/{id}:resume', 'post /cache/{cloudProvider}/{type}']));
    const document = new OpenApiGeneratorV31(openapi.definitions).generateDocument({ openapi: '3.1.0', info: { title: 't', version: '1' } });
    expect(Object.keys(document.paths ?? {})).toEqual(
      expect.arrayContaining(['/{cloudProvider}/ops', '/ops/{name}', '/task/{id}', '/task/{id}:resume', '/cache/introspection', '/features/stages']),
    );
    expect(document.components?.schemas).toHaveProperty('Task');
  });
});

describe('cache routes', () => {
  it('answers 202 for a pending refresh whose data is readable at once, then lists the record', async () => {
    const { app, providerCache } = setup();
    const response = await request(app).post('/cache/test/ServerGroup').send({ account: 'prod', serverGroupName: 'app-v002' });
    expect(response.status).toBe(202);
    const key = 'test:serverGroups:app:prod:r1:app-v002';
    expect(response.body).toEqual({ cachedIdentifiersByType: { serverGroups: [key] } });
    expect(await providerCache.getIdentifiers('serverGroups')).toEqual([key]);
    const pending = await request(app).get('/cache/test/serverGroup');
    expect(pending.status).toBe(200);
    expect(pending.body).toEqual([
      { id: key, details: { account: 'prod' }, cacheTime: expect.any(Number), cacheExpiry: expect.any(Number), processedCount: 0 },
    ]);
    expect((await request(app).get(`/cache/test/serverGroup?id=${encodeURIComponent(key)}`)).body).toHaveLength(1);
    expect((await request(app).get('/cache/test/serverGroup?id=other')).body).toEqual([]);
  });

  it('answers 200 with an empty map when nothing handles the type, and 200 when an atomic refresh applied', async () => {
    const { app } = setup();
    const unhandled = await request(app).post('/cache/kubernetes/Manifest').send({ account: 'k8s' });
    expect(unhandled.status).toBe(200);
    expect(unhandled.body).toEqual({ cachedIdentifiersByType: {} });
    const atomic = setup(new AtomicScheduler());
    const applied = await request(atomic.app).post('/cache/test/serverGroup').send({ serverGroupName: 'app-v003' });
    expect(applied.status).toBe(200);
    expect(applied.body.cachedIdentifiersByType.serverGroups).toEqual(['test:serverGroups:app:prod:r1:app-v003']);
    expect((await request(atomic.app).get('/cache/test/serverGroup')).body).toEqual([]);
  });

  it('serves /cache/introspection in Clouddriver’s shape, newest start first', async () => {
    const { app, scheduler } = setup();
    const older = { agentType: 'prod/A', providerName: 'test' };
    const newer = { agentType: 'prod/B', providerName: 'test' };
    scheduler.instrumentation.started(older, 1_000);
    scheduler.instrumentation.completed(older, 50, { itemsWritten: 3, itemsEvicted: 1, details: { pages: 2 } });
    scheduler.instrumentation.started(newer, 2_000);
    scheduler.instrumentation.failed(newer, 20, new Error('denied'));
    const response = await request(app).get('/cache/introspection');
    expect(response.status).toBe(200);
    expect(response.body).toEqual([
      {
        id: 'prod/B',
        provider: 'test',
        totalAdditions: 0,
        totalEvictions: 0,
        details: null,
        lastError: 'denied',
        lastExecutionStartMs: 2_000,
        lastExecutionDurationMs: 20,
        lastExecutionStartDate: new Date(2_000).toISOString(),
      },
      {
        id: 'prod/A',
        provider: 'test',
        totalAdditions: 3,
        totalEvictions: 1,
        details: { pages: 2 },
        lastError: null,
        lastExecutionStartMs: 1_000,
        lastExecutionDurationMs: 50,
        lastExecutionStartDate: new Date(1_000).toISOString(),
      },
    ]);
  });
});
